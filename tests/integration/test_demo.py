"""The demo database: every stage filled, exact money, one link each, safe to (re)build."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Executable, func, select

from bcm_desktop.demo import DemoSummary, DemoTargetError, build_demo, main
from bcm_desktop.domain.entities import OpportunityLine, expected_revenue, products_total
from bcm_desktop.domain.money import from_cents, to_cents
from bcm_desktop.repository.database import Database, alembic_config, open_database
from bcm_desktop.repository.orm import (
    AccountRow,
    ContactRow,
    HistoryItemRow,
    OpportunityLineRow,
    OpportunityRow,
    SalesStageRow,
    StageHistoryRow,
    UserRow,
)
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.users import os_login

TODAY = date(2026, 6, 15)
OPPORTUNITIES = 300
OWNER = "olivia"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    calls: list[tuple[int, int]] = []
    summary = build_demo(
        path,
        OPPORTUNITIES,
        seed=7,
        owner_login=OWNER,
        today=TODAY,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1]
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert sqlite_files(path.parent) == [path.name]  # no temp, WAL or journal files left
    return path, summary


@pytest.fixture
def demo(built: tuple[Path, DemoSummary]) -> Iterator[Database]:
    database = open_database(built[0])
    yield database
    database.close()


def rows(database: Database, query: Executable) -> list[Any]:
    with database.read_connection() as connection:
        return list(connection.execute(query))


def sqlite_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def content_digest(path: Path) -> str:
    """A digest of the records, independent of page layout."""
    digest = hashlib.sha256()
    connection = sqlite3.connect(path)
    try:
        for table in ("accounts", "business_contacts", "opportunities", "opportunity_lines"):
            for row in connection.execute(f"SELECT * FROM {table} ORDER BY id"):
                digest.update(repr(row).encode())
    finally:
        connection.close()
    return digest.hexdigest()


def test_summary_counts_what_is_in_the_file(
    built: tuple[Path, DemoSummary], demo: Database
) -> None:
    path, summary = built
    assert summary.path == path.resolve()
    assert summary.opportunities == OPPORTUNITIES
    assert summary.accounts == 50 and summary.contacts == 80  # the minimum sizes
    assert summary.users == 5 and summary.products == 20
    assert summary.file_size == path.stat().st_size
    with demo.read_connection() as connection:

        def count(table: type[object]) -> object:
            return connection.scalar(select(func.count()).select_from(table))

        assert count(OpportunityRow) == summary.opportunities
        assert count(OpportunityLineRow) == summary.lines > 0
        assert count(StageHistoryRow) == summary.stage_changes == OPPORTUNITIES
        assert count(HistoryItemRow) == summary.history_items > 0
    assert f"{OPPORTUNITIES:,} opportunities" in summary.one_line()


def test_every_stage_has_opportunities(demo: Database) -> None:
    found = rows(
        demo,
        select(SalesStageRow.name, func.count(OpportunityRow.id))
        .outerjoin(OpportunityRow, OpportunityRow.stage_id == SalesStageRow.id)
        .group_by(SalesStageRow.id),
    )
    assert len(found) == 7
    assert all(count > 0 for _, count in found), found
    assert not rows(demo, select(OpportunityRow.id).where(OpportunityRow.stage_id.is_(None)))


def test_status_and_probability_follow_the_stage(demo: Database) -> None:
    found = rows(
        demo,
        select(
            SalesStageRow.kind,
            OpportunityRow.status,
            OpportunityRow.probability,
            OpportunityRow.actual_close_date,
            OpportunityRow.close_date,
        ).join(SalesStageRow, OpportunityRow.stage_id == SalesStageRow.id),
    )
    for kind, status, probability, actual_close, _ in found:
        assert status == kind
        if kind == "won":
            assert probability == 100
        elif kind == "lost":
            assert probability == 0
        else:
            assert 0 < probability < 100
        if kind == "open":
            assert actual_close is None
        else:
            assert actual_close is not None and actual_close < TODAY
    closes = [close for *_, close in found]
    assert min(closes) < TODAY < max(closes)  # spread over the past and the coming year


def test_every_opportunity_has_one_link_named_after_it(demo: Database) -> None:
    found = rows(
        demo,
        select(
            OpportunityRow.link_account_id,
            OpportunityRow.link_contact_id,
            OpportunityRow.link_name,
            AccountRow.name,
            ContactRow.full_name,
        )
        .outerjoin(AccountRow, AccountRow.id == OpportunityRow.link_account_id)
        .outerjoin(ContactRow, ContactRow.id == OpportunityRow.link_contact_id),
    )
    assert len(found) == OPPORTUNITIES
    kinds = set()
    for account_id, contact_id, link_name, account_name, contact_name in found:
        assert (account_id is None) != (contact_id is None)
        expected = account_name if account_id is not None else contact_name
        assert expected is not None and link_name == expected
        kinds.add("account" if account_id is not None else "contact")
    assert kinds == {"account", "contact"}


def test_stored_totals_are_exact_recomputations_of_the_lines(demo: Database) -> None:
    lines: dict[int, list[OpportunityLine]] = {}
    for line in rows(demo, select(OpportunityLineRow).order_by(OpportunityLineRow.position)):
        domain_line = OpportunityLine(
            item_name=line.item_name,
            unit_price=from_cents(line.unit_price_cents),
            unit_cost=from_cents(line.unit_cost_cents),
            quantity=Decimal(line.quantity_milli) / 1000,
            discount_percent=Decimal(line.discount_percent_bp) / 100,
            discount_amount=from_cents(line.discount_amount_cents),
        )
        assert to_cents(domain_line.line_total) == line.line_total_cents
        assert to_cents(domain_line.discount) == line.discount_amount_cents
        markup = domain_line.markup_percent
        assert line.markup_percent_bp == (None if markup is None else int(markup * 100))
        lines.setdefault(line.opportunity_id, []).append(domain_line)
    assert any(len(found) >= 3 for found in lines.values())
    opportunities = rows(
        demo,
        select(
            OpportunityRow.id,
            OpportunityRow.probability,
            OpportunityRow.products_total_cents,
            OpportunityRow.expected_revenue_cents,
        ),
    )
    for opp_id, probability, total_cents, expected_cents in opportunities:
        total = products_total(lines.get(opp_id, []))
        assert total_cents == to_cents(total)
        assert expected_cents == to_cents(expected_revenue(probability, total))
    assert any(total for _, _, total, _ in opportunities)


def test_records_load_through_the_repository(demo: Database) -> None:
    with UnitOfWork(demo.session_factory) as uow:
        for opp_id in (1, OPPORTUNITIES // 2, OPPORTUNITIES):
            opp = uow.opportunities.get(opp_id)
            opp.validate()  # demo data passes the form's own checks
            assert opp.version == 1 and opp.link is not None
            assert opp.created_at is not None and opp.created_at.date() < TODAY
            assert opp.modified_at is not None and opp.modified_at >= opp.created_at
            assert [change.to_stage_id for change in uow.stage_history.for_opportunity(opp_id)] == [
                opp.stage_id
            ]


def test_owner_and_colleagues(demo: Database) -> None:
    users = rows(demo, select(UserRow.login, UserRow.is_owner).order_by(UserRow.id))
    assert [login for login, is_owner in users if is_owner] == [OWNER]
    assert len(users) == 5
    assigned = rows(demo, select(OpportunityRow.assigned_to_id).distinct())
    assert len(assigned) == 5  # Assigned to varies over all of them


def test_history_marketing_and_lists_are_used(demo: Database) -> None:
    with demo.read_connection() as connection:
        kinds = set(connection.scalars(select(HistoryItemRow.kind).distinct()))
        assert {"note", "phone_log", "email", "task", "appointment"} <= kinds
        initiated = connection.scalar(
            select(func.count()).where(OpportunityRow.initiated_by_marketing_id.is_not(None))
        )
        assert initiated
        for column in (
            OpportunityRow.type_id,
            OpportunityRow.source_id,
            OpportunityRow.payment_terms_id,
        ):
            assert connection.scalar(select(func.count(column.distinct()))) > 1


def test_schema_is_exactly_what_the_migrations_make(
    built: tuple[Path, DemoSummary], demo: Database, tmp_path: Path
) -> None:
    fresh_path = tmp_path / "fresh.sqlite"
    open_database(fresh_path).close()

    def schema(path: Path) -> list[tuple[str, str, str]]:
        connection = sqlite3.connect(path)
        try:
            return sorted(
                connection.execute(
                    "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'"
                )
            )
        finally:
            connection.close()

    assert schema(built[0]) == schema(fresh_path)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with demo.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head
    raw = sqlite3.connect(built[0])
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        # The full-text index was rebuilt in one pass and matches the table.
        raw.execute("INSERT INTO opportunities_fts(opportunities_fts) VALUES('integrity-check')")
        hits = raw.execute(
            "SELECT count(*) FROM opportunities_fts WHERE opportunities_fts MATCH 'website'"
        ).fetchone()[0]
        assert hits > 0
        assert raw.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0
    finally:
        raw.close()


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path) -> None:
    first, second, third = (tmp_path / f"{name}.sqlite" for name in ("a", "b", "c"))
    build_demo(first, 60, seed=3, owner_login=OWNER, today=TODAY)
    build_demo(second, 60, seed=3, owner_login=OWNER, today=TODAY)
    build_demo(third, 60, seed=4, owner_login=OWNER, today=TODAY)
    assert content_digest(first) == content_digest(second) != content_digest(third)


def test_owner_defaults_to_whoever_runs_the_program(tmp_path: Path) -> None:
    path = tmp_path / "mine.sqlite"
    build_demo(path, 5)
    connection = sqlite3.connect(path)
    try:
        owners = connection.execute("SELECT login FROM users WHERE is_owner").fetchall()
    finally:
        connection.close()
    assert owners == [(os_login(),)]


def test_cli_refuses_a_database_with_data_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cli.sqlite"
    arguments = ["--opportunities", "40", "--database", str(path), "--owner", OWNER]
    assert main(arguments) == 0
    captured = capsys.readouterr()
    assert "40 opportunities" in captured.out
    assert "demo:" in captured.err  # progress went to stderr
    before = path.read_bytes()

    assert main([*arguments, "--seed", "2"]) == 1
    message = capsys.readouterr().err
    assert "already holds data" in message and "--force" in message
    assert path.read_bytes() == before

    assert main([*arguments, "--seed", "2", "--force"]) == 0
    assert path.read_bytes() != before
    assert sqlite_files(tmp_path) == ["cli.sqlite"]
    open_database(path).close()


def test_an_empty_database_may_be_replaced_without_force(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    open_database(path).close()  # schema only, no records
    build_demo(path, 10, owner_login=OWNER)
    path.with_name("zero.sqlite").touch()
    build_demo(path.with_name("zero.sqlite"), 10, owner_login=OWNER)


def test_a_file_that_is_not_a_database_is_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my notes, not a database")
    with pytest.raises(DemoTargetError, match="not a BCM Desktop database"):
        build_demo(path, 10, force=True)
    assert path.read_text() == "my notes, not a database"


def test_a_cancelled_build_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "cancelled.sqlite"

    class CancelledError(Exception):
        pass

    def progress(done: int, total: int) -> None:
        if done:
            raise CancelledError

    with pytest.raises(CancelledError):
        build_demo(path, 50_000, progress=progress, owner_login=OWNER)
    assert sqlite_files(tmp_path) == []


def test_a_cancelled_forced_rebuild_keeps_the_old_database(tmp_path: Path) -> None:
    path = tmp_path / "keep.sqlite"
    build_demo(path, 20, owner_login=OWNER)
    before = path.read_bytes()

    def progress(done: int, total: int) -> None:
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_demo(path, 30_000, progress=progress, owner_login=OWNER, force=True)
    assert path.read_bytes() == before
    assert sqlite_files(tmp_path) == ["keep.sqlite"]
