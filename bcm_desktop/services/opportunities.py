"""Opportunity use cases: create, read, update, close, reopen and delete, with S-1/S-3 rules.

Every method is one transaction. A method that refuses raises a ``DomainError`` whose message
a user can read, and leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from ..domain.activities import ACTIVITY_REMINDERS_KEY, OpportunityActivity
from ..domain.entities import (
    Category,
    Opportunity,
    SalesStage,
    StageChange,
    probability_for_stage,
)
from ..domain.enums import ListKind, StageKind
from ..domain.errors import ClosedRecordError, NotFoundError, ValidationError
from ..repository.repositories import check_version
from ..repository.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]

_LIST_FIELDS = (
    ("type_id", ListKind.TYPE, "Type"),
    ("payment_terms_id", ListKind.PAYMENT_TERMS, "Payment terms"),
    ("source_id", ListKind.SOURCE, "Source"),
)


def _now() -> datetime:
    return datetime.now(UTC)


def closed_message(opp: Opportunity) -> str:
    state = "Closed Won" if opp.status is StageKind.WON else "Closed Lost"
    return f"“{opp.title}” is {state} and read-only. Reopen it to make changes."


def closing_stage(uow: UnitOfWork, kind: StageKind) -> SalesStage:
    """The Closed Won or Closed Lost stage that ``kind`` asks for (S-10)."""
    if not kind.is_closed:
        raise ValidationError("Choose Closed Won or Closed Lost to close an opportunity.")
    stage = uow.stages.of_kind(kind)
    if stage is None:
        raise NotFoundError("This database has no Closed Won/Closed Lost stage.")
    return stage


class OpportunityService:
    """Use cases on opportunities, performed on behalf of ``user_id``."""

    def __init__(
        self,
        uow_factory: UowFactory,
        user_id: int | None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._uow = uow_factory
        self._user_id = user_id
        self._today = today

    @property
    def user_id(self) -> int | None:
        """The user the service acts for (the organizer of meeting requests)."""
        return self._user_id

    # -- reading -------------------------------------------------------------------------

    def new(self) -> Opportunity:
        """An unsaved opportunity with the defaults a new form shows."""
        with self._uow() as uow:
            stage = uow.stages.default()
            activities = self._stage_activities(uow, None, stage.id if stage else None)
        offset = stage.close_date_offset_days if stage else None
        return Opportunity(
            title="",
            link=None,
            stage_id=stage.id if stage else None,
            probability=(stage.default_probability or 0) if stage else 0,
            close_date=None if offset is None else self._today() + timedelta(days=offset),
            assigned_to_id=self._user_id,
            activities=activities,
        )

    def activities_for_stage(
        self, opportunity_id: int | None, stage_id: int | None
    ) -> list[OpportunityActivity]:
        """The activities record ``opportunity_id`` (``None``: a new one) gets on entering
        ``stage_id`` today: what it completed there before stays completed (S-5)."""
        with self._uow() as uow:
            return self._stage_activities(uow, opportunity_id, stage_id)

    def activity_reminders(self) -> bool:
        """Whether activities with a duration show a reminder (the owner's S-5.6 setting)."""
        with self._uow() as uow:
            return uow.settings.get(ACTIVITY_REMINDERS_KEY, "0") == "1"

    def _stage_activities(
        self, uow: UnitOfWork, opportunity_id: int | None, stage_id: int | None
    ) -> list[OpportunityActivity]:
        return uow.opportunity_activities.for_stage(opportunity_id, stage_id, self._today())

    def get(self, opportunity_id: int) -> Opportunity:
        with self._uow() as uow:
            return uow.opportunities.get(opportunity_id)

    def categories(self, opportunity_id: int) -> list[Category]:
        with self._uow() as uow:
            return uow.categories.of_opportunity(opportunity_id)

    def set_categories(self, opportunity_id: int, category_ids: list[int]) -> list[Category]:
        """Replace the record's categories (Categorize on the form). Closed records refuse."""
        with self._uow() as uow:
            stored = uow.opportunities.get(opportunity_id)
            if stored.is_closed:
                raise ClosedRecordError(closed_message(stored))
            for category_id in category_ids:
                uow.categories.get(category_id)
            uow.categories.set_for_opportunity(opportunity_id, category_ids)
            uow.commit()
            return uow.categories.of_opportunity(opportunity_id)

    def stage_history(self, opportunity_id: int) -> list[StageChange]:
        with self._uow() as uow:
            return uow.stage_history.for_opportunity(opportunity_id)

    # -- writing -------------------------------------------------------------------------

    def create(self, draft: Opportunity) -> Opportunity:
        """Save a new opportunity and return it as stored (with id and version)."""
        opp = replace(draft, id=None, version=0, lines=list(draft.lines))
        opp.validate()
        self._check_expiration(opp, None)
        with self._uow() as uow:
            link_name = self._check_references(uow, opp)
            stage = uow.stages.get(opp.stage_id) if opp.stage_id is not None else None
            self._enter_stage(opp, stage)
            new_id = uow.opportunities.add(opp, link_name)
            if stage is not None:
                uow.stage_history.add(new_id, None, stage, self._user_id, "created")
            uow.commit()
            return uow.opportunities.get(new_id)

    def update(self, changed: Opportunity) -> Opportunity:
        """Save ``changed`` over the stored record.

        Raises ``ConflictError`` when someone else saved the record after ``changed.version``
        was read, and ``ClosedRecordError`` when the stored record is closed.
        """
        if changed.id is None:
            raise NotFoundError("This opportunity has not been saved yet.")
        opp = replace(changed, lines=list(changed.lines))
        opp.validate()
        with self._uow() as uow:
            stored = uow.opportunities.get(opp.id)  # type: ignore[arg-type]
            # Changed elsewhere first: a record closed meanwhile is a conflict the form shows
            # (and reloads), not a refusal it cannot get past without closing the window.
            check_version(stored.title, stored.version, opp.version)
            if stored.is_closed:
                raise ClosedRecordError(closed_message(stored))
            self._check_expiration(opp, stored)
            link_name = self._check_references(uow, opp, stored.assigned_to_id)
            opp.status = stored.status
            opp.stage_entered_at = stored.stage_entered_at
            opp.actual_close_date = changed.actual_close_date
            if opp.stage_id != stored.stage_id:
                old = uow.stages.get(stored.stage_id) if stored.stage_id is not None else None
                new = uow.stages.get(opp.stage_id) if opp.stage_id is not None else None
                self._enter_stage(opp, new)
                uow.stage_history.add(opp.id, old, new, self._user_id)  # type: ignore[arg-type]
            else:
                opp.actual_close_date = None  # it stays open: only closing dates it
            uow.opportunities.update(opp, link_name)
            uow.commit()
            return uow.opportunities.get(opp.id)  # type: ignore[arg-type]

    def close(
        self,
        opportunity_id: int,
        kind: StageKind,
        expected_version: int,
        actual_close_date: date | None = None,
    ) -> Opportunity:
        """Mark an opportunity Closed Won or Closed Lost (S-10)."""
        with self._uow() as uow:
            stage = closing_stage(uow, kind)
            stored = uow.opportunities.get(opportunity_id)
            check_version(stored.title, stored.version, expected_version)
            if stored.is_closed:
                raise ClosedRecordError(closed_message(stored))
            old = uow.stages.get(stored.stage_id) if stored.stage_id is not None else None
            stored.stage_id = stage.id
            stored.actual_close_date = actual_close_date
            self._enter_stage(stored, stage)
            uow.stage_history.add(opportunity_id, old, stage, self._user_id)
            uow.opportunities.update(stored, self._link_name(uow, stored))
            uow.commit()
            return uow.opportunities.get(opportunity_id)

    def reopen(
        self, opportunity_id: int, expected_version: int, stage_id: int | None = None
    ) -> Opportunity:
        """Make a closed opportunity editable again, in ``stage_id`` or the stage it was in
        before it closed; the reopening is written to its stage history."""
        with self._uow() as uow:
            stored = uow.opportunities.get(opportunity_id)
            check_version(stored.title, stored.version, expected_version)
            if not stored.is_closed:
                raise ValidationError(f"“{stored.title}” is not closed.")
            target = self._reopen_stage(uow, stored, stage_id)
            old = uow.stages.get(stored.stage_id) if stored.stage_id is not None else None
            stored.stage_id = target.id if target else None
            stored.actual_close_date = None
            stored.status = StageKind.OPEN
            stored.stage_entered_at = _now()
            if target is not None and target.default_probability is not None:
                stored.probability = target.default_probability
            uow.stage_history.add(opportunity_id, old, target, self._user_id, "reopened")
            uow.opportunities.update(stored, self._link_name(uow, stored))
            uow.commit()
            return uow.opportunities.get(opportunity_id)

    def delete(self, opportunity_id: int, expected_version: int) -> None:
        """Move the opportunity, with everything that goes with it, to Deleted Items."""
        with self._uow() as uow:
            uow.deleted.archive_opportunity(opportunity_id, self._user_id, _now())
            uow.opportunities.delete(opportunity_id, expected_version)
            uow.commit()

    # -- rules ---------------------------------------------------------------------------

    def _check_expiration(self, opp: Opportunity, stored: Opportunity | None) -> None:
        """An offer cannot be made to expire in the past (S-3). Only a date the user sets or
        changes is checked: an offer that has since expired still lets other edits save."""
        expiration = opp.expiration_date
        if expiration is None or (stored is not None and expiration == stored.expiration_date):
            return
        if expiration < self._today():
            raise ValidationError(
                "The expiration date of the offer cannot be before today. "
                "Choose today or a later date, or leave it empty.",
                "expiration_date",
            )

    def _enter_stage(self, opp: Opportunity, stage: SalesStage | None) -> None:
        """Apply what entering ``stage`` means: status, probability, close date (S-3, S-10)."""
        opp.stage_entered_at = _now()
        if stage is None:
            opp.status = StageKind.OPEN
            return
        opp.status = stage.kind
        opp.probability = probability_for_stage(stage.kind, opp.probability)
        if stage.is_closed:
            if opp.actual_close_date is None:
                opp.actual_close_date = self._today()
        else:
            opp.actual_close_date = None

    def _reopen_stage(
        self, uow: UnitOfWork, opp: Opportunity, stage_id: int | None
    ) -> SalesStage | None:
        if stage_id is not None:
            stage = uow.stages.get(stage_id)
            if stage.is_closed:
                raise ValidationError("Reopen into an open stage, not a closed one.", "stage")
            return stage
        assert opp.id is not None
        for change in reversed(uow.stage_history.for_opportunity(opp.id)):
            if change.from_stage_id is not None and change.to_stage_id == opp.stage_id:
                try:
                    previous = uow.stages.get(change.from_stage_id)
                except NotFoundError:
                    break
                if not previous.is_closed:
                    return previous
                break
        return uow.stages.default()

    def _link_name(self, uow: UnitOfWork, opp: Opportunity) -> str:
        assert opp.link is not None
        return uow.records.link_name(opp.link)

    def _check_references(
        self, uow: UnitOfWork, opp: Opportunity, stored_assignee: int | None = None
    ) -> str:
        """Check every reference exists; return the linked record's display name.

        A removed user cannot be given records, but a record already assigned to them
        keeps showing who it was assigned to and can still be edited (``stored_assignee``).
        """
        link_name = self._link_name(uow, opp)
        if opp.assigned_to_id is not None and opp.assigned_to_id != stored_assignee:
            user = uow.users.get(opp.assigned_to_id)
            if not user.active:
                raise ValidationError(
                    f"{user.name} no longer shares this database; assign it to someone else.",
                    "assigned_to",
                )
        for field, kind, label in _LIST_FIELDS:
            item_id = getattr(opp, field)
            if item_id is not None and uow.lists.kind_of(item_id) is not kind:
                raise ValidationError(
                    f"The chosen {label.lower()} no longer exists. Choose another.", field
                )
        if opp.stage_id is not None:
            uow.stages.get(opp.stage_id)
        if opp.initiated_by is not None and not uow.records.initiator_exists(opp.initiated_by):
            raise ValidationError(
                "The record in Initiated by no longer exists. Choose another.", "initiated_by"
            )
        return link_name
