"""Row records of the "Link to" search (S-7): what can be linked, and what a search found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .entities import InitiatorRef, RecordRef
from .enums import InitiatorKind, LinkKind


class LinkSearchKind(StrEnum):
    """The "Item type" choices of the Link to dialog."""

    ACCOUNTS = "accounts"
    CONTACTS = "contacts"
    ALL = "all"  # accounts and business contacts together
    MARKETING = "marketing"  # only for "Initiated by"
    OPPORTUNITIES = "opportunities"  # only for "Link to Record" of a history item (S-8)

    @property
    def record_kinds(self) -> tuple[InitiatorKind, ...]:
        """The kinds of record this item type searches, in display order."""
        return {
            LinkSearchKind.ACCOUNTS: (InitiatorKind.ACCOUNT,),
            LinkSearchKind.CONTACTS: (InitiatorKind.CONTACT,),
            LinkSearchKind.ALL: (InitiatorKind.ACCOUNT, InitiatorKind.CONTACT),
            LinkSearchKind.MARKETING: (InitiatorKind.MARKETING,),
            LinkSearchKind.OPPORTUNITIES: (InitiatorKind.OPPORTUNITY,),
        }[self]


@dataclass(frozen=True, slots=True)
class LinkCandidate:
    """One record the user can link to, as the search list shows it.

    ``ref_kind`` is ``account``, ``contact``, ``marketing`` or ``opportunity``; ``detail`` is a
    short text that tells records of the same name apart (an account's city, a contact's
    account or job title and e-mail, a marketing activity's type, an opportunity's link). A
    marketing activity's dates are kept as dates so the UI formats them in the user's locale.
    """

    ref_kind: InitiatorKind
    id: int
    name: str
    detail: str = ""
    start_date: date | None = None
    end_date: date | None = None

    @property
    def record_ref(self) -> RecordRef | None:
        """The Link to value for this record; ``None`` for a marketing activity or an
        opportunity (neither can be an opportunity's Link to)."""
        if self.ref_kind in (InitiatorKind.MARKETING, InitiatorKind.OPPORTUNITY):
            return None
        return RecordRef(LinkKind(self.ref_kind.value), self.id)

    @property
    def initiator_ref(self) -> InitiatorRef:
        """The Initiated by value for this record."""
        return InitiatorRef(self.ref_kind, self.id)

    def refers_to(self, ref: RecordRef | InitiatorRef | None) -> bool:
        """Whether ``ref`` points at this very record."""
        return ref is not None and ref.kind.value == self.ref_kind.value and ref.id == self.id


@dataclass(frozen=True, slots=True)
class LinkSearchResult:
    """The first matches of a search; ``more`` says that further records match too."""

    candidates: tuple[LinkCandidate, ...]
    more: bool = False
