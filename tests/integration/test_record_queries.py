"""The generic record-list queries: counts, SQL sorting by any column, search and filters."""

from __future__ import annotations

from collections.abc import Callable

import pytest

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
