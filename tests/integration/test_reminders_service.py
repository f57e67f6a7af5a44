"""ReminderService against a real SQLite file, with an injected clock."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bcm_desktop.domain.entities import HistoryItem, Opportunity, RecordRef, User
from bcm_desktop.domain.enums import HistoryKind, StageKind, TaskStatus
from bcm_desktop.domain.errors import ValidationError
from bcm_desktop.domain.reminders import Reminder, ReminderKind, activity_due_at
from bcm_desktop.repository import reminders as reminder_queries
from bcm_desktop.repository.database import Database, open_database
from bcm_desktop.repository.unit_of_work import UnitOfWork, unit_of_work_factory
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.reminders import ReminderService
from bcm_desktop.services.stages import StageService

UowFactory = Callable[[], UnitOfWork]
T0 = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def service(uow_factory: UowFactory, owner: User, clock: Clock) -> ReminderService:
    return ReminderService(uow_factory, owner.id, clock)


@pytest.fixture
def opportunities(uow_factory: UowFactory, owner: User) -> OpportunityService:
    return OpportunityService(uow_factory, owner.id)


def make_opportunity(
    opportunities: OpportunityService,
    account: RecordRef,
    title: str,
    reminder_at: datetime | None,
    **fields: Any,
) -> Opportunity:
    draft = opportunities.new()
    draft.title = title
    draft.link = account
    draft.reminder_at = reminder_at
    for name, value in fields.items():
        setattr(draft, name, value)
    return opportunities.create(draft)


def subjects(reminders: list[Reminder]) -> list[str]:
    return [reminder.subject for reminder in reminders]


def test_due_reminder_is_listed_and_a_later_one_is_not(
    service: ReminderService,
    opportunities: OpportunityService,
    account: RecordRef,
    clock: Clock,
) -> None:
    due = make_opportunity(opportunities, account, "Tills", T0 - timedelta(minutes=1))
    make_opportunity(opportunities, account, "Website", T0 + timedelta(hours=1))
    make_opportunity(opportunities, account, "No reminder", None)

    reminders = service.due()

    assert subjects(reminders) == ["Tills"]
    assert reminders[0].kind is ReminderKind.OPPORTUNITY
    assert reminders[0].opportunity_id == due.id
    assert reminders[0].due_at == T0 - timedelta(minutes=1)
    clock.now = T0 + timedelta(hours=1)
    assert subjects(service.due()) == ["Website", "Tills"], "newest due first"
    assert subjects(service.due(T0 - timedelta(hours=1))) == []


def test_dismissed_reminder_never_returns_even_after_a_restart(
    service: ReminderService,
    opportunities: OpportunityService,
    account: RecordRef,
    uow_factory: UowFactory,
    owner: User,
    clock: Clock,
) -> None:
    make_opportunity(opportunities, account, "Tills", T0 - timedelta(minutes=1))
    make_opportunity(opportunities, account, "Website", T0 - timedelta(minutes=2))
    [tills, website] = service.due()

    service.dismiss_all([tills])

    assert subjects(service.due()) == ["Website"]
    clock.now = T0 + timedelta(days=30)
    restarted = ReminderService(uow_factory, owner.id, clock)
    assert subjects(restarted.due()) == ["Website"]
    restarted.dismiss_all([website])
    assert restarted.due() == []


def test_snoozed_reminder_returns_after_the_time(
    service: ReminderService,
    opportunities: OpportunityService,
    account: RecordRef,
    uow_factory: UowFactory,
    owner: User,
    clock: Clock,
) -> None:
    make_opportunity(opportunities, account, "Tills", T0 - timedelta(minutes=1))
    [tills] = service.due()

    until = service.snooze_all([tills], timedelta(minutes=5))

    assert until == T0 + timedelta(minutes=5)
    assert service.due() == []
    clock.now = T0 + timedelta(minutes=4, seconds=59)
    assert ReminderService(uow_factory, owner.id, clock).due() == []
    clock.now = T0 + timedelta(minutes=5)
    assert subjects(service.due()) == ["Tills"], "back at the snooze time, due time unchanged"
    assert service.due()[0].due_at == T0 - timedelta(minutes=1)


@pytest.mark.parametrize(
    "delay", [timedelta(minutes=4), timedelta(days=1, seconds=1), timedelta(0), -timedelta(hours=1)]
)
def test_snooze_outside_five_minutes_to_a_day_is_refused(
    service: ReminderService,
    opportunities: OpportunityService,
    account: RecordRef,
    db_path: Path,
    delay: timedelta,
) -> None:
    make_opportunity(opportunities, account, "Tills", T0 - timedelta(minutes=1))
    [tills] = service.due()

    with pytest.raises(ValidationError, match="5 minutes to 1 day"):
        service.snooze_all([tills], delay)

    assert subjects(service.due()) == ["Tills"]
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM reminder_states").fetchone() == (0,)
    connection.close()


def test_snooze_accepts_every_choice_of_the_window(
    service: ReminderService, opportunities: OpportunityService, account: RecordRef
) -> None:
    make_opportunity(opportunities, account, "Tills", T0 - timedelta(minutes=1))
    [tills] = service.due()
    for delay in (timedelta(minutes=5), timedelta(hours=4), timedelta(days=1)):
        assert service.snooze_all([tills], delay) == T0 + delay


def test_closed_opportunities_and_completed_tasks_are_excluded(
    service: ReminderService,
    opportunities: OpportunityService,
    account: RecordRef,
    uow_factory: UowFactory,
    owner: User,
) -> None:
    won = make_opportunity(opportunities, account, "Won deal", T0 - timedelta(hours=1))
    opportunities.close(won.id or 0, StageKind.WON, won.version)
    lost = make_opportunity(opportunities, account, "Lost deal", T0 - timedelta(hours=1))
    opportunities.close(lost.id or 0, StageKind.LOST, lost.version)
    history = HistoryService(uow_factory, owner.id)
    for subject, status in (("Call Anna", TaskStatus.IN_PROGRESS), ("Done", TaskStatus.COMPLETED)):
        history.create(
            HistoryItem(
                HistoryKind.TASK,
                subject,
                status=status,
                reminder_at=T0 - timedelta(minutes=10),
                assigned_to_id=owner.id,
                opportunity_id=won.id,
            )
        )

    reminders = service.due()

    assert subjects(reminders) == ["Call Anna"]
    assert reminders[0].kind is ReminderKind.TASK
    assert reminders[0].opportunity_id == won.id
    assert reminders[0].regarding == "Won deal"


def test_other_users_records_are_excluded(
    service: ReminderService,
    opportunities: OpportunityService,
    account: RecordRef,
    uow_factory: UowFactory,
    owner: User,
    clock: Clock,
) -> None:
    with uow_factory() as uow:
        colleague = uow.users.add("Carl Colleague", "carl")
        uow.commit()
    make_opportunity(opportunities, account, "Mine", T0 - timedelta(minutes=1))
    make_opportunity(
        opportunities, account, "Carl's", T0 - timedelta(minutes=1), assigned_to_id=colleague.id
    )
    make_opportunity(
        opportunities, account, "Nobody's", T0 - timedelta(minutes=1), assigned_to_id=None
    )
    HistoryService(uow_factory, owner.id).create(
        HistoryItem(
            HistoryKind.TASK,
            "Carl's task",
            reminder_at=T0,
            assigned_to_id=colleague.id,
            account_id=account.id,
        )
    )

    assert subjects(service.due()) == ["Mine"]
    carl = ReminderService(uow_factory, colleague.id, clock)
    assert subjects(carl.due()) == ["Carl's task", "Carl's"]
    carl.dismiss_all(carl.due())
    assert subjects(service.due()) == ["Mine"], "a colleague's dismissal is not mine"


def test_a_changed_reminder_time_is_a_new_reminder(
    service: ReminderService,
    opportunities: OpportunityService,
    account: RecordRef,
) -> None:
    record = make_opportunity(opportunities, account, "Tills", T0 - timedelta(hours=2))
    service.dismiss_all([service.due()[0]])
    assert service.due() == []

    record.reminder_at = T0 - timedelta(minutes=30)
    opportunities.update(record)

    [again] = service.due()
    assert again.due_at == T0 - timedelta(minutes=30)


def test_activity_reminders_follow_the_setting_completion_and_duration(
    uow_factory: UowFactory,
    owner: User,
    opportunities: OpportunityService,
    account: RecordRef,
) -> None:
    stages = StageService(uow_factory, owner.id)
    stage_id = stages.add_stage("Follow-up").id
    call = stages.add_activity(stage_id, "Call back", 2)
    stages.add_activity(stage_id, "No duration")
    quote = stages.add_activity(stage_id, "Send quote", 10)
    record = make_opportunity(opportunities, account, "Tills", None, stage_id=stage_id)
    entered = record.stage_entered_at
    assert entered is not None
    clock = Clock(entered + timedelta(days=3))
    service = ReminderService(uow_factory, owner.id, clock)

    assert service.due() == [], "reminders for activities are off"
    stages.set_reminders(True)
    [reminder] = service.due()
    assert (reminder.kind, reminder.source_id, reminder.opportunity_id) == (
        ReminderKind.ACTIVITY,
        call.id,
        record.id,
    )
    assert (reminder.subject, reminder.regarding) == ("Call back", "Tills")
    assert reminder.due_at == activity_due_at(entered, 2)
    assert service.due(reminder.due_at - timedelta(seconds=1)) == []

    # Completing the activity ends its reminder.
    stored = opportunities.get(record.id or 0)
    stored.activities = [
        type(a)(a.stage_activity_id, a.name, a.duration_days, a.stage_activity_id == call.id)
        for a in stored.activities
    ]
    opportunities.update(stored)
    assert service.due() == []

    # A dismissed activity reminder comes back when the duration (its due time) changes.
    clock.now = entered + timedelta(days=11)
    [sent] = service.due()
    assert sent.source_id == quote.id
    service.dismiss_all([sent])
    assert service.due() == []
    stages.edit_activity(quote.id, "Send quote", 9)
    assert [r.due_at for r in service.due()] == [activity_due_at(entered, 9)]
    stages.set_reminders(False)
    assert service.due() == []


def test_a_read_only_database_keeps_dismiss_and_snooze_in_memory(
    opportunities: OpportunityService,
    account: RecordRef,
    database: Database,
    db_path: Path,
    owner: User,
    clock: Clock,
) -> None:
    make_opportunity(opportunities, account, "Tills", T0 - timedelta(minutes=1))
    make_opportunity(opportunities, account, "Website", T0 - timedelta(minutes=2))
    database.close()
    read_only = open_database(db_path, read_only="the test said so")
    try:
        service = ReminderService(unit_of_work_factory(read_only), owner.id, clock)
        [tills, website] = service.due()

        service.dismiss_all([tills])
        service.snooze_all([website], timedelta(minutes=10))

        assert service.due() == []
        clock.now = T0 + timedelta(minutes=10)
        assert subjects(service.due()) == ["Website"]
    finally:
        read_only.close()
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM reminder_states").fetchone() == (0,)
    connection.close()


@pytest.fixture
def statements(database: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every SQL statement the engine runs, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        seen.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", record)
    yield seen
    event.remove(database.engine, "before_cursor_execute", record)


@pytest.mark.parametrize(
    ("few_records", "activity_index"),
    [
        (0, "ix_opportunities_open_stage_entered"),  # many records: scan each stage
        (10**9, "ix_opportunities_assigned_to_id_id"),  # few records: read the user's
    ],
)
def test_every_reminder_query_is_served_by_an_index(
    service: ReminderService,
    opportunities: OpportunityService,
    account: RecordRef,
    uow_factory: UowFactory,
    owner: User,
    db_path: Path,
    statements: list[tuple[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    few_records: int,
    activity_index: str,
) -> None:
    monkeypatch.setattr(reminder_queries, "FEW_RECORDS", few_records)
    stages = StageService(uow_factory, owner.id)
    stage_id = opportunities.new().stage_id
    assert stage_id is not None
    stages.add_activity(stage_id, "Call back", 2)
    stages.set_reminders(True)
    make_opportunity(opportunities, account, "Tills", T0)
    statements.clear()

    service.due()

    plans: dict[str, str] = {}
    with sqlite3.connect(db_path) as connection:
        for statement, parameters in statements:
            if "opportunities" not in statement and "history_items" not in statement:
                continue
            rows = connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
            plans[statement] = "\n".join(row[-1] for row in rows)
    connection.close()
    used = "\n".join(plans.values())
    for index in (
        "ix_opportunities_reminder_due",
        activity_index,
        "ix_history_items_task_reminder_due",
        "ix_opportunity_activities_opportunity_id_stage_activity_id",
    ):
        assert f"USING INDEX {index}" in used or f"USING COVERING INDEX {index}" in used, used
    for plan in plans.values():
        for line in plan.splitlines():
            # A full scan of a big table would read every row: only searches are allowed.
            assert not line.startswith(("SCAN opportunities", "SCAN history_items")), plan
            assert not line.startswith(("SCAN reminder_states", "SCAN opportunity_act")), plan


def test_the_limit_keeps_the_newest_due_reminders_of_every_kind(
    uow_factory: UowFactory,
    owner: User,
    opportunities: OpportunityService,
    account: RecordRef,
    db_path: Path,
) -> None:
    stages = StageService(uow_factory, owner.id)
    stage_id = stages.add_stage("Follow-up").id
    stages.add_activity(stage_id, "Call back", 1)
    stages.add_activity(stage_id, "Send quote", 3)
    stages.set_reminders(True)
    now = datetime.now(UTC).replace(microsecond=0)
    records = [
        make_opportunity(
            opportunities,
            account,
            f"Record {n}",
            now - timedelta(hours=5 * n + 1),
            stage_id=stage_id,
        )
        for n in range(8)
    ]
    with sqlite3.connect(db_path) as connection:
        for n, record in enumerate(records):
            entered = (now - timedelta(days=n + 1, hours=n)).replace(tzinfo=None)
            connection.execute(
                "UPDATE opportunities SET stage_entered_at = ? WHERE id = ?",
                (entered.isoformat(sep=" ", timespec="microseconds"), record.id),
            )
    connection.close()
    clock = Clock(now)
    everything = ReminderService(uow_factory, owner.id, clock, limit=1000).due()
    assert {r.kind for r in everything} == {ReminderKind.OPPORTUNITY, ReminderKind.ACTIVITY}
    assert len(everything) > 16

    for limit in range(1, len(everything) + 1):
        limited = ReminderService(uow_factory, owner.id, clock, limit=limit).due()
        assert [r.due_at for r in limited] == [r.due_at for r in everything[:limit]], limit


def test_both_ways_of_finding_activity_reminders_give_the_same_list(
    service: ReminderService,
    opportunities: OpportunityService,
    account: RecordRef,
    uow_factory: UowFactory,
    owner: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stages = StageService(uow_factory, owner.id)
    stage_id = opportunities.new().stage_id
    assert stage_id is not None
    stages.add_activity(stage_id, "Call back", 2)
    stages.add_activity(stage_id, "Send brochure", 5)
    stages.set_reminders(True)
    for index in range(6):
        make_opportunity(opportunities, account, f"Deal {index}", T0 - timedelta(days=index))
    answers = []
    for few_records in (0, 10**9):
        monkeypatch.setattr(reminder_queries, "FEW_RECORDS", few_records)
        answers.append(service.due())
    assert answers[0] == answers[1]
    assert len([r for r in answers[0] if r.kind is ReminderKind.ACTIVITY]) > 2
