"""The reminder queries and the dismissed/snoozed states (see ``domain/reminders.py``).

Every query is served by one of the partial indexes of migration 0006 and returns at most
``limit`` rows, newest due first, so a user with a million records costs a few index range
scans. The conditions of those indexes are repeated here word for word (``OPEN_STATUS`` and
friends render as literals, not parameters), because SQLite only uses a partial index when
the query's WHERE clause contains its condition. A dismissed or snoozed state is looked up
by the unique key of ``reminder_states`` inside the same query (``NOT EXISTS``), so states
never use up the limit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, or_, select, true
from sqlalchemy.orm import Session

from ..domain.reminders import (
    Reminder,
    ReminderKind,
    activity_due_at,
    activity_entered_before,
    activity_entered_from,
)
from .orm import (
    COMPLETED_STATUS,
    OPEN_STATUS,
    TASK_KIND,
    HistoryItemRow,
    OpportunityActivityRow,
    OpportunityRow,
    ReminderStateRow,
    SalesStageRow,
    StageActivityRow,
)

State = ReminderStateRow


def _hidden(now: datetime) -> ColumnElement[bool]:
    """A state that keeps its reminder out of the list at ``now``."""
    return or_(State.dismissed == true(), State.snoozed_until > now)


# Below this many records assigned to a user, the activity-reminder check reads the user's
# records (assignee index) rather than scanning each stage for theirs (measured at a million:
# ~1.4 s per check for a user with 3 records by stage scan, a few ms by assignee).
FEW_RECORDS = 10_000


class ReminderRepository:
    """Due reminders of one user, and the states the user gave them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- due reminders --------------------------------------------------------------------

    def due_opportunities(self, user_id: int, now: datetime, limit: int) -> list[Reminder]:
        """Open opportunities assigned to the user whose Reminder time has come."""
        o = OpportunityRow
        hidden = exists().where(
            State.user_id == user_id,
            State.kind == ReminderKind.OPPORTUNITY.value,
            State.source_id == o.id,
            State.record_id == 0,
            State.due_at == o.reminder_at,
            _hidden(now),
        )
        rows = self._session.execute(
            select(o.id, o.title, o.reminder_at)
            .where(
                o.assigned_to_id == user_id,
                o.reminder_at.is_not(None),
                o.status == OPEN_STATUS,
                o.reminder_at <= now,
                ~hidden,
            )
            .order_by(o.reminder_at.desc(), o.id.desc())
            .limit(limit)
        )
        return [
            Reminder(ReminderKind.OPPORTUNITY, record_id, record_id, title, due_at)
            for record_id, title, due_at in rows
            if due_at is not None  # always: the query asks for it
        ]

    def due_tasks(self, user_id: int, now: datetime, limit: int) -> list[Reminder]:
        """Tasks assigned to the user, not completed, whose reminder time has come."""
        h = HistoryItemRow
        hidden = exists().where(
            State.user_id == user_id,
            State.kind == ReminderKind.TASK.value,
            State.source_id == h.id,
            State.record_id == 0,
            State.due_at == h.reminder_at,
            _hidden(now),
        )
        rows = self._session.execute(
            select(h.id, h.subject, h.reminder_at, h.opportunity_id, OpportunityRow.title)
            .outerjoin(OpportunityRow, OpportunityRow.id == h.opportunity_id)
            .where(
                h.assigned_to_id == user_id,
                h.reminder_at.is_not(None),
                h.kind == TASK_KIND,
                h.status != COMPLETED_STATUS,
                h.reminder_at <= now,
                ~hidden,
            )
            .order_by(h.reminder_at.desc(), h.id.desc())
            .limit(limit)
        )
        return [
            Reminder(ReminderKind.TASK, item_id, opportunity_id, subject, due_at, title or "")
            for item_id, subject, due_at, opportunity_id, title in rows
            if due_at is not None  # always: the query asks for it
        ]

    def due_activities(
        self, user_id: int, now: datetime, limit: int, not_before: datetime | None = None
    ) -> list[Reminder]:
        """Activities with a duration, not completed, of open records assigned to the user,
        whose due day has begun: the newest ``limit`` due, and none due before
        ``not_before`` (the caller has ``limit`` newer reminders already).

        A stage has a handful of activities: each gets one range scan of the open records
        in its stage by stage-entry time (newest first, keeping the user's), bounded below by
        the ``limit``-th newest due time found so far, so later scans read only what can still
        make the list. A user with few records would make that scan read a whole stage for
        nothing: their records are read through the assignee index instead.
        """
        few = (
            self._session.scalar(
                select(func.count()).where(OpportunityRow.assigned_to_id == user_id)
            )
            or 0
        ) < FEW_RECORDS
        activities = self._session.execute(
            select(StageActivityRow.id, StageActivityRow.stage_id, StageActivityRow.name)
            .add_columns(StageActivityRow.duration_days)
            .join(SalesStageRow, SalesStageRow.id == StageActivityRow.stage_id)
            .where(StageActivityRow.duration_days.is_not(None), SalesStageRow.kind == "open")
            .order_by(StageActivityRow.id)
        ).all()
        reminders: list[Reminder] = []
        for activity_id, stage_id, name, days in activities:
            if len(reminders) >= limit:
                newest = sorted((r.due_at for r in reminders), reverse=True)[limit - 1]
                not_before = newest if not_before is None else max(not_before, newest)
            reminders.extend(
                self._due_activity(
                    user_id, now, limit, activity_id, stage_id, name, days, not_before, few
                )
            )
        return reminders

    def _due_activity(
        self,
        user_id: int,
        now: datetime,
        limit: int,
        activity_id: int,
        stage_id: int,
        name: str,
        days: int,
        not_before: datetime | None,
        few: bool,
    ) -> list[Reminder]:
        o = OpportunityRow
        # "+ 0" keeps SQLite off the stage index, so it reads the user's records instead.
        in_stage = (o.stage_id + 0 if few else o.stage_id) == stage_id
        completed = exists().where(
            OpportunityActivityRow.opportunity_id == o.id,
            OpportunityActivityRow.stage_activity_id == activity_id,
            OpportunityActivityRow.completed == true(),
        )
        hidden = exists().where(
            State.user_id == user_id,
            State.kind == ReminderKind.ACTIVITY.value,
            State.source_id == activity_id,
            State.record_id == o.id,
            State.basis_entered_at == o.stage_entered_at,
            State.basis_days == days,
            _hidden(now),
        )
        rows = self._session.execute(
            select(o.id, o.title, o.stage_entered_at)
            .where(
                o.assigned_to_id == user_id,
                in_stage,
                o.stage_entered_at.is_not(None),
                o.status == OPEN_STATUS,
                o.stage_entered_at < activity_entered_before(now, days),
                true()
                if not_before is None
                else o.stage_entered_at >= activity_entered_from(not_before, days),
                ~completed,
                ~hidden,
            )
            .order_by(o.stage_entered_at.desc(), o.id.desc())
            .limit(limit)
        )
        return [
            Reminder(
                ReminderKind.ACTIVITY,
                activity_id,
                record_id,
                name,
                activity_due_at(entered_at, days),
                title,
                entered_at=entered_at,
                duration_days=days,
            )
            for record_id, title, entered_at in rows
            if entered_at is not None  # always: the query asks for it
        ]

    # -- states ---------------------------------------------------------------------------

    def save_state(
        self,
        user_id: int,
        reminder: Reminder,
        *,
        dismissed: bool,
        snoozed_until: datetime | None,
        now: datetime,
    ) -> None:
        """Record that the user dismissed or snoozed ``reminder`` (one row per reminder)."""
        key = reminder.key
        row = self._session.scalar(
            select(State).where(
                State.user_id == user_id,
                State.kind == key.kind.value,
                State.source_id == key.source_id,
                State.record_id == key.record_id,
                State.due_at == key.due_at,
            )
        )
        if row is None:
            row = State(
                user_id=user_id,
                kind=key.kind.value,
                source_id=key.source_id,
                record_id=key.record_id,
                due_at=key.due_at,
            )
            self._session.add(row)
        row.basis_entered_at = reminder.entered_at
        row.basis_days = reminder.duration_days
        row.dismissed = dismissed
        row.snoozed_until = snoozed_until
        row.changed_at = now
        self._session.flush()
