"""Bulk actions on a selection of opportunities (S-9, S-10): assign, close, categorize, delete.

Each action is one transaction and one set-based statement, so it holds every rule a single
edit holds: closed records are left alone and reported, probabilities follow Closed Won/Lost,
stage changes are written to the stage history. Assign, close and categorize return an undo
that puts back exactly the rows nobody has changed since.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ..domain.entities import Category
from ..domain.enums import StageKind
from ..domain.errors import ValidationError
from ..domain.listing import BulkResult, RecordSelection
from ..domain.validation import check_date, clean_text
from ..repository.bulk import Snapshot
from ..repository.unit_of_work import UnitOfWork
from .opportunities import closing_stage

UowFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class BulkOutcome:
    """The result of a bulk action and, when it changed something, how to undo it."""

    result: BulkResult
    undo: Callable[[], BulkResult] | None = None


def _now() -> datetime:
    return datetime.now(UTC)


class BulkActions:
    """Bulk use cases on behalf of ``user_id``."""

    def __init__(
        self,
        uow_factory: UowFactory,
        user_id: int | None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._uow = uow_factory
        self._user_id = user_id
        self._today = today

    def count(self, selection: RecordSelection) -> tuple[int, int]:
        """``(records, of which closed)`` in the selection, for confirmations."""
        with self._uow() as uow:
            return uow.bulk.counts(uow.bulk.target(selection))

    def assign(self, selection: RecordSelection, user_id: int | None) -> BulkOutcome:
        """Assign every open record of the selection to ``user_id`` (nobody is notified)."""
        with self._uow() as uow:
            if user_id is not None:
                user = uow.users.get(user_id)
                if not user.active:
                    raise ValidationError(f"{user.name} no longer shares this database.")
            target = uow.bulk.target(selection)
            total, closed = uow.bulk.counts(target)
            snapshot = uow.bulk.assign(target, user_id, _now())
            uow.commit()
        result = BulkResult(
            changed=len(snapshot.rows),
            skipped_closed=closed,
            skipped_unchanged=total - closed - len(snapshot.rows),
        )
        return BulkOutcome(result, self._undoer(snapshot) if snapshot.rows else None)

    def close(
        self,
        selection: RecordSelection,
        kind: StageKind,
        actual_close_date: date | None = None,
    ) -> BulkOutcome:
        """Close every open record of the selection as Won (100 %) or Lost (0 %)."""
        when = actual_close_date or self._today()
        check_date(when, "Actual close date", "actual_close_date")
        with self._uow() as uow:
            stage = closing_stage(uow, kind)
            target = uow.bulk.target(selection)
            _total, closed = uow.bulk.counts(target)
            snapshot = uow.bulk.close(
                target,
                stage.id,
                kind,
                when,
                self._user_id,
                _now(),
            )
            uow.commit()
        result = BulkResult(changed=len(snapshot.rows), skipped_closed=closed)
        return BulkOutcome(result, self._undoer(snapshot) if snapshot.rows else None)

    def categorize(self, selection: RecordSelection, category_id: int) -> BulkOutcome:
        """Add a category to every open record of the selection."""
        with self._uow() as uow:
            uow.categories.get(category_id)
            target = uow.bulk.target(selection)
            total, closed = uow.bulk.counts(target)
            ids = uow.bulk.categorize(target, category_id)
            uow.commit()
        result = BulkResult(
            changed=len(ids),
            skipped_closed=closed,
            skipped_unchanged=total - closed - len(ids),
        )

        def undo() -> BulkResult:
            with self._uow() as uow:
                uow.bulk.remove_category(ids, category_id)
                uow.commit()
            return BulkResult(changed=len(ids))

        return BulkOutcome(result, undo if ids else None)

    def delete(self, selection: RecordSelection) -> BulkOutcome:
        """Move every record of the selection, with its lines, activities and history, to
        Deleted Items; the undo restores them from there."""
        now = _now()
        with self._uow() as uow:
            target = uow.bulk.target(selection)
            uow.deleted.archive_opportunities(target, self._user_id, now)
            deleted = uow.bulk.delete(target)
            uow.commit()

        def undo() -> BulkResult:
            with self._uow() as uow:
                ids = uow.deleted.ids_deleted_at(now)
                blocked = uow.deleted.blocked(ids)
                restorable = sorted(set(ids) - {item.id for item in blocked})
                restored = uow.deleted.restore(restorable)
                uow.commit()
            return BulkResult(changed=restored, skipped_conflict=len(ids) - restored)

        return BulkOutcome(BulkResult(changed=deleted), undo if deleted else None)

    def categories(self) -> list[Category]:
        with self._uow() as uow:
            return uow.categories.all()

    def add_category(self, name: str) -> Category:
        name = clean_text(name, "Category name", "name", required=True)
        with self._uow() as uow:
            if uow.categories.by_name(name) is not None:
                raise ValidationError(f"A category named “{name}” already exists.", "name")
            category = uow.categories.add(name)
            uow.commit()
        return category

    def _undoer(self, snapshot: Snapshot) -> Callable[[], BulkResult]:
        def undo() -> BulkResult:
            with self._uow() as uow:
                restored, skipped = uow.bulk.restore(snapshot, _now())
                uow.commit()
            return BulkResult(changed=restored, skipped_conflict=skipped)

        return undo
