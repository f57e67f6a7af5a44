"""Deleted Items use cases: list, restore, and (database owner only) delete permanently.

Deleting an opportunity, alone or in bulk, moves it here with every row that goes with it
(see :mod:`bcm_desktop.repository.deleted_items`); Restore puts it back with its original ids.
Deleting an account or business contact moves it here as one entry with its categories,
history and opportunities; Restore puts all of it back (under a new id if its number was
taken again meanwhile) and gives its contacts their account again. Business projects (with
their tasks, related-record links and history), single project tasks, marketing activities
and communication history items (with their files) are entries too; a marketing activity
restored becomes Initiated by again of its opportunities that still have none.
An item whose id was taken again, or whose linked account or business contact was deleted, is
not restored and stays listed: an opportunity must keep exactly one link (S-1), so restoring
it without one would make a record the rest of the program refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..domain.errors import NotFoundError, ValidationError
from ..repository.deleted_items import (
    HISTORY_PREFIX,
    MARKETING_KIND,
    OPPORTUNITY_KIND,
    PROJECT_KIND,
    SIDES,
    TASK_KIND,
    Blocked,
    DeletedItemRecord,
)
from ..repository.unit_of_work import UnitOfWork
from .ownership import is_acting_owner, require_owner

UowFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class RestoreResult:
    """How many items came back, and the ones that could not, with a sentence each."""

    restored: int
    refused: list[str] = field(default_factory=list)


def refusal(blocked: Blocked) -> str:
    if blocked.reason == "project":
        return (
            f"The project task “{blocked.title}” cannot be restored: its business project "
            "has been deleted. It stays in Deleted Items; if the project is in Deleted Items, "
            "restore it first."
        )
    if blocked.reason == "record":
        return (
            f"“{blocked.title}” cannot be restored: the record it belongs to has been "
            "deleted. It stays in Deleted Items; if that record is in Deleted Items, "
            "restore it first."
        )
    if blocked.reason == "project_link":
        return (
            f"The business project “{blocked.title}” cannot be restored: the account or "
            "business contact it was linked to has been deleted, and a project must be linked "
            "to one. It stays in Deleted Items; if that account or contact is in Deleted "
            "Items, restore it first."
        )
    if blocked.reason == "taken":
        return (
            f"“{blocked.title}” cannot be restored: a record with its number exists again. "
            "It stays in Deleted Items."
        )
    return (
        f"“{blocked.title}” cannot be restored: the account or business contact it was "
        "linked to has been deleted, and an opportunity must be linked to one. "
        "It stays in Deleted Items; if that account or contact is in Deleted Items, "
        "restore it first."
    )


def left_behind(blocked: Blocked) -> str:
    return (
        f"The opportunity “{blocked.title}” was not restored with its account or business "
        "contact: a record with its number exists again. It stays in Deleted Items."
    )


class DeletedItemsService:
    """Deleted Items on behalf of ``user_id``."""

    def __init__(self, uow_factory: UowFactory, user_id: int | None) -> None:
        self._uow = uow_factory
        self._user_id = user_id

    def items(self) -> list[DeletedItemRecord]:
        """Every deleted item, most recently deleted first."""
        with self._uow() as uow:
            return uow.deleted.all()

    def count(self) -> int:
        """How many items Deleted Items holds (all of them, whatever a list shows)."""
        with self._uow() as uow:
            return uow.deleted.count()

    def get(self, item_id: int) -> DeletedItemRecord:
        with self._uow() as uow:
            item = uow.deleted.get(item_id)
        if item is None:
            raise NotFoundError("This item is no longer in Deleted Items.")
        return item

    def restore(self, item_ids: Sequence[int]) -> RestoreResult:
        """Restore every item that can be; one transaction.

        Raises ``ValidationError`` when none of them can (the message says why), so a single
        restore is refused as a whole and changes nothing.
        """
        ids = sorted(set(item_ids))
        if not ids:
            raise ValidationError("Select the items to restore.")
        gone = NotFoundError(
            "Some of the items were removed from Deleted Items meanwhile. "
            "Nothing was restored; refresh and try again."
        )
        with self._uow() as uow:
            kinds = uow.deleted.kinds(ids)
            if len(kinds) != len(ids):
                raise gone
            # What others point at comes back first: a marketing activity before the
            # opportunities it initiated, accounts and contacts before their opportunities and
            # projects, projects before their tasks, and records before their history.
            restored = 0
            refused: list[str] = []
            now = datetime.now(UTC)
            for item_id in self._of_kinds(ids, kinds, (MARKETING_KIND,)):
                restored += self._restore_single(uow, item_id, now, refused)
            for item_id in ids:
                if kinds[item_id] in SIDES:
                    refused += [
                        left_behind(item) for item in uow.deleted.restore_record(item_id, now)
                    ]
                    restored += 1
            opportunities = [item_id for item_id in ids if kinds[item_id] == OPPORTUNITY_KIND]
            blocked = uow.deleted.blocked(opportunities)
            refused += [refusal(item) for item in blocked]
            restorable = sorted(set(opportunities) - {item.id for item in blocked})
            if uow.deleted.restore(restorable) != len(restorable):
                raise gone
            restored += len(restorable)
            for kind in (PROJECT_KIND, TASK_KIND, HISTORY_PREFIX):
                for item_id in self._of_kinds(ids, kinds, (kind,)):
                    restored += self._restore_single(uow, item_id, now, refused)
            if not restored:
                raise ValidationError(" ".join(refused))
            uow.commit()
        return RestoreResult(restored, refused)

    @staticmethod
    def _of_kinds(ids: list[int], kinds: dict[int, str], wanted: tuple[str, ...]) -> list[int]:
        """The items of ``ids`` whose kind is one of ``wanted`` (``HISTORY_PREFIX`` stands for
        every kind of history item)."""
        return [
            item_id
            for item_id in ids
            if kinds[item_id] in wanted
            or (HISTORY_PREFIX in wanted and kinds[item_id].startswith(HISTORY_PREFIX))
        ]

    @staticmethod
    def _restore_single(uow: UnitOfWork, item_id: int, now: datetime, refused: list[str]) -> int:
        """Restore one project, task, marketing activity or history item entry: 1 when it
        came back, else 0 with the reason added to ``refused``."""
        blocked = uow.deleted.restore_single(item_id, now)
        if blocked is None:
            return 1
        refused.append(refusal(blocked))
        return 0

    def delete_permanently(self, item_ids: Sequence[int]) -> int:
        """Remove items for good (database owner only)."""
        with self._uow() as uow:
            self._require_owner(uow)
            removed = uow.deleted.purge(sorted(set(item_ids)))
            uow.commit()
        return removed

    def empty(self) -> int:
        """Empty Deleted Items (database owner only); returns how many items were removed."""
        with self._uow() as uow:
            self._require_owner(uow)
            removed = uow.deleted.purge_all()
            uow.commit()
        return removed

    def is_owner(self) -> bool:
        with self._uow() as uow:
            return is_acting_owner(uow, self._user_id)

    def _require_owner(self, uow: UnitOfWork) -> None:
        require_owner(
            uow,
            self._user_id,
            "Only the database owner can delete items permanently or empty Deleted Items.",
        )
