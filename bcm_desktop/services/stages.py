"""Sales stages and their activities (S-5): the use cases of the Sales Stages editor.

Only the database owner may change stages and activities: every changing method checks the
acting user in the same transaction as the change, so the rule holds for the editor, a
script or a second user on a shared database alike. Reading is open to everyone (forms
need the stages and their activities).

Decisions where BCM's text is silent:

- "Blank" stage: ``opportunities.stage_id`` is nullable, so records of a stage deleted
  without a replacement keep no stage (``NULL``); the form shows an empty Sales stage. Their
  stage history gets a row "stage deleted" with the stage's name copied, so it still reads
  right. Records moved to a replacement enter it now (its activities are due from today).
- Deleting the default stage makes the replacement the default; without one there is none.
- Closed Won and Closed Lost stay the last two stages: they cannot be renamed, edited,
  moved, deleted, made the default or given activities.
- "Set reminders for activities with a duration" is one database-wide setting
  (``settings`` key :data:`~bcm_desktop.domain.activities.ACTIVITY_REMINDERS_KEY`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from ..domain.activities import (
    ACTIVITY_REMINDERS_KEY,
    MAX_CLOSE_DATE_OFFSET_DAYS,
    MAX_DURATION_DAYS,
    StageActivity,
    StageDeletionImpact,
    StageWithActivities,
)
from ..domain.entities import SalesStage
from ..domain.errors import ValidationError
from ..domain.validation import check_percent, clean_text
from ..repository.unit_of_work import UnitOfWork
from .ownership import is_acting_owner, require_owner

UowFactory = Callable[[], UnitOfWork]

OWNER_ONLY = "Only the database owner can change sales stages and activities."
CLOSED_LOCKED = "Closed Won and Closed Lost are built in: they cannot be changed, moved or deleted."


def _days(value: int | None, label: str, field: str, maximum: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{label} must be a whole number of days.", field)
    if not 0 <= value <= maximum:
        raise ValidationError(f"{label} must be from 0 to {maximum:,} days, not {value}.", field)
    return value


class StageService:
    """The Sales Stages editor's use cases, performed on behalf of ``user_id``."""

    def __init__(
        self,
        uow_factory: UowFactory,
        user_id: int | None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._uow = uow_factory
        self._user_id = user_id
        self._now = now

    # -- reading -------------------------------------------------------------------------

    def is_owner(self) -> bool:
        """Whether the acting user may change stages (the editor greys out otherwise)."""
        with self._uow() as uow:
            return is_acting_owner(uow, self._user_id)

    def stages(self) -> list[StageWithActivities]:
        """Every stage in order (closed ones last), each with its activities in order."""
        with self._uow() as uow:
            return uow.stage_editing.all_with_activities()

    def reminders_enabled(self) -> bool:
        with self._uow() as uow:
            return uow.settings.get(ACTIVITY_REMINDERS_KEY, "0") == "1"

    def deletion_impact(self, stage_id: int) -> StageDeletionImpact:
        """How many records and activities deleting ``stage_id`` changes (the confirmation)."""
        with self._uow() as uow:
            return uow.stage_editing.deletion_impact(stage_id)

    def activity_usage(self, activity_id: int) -> int:
        """How many records show the activity (they lose it when it is deleted)."""
        with self._uow() as uow:
            return uow.stage_editing.activity_usage(activity_id)

    # -- rules ---------------------------------------------------------------------------

    def _check_owner(self, uow: UnitOfWork) -> None:
        require_owner(uow, self._user_id, OWNER_ONLY)

    def _open_stage(self, uow: UnitOfWork, stage_id: int) -> SalesStage:
        stage = uow.stages.get(stage_id)
        if stage.is_closed:
            raise ValidationError(CLOSED_LOCKED, "stage")
        return stage

    def _stage_name(self, uow: UnitOfWork, name: str, stage_id: int | None = None) -> str:
        clean = clean_text(name, "Stage name", "name", required=True)
        other = uow.stage_editing.by_name(clean)
        if other is not None and other.id != stage_id:
            raise ValidationError(f"A sales stage named “{clean}” already exists.", "name")
        return clean

    def _stage_defaults(
        self, probability: int | None, offset: int | None
    ) -> tuple[int | None, int | None]:
        if probability is not None:
            check_percent(probability, "Default probability", "default_probability")
        return probability, _days(
            offset, "Close date offset", "close_date_offset_days", MAX_CLOSE_DATE_OFFSET_DAYS
        )

    # -- writing: stages -----------------------------------------------------------------

    def add_stage(
        self,
        name: str,
        default_probability: int | None = None,
        close_date_offset_days: int | None = None,
    ) -> SalesStage:
        """Add an open stage, placed above Closed Won and Closed Lost."""
        probability, offset = self._stage_defaults(default_probability, close_date_offset_days)
        with self._uow() as uow:
            self._check_owner(uow)
            clean = self._stage_name(uow, name)
            stage = uow.stage_editing.add_stage(clean)
            if probability is not None or offset is not None:
                stage = uow.stage_editing.update_stage(stage.id, clean, probability, offset)
            uow.commit()
            return stage

    def edit_stage(
        self,
        stage_id: int,
        name: str,
        default_probability: int | None = None,
        close_date_offset_days: int | None = None,
    ) -> SalesStage:
        """Rename a stage and set its default probability (0–100) and close-date offset."""
        probability, offset = self._stage_defaults(default_probability, close_date_offset_days)
        with self._uow() as uow:
            self._check_owner(uow)
            self._open_stage(uow, stage_id)
            stage = uow.stage_editing.update_stage(
                stage_id, self._stage_name(uow, name, stage_id), probability, offset
            )
            uow.commit()
            return stage

    def move_stage(self, stage_id: int, delta: int) -> bool:
        """Move an open stage up (``-1``) or down (``+1``) with its activities.

        False when it is already first, or last above the closed stages.
        """
        with self._uow() as uow:
            self._check_owner(uow)
            self._open_stage(uow, stage_id)
            moved = uow.stage_editing.move_stage(stage_id, delta)
            uow.commit()
            return moved

    def set_default(self, stage_id: int | None) -> None:
        """Make ``stage_id`` the default stage of new records; ``None`` clears the default."""
        with self._uow() as uow:
            self._check_owner(uow)
            if stage_id is not None:
                stage = uow.stages.get(stage_id)
                if stage.is_closed:
                    raise ValidationError(
                        "A new opportunity cannot start closed: choose an open stage.", "stage"
                    )
            uow.stage_editing.set_default(stage_id)
            uow.commit()

    def delete_stage(
        self, stage_id: int, replacement_id: int | None = None, move_activities: bool = False
    ) -> StageDeletionImpact:
        """Delete a stage (S-5.8); its records get ``replacement_id`` or no stage.

        With a replacement and ``move_activities`` the stage's activities go to the top of the
        replacement's list, in their order; otherwise they are deleted with the stage, and
        every record's row of them too. Returns what changed.
        """
        with self._uow() as uow:
            self._check_owner(uow)
            self._open_stage(uow, stage_id)
            if replacement_id is not None:
                if replacement_id == stage_id:
                    raise ValidationError(
                        "A stage cannot replace itself: choose another stage or none.",
                        "replacement",
                    )
                replacement = uow.stages.get(replacement_id)
                if replacement.is_closed:
                    raise ValidationError(
                        "Replace the stage with an open stage, not Closed Won or Closed Lost.",
                        "replacement",
                    )
            elif move_activities:
                raise ValidationError(
                    "Choose a replacement stage to move the activities to.", "replacement"
                )
            impact = uow.stage_editing.delete_stage(
                stage_id, replacement_id, move_activities, self._user_id, self._now()
            )
            uow.commit()
            return impact

    # -- writing: activities -------------------------------------------------------------

    def add_activity(
        self, stage_id: int, name: str, duration_days: int | None = None
    ) -> StageActivity:
        """Add an activity at the end of an open stage's list."""
        clean = clean_text(name, "Activity name", "name", required=True)
        duration = _days(duration_days, "Duration", "duration_days", MAX_DURATION_DAYS)
        with self._uow() as uow:
            self._check_owner(uow)
            self._open_stage(uow, stage_id)
            activity = uow.stage_editing.add_activity(stage_id, clean, duration)
            uow.commit()
            return activity

    def edit_activity(
        self, activity_id: int, name: str, duration_days: int | None = None
    ) -> StageActivity:
        """Rename an activity and set its duration in days (``None``: no duration)."""
        clean = clean_text(name, "Activity name", "name", required=True)
        duration = _days(duration_days, "Duration", "duration_days", MAX_DURATION_DAYS)
        with self._uow() as uow:
            self._check_owner(uow)
            uow.stage_editing.activity(activity_id)
            activity = uow.stage_editing.update_activity(activity_id, clean, duration)
            uow.commit()
            return activity

    def move_activity(self, activity_id: int, delta: int) -> bool:
        """Move an activity up or down within its stage; False at either end."""
        with self._uow() as uow:
            self._check_owner(uow)
            moved = uow.stage_editing.move_activity(activity_id, delta)
            uow.commit()
            return moved

    def delete_activity(self, activity_id: int) -> None:
        """Delete an activity from its stage and from every record, completed or not."""
        with self._uow() as uow:
            self._check_owner(uow)
            uow.stage_editing.delete_activity(activity_id)
            uow.commit()

    # -- writing: settings ---------------------------------------------------------------

    def set_reminders(self, enabled: bool) -> None:
        """Turn reminders for every activity with a duration on or off (S-5.6)."""
        with self._uow() as uow:
            self._check_owner(uow)
            uow.settings.set(ACTIVITY_REMINDERS_KEY, "1" if enabled else "0")
            uow.commit()
