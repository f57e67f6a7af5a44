"""The sales activities of one opportunity: its stage's activities with their completed state.

A record shows the activities of the stage it is in, in the stage's order. Its own rows in
``opportunity_activities`` hold what is particular to it (completed, the due date when last
saved); a stage activity that has no row yet for the record (added to the stage later, or
moved in from a deleted stage) shows as not completed. Rows of a stage the record has left
are kept, so a record that returns to a stage finds its completed activities again; deleting
a stage activity deletes its rows everywhere (S-5.7).

The due date is the day the record entered its stage plus the activity's duration, computed
when read, so a changed duration shows at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ..domain.activities import OpportunityActivity, due_date
from ..domain.entities import Opportunity
from .orm import OpportunityActivityRow, StageActivityRow


def entered_day(entered_at: datetime | None) -> date | None:
    """The local calendar day a record entered its stage."""
    return None if entered_at is None else entered_at.astimezone().date()


def stage_activities(
    session: Session,
    opportunity_id: int | None,
    stage_id: int | None,
    entered: date | None,
) -> list[OpportunityActivity]:
    """The activities of ``stage_id`` as record ``opportunity_id`` has them (``None``: a new
    record, nothing completed), due from ``entered``."""
    if stage_id is None:
        return []
    row_match = and_(
        OpportunityActivityRow.stage_activity_id == StageActivityRow.id,
        OpportunityActivityRow.opportunity_id == (opportunity_id or -1),
    )
    rows = session.execute(
        select(
            StageActivityRow.id,
            StageActivityRow.name,
            StageActivityRow.duration_days,
            OpportunityActivityRow.completed,
        )
        .outerjoin(OpportunityActivityRow, row_match)
        .where(StageActivityRow.stage_id == stage_id)
        .order_by(StageActivityRow.position, StageActivityRow.id)
    )
    return [
        OpportunityActivity(
            stage_activity_id=activity_id,
            name=name,
            duration_days=duration,
            completed=bool(completed),
            due_date=due_date(entered, duration),
        )
        for activity_id, name, duration, completed in rows
    ]


def save_activities(session: Session, opportunity_id: int, opp: Opportunity) -> None:
    """Write the record's rows for the activities of its current stage.

    ``opp.activities`` says which are completed; an activity it does not mention keeps its
    stored state (not completed when it has none), so a caller that never read the
    activities cannot clear them by accident.
    """
    if opp.stage_id is None:
        return
    states: Mapping[int, bool] = {a.stage_activity_id: a.completed for a in opp.activities}
    entered = entered_day(opp.stage_entered_at)
    templates = session.scalars(
        select(StageActivityRow)
        .where(StageActivityRow.stage_id == opp.stage_id)
        .order_by(StageActivityRow.position, StageActivityRow.id)
    ).all()
    if not templates:
        return
    existing = {
        row.stage_activity_id: row
        for row in session.scalars(
            select(OpportunityActivityRow).where(
                OpportunityActivityRow.opportunity_id == opportunity_id,
                OpportunityActivityRow.stage_activity_id.in_([t.id for t in templates]),
            )
        )
    }
    for position, template in enumerate(templates, start=1):
        row = existing.get(template.id)
        if row is None:
            row = OpportunityActivityRow(
                opportunity_id=opportunity_id,
                stage_activity_id=template.id,
                completed=False,
            )
            session.add(row)
        completed = states.get(template.id, row.completed)
        due = due_date(entered, template.duration_days)
        # Assign only what differs: an unchanged row keeps its version.
        for name, value in (
            ("name", template.name),
            ("position", position),
            ("completed", bool(completed)),
            ("due_date", due),
        ):
            if getattr(row, name) != value:
                setattr(row, name, value)
    session.flush()


class OpportunityActivityRepository:
    """Read access for forms: what a record gets on entering a stage."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def for_stage(
        self, opportunity_id: int | None, stage_id: int | None, entered: date
    ) -> list[OpportunityActivity]:
        return stage_activities(self._session, opportunity_id, stage_id, entered)
