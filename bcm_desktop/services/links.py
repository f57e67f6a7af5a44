"""Choosing what a record links to (S-7): search linkable records, or create one on the spot.

The Link to dialog's New button creates an account or a business contact "there and then";
those use cases live here so the same rules (required name, lengths, no control characters,
an existing account for a contact) hold wherever records are made.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..domain.entities import InitiatorRef, RecordRef
from ..domain.enums import InitiatorKind
from ..domain.errors import NotFoundError, ValidationError
from ..domain.links import LinkCandidate, LinkSearchKind, LinkSearchResult
from ..domain.validation import clean_text
from ..repository.link_queries import DEFAULT_LIMIT, LinkQueries
from ..repository.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]

MAX_PHONE = 64  # the width of the phone columns
MAX_EMAIL = 255
# Deliberately loose: one "@" with something on both sides and no spaces. Real validation
# of an address is the mail server's job; this only catches a name typed in the wrong box.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def _email(value: str, field: str) -> str:
    text = clean_text(value, "E-mail", field, max_length=MAX_EMAIL)
    if text and not _EMAIL.match(text):
        raise ValidationError(
            f"“{text}” is not an e-mail address. Type it as name@example.com, or leave it empty.",
            field,
        )
    return text


class LinkService:
    """Search and create the records an opportunity can be linked to or initiated by."""

    def __init__(self, queries: LinkQueries, uow_factory: UowFactory) -> None:
        self._queries = queries
        self._uow = uow_factory

    # -- reading -------------------------------------------------------------------------

    def search(
        self, kind: LinkSearchKind, text: str, limit: int = DEFAULT_LIMIT
    ) -> LinkSearchResult:
        """The first ``limit`` records of ``kind`` whose name (or contact e-mail) has a word
        starting with ``text``; ``more`` says whether further records match."""
        return self._queries.search(kind, text, limit)

    def candidate(self, ref: RecordRef | InitiatorRef) -> LinkCandidate | None:
        """The list row of one record, or ``None`` when it no longer exists."""
        return self._queries.get(ref)

    def name_of(self, ref: RecordRef | InitiatorRef) -> str | None:
        """The display name of one record, or ``None`` when it no longer exists."""
        return self._queries.name_of(ref)

    def email_of(self, ref: RecordRef | InitiatorRef) -> str:
        """The e-mail address of an account or business contact, or ``""`` when it has none."""
        return self._queries.email_of(ref)

    # -- creating ------------------------------------------------------------------------

    def create_account(
        self, name: str, phone: str = "", email: str = "", city: str = ""
    ) -> LinkCandidate:
        """Create an account and return it as a search row. Raises ``ValidationError``."""
        # Checked in the order the form shows the fields, so the first bad one is reported.
        clean_name = clean_text(name, "Name", "name", required=True)
        fields = {
            "phone": clean_text(phone, "Phone", "phone", max_length=MAX_PHONE),
            "email": _email(email, "email"),
            "city": clean_text(city, "City", "city"),
        }
        with self._uow() as uow:
            account_id = uow.records.add_account(clean_name, **fields)
            uow.commit()
        return self._created(InitiatorRef(InitiatorKind.ACCOUNT, account_id))

    def create_contact(
        self,
        first_name: str,
        last_name: str,
        account_id: int | None = None,
        email: str = "",
        phone: str = "",
    ) -> LinkCandidate:
        """Create a business contact and return it as a search row.

        A first or a last name is required (either will do, as in Outlook); ``account_id``,
        when given, must be an existing account. Raises ``ValidationError``.
        """
        first = clean_text(first_name, "First name", "first_name")
        last = clean_text(last_name, "Last name", "last_name")
        if not first and not last:
            raise ValidationError(
                "A business contact needs a name: type a first name, a last name or both.",
                "first_name",
            )
        fields = {  # in the form's order: e-mail, then phone
            "email": _email(email, "email"),
            "business_phone": clean_text(phone, "Phone", "phone", max_length=MAX_PHONE),
        }
        with self._uow() as uow:
            if account_id is not None and not uow.records.initiator_exists(
                InitiatorRef(InitiatorKind.ACCOUNT, account_id)
            ):
                raise ValidationError(
                    "The chosen account no longer exists. Choose another account, or none.",
                    "account",
                )
            contact_id = uow.records.add_contact(first, last, account_id, **fields)
            uow.commit()
        return self._created(InitiatorRef(InitiatorKind.CONTACT, contact_id))

    def _created(self, ref: InitiatorRef) -> LinkCandidate:
        candidate = self._queries.get(ref)
        if candidate is None:  # deleted by a colleague in the instant since the commit
            raise NotFoundError("The new record was deleted right after it was created.")
        return candidate
