"""S-5 sentence by sentence: the stage service on a real SQLite file, read back with SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from bcm_desktop.repository.stage_editing import StageEditingRepository
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.stages import StageService

TODAY = date(2026, 11, 28)
OPEN_STAGES = ["Prospecting", "Qualification", "Needs analysis", "Proposal", "Negotiation"]


@pytest.fixture
def stages(uow_factory: Callable[[], UnitOfWork], owner: User) -> StageService:
    return StageService(uow_factory, owner.id)


@pytest.fixture
def colleague(uow_factory: Callable[[], UnitOfWork]) -> User:
    with uow_factory() as uow:
        user = uow.users.add("Chris Colleague", "chris")
        uow.commit()
    return user


@pytest.fixture
def opportunities(uow_factory: Callable[[], UnitOfWork], owner: User) -> OpportunityService:
    return OpportunityService(uow_factory, owner.id, today=lambda: TODAY)


def rows(db_path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql, params).fetchall()


def stage_names(db_path: Path) -> list[str]:
    return [r[0] for r in rows(db_path, "SELECT name FROM sales_stages ORDER BY position")]


def activity_names(db_path: Path, stage: str) -> list[str]:
    return [
        r[0]
        for r in rows(
            db_path,
            "SELECT a.name FROM stage_activities a JOIN sales_stages s ON s.id = a.stage_id"
            " WHERE s.name = ? ORDER BY a.position",
            stage,
        )
    ]


def stage_id(stages: StageService, name: str) -> int:
    return next(s.stage.id for s in stages.stages() if s.stage.name == name)


def activity_id(stages: StageService, stage: str, name: str) -> int:
    entry = next(s for s in stages.stages() if s.stage.name == stage)
    return next(a.id for a in entry.activities if a.name == name)


def new_opp(
    service: OpportunityService, link: RecordRef, title: str, stage: int | None = None
) -> Opportunity:
    draft = service.new()
    draft.title = title
    draft.link = link
    if stage is not None:
        draft.stage_id = stage
        draft.activities = []
    return service.create(draft)


def complete(service: OpportunityService, opp: Opportunity, *names: str) -> Opportunity:
    ticked = [replace(a, completed=a.name in names or a.completed) for a in opp.activities]
    return service.update(replace(opp, activities=ticked))


# -- listing, adding, editing (S-5.2, S-5.3) ------------------------------------------------


def test_lists_stages_in_order_with_their_activities_closed_last(stages: StageService) -> None:
    listed = stages.stages()
    assert [s.stage.name for s in listed] == [*OPEN_STAGES, "Closed Won", "Closed Lost"]
    assert [(a.name, a.duration_days) for a in listed[0].activities] == [
        ("Identify decision makers", 3),
        ("First call", 2),
    ]
    assert listed[0].stage.is_default
    assert listed[-1].activities == []


def test_add_stage_goes_above_the_closed_stages(stages: StageService, db_path: Path) -> None:
    added = stages.add_stage("  Demo  ")
    assert added.name == "Demo"
    assert stage_names(db_path) == [*OPEN_STAGES, "Demo", "Closed Won", "Closed Lost"]
    positions = [r[0] for r in rows(db_path, "SELECT position FROM sales_stages ORDER BY 1")]
    assert positions == list(range(1, 9))


def test_add_stage_takes_its_default_probability_and_close_date_offset(
    stages: StageService, db_path: Path
) -> None:
    stages.add_stage("Demo", 70, 14)
    assert rows(
        db_path,
        "SELECT default_probability, close_date_offset_days FROM sales_stages WHERE name = 'Demo'",
    ) == [(70, 14)]
    with pytest.raises(ValidationError, match="Close date offset"):
        stages.add_stage("Later", 10, -1)
    assert "Later" not in stage_names(db_path)


def test_add_stage_refuses_empty_and_taken_names(stages: StageService, db_path: Path) -> None:
    with pytest.raises(ValidationError, match="required"):
        stages.add_stage("   ")
    with pytest.raises(ValidationError, match="already exists"):
        stages.add_stage("proposal")
    assert len(stage_names(db_path)) == 7


def test_add_activity_with_and_without_duration_at_the_end(
    stages: StageService, db_path: Path
) -> None:
    proposal = stage_id(stages, "Proposal")
    stages.add_activity(proposal, "Present the offer", 4)
    stages.add_activity(proposal, "Call back", None)
    assert activity_names(db_path, "Proposal") == [
        "Prepare quote",
        "Send proposal",
        "Present the offer",
        "Call back",
    ]
    assert rows(db_path, "SELECT duration_days FROM stage_activities WHERE name = 'Call back'") == [
        (None,)
    ]
    with pytest.raises(ValidationError, match="Duration"):
        stages.add_activity(proposal, "Too long", 99_999)
    with pytest.raises(ValidationError, match="Activity name"):
        stages.add_activity(proposal, "", 1)


def test_edit_renames_a_stage_and_sets_its_defaults(stages: StageService, db_path: Path) -> None:
    proposal = stage_id(stages, "Proposal")
    stages.edit_stage(proposal, "Offer", 55, 30)
    assert rows(
        db_path,
        "SELECT name, default_probability, close_date_offset_days FROM sales_stages WHERE id = ?",
        proposal,
    ) == [("Offer", 55, 30)]
    with pytest.raises(ValidationError, match="0 to 100"):
        stages.edit_stage(proposal, "Offer", 101, None)
    with pytest.raises(ValidationError, match="already exists"):
        stages.edit_stage(proposal, "Negotiation", 50, None)
    assert stage_names(db_path)[3] == "Offer"


def test_edit_renames_an_activity_and_sets_its_duration(
    stages: StageService, db_path: Path
) -> None:
    quote = activity_id(stages, "Proposal", "Prepare quote")
    stages.edit_activity(quote, "Prepare the quote", 6)
    assert rows(
        db_path, "SELECT name, duration_days FROM stage_activities WHERE id = ?", quote
    ) == [("Prepare the quote", 6)]
    stages.edit_activity(quote, "Prepare the quote", None)
    assert rows(db_path, "SELECT duration_days FROM stage_activities WHERE id = ?", quote) == [
        (None,)
    ]


# -- reordering (S-5.2, S-5.4) ---------------------------------------------------------------


def test_moving_a_stage_moves_its_activities_with_it(stages: StageService, db_path: Path) -> None:
    proposal = stage_id(stages, "Proposal")
    assert stages.move_stage(proposal, -1)
    assert stages.move_stage(proposal, -1)
    assert stage_names(db_path)[:4] == [
        "Prospecting",
        "Proposal",
        "Qualification",
        "Needs analysis",
    ]
    listed = stages.stages()
    assert [a.name for a in listed[1].activities] == ["Prepare quote", "Send proposal"]
    assert [a.name for a in listed[2].activities] == ["Confirm budget", "Confirm timeline"]


def test_stages_stop_at_the_ends_and_never_pass_the_closed_ones(
    stages: StageService, db_path: Path
) -> None:
    assert not stages.move_stage(stage_id(stages, "Prospecting"), -1)
    assert not stages.move_stage(stage_id(stages, "Negotiation"), +1)
    assert stage_names(db_path)[-3:] == ["Negotiation", "Closed Won", "Closed Lost"]


def test_activities_move_up_and_down_within_their_stage(
    stages: StageService, db_path: Path
) -> None:
    call = activity_id(stages, "Prospecting", "First call")
    assert stages.move_activity(call, -1)
    assert activity_names(db_path, "Prospecting") == ["First call", "Identify decision makers"]
    assert not stages.move_activity(call, -1)
    assert stages.move_activity(call, +1)
    assert activity_names(db_path, "Prospecting") == ["Identify decision makers", "First call"]


@pytest.mark.parametrize("closed", ["Closed Won", "Closed Lost"])
def test_closed_won_and_lost_cannot_be_edited_moved_or_deleted(
    stages: StageService, db_path: Path, closed: str
) -> None:
    before = rows(db_path, "SELECT * FROM sales_stages ORDER BY id")
    closed_id = stage_id(stages, closed)
    attempts: list[Callable[[], object]] = [
        lambda: stages.edit_stage(closed_id, "Won at last", 100, None),
        lambda: stages.move_stage(closed_id, -1),
        lambda: stages.delete_stage(closed_id),
        lambda: stages.add_activity(closed_id, "Celebrate", 1),
        lambda: stages.set_default(closed_id),
        lambda: stages.delete_stage(stage_id(stages, "Proposal"), closed_id),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    assert rows(db_path, "SELECT * FROM sales_stages ORDER BY id") == before


# -- default stage (S-5.5) --------------------------------------------------------------------


def test_exactly_one_default_and_new_records_start_in_it(
    stages: StageService, opportunities: OpportunityService, db_path: Path
) -> None:
    proposal = stage_id(stages, "Proposal")
    stages.edit_stage(proposal, "Proposal", 65, 21)
    stages.set_default(proposal)
    assert rows(db_path, "SELECT name FROM sales_stages WHERE is_default") == [("Proposal",)]
    draft = opportunities.new()
    assert draft.stage_id == proposal
    assert draft.probability == 65
    assert draft.close_date == TODAY + timedelta(days=21)
    assert [(a.name, a.due_date) for a in draft.activities] == [
        ("Prepare quote", TODAY + timedelta(days=3)),
        ("Send proposal", TODAY + timedelta(days=1)),
    ]

    stages.set_default(None)
    assert rows(db_path, "SELECT count(*) FROM sales_stages WHERE is_default") == [(0,)]
    blank = opportunities.new()
    assert blank.stage_id is None
    assert blank.activities == []


# -- reminders (S-5.6) ------------------------------------------------------------------------


def test_reminder_setting_is_stored_for_the_whole_database(
    stages: StageService, opportunities: OpportunityService, db_path: Path
) -> None:
    assert not stages.reminders_enabled()
    stages.set_reminders(True)
    assert rows(db_path, "SELECT value FROM settings WHERE key = 'stage_activity_reminders'") == [
        ("1",)
    ]
    assert opportunities.activity_reminders()
    stages.set_reminders(False)
    assert not opportunities.activity_reminders()


# -- activities on records, and deleting them (S-5.7) -----------------------------------------


def test_records_get_their_stage_activities_due_from_entering_the_stage(
    opportunities: OpportunityService, account: RecordRef, db_path: Path
) -> None:
    opp = new_opp(opportunities, account, "Tills")
    assert opp.stage_entered_at is not None
    entered = opp.stage_entered_at.astimezone().date()
    assert [(a.name, a.completed, a.due_date) for a in opp.activities] == [
        ("Identify decision makers", False, entered + timedelta(days=3)),
        ("First call", False, entered + timedelta(days=2)),
    ]
    saved = complete(opportunities, opp, "First call")
    assert [a.completed for a in saved.activities] == [False, True]
    assert rows(
        db_path,
        "SELECT name, completed, due_date FROM opportunity_activities"
        " WHERE opportunity_id = ? ORDER BY position",
        opp.id,
    ) == [
        ("Identify decision makers", 0, str(entered + timedelta(days=3))),
        ("First call", 1, str(entered + timedelta(days=2))),
    ]


def test_a_record_returning_to_a_stage_finds_its_completed_activities(
    stages: StageService, opportunities: OpportunityService, account: RecordRef
) -> None:
    opp = complete(
        opportunities, new_opp(opportunities, account, "Tills"), "Identify decision makers"
    )
    moved = opportunities.update(replace(opp, stage_id=stage_id(stages, "Qualification")))
    assert [(a.name, a.completed) for a in moved.activities] == [
        ("Confirm budget", False),
        ("Confirm timeline", False),
    ]
    back = opportunities.update(replace(moved, stage_id=stage_id(stages, "Prospecting")))
    assert [(a.name, a.completed) for a in back.activities] == [
        ("Identify decision makers", True),
        ("First call", False),
    ]


def test_deleting_an_activity_removes_it_from_every_record_even_when_completed(
    stages: StageService,
    opportunities: OpportunityService,
    account: RecordRef,
    db_path: Path,
) -> None:
    first = complete(opportunities, new_opp(opportunities, account, "One"), "First call")
    second = new_opp(opportunities, account, "Two")
    call = activity_id(stages, "Prospecting", "First call")
    assert stages.activity_usage(call) == 2

    stages.delete_activity(call)

    assert activity_names(db_path, "Prospecting") == ["Identify decision makers"]
    assert rows(
        db_path, "SELECT count(*) FROM opportunity_activities WHERE name = 'First call'"
    ) == [(0,)]
    for opp in (first, second):
        assert [a.name for a in opportunities.get(opp.id or 0).activities] == [
            "Identify decision makers"
        ]
    with pytest.raises(NotFoundError):
        stages.delete_activity(call)


# -- deleting stages (S-5.8) ------------------------------------------------------------------


def test_deleting_a_stage_without_replacement_leaves_its_records_blank(
    stages: StageService,
    opportunities: OpportunityService,
    account: RecordRef,
    db_path: Path,
) -> None:
    qualification = stage_id(stages, "Qualification")
    opp = complete(
        opportunities, new_opp(opportunities, account, "Tills", qualification), "Confirm budget"
    )
    new_opp(opportunities, account, "Elsewhere")
    impact = stages.deletion_impact(qualification)
    assert (impact.opportunities, impact.activities) == (1, 2)

    stages.delete_stage(qualification)

    assert "Qualification" not in stage_names(db_path)
    blank = opportunities.get(opp.id or 0)
    assert blank.stage_id is None
    assert blank.activities == []
    assert blank.version == opp.version + 1
    assert rows(db_path, "SELECT count(*) FROM stage_activities WHERE name LIKE 'Confirm%'") == [
        (0,)
    ]
    assert rows(
        db_path, "SELECT count(*) FROM opportunity_activities WHERE opportunity_id = ?", opp.id
    ) == [(0,)]  # its rows of the deleted activities went with them, the completed one too
    history = opportunities.stage_history(opp.id or 0)
    assert (history[-1].from_stage_name, history[-1].to_stage_name, history[-1].note) == (
        "Qualification",
        "",
        "stage deleted",
    )


def test_deleting_a_stage_with_a_replacement_deletes_its_activities(
    stages: StageService,
    opportunities: OpportunityService,
    account: RecordRef,
    db_path: Path,
) -> None:
    qualification = stage_id(stages, "Qualification")
    proposal = stage_id(stages, "Proposal")
    opp = new_opp(opportunities, account, "Tills", qualification)

    stages.delete_stage(qualification, proposal)

    moved = opportunities.get(opp.id or 0)
    assert moved.stage_id == proposal
    assert [a.name for a in moved.activities] == ["Prepare quote", "Send proposal"]
    assert activity_names(db_path, "Proposal") == ["Prepare quote", "Send proposal"]
    assert rows(db_path, "SELECT count(*) FROM stage_activities WHERE name LIKE 'Confirm%'") == [
        (0,)
    ]
    assert opportunities.stage_history(opp.id or 0)[-1].to_stage_name == "Proposal"


def test_deleting_a_stage_can_move_its_activities_to_the_top_of_the_replacement(
    stages: StageService,
    opportunities: OpportunityService,
    account: RecordRef,
    db_path: Path,
) -> None:
    qualification = stage_id(stages, "Qualification")
    proposal = stage_id(stages, "Proposal")
    stages.set_default(qualification)
    opp = complete(
        opportunities,
        new_opp(opportunities, account, "Tills", qualification),
        "Confirm timeline",
    )
    waiting = new_opp(opportunities, account, "Already in Proposal", proposal)

    impact = stages.delete_stage(qualification, proposal, move_activities=True)

    assert (impact.opportunities, impact.activities) == (1, 2)
    assert activity_names(db_path, "Proposal") == [
        "Confirm budget",
        "Confirm timeline",
        "Prepare quote",
        "Send proposal",
    ]
    moved = opportunities.get(opp.id or 0)
    assert [(a.name, a.completed) for a in moved.activities] == [
        ("Confirm budget", False),
        ("Confirm timeline", True),
        ("Prepare quote", False),
        ("Send proposal", False),
    ]
    assert [a.name for a in opportunities.get(waiting.id or 0).activities][:2] == [
        "Confirm budget",
        "Confirm timeline",
    ]
    assert rows(db_path, "SELECT name FROM sales_stages WHERE is_default") == [("Proposal",)]


def test_deleting_a_stage_refuses_bad_replacements_and_changes_nothing(
    stages: StageService, db_path: Path
) -> None:
    before = rows(db_path, "SELECT * FROM sales_stages ORDER BY id")
    proposal = stage_id(stages, "Proposal")
    with pytest.raises(ValidationError, match="itself"):
        stages.delete_stage(proposal, proposal)
    with pytest.raises(ValidationError, match="replacement"):
        stages.delete_stage(proposal, None, move_activities=True)
    with pytest.raises(NotFoundError):
        stages.delete_stage(proposal, 9999)
    assert rows(db_path, "SELECT * FROM sales_stages ORDER BY id") == before


# -- owner only (S-5.1) -----------------------------------------------------------------------


def test_only_the_database_owner_may_change_stages(
    uow_factory: Callable[[], UnitOfWork], colleague: User, db_path: Path
) -> None:
    theirs = StageService(uow_factory, colleague.id)
    assert not theirs.is_owner()
    assert next(s.stage.name for s in theirs.stages()) == "Prospecting"  # reading is fine
    tables = ("sales_stages", "stage_activities", "settings")
    before = [rows(db_path, f"SELECT * FROM {t} ORDER BY 1") for t in tables]
    proposal = stage_id(theirs, "Proposal")
    quote = activity_id(theirs, "Proposal", "Prepare quote")
    attempts: list[Callable[[], object]] = [
        lambda: theirs.add_stage("Mine"),
        lambda: theirs.edit_stage(proposal, "Mine", 10, 1),
        lambda: theirs.move_stage(proposal, -1),
        lambda: theirs.set_default(proposal),
        lambda: theirs.set_default(None),
        lambda: theirs.delete_stage(proposal),
        lambda: theirs.add_activity(proposal, "Mine", 1),
        lambda: theirs.edit_activity(quote, "Mine", 1),
        lambda: theirs.move_activity(quote, 1),
        lambda: theirs.delete_activity(quote),
        lambda: theirs.set_reminders(True),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDeniedError, match="Only the database owner"):
            attempt()
    assert [rows(db_path, f"SELECT * FROM {t} ORDER BY 1") for t in tables] == before
    assert not StageService(uow_factory, None).is_owner()


def test_a_stage_deletion_that_fails_halfway_changes_nothing(
    stages: StageService,
    opportunities: OpportunityService,
    account: RecordRef,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    qualification = stage_id(stages, "Qualification")
    opp = new_opp(opportunities, account, "Tills", qualification)
    tables = ("sales_stages", "stage_activities", "opportunities", "stage_history")
    before = [rows(db_path, f"SELECT * FROM {t} ORDER BY 1") for t in tables]

    def fail(*_args: object) -> None:
        raise RuntimeError("disk pulled out")

    # The records, history and activities are written by then; only renumbering is left.
    monkeypatch.setattr(StageEditingRepository, "_renumber", fail)
    with pytest.raises(RuntimeError):
        stages.delete_stage(qualification, stage_id(stages, "Proposal"), move_activities=True)

    assert [rows(db_path, f"SELECT * FROM {t} ORDER BY 1") for t in tables] == before
    assert opportunities.get(opp.id or 0).stage_id == qualification
