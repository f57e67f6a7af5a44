"""Marketing activity use cases: create, edit and delete activities, and read their Tracking page.

Every method is one transaction. A refusal raises a ``DomainError`` a user can read and leaves
the database as it was. An opportunity's Initiated by may name a marketing activity (S-3); the
activity's Tracking page counts and sums those opportunities with SQL aggregates, so it stays
fast however many opportunities an activity produced.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from ..domain.enums import ListKind, MarketingStatus
from ..domain.errors import NotFoundError, ValidationError
from ..domain.marketing import MarketingActivity, TrackedOpportunity, TrackingFigures
from ..repository.deleted_items import MARKETING_KIND
from ..repository.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]

TRACKING_LIMIT = 1000  # rows the Tracking page reads at once; the figures always count all


class MarketingService:
    """Use cases on marketing activities, on behalf of ``user_id`` (who deleted one)."""

    def __init__(self, uow_factory: UowFactory, user_id: int | None = None) -> None:
        self._uow = uow_factory
        self._user_id = user_id

    # -- reading -------------------------------------------------------------------------

    @staticmethod
    def new() -> MarketingActivity:
        """An empty, unsaved activity: planned, no costs."""
        return MarketingActivity(name="", status=MarketingStatus.PLANNED)

    def get(self, activity_id: int) -> MarketingActivity:
        with self._uow() as uow:
            return uow.marketing.get(activity_id)

    def initiated_count(self, activity_id: int) -> int:
        """How many opportunities this activity initiated (asked before deleting it)."""
        with self._uow() as uow:
            return uow.marketing.initiated_count(activity_id)

    def figures(self, activity_id: int) -> TrackingFigures:
        """The Tracking page's figures: count, total, expected and won revenue, cost."""
        with self._uow() as uow:
            return uow.marketing.figures(activity_id)

    def tracked(
        self, activity_id: int, limit: int = TRACKING_LIMIT, offset: int = 0
    ) -> list[TrackedOpportunity]:
        """The opportunities whose Initiated by is this activity, by close date."""
        with self._uow() as uow:
            return uow.marketing.tracked(activity_id, limit, offset)

    # -- writing -------------------------------------------------------------------------

    def create(self, activity: MarketingActivity) -> MarketingActivity:
        """Save a new activity and return it as stored (with id and version)."""
        item = replace(activity.validated(), id=None, version=0)
        with self._uow() as uow:
            self._check_references(uow, item)
            stored = uow.marketing.add(item)
            uow.commit()
            return stored

    def update(self, activity: MarketingActivity) -> MarketingActivity:
        """Save ``activity`` over the stored one.

        Raises ``ConflictError`` when someone else saved it after ``activity.version`` was
        read, and ``NotFoundError`` when it was deleted.
        """
        if activity.id is None:
            raise NotFoundError("This marketing activity has not been saved yet.")
        item = activity.validated()
        with self._uow() as uow:
            self._check_references(uow, item, uow.marketing.get(activity.id).assigned_to_id)
            stored = uow.marketing.update(item)
            uow.commit()
            return stored

    def delete(self, activity_id: int, version: int) -> int:
        """Move an activity to Deleted Items. Its opportunities are kept with Initiated by
        cleared; Restore sets it back on those whose Initiated by is still empty.

        Returns how many opportunities were changed; ask the user first with
        :meth:`initiated_count`.
        """
        with self._uow() as uow:
            uow.deleted.archive(MARKETING_KIND, [activity_id], self._user_id, datetime.now(UTC))
            cleared = uow.marketing.delete(activity_id, version)
            uow.commit()
            return cleared

    def delete_many(self, chosen: list[tuple[int, int]]) -> int:
        """Move the activities ``(id, version)`` (a workspace selection) to Deleted Items in
        one transaction, one entry each, as :meth:`delete` does; how many opportunities were
        changed.

        All or nothing: when one of them was changed or deleted elsewhere since it was read,
        ``ConflictError`` or ``NotFoundError`` is raised and none is deleted.
        """
        cleared = 0
        with self._uow() as uow:
            ids = [activity_id for activity_id, _version in chosen]
            uow.deleted.archive(MARKETING_KIND, ids, self._user_id, datetime.now(UTC))
            for activity_id, version in chosen:
                cleared += uow.marketing.delete(activity_id, version)
            uow.commit()
        return cleared

    # -- rules ---------------------------------------------------------------------------

    @staticmethod
    def _check_references(
        uow: UnitOfWork, item: MarketingActivity, stored_assignee: int | None = None
    ) -> None:
        if (
            item.type_id is not None
            and uow.lists.kind_of(item.type_id) is not ListKind.MARKETING_TYPE
        ):
            raise ValidationError(
                "Type: that entry is no longer in the list of marketing activity types. "
                "Choose another type.",
                "type_id",
            )
        # A removed user keeps what was assigned to them, but is given nothing new.
        if item.assigned_to_id is not None and item.assigned_to_id != stored_assignee:
            try:
                user = uow.users.get(item.assigned_to_id)
            except NotFoundError:
                user = None
            if user is None or not user.active:
                raise ValidationError(
                    "Assigned to: that person is no longer a user of this database. "
                    "Choose someone else.",
                    "assigned_to",
                )
