"""Customizable lists (S-4): the use cases of the "Edit this list…" dialog.

Type, Payment terms and Source of an opportunity, a project's type and a marketing activity's
type each choose from a list the business keeps itself. Only the database owner may change
those lists (as with sales stages, S-5.1): every changing method checks the acting user in the
same transaction as the change. Reading is open to everyone (forms need the entries).

Decisions where BCM's text is silent:

- Names are unique within a list ignoring case ("renewal" and "Renewal" would look like one
  entry in a drop-down), and single-line.
- Removing an entry that records use asks for a replacement from the same list, or blank.
  The records change in the same transaction as the removal, with a new version, so a form
  open on one of them gets "changed elsewhere" instead of silently writing the removed entry
  back; a form without unsaved changes simply reads the record again.
- Closed Won/Lost records change too: they are read-only to editing, but an entry removed from
  the list cannot stay on them (the schema would blank it), and the owner's replacement keeps
  the meaning better than blank.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from ..domain.entities import ListItem
from ..domain.enums import ListKind
from ..domain.errors import ValidationError
from ..domain.lists import LIST_NAMES, ListItemUsage
from ..domain.validation import clean_text
from ..repository.repositories import LIST_ITEM_NAME_LENGTH
from ..repository.unit_of_work import UnitOfWork
from .ownership import is_acting_owner, require_owner

UowFactory = Callable[[], UnitOfWork]

NAME_LENGTH = LIST_ITEM_NAME_LENGTH  # the longest name the database column holds

OWNER_ONLY = "Only the database owner can change the Type, Payment terms and Source lists."
UNKNOWN_ITEM = "That list entry no longer exists. Close the list editor and open it again."
UNKNOWN_REPLACEMENT = (
    "The chosen replacement no longer exists. Choose another entry, or (blank), and try again."
)
SELF_REPLACEMENT = "An entry cannot replace itself: choose another entry of the list, or (blank)."
UNKNOWN_LIST = "There is no list called “{kind}”."


def _kind(kind: object) -> ListKind:
    if isinstance(kind, ListKind):
        return kind
    try:
        return ListKind(str(kind))
    except ValueError:
        raise ValidationError(UNKNOWN_LIST.format(kind=kind), "kind") from None


def _item_id(value: object, message: str, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(message, field)
    return value


class ListService:
    """The list editor's use cases, performed on behalf of ``user_id``."""

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
        """Whether the acting user may change the lists (forms offer "Edit this list…")."""
        with self._uow() as uow:
            return is_acting_owner(uow, self._user_id)

    def items(self, kind: ListKind) -> list[ListItem]:
        """The entries of one list, in their order."""
        list_kind = _kind(kind)
        with self._uow() as uow:
            return uow.lists.items(list_kind)

    def usage_by_record_type(self, item_id: int) -> ListItemUsage:
        """How many records of each type use the entry: the removal dialog's numbers."""
        with self._uow() as uow:
            self._item(uow, item_id)
            return uow.lists.usage(item_id)

    # -- rules ---------------------------------------------------------------------------

    def _check_owner(self, uow: UnitOfWork) -> None:
        require_owner(uow, self._user_id, OWNER_ONLY)

    def _item(self, uow: UnitOfWork, item_id: int) -> tuple[ListKind, ListItem]:
        found = uow.lists.get(_item_id(item_id, UNKNOWN_ITEM, "item"))
        if found is None:
            raise ValidationError(UNKNOWN_ITEM, "item")
        return found

    def _name(self, uow: UnitOfWork, kind: ListKind, name: str, item_id: int | None = None) -> str:
        if name is not None and not isinstance(name, str):
            raise ValidationError("The name must be text.", "name")
        clean = clean_text(name, "The name", "name", required=True, max_length=NAME_LENGTH)
        other = uow.lists.named(kind, clean)
        if other is not None and other.id != item_id:
            raise ValidationError(
                f"The {LIST_NAMES[kind]} list already has “{other.name}”: "
                "choose another name (case does not count).",
                "name",
            )
        return clean

    # -- writing -------------------------------------------------------------------------

    def add(self, kind: ListKind, name: str) -> ListItem:
        """Add an entry at the end of the list."""
        with self._uow() as uow:
            self._check_owner(uow)
            list_kind = _kind(kind)
            item = uow.lists.add(list_kind, self._name(uow, list_kind, name))
            uow.commit()
            return item

    def rename(self, item_id: int, name: str) -> ListItem:
        """Rename an entry; records using it show the new name (they keep the entry)."""
        with self._uow() as uow:
            self._check_owner(uow)
            kind, _item = self._item(uow, item_id)
            renamed = uow.lists.rename(item_id, self._name(uow, kind, name, item_id))
            uow.commit()
            return renamed

    def move(self, item_id: int, delta: int) -> bool:
        """Move an entry up (negative ``delta``) or down; False when it cannot go further."""
        if isinstance(delta, bool) or not isinstance(delta, int):
            raise ValidationError("Move an entry by a whole number of places.", "delta")
        with self._uow() as uow:
            self._check_owner(uow)
            self._item(uow, item_id)
            moved = uow.lists.move(item_id, delta)
            uow.commit()
            return moved

    def remove(self, item_id: int, replacement_id: int | None = None) -> int:
        """Remove an entry; the records using it get ``replacement_id`` (an entry of the same
        list) or blank. Returns how many records changed."""
        with self._uow() as uow:
            self._check_owner(uow)
            kind, item = self._item(uow, item_id)
            if replacement_id is not None:
                replacement_id = _item_id(replacement_id, UNKNOWN_REPLACEMENT, "replacement")
                if replacement_id == item_id:
                    raise ValidationError(SELF_REPLACEMENT, "replacement")
                found = uow.lists.get(replacement_id)
                if found is None:
                    raise ValidationError(UNKNOWN_REPLACEMENT, "replacement")
                other_kind, other = found
                if other_kind is not kind:
                    raise ValidationError(
                        f"“{other.name}” is an entry of the {LIST_NAMES[other_kind]} list; "
                        f"replace “{item.name}” with an entry of the {LIST_NAMES[kind]} list, "
                        "or (blank).",
                        "replacement",
                    )
            changed = uow.lists.remove(item_id, replacement_id, self._now())
            uow.commit()
            return changed
