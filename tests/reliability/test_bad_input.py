"""Bad input is refused with a readable domain error and changes nothing (issue: data safety)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bcm_desktop.domain.entities import Opportunity, OpportunityLine, RecordRef, User
from bcm_desktop.domain.errors import DatabaseOpenError, DomainError, ValidationError
from bcm_desktop.repository.database import open_database
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.opportunities import OpportunityService


def snapshot(db_path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path) as connection:
        rows: list[tuple[Any, ...]] = []
        for table in ("opportunities", "opportunity_lines", "stage_history", "accounts"):
            rows += connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        return rows


LINE = OpportunityLine("Item", Decimal("10.00"))
BAD_FIELDS: list[tuple[str, dict[str, Any], str]] = [
    ("empty title", {"title": ""}, "Title is required"),
    ("blank title", {"title": " \t "}, "Title is required"),
    ("over-long title", {"title": "x" * 300}, "too long"),
    ("control character", {"title": "Deal\x00"}, "control characters"),
    ("probability below 0", {"probability": -5}, "0 to 100"),
    ("probability above 100", {"probability": 150}, "0 to 100"),
    ("probability not a number", {"probability": "50"}, "whole number"),
    ("negative quantity", {"lines": [OpportunityLine("X", Decimal(1), Decimal(-2))]}, "negative"),
    ("negative price", {"lines": [OpportunityLine("X", Decimal(-1))]}, "negative"),
    (
        "discount over 100 %",
        {"lines": [OpportunityLine("X", Decimal(1), discount_percent=Decimal(101))]},
        "0 to 100",
    ),
    ("amount beyond the column", {"lines": [OpportunityLine("X", Decimal("1e13"))]}, "too large"),
    (
        "total beyond the column",
        {"lines": [OpportunityLine("X", Decimal("999999999999"), Decimal(5))]},
        "too large",
    ),
    ("date out of range", {"close_date": date(1800, 1, 1)}, "between 1900 and 9999"),
    ("100 MB of comments", {"comments": "x" * 100_000_000}, "too long"),
    ("over-long competitors", {"competitors": "y" * 5000}, "too long"),
]


@pytest.mark.parametrize(("case", "fields", "message"), BAD_FIELDS, ids=[c[0] for c in BAD_FIELDS])
def test_each_bad_input_is_refused_clearly_and_changes_nothing(
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
    db_path: Path,
    case: str,
    fields: dict[str, Any],
    message: str,
) -> None:
    service = OpportunityService(uow_factory, owner.id)
    saved = service.create(Opportunity(title="Good", link=account, lines=[LINE]))
    before = snapshot(db_path)
    draft = Opportunity(title="New", link=account)
    for name, value in fields.items():
        setattr(draft, name, value)
    with pytest.raises(ValidationError, match=message):
        service.create(draft)
    edited = service.get(saved.id or 0)
    for name, value in fields.items():
        setattr(edited, name, value)
    with pytest.raises(ValidationError, match=message):
        service.update(edited)
    assert snapshot(db_path) == before


def test_a_megabyte_of_comments_is_kept(
    uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef
) -> None:
    service = OpportunityService(uow_factory, owner.id)
    text = ("Lorem ipsum dolor sit amet. " * 40_000)[:1_000_000]
    saved = service.create(Opportunity(title="Long notes", link=account, comments=text))
    assert service.get(saved.id or 0).comments == text


def _corrupt(path: Path) -> None:
    open_database(path).close()
    data = bytearray(path.read_bytes())
    data[4096 : 4096 * 3] = b"\x00\x13" * 4096
    path.write_bytes(bytes(data))


def _truncated(path: Path) -> None:
    open_database(path).close()
    path.write_bytes(path.read_bytes()[:50])


def _newer(path: Path) -> None:
    open_database(path).close()
    # closing(): the connection must really close, so its WAL is checkpointed into the file
    # before the test takes the file's bytes.
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")


def _not_sqlite(path: Path) -> None:
    path.write_text("name,phone\nBakkerij,0301234567\n")


def _other_program(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("PRAGMA application_id = 12345")
        connection.execute("CREATE TABLE t (x)")


BAD_FILES: list[tuple[str, Callable[[Path], None], str]] = [
    ("not a SQLite file", _not_sqlite, "not a BCM Desktop database"),
    ("another program's database", _other_program, "another program"),
    ("truncated", _truncated, "truncated|damaged|not a BCM"),
    ("corrupt pages", _corrupt, "damaged|could not be opened"),
    ("from a newer program", _newer, "newer version"),
]


@pytest.mark.parametrize(("case", "make", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_each_bad_file_is_refused_clearly_and_left_as_it_was(
    tmp_path: Path, case: str, make: Callable[[Path], None], message: str
) -> None:
    path = tmp_path / "bad.sqlite"
    make(path)
    before = path.read_bytes()
    with pytest.raises(DatabaseOpenError, match=message):
        open_database(path).close()
    assert path.read_bytes() == before


text_values = st.one_of(st.text(max_size=300), st.just(""), st.just("\x00"), st.just("x" * 400))
number_values = st.one_of(st.integers(-(10**20), 10**20), st.just(50))
money_values = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-1, max_value=10**14, places=4),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=text_values,
    competitors=text_values,
    probability=number_values,
    price=money_values,
    quantity=money_values,
    discount=money_values,
)
def test_random_input_only_ever_raises_domain_errors(
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
    title: str,
    competitors: str,
    probability: int,
    price: Decimal,
    quantity: Decimal,
    discount: Decimal,
) -> None:
    service = OpportunityService(uow_factory, owner.id)
    draft = Opportunity(
        title=title,
        link=account,
        competitors=competitors,
        probability=probability,
        lines=[OpportunityLine("Item", price, quantity, discount_percent=discount)],
    )
    try:
        saved = service.create(draft)
    except DomainError:
        return
    loaded = service.get(saved.id or 0)
    assert loaded.title == title.strip()
    assert 0 <= loaded.probability <= 100
