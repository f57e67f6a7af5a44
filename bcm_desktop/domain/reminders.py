"""Reminders (S-3 Reminder, S-5.6): what comes due, and how long a reminder may be snoozed.

Three sources give reminders, each to the user a record is assigned to:

- an opportunity's Reminder check box and date and time (``opportunities.reminder_at``);
- a task's reminder (``history_items.reminder_at``);
- a sales activity with a duration, while the owner has reminders for activities turned on:
  it is due at the start (local midnight) of its due day, the day the record entered its
  stage plus the duration, exactly when the form's Reminder column turns to "Due today".

A reminder is identified by its :class:`ReminderKey`, which includes the time it is due:
dismissing one is final, but a record given another reminder time has a new reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from .errors import ValidationError

#: The most reminders the Reminders window lists at once (the newest due first).
MAX_REMINDERS = 200
MIN_SNOOZE = timedelta(minutes=5)
MAX_SNOOZE = timedelta(days=1)


class ReminderKind(StrEnum):
    OPPORTUNITY = "opportunity"
    ACTIVITY = "activity"
    TASK = "task"


@dataclass(frozen=True)
class ReminderKey:
    """What a dismissed or snoozed state is stored against.

    ``source_id`` is the opportunity (opportunity), the history item (task) or the stage
    activity (activity); ``record_id`` is the opportunity of an activity and 0 otherwise.
    """

    kind: ReminderKind
    source_id: int
    record_id: int
    due_at: datetime


@dataclass(frozen=True)
class Reminder:
    """One due reminder as the Reminders window lists it.

    ``opportunity_id`` is the record Open Item opens (for a task: the opportunity it is
    linked to, if any; the task itself opens by ``source_id``). ``regarding`` names that
    opportunity for an activity or a task. ``entered_at`` and ``duration_days`` say what an
    activity's due time was computed from, so its state matches only while they hold.
    """

    kind: ReminderKind
    source_id: int
    opportunity_id: int | None
    subject: str
    due_at: datetime
    regarding: str = ""
    entered_at: datetime | None = None
    duration_days: int | None = None

    @property
    def key(self) -> ReminderKey:
        record = (self.opportunity_id or 0) if self.kind is ReminderKind.ACTIVITY else 0
        return ReminderKey(self.kind, self.source_id, record, self.due_at)


def check_snooze(delay: timedelta) -> timedelta:
    """A snooze delay from 5 minutes to 1 day; anything else is refused."""
    if not isinstance(delay, timedelta):
        raise ValidationError("Choose how long to snooze the reminder for.", "snooze")
    if not MIN_SNOOZE <= delay <= MAX_SNOOZE:
        raise ValidationError(
            "A reminder can be snoozed for 5 minutes to 1 day, "
            f"not {_describe(delay)}. Choose another time.",
            "snooze",
        )
    return delay


def _describe(delay: timedelta) -> str:
    seconds = int(delay.total_seconds())
    if seconds % 86_400 == 0 and seconds:
        return f"{seconds // 86_400} day(s)"
    if seconds % 3600 == 0 and seconds:
        return f"{seconds // 3600} hour(s)"
    if seconds % 60 == 0:
        return f"{seconds // 60} minute(s)"
    return f"{seconds} second(s)"


def local_midnight(day: date) -> datetime:
    """The start of ``day`` on this computer's clock, as an aware UTC time."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def activity_due_at(entered_at: datetime, duration_days: int) -> datetime:
    """When an activity's reminder is due: the start of the day the record entered its stage
    (a local calendar day, as the form counts it) plus the duration."""
    return local_midnight(entered_at.astimezone().date() + timedelta(days=duration_days))


def activity_entered_before(now: datetime, duration_days: int) -> datetime:
    """The instant before which a record must have entered its stage for an activity of
    ``duration_days`` to be due at ``now``: due day ≤ today ⇔ entry day ≤ today − duration."""
    today = now.astimezone().date()
    return local_midnight(today - timedelta(days=duration_days - 1))


def activity_entered_from(due_from: datetime, duration_days: int) -> datetime:
    """The earliest stage entry for which an activity of ``duration_days`` is due at or
    after ``due_from``: due day ≥ the first day starting at or after ``due_from``."""
    local = due_from.astimezone()
    first_day = local.date()
    if local_midnight(first_day) < due_from:
        first_day += timedelta(days=1)
    return local_midnight(first_day - timedelta(days=duration_days))
