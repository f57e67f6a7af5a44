"""The record lists of marketing: the Marketing Activities list and an activity's Tracking list.

Both are :class:`~.record_queries.ListSpec` s for the shared :class:`~.record_queries.RecordQueries`
paging. Money comes back as integer cents and dates as ``date``; the UI formats them.
"""

from __future__ import annotations

from sqlalchemy import func, select

from .orm import ListItemRow, MarketingActivityRow, OpportunityRow, SalesStageRow
from .record_queries import ListSpec

# Column keys, in display order (the order of ``RecordRow.values``).
ACTIVITY_COLUMNS = (
    "name",
    "type",
    "status",
    "start_date",
    "end_date",
    "budgeted_cost",
    "actual_cost",
    "campaign_code",
    "opportunities",
    "modified",
)
TRACKING_COLUMNS = (
    "title",
    "link",
    "stage",
    "status",
    "total",
    "expected_revenue",
    "close_date",
)


def activity_list_spec() -> ListSpec:
    """Marketing activities with their type's name and how many opportunities each started.

    Every sortable column but the type name and the count has a (column, id) index; those two
    are cheap because a business has tens or hundreds of activities, and the count reads the
    index on ``opportunities.initiated_by_marketing_id``.
    """
    table = MarketingActivityRow.__table__
    activity = table.c
    items = ListItemRow.__table__
    initiated = (
        select(func.count())
        .where(OpportunityRow.__table__.c.initiated_by_marketing_id == activity.id)
        .correlate(table)
        .scalar_subquery()
    )
    return ListSpec(
        table=table.outerjoin(items, items.c.id == activity.type_id),
        id_column=activity.id,
        columns={
            "name": activity.name,
            "type": items.c.name.label("type_name"),
            "status": activity.status,
            "start_date": activity.start_date,
            "end_date": activity.end_date,
            "budgeted_cost": activity.budgeted_cost_cents,
            "actual_cost": activity.actual_cost_cents,
            "campaign_code": activity.campaign_code,
            "opportunities": initiated.label("opportunities"),
            "modified": activity.modified_at,
        },
        search=(activity.name, activity.campaign_code),
        filters={"status": lambda value: activity.status == str(value)},
    )


def tracking_list_spec() -> ListSpec:
    """Opportunities started by a marketing activity; filter ``activity`` picks the activity."""
    table = OpportunityRow.__table__
    opp = table.c
    stages = SalesStageRow.__table__
    return ListSpec(
        table=table.outerjoin(stages, stages.c.id == opp.stage_id),
        id_column=opp.id,
        columns={
            "title": opp.title,
            "link": opp.link_name,
            "stage": func.coalesce(stages.c.name, "").label("stage_name"),
            "status": opp.status,
            "total": opp.products_total_cents,
            "expected_revenue": opp.expected_revenue_cents,
            "close_date": opp.close_date,
        },
        search=(opp.title, opp.link_name),
        filters={"activity": lambda value: opp.initiated_by_marketing_id == int(value)},
        base_where=(opp.initiated_by_marketing_id.is_not(None),),
    )
