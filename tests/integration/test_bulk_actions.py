"""Bulk actions through the service: exact rows changed, rules kept, undo, all-matching."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bcm_desktop.domain.entities import Opportunity, OpportunityLine, RecordRef, User
from bcm_desktop.domain.enums import StageKind
from bcm_desktop.domain.errors import NotFoundError, ValidationError
from bcm_desktop.domain.listing import OpportunityFilter, RecordSelection
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.bulk import BulkActions
from bcm_desktop.services.opportunities import OpportunityService

TODAY = date(2026, 11, 28)


@pytest.fixture
def colleague(uow_factory: Callable[[], UnitOfWork]) -> User:
    with uow_factory() as uow:
        user = uow.users.add("Chris Colleague", "chris")
        uow.commit()
    return user


@pytest.fixture
def bulk(uow_factory: Callable[[], UnitOfWork], owner: User) -> BulkActions:
    return BulkActions(uow_factory, owner.id, today=lambda: TODAY)


@pytest.fixture
def ids(uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef) -> list[int]:
    service = OpportunityService(uow_factory, owner.id)
    made = []
    for index in range(10):
        draft = Opportunity(
            title=f"Deal {index}",
            link=account,
            probability=50,
            assigned_to_id=owner.id,
            lines=[OpportunityLine("Item", Decimal("100.00"), Decimal(index + 1))],
        )
        made.append(service.create(draft).id or 0)
    return made


def column(db_path: Path, name: str) -> dict[int, object]:
    with sqlite3.connect(db_path) as connection:
        return dict(connection.execute(f"SELECT id, {name} FROM opportunities").fetchall())


def test_assign_changes_exactly_the_selected_rows(
    bulk: BulkActions, ids: list[int], colleague: User, owner: User, db_path: Path
) -> None:
    versions_before = column(db_path, "version")
    chosen = {ids[1], ids[4], ids[7]}
    outcome = bulk.assign(RecordSelection.of(chosen), colleague.id)
    assert outcome.result.changed == 3
    assigned = column(db_path, "assigned_to_id")
    assert {i for i, user in assigned.items() if user == colleague.id} == chosen
    assert {i for i, user in assigned.items() if user == owner.id} == set(ids) - chosen
    versions = column(db_path, "version")
    assert all(versions[i] == versions_before[i] + 1 for i in chosen)  # type: ignore[operator]

    assert outcome.undo is not None
    assert outcome.undo().changed == 3
    assert set(column(db_path, "assigned_to_id").values()) == {owner.id}


def test_assign_all_matching_minus_exclusions(
    bulk: BulkActions, ids: list[int], colleague: User, db_path: Path
) -> None:
    selection = RecordSelection.matching(OpportunityFilter(), excluded={ids[0]})
    assert bulk.count(selection) == (9, 0)
    outcome = bulk.assign(selection, colleague.id)
    assert outcome.result.changed == 9
    assigned = column(db_path, "assigned_to_id")
    assert [i for i in ids if assigned[i] != colleague.id] == [ids[0]]
    # Assigning again changes nothing and says so.
    again = bulk.assign(selection, colleague.id)
    assert (again.result.changed, again.result.skipped_unchanged, again.undo) == (0, 9, None)


def test_assign_to_unknown_user_is_refused(
    bulk: BulkActions, ids: list[int], db_path: Path
) -> None:
    before = column(db_path, "assigned_to_id")
    with pytest.raises(NotFoundError):
        bulk.assign(RecordSelection.of(ids), 999)
    assert column(db_path, "assigned_to_id") == before


def test_bulk_close_sets_probability_locks_and_reports_closed(
    bulk: BulkActions,
    ids: list[int],
    colleague: User,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    db_path: Path,
) -> None:
    won = bulk.close(RecordSelection.of(ids[:3]), StageKind.WON)
    assert won.result.changed == 3
    lost = bulk.close(RecordSelection.of(ids[2:5]), StageKind.LOST, date(2026, 11, 2))
    assert (lost.result.changed, lost.result.skipped_closed) == (2, 1)

    status = column(db_path, "status")
    probability = column(db_path, "probability")
    expected = column(db_path, "expected_revenue_cents")
    total = column(db_path, "products_total_cents")
    for i in ids[:3]:
        assert (status[i], probability[i], expected[i]) == ("won", 100, total[i])
    for i in ids[3:5]:
        assert (status[i], probability[i], expected[i]) == ("lost", 0, 0)
    assert column(db_path, "actual_close_date")[ids[3]] == "2026-11-02"
    assert column(db_path, "actual_close_date")[ids[0]] == TODAY.isoformat()

    # Closed records are locked: a bulk assign leaves them alone and reports them.
    assigned = bulk.assign(RecordSelection.of(ids), colleague.id)
    assert (assigned.result.changed, assigned.result.skipped_closed) == (5, 5)
    service = OpportunityService(uow_factory, owner.id)
    assert service.get(ids[0]).is_closed
    history = service.stage_history(ids[0])
    assert (history[-1].to_stage_name, history[-1].note) == ("Closed Won", "bulk close")


def test_undo_bulk_close_restores_and_skips_rows_changed_since(
    bulk: BulkActions,
    ids: list[int],
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    db_path: Path,
) -> None:
    before = {name: column(db_path, name) for name in ("status", "probability", "stage_id")}
    outcome = bulk.close(RecordSelection.of(ids[:4]), StageKind.LOST)
    service = OpportunityService(uow_factory, owner.id)
    touched = service.get(ids[0])
    service.reopen(touched.id or 0, touched.version)  # someone reopens one meanwhile
    assert outcome.undo is not None
    result = outcome.undo()
    assert (result.changed, result.skipped_conflict) == (3, 1)
    for name, values in before.items():
        now = column(db_path, name)
        assert all(now[i] == values[i] for i in ids[1:]), name
    assert service.stage_history(ids[1])[-1].note == "undo bulk close"


def test_categorize_and_undo(bulk: BulkActions, ids: list[int], db_path: Path) -> None:
    hot = bulk.add_category("Hot lead")
    with pytest.raises(ValidationError, match="already exists"):
        bulk.add_category("hot lead")
    outcome = bulk.categorize(RecordSelection.of(ids[:2]), hot.id)
    assert outcome.result.changed == 2
    again = bulk.categorize(RecordSelection.matching(OpportunityFilter()), hot.id)
    assert (again.result.changed, again.result.skipped_unchanged) == (8, 2)
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT count(*) FROM opportunity_categories").fetchone() == (10,)
    assert again.undo is not None
    again.undo()
    with sqlite3.connect(db_path) as connection:
        linked = {
            i for (i,) in connection.execute("SELECT opportunity_id FROM opportunity_categories")
        }
    assert linked == set(ids[:2])


def test_delete_removes_selection_with_lines(
    bulk: BulkActions, ids: list[int], db_path: Path
) -> None:
    selection = RecordSelection.matching(OpportunityFilter(search="Deal 1"))
    assert bulk.count(selection) == (1, 0)
    assert bulk.delete(RecordSelection.of(ids[:5])).result.changed == 5
    assert sorted(column(db_path, "id")) == sorted(ids[5:])
    with sqlite3.connect(db_path) as connection:
        lines = connection.execute("SELECT count(*) FROM opportunity_lines").fetchone()
    assert lines == (5,)


@pytest.mark.parametrize("when", [date(1899, 12, 31), date(1752, 9, 14)])
def test_bulk_close_refuses_an_actual_close_date_a_form_cannot_hold(
    bulk: BulkActions, ids: list[int], db_path: Path, when: date
) -> None:
    # The opportunity form refuses close dates before 1900; a bulk close must too, or the
    # closed records carry a date no form can show.
    before = column(db_path, "status")
    with pytest.raises(ValidationError, match="Actual close date"):
        bulk.close(RecordSelection.of(ids[:2]), StageKind.WON, when)
    assert column(db_path, "status") == before
    assert set(column(db_path, "actual_close_date").values()) == {None}
