"""The generic record-list queries: counts, SQL sorting by any column, search and filters."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from bcm_desktop.domain.listing import RecordFilter, RecordOrder
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.orm import AccountRow, UserRow
from bcm_desktop.repository.record_queries import ListSpec, RecordQueries
from bcm_desktop.repository.unit_of_work import UnitOfWork

CITIES = {"Zeeland BV": "Middelburg", "alpha & co": "Utrecht", "Bakker 100%": "Utrecht"}


@pytest.fixture
def queries(database: Database, uow_factory: Callable[[], UnitOfWork]) -> RecordQueries:
    with uow_factory() as uow:
        for name, city in CITIES.items():
            uow.records.add_account(name, city=city)
        uow.commit()
    table = AccountRow.__table__.outerjoin(UserRow.__table__)
    spec = ListSpec(
        table=table,
        id_column=AccountRow.id,
        columns={"name": AccountRow.name, "city": AccountRow.city, "assigned": UserRow.name},
        search=(AccountRow.name, AccountRow.city),
        filters={"city": lambda value: AccountRow.city == value},
    )
    return RecordQueries(database, spec)


def names(queries: RecordQueries, flt: RecordFilter, order: RecordOrder) -> list[object]:
    rows = queries.page(flt, order, 0, 50, queries.count(flt))
    return [row.values[0] for row in rows]


def test_pages_are_sorted_in_sql_by_the_chosen_column_without_regard_to_case(
    queries: RecordQueries,
) -> None:
    everything = RecordFilter()
    assert queries.count(everything) == 3
    assert names(queries, everything, RecordOrder("name")) == [
        "alpha & co",
        "Bakker 100%",
        "Zeeland BV",
    ]
    assert names(queries, everything, RecordOrder("name", descending=True))[0] == "Zeeland BV"
    by_city = names(queries, everything, RecordOrder("city"))
    assert by_city[0] == "Zeeland BV"  # Middelburg first; Utrecht ties broken by id


def test_offset_and_limit_page_through_the_rows(queries: RecordQueries) -> None:
    order = RecordOrder("name")
    total = queries.count(RecordFilter())
    first = queries.page(RecordFilter(), order, 0, 2, total)
    rest = queries.page(RecordFilter(), order, 2, 2, total)
    assert [row.values[0] for row in first + rest] == names(queries, RecordFilter(), order)
    assert queries.page(RecordFilter(), order, 3, 2, total) == []


def test_search_text_is_data_not_a_pattern(queries: RecordQueries) -> None:
    assert names(queries, RecordFilter("100%"), RecordOrder("name")) == ["Bakker 100%"]
    assert queries.count(RecordFilter("%")) == 1
    assert queries.count(RecordFilter("_")) == 0
    assert queries.count(RecordFilter("utrecht")) == 2
    assert queries.count(RecordFilter("' OR 1=1 --")) == 0


def test_filters_combine_with_search(queries: RecordQueries) -> None:
    utrecht = RecordFilter().with_equals("city", "Utrecht")
    assert queries.count(utrecht) == 2
    assert queries.count(utrecht.with_search("alpha")) == 1
    assert utrecht.with_equals("city", None) == RecordFilter()
    with pytest.raises(KeyError):
        queries.count(RecordFilter().with_equals("nonsense", 1))


@pytest.fixture
def many(database: Database, uow_factory: Callable[[], UnitOfWork]) -> RecordQueries:
    """1,500 accounts with repeated and empty cities and a mix of assignees (NULL included),
    so pages past the direct OFFSET and in the far half are read the other ways."""
    cities = ["Utrecht", "", "Breda", "Assen"]
    assignments: list[dict[str, int]] = []
    with uow_factory() as uow:
        users = [uow.users.add(f"User {n}", f"user{n}").id for n in range(3)]
        for n in range(1500):
            name = f"Account {n * 7919 % 1500:04d}"
            account_id = uow.records.add_account(name, city=cities[n % 4])
            if n % 5:
                assignments.append({"id": account_id, "user": users[n % 3]})
        uow.commit()
    with database.engine.begin() as connection:
        connection.execute(
            text("UPDATE accounts SET assigned_to_id = :user WHERE id = :id"), assignments
        )
    table = AccountRow.__table__.outerjoin(UserRow.__table__)
    spec = ListSpec(
        table=table,
        id_column=AccountRow.id,
        columns={"name": AccountRow.name, "city": AccountRow.city, "assigned": UserRow.name},
        filters={"city": lambda value: AccountRow.city == value},
    )
    return RecordQueries(database, spec)


@pytest.mark.parametrize("column", ["name", "city", "assigned"])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("flt", [RecordFilter(), RecordFilter(equals=(("city", "Utrecht"),))])
def test_deep_and_far_pages_equal_one_straight_read(
    many: RecordQueries, column: str, descending: bool, flt: RecordFilter
) -> None:
    order = RecordOrder(column, descending)
    total = many.count(flt)
    straight = many.page(flt, order, 0, total, total)
    assert len(straight) == total
    paged = []
    for offset in range(0, total, 128):
        paged += many.page(flt, order, offset, 128, total)
    assert paged == straight
    # An odd window that straddles the middle and the last rows alone.
    assert (
        many.page(flt, order, total // 2 - 5, 10, total)
        == straight[total // 2 - 5 : total // 2 + 5]
    )
    assert many.page(flt, order, total - 3, 128, total) == straight[-3:]
