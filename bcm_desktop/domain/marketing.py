"""Marketing activities and their Tracking page: the opportunities each activity produced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from .enums import MarketingStatus, StageKind
from .errors import ValidationError
from .money import ZERO, to_money
from .validation import MAX_LONG_TEXT, check_amount, check_date, clean_text

MAX_CAMPAIGN_CODE = 64  # the width of the campaign_code column


@dataclass(frozen=True)
class MarketingActivity:
    """A campaign, mailing, event or advertisement that may start opportunities (S-3)."""

    name: str
    type_id: int | None = None
    status: MarketingStatus = MarketingStatus.PLANNED
    start_date: date | None = None
    end_date: date | None = None
    budgeted_cost: Decimal = ZERO
    actual_cost: Decimal = ZERO
    campaign_code: str = ""
    assigned_to_id: int | None = None
    comments: str = ""
    id: int | None = None
    version: int = 0
    created_at: datetime | None = None
    modified_at: datetime | None = None

    def validated(self) -> MarketingActivity:
        """A cleaned copy, or ``ValidationError`` naming the first bad field (form order)."""
        name = clean_text(self.name, "Name", "name", required=True)
        if not isinstance(self.status, MarketingStatus):
            raise ValidationError("Status: choose one of the statuses in the list.", "status")
        check_date(self.start_date, "Start date", "start_date")
        check_date(self.end_date, "End date", "end_date")
        if (
            self.start_date is not None
            and self.end_date is not None
            and self.end_date < self.start_date
        ):
            raise ValidationError(
                "End date cannot be before the start date. Correct one of the two dates.",
                "end_date",
            )
        check_amount(self.budgeted_cost, "Budgeted cost", "budgeted_cost")
        check_amount(self.actual_cost, "Actual cost", "actual_cost")
        code = clean_text(
            self.campaign_code, "Campaign code", "campaign_code", max_length=MAX_CAMPAIGN_CODE
        )
        comments = clean_text(
            self.comments, "Comments", "comments", max_length=MAX_LONG_TEXT, multiline=True
        )
        return MarketingActivity(
            name=name,
            type_id=self.type_id,
            status=self.status,
            start_date=self.start_date,
            end_date=self.end_date,
            budgeted_cost=to_money(self.budgeted_cost),
            actual_cost=to_money(self.actual_cost),
            campaign_code=code,
            assigned_to_id=self.assigned_to_id,
            comments=comments,
            id=self.id,
            version=self.version,
            created_at=self.created_at,
            modified_at=self.modified_at,
        )


@dataclass(frozen=True)
class TrackedOpportunity:
    """One row of the Tracking page: an opportunity the activity initiated."""

    id: int
    title: str
    link_name: str
    stage_name: str
    status: StageKind
    total: Decimal
    expected_revenue: Decimal
    close_date: date | None


@dataclass(frozen=True)
class TrackingFigures:
    """What an activity produced, summed over the opportunities it initiated."""

    count: int
    total_revenue: Decimal
    expected_revenue: Decimal
    won_revenue: Decimal
    actual_cost: Decimal

    @property
    def return_on_cost(self) -> Decimal | None:
        """(won revenue − actual cost) / actual cost as a fraction (0.25 is 25 %).

        ``None`` when nothing was spent: a return on zero cost has no meaning.
        """
        if self.actual_cost == 0:
            return None
        return (self.won_revenue - self.actual_cost) / self.actual_cost
