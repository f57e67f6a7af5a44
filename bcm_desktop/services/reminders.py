"""Reminders of one user: what is due, and dismissing or snoozing it (S-3 Reminder, S-5.6).

Decisions where BCM's text is silent:

- A user is reminded of the records assigned to them: opportunities and tasks. Closed Won
  and Closed Lost opportunities, completed tasks and completed activities never remind.
- Activities remind only while the owner's "Set reminders for activities with a duration"
  is on; each is due at the start of its due day (see ``domain/reminders.py``).
- Dismissed and snoozed states are stored in the database per user, so they survive a
  restart. On a read-only database they cannot be stored: they are then kept in memory for
  the session, silently (the user asked for nothing that could fail).
- The list holds the newest :data:`~bcm_desktop.domain.reminders.MAX_REMINDERS` due
  reminders; dismissing some brings older ones in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from ..domain.activities import ACTIVITY_REMINDERS_KEY
from ..domain.errors import ReadOnlyDatabaseError
from ..domain.reminders import MAX_REMINDERS, Reminder, ReminderKey, check_snooze
from ..repository.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]


def as_utc(moment: datetime) -> datetime:
    """An aware UTC time; a naive one is taken as this computer's local time."""
    return moment.astimezone(UTC)


class ReminderService:
    """The Reminders window's use cases for ``user_id``; ``clock`` tells the time.

    ``clock`` may return naive local times (``datetime.now``, the default) or aware ones.
    """

    def __init__(
        self,
        uow_factory: UowFactory,
        user_id: int,
        clock: Callable[[], datetime] = datetime.now,
        limit: int = MAX_REMINDERS,
    ) -> None:
        self._uow = uow_factory
        self._user_id = user_id
        self._clock = clock
        self.limit = limit
        # Dismissed (None) or snoozed-until states that a read-only database refused.
        self._in_memory: dict[ReminderKey, datetime | None] = {}

    def now(self) -> datetime:
        """The service's clock as an aware UTC time."""
        return as_utc(self._clock())

    def due(self, now: datetime | None = None) -> list[Reminder]:
        """Reminders due at or before ``now`` (default: the clock), newest due first,
        without those dismissed or snoozed past ``now``."""
        moment = self.now() if now is None else as_utc(now)
        # Ask for as many more as the session hides in memory, so the newest ``self.limit``
        # remain after those are taken out.
        limit = self.limit + len(self._in_memory)
        with self._uow() as uow:
            repository = uow.reminders
            found = repository.due_opportunities(self._user_id, moment, limit)
            found += repository.due_tasks(self._user_id, moment, limit)
            if uow.settings.get(ACTIVITY_REMINDERS_KEY, "0") == "1":
                # Activities due before the newest ``limit`` found so far cannot make the list.
                newest = sorted((r.due_at for r in found), reverse=True)
                not_before = newest[limit - 1] if len(newest) >= limit else None
                found += repository.due_activities(self._user_id, moment, limit, not_before)
        shown = [r for r in found if not self._hidden_in_memory(r.key, moment)]
        shown.sort(key=lambda r: (r.due_at, r.kind.value, r.source_id), reverse=True)
        return shown[: self.limit]

    def dismiss_all(self, reminders: Sequence[Reminder]) -> None:
        """Dismiss every one of ``reminders`` for good, in one transaction: none comes back
        (a new reminder time on the record is a new reminder)."""
        self._save(reminders, None)

    def snooze_all(self, reminders: Sequence[Reminder], delay: timedelta) -> datetime:
        """Hide every one of ``reminders`` for ``delay`` (5 minutes to 1 day), in one
        transaction; returns when they come back."""
        check_snooze(delay)
        until = self.now() + delay
        self._save(reminders, until)
        return until

    # -- helpers -----------------------------------------------------------------------------

    def _hidden_in_memory(self, key: ReminderKey, now: datetime) -> bool:
        if key not in self._in_memory:
            return False
        until = self._in_memory[key]
        return until is None or until > now

    def _save(self, reminders: Sequence[Reminder], snoozed_until: datetime | None) -> None:
        """Store the state (dismissed when ``snoozed_until`` is None) of ``reminders``."""
        if not reminders:
            return
        now = self.now()
        try:
            with self._uow() as uow:
                for reminder in reminders:
                    uow.reminders.save_state(
                        self._user_id,
                        reminder,
                        dismissed=snoozed_until is None,
                        snoozed_until=snoozed_until,
                        now=now,
                    )
                uow.commit()
        except ReadOnlyDatabaseError:
            for reminder in reminders:
                self._in_memory[reminder.key] = snoozed_until
