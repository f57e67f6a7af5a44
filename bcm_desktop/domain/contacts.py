"""Accounts and business contacts (S-1.2, S-7): the records opportunities are linked to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from .enums import StageKind
from .errors import ValidationError
from .money import ZERO
from .validation import MAX_LONG_TEXT, MAX_NAME, clean_text

MAX_PHONE = 64  # the width of the phone columns
MAX_POSTAL_CODE = 32

# Deliberately loose: one "@" with something on both sides and no spaces. Real validation
# of an address is the mail server's job; this only catches a name typed in the wrong box.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")  # the same rule as the Link to dialog's New
# Digits and the punctuation people write phone numbers with, an optional extension.
_PHONE = re.compile(r"^\+?[0-9()\-./ ]*[0-9][0-9()\-./ ]*(\s*(x|ext\.?)\s*[0-9]+)?$", re.I)
# A host name with a dot, optionally a scheme and a path; no spaces.
_WEB = re.compile(r"^(https?://)?[^\s/@]+\.[^\s/@]+(/\S*)?$", re.I)


def check_email(value: str, field: str = "email") -> str:
    text = clean_text(value, "E-mail", field)
    if text and not _EMAIL.match(text):
        raise ValidationError(
            f"“{text}” is not an e-mail address. Type it as name@example.com, or leave it empty.",
            field,
        )
    return text


def check_phone(value: str, label: str, field: str) -> str:
    text = clean_text(value, label, field, max_length=MAX_PHONE)
    if text and not _PHONE.match(text):
        raise ValidationError(
            f"{label} “{text}” is not a phone number: use digits, spaces and + ( ) - . /, "
            "for example +31 30 123 4567 or 030-1234567 x12.",
            field,
        )
    return text


def check_web_page(value: str, field: str = "web_page") -> str:
    text = clean_text(value, "Web page", field)
    if text and not _WEB.match(text):
        raise ValidationError(
            f"“{text}” is not a web address. Type it as www.example.com or "
            "https://example.com, or leave it empty.",
            field,
        )
    return text


@dataclass(frozen=True)
class Address:
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""

    def validated(self) -> Address:
        return Address(
            street=clean_text(self.street, "Street", "street"),
            postal_code=clean_text(
                self.postal_code, "Postal code", "postal_code", max_length=MAX_POSTAL_CODE
            ),
            city=clean_text(self.city, "City", "city"),
            country=clean_text(self.country, "Country/Region", "country"),
        )

    def lines(self) -> list[str]:
        """The address as printed on an envelope, empty parts left out."""
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return [part for part in (self.street, town, self.country) if part]


@dataclass(frozen=True)
class Account:
    """A company or organisation. ``id`` is ``None`` and ``version`` 0 until saved."""

    name: str
    phone: str = ""
    email: str = ""
    web_page: str = ""
    address: Address = Address()
    assigned_to_id: int | None = None
    comments: str = ""
    category_ids: tuple[int, ...] = ()
    id: int | None = None
    version: int = 0
    created_at: datetime | None = None
    modified_at: datetime | None = None

    def validated(self) -> Account:
        """The account with its text cleaned, or ``ValidationError`` naming the first bad
        field, in the order the form shows them."""
        name = clean_text(self.name, "Account name", "name", required=True, max_length=MAX_NAME)
        return Account(
            name=name,
            phone=check_phone(self.phone, "Phone", "phone"),
            email=check_email(self.email),
            web_page=check_web_page(self.web_page),
            address=self.address.validated(),
            assigned_to_id=self.assigned_to_id,
            comments=clean_text(
                self.comments, "Comments", "comments", max_length=MAX_LONG_TEXT, multiline=True
            ),
            category_ids=tuple(dict.fromkeys(self.category_ids)),
            id=self.id,
            version=self.version,
            created_at=self.created_at,
            modified_at=self.modified_at,
        )


def full_name(first_name: str, last_name: str) -> str:
    """The display name of a business contact (what opportunities copy as their link name)."""
    return f"{first_name.strip()} {last_name.strip()}".strip()


@dataclass(frozen=True)
class BusinessContact:
    """A person, optionally working for an account."""

    first_name: str
    last_name: str
    account_id: int | None = None
    job_title: str = ""
    business_phone: str = ""
    mobile_phone: str = ""
    email: str = ""
    web_page: str = ""
    address: Address = Address()
    assigned_to_id: int | None = None
    comments: str = ""
    category_ids: tuple[int, ...] = ()
    id: int | None = None
    version: int = 0
    created_at: datetime | None = None
    modified_at: datetime | None = None

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)

    def validated(self) -> BusinessContact:
        first = clean_text(self.first_name, "First name", "first_name")
        last = clean_text(self.last_name, "Last name", "last_name")
        if not first and not last:
            raise ValidationError(
                "A business contact needs a name: type a first name, a last name or both.",
                "first_name",
            )
        if len(full_name(first, last)) > 511:
            raise ValidationError("The full name is too long.", "last_name")
        return BusinessContact(
            first_name=first,
            last_name=last,
            account_id=self.account_id,
            job_title=clean_text(self.job_title, "Job title", "job_title"),
            business_phone=check_phone(self.business_phone, "Business phone", "business_phone"),
            mobile_phone=check_phone(self.mobile_phone, "Mobile phone", "mobile_phone"),
            email=check_email(self.email),
            web_page=check_web_page(self.web_page),
            address=self.address.validated(),
            assigned_to_id=self.assigned_to_id,
            comments=clean_text(
                self.comments, "Comments", "comments", max_length=MAX_LONG_TEXT, multiline=True
            ),
            category_ids=tuple(dict.fromkeys(self.category_ids)),
            id=self.id,
            version=self.version,
            created_at=self.created_at,
            modified_at=self.modified_at,
        )


@dataclass(frozen=True)
class DeleteImpact:
    """What deleting an account or contact takes with it, counted before the user confirms.

    ``opportunities`` and ``history_items`` are deleted with the record (an opportunity must
    stay linked to exactly one record, S-1.1); ``contacts`` of an account are kept without an
    account; ``projects`` linked to the record block the deletion until they are relinked.
    """

    name: str
    opportunities: int = 0
    contacts: int = 0
    history_items: int = 0
    projects: int = 0


@dataclass(frozen=True)
class RelatedContact:
    """A business contact of an account, as the account form lists it."""

    id: int
    full_name: str
    job_title: str
    business_phone: str
    email: str


@dataclass(frozen=True)
class RelatedOpportunity:
    """An opportunity linked to an account or contact, as its form lists it."""

    id: int
    title: str
    stage: str
    status: StageKind
    probability: int
    products_total: Decimal
    expected_revenue: Decimal
    close_date: date | None


@dataclass(frozen=True)
class OpportunityTotals:
    count: int = 0
    total: Decimal = ZERO
    expected_revenue: Decimal = ZERO

    @classmethod
    def of(cls, rows: list[RelatedOpportunity]) -> OpportunityTotals:
        return cls(
            count=len(rows),
            total=sum((row.products_total for row in rows), ZERO),
            expected_revenue=sum((row.expected_revenue for row in rows), ZERO),
        )
