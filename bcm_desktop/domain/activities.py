"""Sales activities (S-5): the steps of a stage, and their state on one opportunity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # entities imports this module for Opportunity.activities
    from .entities import SalesStage

#: The ``settings`` key of "Set reminders for activities with a duration" (S-5.6).
ACTIVITY_REMINDERS_KEY = "stage_activity_reminders"
MAX_DURATION_DAYS = 3650
MAX_CLOSE_DATE_OFFSET_DAYS = 3650


@dataclass(frozen=True)
class StageActivity:
    """A sales activity of a stage: a template every opportunity in the stage gets."""

    id: int
    stage_id: int
    name: str
    position: int
    duration_days: int | None = None


@dataclass(frozen=True)
class StageWithActivities:
    """One stage of the Sales Stages editor with its activities in their order."""

    stage: SalesStage
    activities: list[StageActivity] = field(default_factory=list)


@dataclass(frozen=True)
class OpportunityActivity:
    """A sales activity as one opportunity has it: completed or not, due or not."""

    stage_activity_id: int
    name: str
    duration_days: int | None = None
    completed: bool = False
    due_date: date | None = None


@dataclass(frozen=True)
class StageDeletionImpact:
    """What deleting a stage will change: the confirmation's numbers."""

    opportunities: int
    activities: int


def due_date(entered: date | None, duration_days: int | None) -> date | None:
    """The day an activity is due: the day the record entered the stage plus the duration.

    No duration (or no entry date) means no due date.
    """
    if entered is None or duration_days is None:
        return None
    return entered + timedelta(days=duration_days)
