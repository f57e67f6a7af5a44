"""Writing the sales stages and their activities (S-5): the repository of the stage editor.

Positions are kept dense (1..n) and the closed stages (Closed Won, Closed Lost) always last,
so "move up/down" is a swap with the neighbour and a new stage goes above the closed ones.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from ..domain.activities import StageActivity, StageDeletionImpact, StageWithActivities
from ..domain.entities import SalesStage
from ..domain.enums import StageKind
from ..domain.errors import NotFoundError
from .orm import (
    OpportunityActivityRow,
    OpportunityRow,
    SalesStageRow,
    StageActivityRow,
    StageHistoryRow,
)
from .repositories import _stage

STAGE_GONE = "That sales stage no longer exists. Close the editor and open it again."
ACTIVITY_GONE = "That sales activity no longer exists. Close the editor and open it again."


def _activity(row: StageActivityRow) -> StageActivity:
    return StageActivity(
        id=row.id,
        stage_id=row.stage_id,
        name=row.name,
        position=row.position,
        duration_days=row.duration_days,
    )


class StageEditingRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- reading -------------------------------------------------------------------------

    def _stage_rows(self) -> list[SalesStageRow]:
        return list(
            self._session.scalars(
                select(SalesStageRow).order_by(SalesStageRow.position, SalesStageRow.id)
            )
        )

    def _stage_row(self, stage_id: int) -> SalesStageRow:
        row = self._session.get(SalesStageRow, stage_id)
        if row is None:
            raise NotFoundError(STAGE_GONE)
        return row

    def _activity_row(self, activity_id: int) -> StageActivityRow:
        row = self._session.get(StageActivityRow, activity_id)
        if row is None:
            raise NotFoundError(ACTIVITY_GONE)
        return row

    def _activity_rows(self, stage_id: int) -> list[StageActivityRow]:
        return list(
            self._session.scalars(
                select(StageActivityRow)
                .where(StageActivityRow.stage_id == stage_id)
                .order_by(StageActivityRow.position, StageActivityRow.id)
            )
        )

    def all_with_activities(self) -> list[StageWithActivities]:
        activities: dict[int, list[StageActivity]] = {}
        for row in self._session.scalars(
            select(StageActivityRow).order_by(StageActivityRow.position, StageActivityRow.id)
        ):
            activities.setdefault(row.stage_id, []).append(_activity(row))
        return [
            StageWithActivities(_stage(row), activities.get(row.id, []))
            for row in self._stage_rows()
        ]

    def activity(self, activity_id: int) -> StageActivity:
        return _activity(self._activity_row(activity_id))

    def by_name(self, name: str) -> SalesStage | None:
        row = self._session.scalars(
            select(SalesStageRow).where(func.lower(SalesStageRow.name) == name.lower())
        ).first()
        return None if row is None else _stage(row)

    def deletion_impact(self, stage_id: int) -> StageDeletionImpact:
        self._stage_row(stage_id)
        opportunities = self._session.scalar(
            select(func.count())
            .select_from(OpportunityRow)
            .where(OpportunityRow.stage_id == stage_id)
        )
        activities = self._session.scalar(
            select(func.count())
            .select_from(StageActivityRow)
            .where(StageActivityRow.stage_id == stage_id)
        )
        return StageDeletionImpact(int(opportunities or 0), int(activities or 0))

    def activity_usage(self, activity_id: int) -> int:
        """How many records have the activity: those in its stage or with a row for it."""
        row = self._activity_row(activity_id)
        with_rows = select(OpportunityActivityRow.opportunity_id).where(
            OpportunityActivityRow.stage_activity_id == activity_id
        )
        count = self._session.scalar(
            select(func.count())
            .select_from(OpportunityRow)
            .where(or_(OpportunityRow.stage_id == row.stage_id, OpportunityRow.id.in_(with_rows)))
        )
        return int(count or 0)

    # -- stages --------------------------------------------------------------------------

    def _renumber(self, rows: list[SalesStageRow]) -> None:
        """Dense positions in the given order, the closed stages moved last."""
        ordered = [r for r in rows if r.kind == StageKind.OPEN.value] + [
            r for r in rows if r.kind != StageKind.OPEN.value
        ]
        for position, row in enumerate(ordered, start=1):
            if row.position != position:
                row.position = position

    def add_stage(self, name: str) -> SalesStage:
        rows = self._stage_rows()
        row = SalesStageRow(name=name, kind=StageKind.OPEN.value, position=0, is_default=False)
        self._session.add(row)
        open_count = sum(1 for r in rows if r.kind == StageKind.OPEN.value)
        rows.insert(open_count, row)
        self._renumber(rows)
        self._session.flush()
        return _stage(row)

    def update_stage(
        self,
        stage_id: int,
        name: str,
        default_probability: int | None,
        close_date_offset_days: int | None,
    ) -> SalesStage:
        row = self._stage_row(stage_id)
        row.name = name
        row.default_probability = default_probability
        row.close_date_offset_days = close_date_offset_days
        self._session.flush()
        return _stage(row)

    def move_stage(self, stage_id: int, delta: int) -> bool:
        """Swap an open stage with its open neighbour; False at either end."""
        rows = [r for r in self._stage_rows() if r.kind == StageKind.OPEN.value]
        index = next((i for i, r in enumerate(rows) if r.id == stage_id), None)
        if index is None:
            raise NotFoundError(STAGE_GONE)
        target = index + delta
        if not 0 <= target < len(rows):
            return False
        rows[index], rows[target] = rows[target], rows[index]
        self._renumber(rows + [r for r in self._stage_rows() if r.kind != StageKind.OPEN.value])
        self._session.flush()
        return True

    def set_default(self, stage_id: int | None) -> None:
        """Make ``stage_id`` the one default stage, or clear the default (``None``)."""
        if stage_id is not None:
            self._stage_row(stage_id)
        for row in self._stage_rows():
            wanted = row.id == stage_id
            if row.is_default != wanted:
                row.is_default = wanted
        self._session.flush()

    def delete_stage(
        self,
        stage_id: int,
        replacement_id: int | None,
        move_activities: bool,
        by_user_id: int | None,
        now: datetime,
    ) -> StageDeletionImpact:
        """Delete a stage: its records go to ``replacement_id`` (or no stage), its activities
        to the top of the replacement's list when ``move_activities``, else away."""
        impact = self.deletion_impact(stage_id)
        row = self._stage_row(stage_id)
        replacement = self._stage_row(replacement_id) if replacement_id is not None else None
        was_default = row.is_default
        # Stage history first (names copied), while the records still point at the stage.
        self._session.execute(
            insert(StageHistoryRow).from_select(
                [
                    "opportunity_id",
                    "from_stage_id",
                    "to_stage_id",
                    "from_stage_name",
                    "to_stage_name",
                    "changed_at",
                    "changed_by_id",
                    "note",
                ],
                select(
                    OpportunityRow.id,
                    literal(None).label("from_stage_id"),
                    literal(replacement_id).label("to_stage_id"),
                    literal(row.name).label("from_stage_name"),
                    literal(replacement.name if replacement else "").label("to_stage_name"),
                    literal(now, StageHistoryRow.__table__.c.changed_at.type).label("changed_at"),
                    literal(by_user_id).label("changed_by_id"),
                    literal("stage deleted").label("note"),
                ).where(OpportunityRow.stage_id == stage_id),
            )
        )
        self._session.execute(
            update(OpportunityRow)
            .where(OpportunityRow.stage_id == stage_id)
            .values(
                stage_id=replacement_id,
                stage_entered_at=now,
                version=OpportunityRow.version + 1,
                modified_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        moving = self._activity_rows(stage_id)
        if replacement is not None and move_activities and moving:
            for position, activity in enumerate(moving, start=1):
                activity.stage_id = replacement.id
                activity.position = position
            for position, activity in enumerate(
                self._activity_rows(replacement.id), start=len(moving) + 1
            ):
                if activity.id not in {a.id for a in moving}:
                    activity.position = position
        else:
            ids = [a.id for a in moving]
            if ids:
                self._session.execute(
                    delete(OpportunityActivityRow)
                    .where(OpportunityActivityRow.stage_activity_id.in_(ids))
                    .execution_options(synchronize_session=False)
                )
                for activity in moving:
                    self._session.delete(activity)
        self._session.flush()
        self._session.delete(row)
        self._session.flush()
        if was_default and replacement is not None:
            replacement.is_default = True
        self._renumber([r for r in self._stage_rows() if r.id != stage_id])
        self._session.flush()
        return impact

    # -- activities ----------------------------------------------------------------------

    def add_activity(self, stage_id: int, name: str, duration_days: int | None) -> StageActivity:
        self._stage_row(stage_id)
        position = (
            self._session.scalar(
                select(func.coalesce(func.max(StageActivityRow.position), 0)).where(
                    StageActivityRow.stage_id == stage_id
                )
            )
            or 0
        ) + 1
        row = StageActivityRow(
            stage_id=stage_id, name=name, position=position, duration_days=duration_days
        )
        self._session.add(row)
        self._session.flush()
        return _activity(row)

    def update_activity(
        self, activity_id: int, name: str, duration_days: int | None
    ) -> StageActivity:
        row = self._activity_row(activity_id)
        row.name = name
        row.duration_days = duration_days
        self._session.flush()
        return _activity(row)

    def move_activity(self, activity_id: int, delta: int) -> bool:
        """Swap an activity with its neighbour in the stage; False at either end."""
        row = self._activity_row(activity_id)
        rows = self._activity_rows(row.stage_id)
        index = next(i for i, r in enumerate(rows) if r.id == activity_id)
        target = index + delta
        if not 0 <= target < len(rows):
            return False
        rows[index], rows[target] = rows[target], rows[index]
        for position, activity in enumerate(rows, start=1):
            if activity.position != position:
                activity.position = position
        self._session.flush()
        return True

    def delete_activity(self, activity_id: int) -> None:
        """Delete an activity and every record's row of it, completed or not (S-5.7)."""
        row = self._activity_row(activity_id)
        stage_id = row.stage_id
        self._session.execute(
            delete(OpportunityActivityRow)
            .where(OpportunityActivityRow.stage_activity_id == activity_id)
            .execution_options(synchronize_session=False)
        )
        self._session.delete(row)
        self._session.flush()
        for position, activity in enumerate(self._activity_rows(stage_id), start=1):
            if activity.position != position:
                activity.position = position
        self._session.flush()
