"""Marketing activities: load and save them, and read their Tracking page with SQL aggregates."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from ..domain.enums import MarketingStatus, StageKind
from ..domain.errors import NotFoundError
from ..domain.marketing import MarketingActivity, TrackedOpportunity, TrackingFigures
from ..domain.money import from_cents, to_cents
from .orm import MarketingActivityRow, OpportunityRow, SalesStageRow, utcnow
from .repositories import check_version

GONE = "This marketing activity no longer exists: it was deleted."


def _activity(row: MarketingActivityRow) -> MarketingActivity:
    return MarketingActivity(
        id=row.id,
        version=row.version,
        name=row.name,
        type_id=row.type_id,
        status=MarketingStatus(row.status),
        start_date=row.start_date,
        end_date=row.end_date,
        budgeted_cost=from_cents(row.budgeted_cost_cents),
        actual_cost=from_cents(row.actual_cost_cents),
        campaign_code=row.campaign_code,
        assigned_to_id=row.assigned_to_id,
        comments=row.comments,
        created_at=row.created_at,
        modified_at=row.modified_at,
    )


def _write(row: MarketingActivityRow, activity: MarketingActivity) -> None:
    row.name = activity.name
    row.type_id = activity.type_id
    row.status = activity.status.value
    row.start_date = activity.start_date
    row.end_date = activity.end_date
    row.budgeted_cost_cents = to_cents(activity.budgeted_cost)
    row.actual_cost_cents = to_cents(activity.actual_cost)
    row.campaign_code = activity.campaign_code
    row.assigned_to_id = activity.assigned_to_id
    row.comments = activity.comments


class MarketingRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, activity_id: int) -> MarketingActivityRow:
        row = self._session.get(MarketingActivityRow, activity_id)
        if row is None:
            raise NotFoundError(GONE)
        return row

    def get(self, activity_id: int) -> MarketingActivity:
        return _activity(self._row(activity_id))

    def add(self, activity: MarketingActivity) -> MarketingActivity:
        row = MarketingActivityRow()
        _write(row, activity)
        self._session.add(row)
        self._session.flush()
        return _activity(row)

    def update(self, activity: MarketingActivity) -> MarketingActivity:
        """Write ``activity`` over the stored row unless it changed since it was read."""
        assert activity.id is not None
        row = self._row(activity.id)
        check_version(row.name, row.version, activity.version)
        with self._session.no_autoflush:
            _write(row, activity)
            row.modified_at = utcnow()  # an unchanged save still counts as a save
        self._session.flush()
        return _activity(row)

    def initiated_count(self, activity_id: int) -> int:
        """How many opportunities name this activity in Initiated by (on an index)."""
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(OpportunityRow)
                .where(OpportunityRow.initiated_by_marketing_id == activity_id)
            )
            or 0
        )

    def delete(self, activity_id: int, expected_version: int) -> int:
        """Delete the activity; its opportunities lose their Initiated by and are kept.

        The opportunities get a new version in the same statement, so a form that still shows
        the deleted activity reports a conflict instead of saving it back. Returns how many
        opportunities were changed.
        """
        row = self._row(activity_id)
        check_version(row.name, row.version, expected_version)
        result = self._session.execute(
            update(OpportunityRow)
            .where(OpportunityRow.initiated_by_marketing_id == activity_id)
            .values(
                initiated_by_marketing_id=None,
                version=OpportunityRow.version + 1,
                modified_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        self._session.delete(row)
        self._session.flush()
        return int(getattr(result, "rowcount", 0) or 0)

    def figures(self, activity_id: int) -> TrackingFigures:
        """Count and revenue sums of the activity's opportunities, in one aggregate query."""
        cost = self._session.scalar(
            select(MarketingActivityRow.actual_cost_cents).where(
                MarketingActivityRow.id == activity_id
            )
        )
        if cost is None:
            raise NotFoundError(GONE)
        won = case(
            (OpportunityRow.status == StageKind.WON.value, OpportunityRow.products_total_cents),
            else_=0,
        )
        count, total, expected, won_total = self._session.execute(
            select(
                func.count(OpportunityRow.id),
                func.coalesce(func.sum(OpportunityRow.products_total_cents), 0),
                func.coalesce(func.sum(OpportunityRow.expected_revenue_cents), 0),
                func.coalesce(func.sum(won), 0),
            ).where(OpportunityRow.initiated_by_marketing_id == activity_id)
        ).one()
        return TrackingFigures(
            count=int(count),
            total_revenue=from_cents(int(total)),
            expected_revenue=from_cents(int(expected)),
            won_revenue=from_cents(int(won_total)),
            actual_cost=from_cents(int(cost)),
        )

    def tracked(self, activity_id: int, limit: int, offset: int = 0) -> list[TrackedOpportunity]:
        """The activity's opportunities by close date (undated last), then title."""
        query = (
            select(
                OpportunityRow.id,
                OpportunityRow.title,
                OpportunityRow.link_name,
                func.coalesce(SalesStageRow.name, ""),
                OpportunityRow.status,
                OpportunityRow.products_total_cents,
                OpportunityRow.expected_revenue_cents,
                OpportunityRow.close_date,
            )
            .outerjoin(SalesStageRow, SalesStageRow.id == OpportunityRow.stage_id)
            .where(OpportunityRow.initiated_by_marketing_id == activity_id)
            .order_by(
                OpportunityRow.close_date.is_(None),
                OpportunityRow.close_date,
                OpportunityRow.title,
                OpportunityRow.id,
            )
            .limit(limit)
            .offset(offset)
        )
        rows: list[TrackedOpportunity] = []
        for (
            opp_id,
            title,
            link_name,
            stage,
            status,
            total,
            expected,
            close,
        ) in self._session.execute(query):
            close_date: date | None = close
            rows.append(
                TrackedOpportunity(
                    id=opp_id,
                    title=title,
                    link_name=link_name,
                    stage_name=stage,
                    status=StageKind(status),
                    total=from_cents(total),
                    expected_revenue=from_cents(expected),
                    close_date=close_date,
                )
            )
        return rows
