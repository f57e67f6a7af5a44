"""Entities of the sales domain as plain dataclasses, with the pure rules that belong to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from .activities import OpportunityActivity
from .enums import (
    CallDirection,
    HistoryKind,
    InitiatorKind,
    LinkKind,
    Priority,
    StageKind,
    TaskStatus,
)
from .errors import ValidationError
from .money import ZERO, to_money
from .validation import (
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    check_amount,
    check_date,
    check_percent,
    clean_text,
)

MAX_QUANTITY = Decimal("1000000000")


@dataclass(frozen=True)
class RecordRef:
    """A reference to one account or business contact (the opportunity's Link to)."""

    kind: LinkKind
    id: int


@dataclass(frozen=True)
class InitiatorRef:
    """What started an opportunity: an account, a business contact or a marketing activity."""

    kind: InitiatorKind
    id: int


@dataclass(frozen=True)
class User:
    id: int
    name: str
    login: str
    email: str = ""
    is_owner: bool = False
    active: bool = True


@dataclass(frozen=True)
class SalesStage:
    id: int
    name: str
    position: int
    kind: StageKind = StageKind.OPEN
    is_default: bool = False
    default_probability: int | None = None
    close_date_offset_days: int | None = None

    @property
    def is_closed(self) -> bool:
        return self.kind.is_closed


@dataclass(frozen=True)
class StageChange:
    """One entry of an opportunity's stage history."""

    from_stage_id: int | None
    to_stage_id: int | None
    from_stage_name: str
    to_stage_name: str
    changed_at: datetime
    changed_by_id: int | None
    note: str = ""


@dataclass(frozen=True)
class Product:
    """An item of the Products and services catalog."""

    id: int | None
    name: str
    unit_price: Decimal
    unit_cost: Decimal = ZERO
    description: str = ""
    taxable: bool = False
    active: bool = True
    version: int = 0

    def validated(self) -> Product:
        name = clean_text(self.name, "Item name", "name", required=True)
        description = clean_text(
            self.description,
            "Description",
            "description",
            max_length=MAX_SHORT_TEXT,
            multiline=True,
        )
        check_amount(self.unit_price, "Unit price", "unit_price")
        check_amount(self.unit_cost, "Unit cost", "unit_cost")
        return Product(
            id=self.id,
            name=name,
            unit_price=to_money(self.unit_price),
            unit_cost=to_money(self.unit_cost),
            description=description,
            taxable=self.taxable,
            active=self.active,
            version=self.version,
        )


@dataclass(frozen=True)
class Category:
    id: int
    name: str
    color: str = ""


@dataclass(frozen=True)
class ListItem:
    id: int
    name: str
    position: int


@dataclass(frozen=True)
class OpportunityLine:
    """One line of Products and services, with BCM's line fields.

    The discount is either a percentage of the gross amount or a fixed amount; when a
    percentage is given it wins and the amount is derived from it.
    """

    item_name: str
    unit_price: Decimal
    quantity: Decimal = Decimal(1)
    description: str = ""
    unit_cost: Decimal = ZERO
    discount_percent: Decimal = ZERO
    discount_amount: Decimal = ZERO
    taxable: bool = False
    product_id: int | None = None
    id: int | None = None

    @property
    def gross(self) -> Decimal:
        return to_money(self.quantity * self.unit_price)

    @property
    def discount(self) -> Decimal:
        if self.discount_percent:
            return to_money(self.gross * self.discount_percent / 100)
        return to_money(self.discount_amount)

    @property
    def line_total(self) -> Decimal:
        return self.gross - self.discount

    @property
    def markup_percent(self) -> Decimal | None:
        """Markup over cost in percent, or ``None`` when there is no cost to mark up."""
        if not self.unit_cost:
            return None
        return ((self.unit_price - self.unit_cost) / self.unit_cost * 100).quantize(Decimal("0.01"))

    def validated(self) -> OpportunityLine:
        """Return the line with its text cleaned, or raise ``ValidationError``."""
        name = clean_text(self.item_name, "Item name", "item_name", required=True)
        description = clean_text(
            self.description,
            "Description",
            "description",
            max_length=MAX_SHORT_TEXT,
            multiline=True,
        )
        for value, label, name_ in (
            (self.unit_price, "Unit price", "unit_price"),
            (self.unit_cost, "Unit cost", "unit_cost"),
            (self.discount_amount, "Discount amount", "discount_amount"),
        ):
            check_amount(value, label, name_)
        if not isinstance(self.quantity, Decimal) or not self.quantity.is_finite():
            raise ValidationError("Quantity is not a number.", "quantity")
        if self.quantity < 0:
            raise ValidationError("Quantity cannot be negative.", "quantity")
        if self.quantity > MAX_QUANTITY:
            raise ValidationError("Quantity is too large.", "quantity")
        if self.quantity != self.quantity.quantize(Decimal("0.001")):
            raise ValidationError("Quantity takes at most three decimals.", "quantity")
        if (
            not isinstance(self.discount_percent, Decimal)
            or not self.discount_percent.is_finite()
            or not 0 <= self.discount_percent <= 100
        ):
            raise ValidationError("Discount must be from 0 to 100 %.", "discount_percent")
        if self.discount_percent != self.discount_percent.quantize(Decimal("0.01")):
            raise ValidationError("Discount takes at most two decimals.", "discount_percent")
        check_amount(self.gross, "Line amount (quantity × unit price)", "quantity")
        if self.discount > self.gross:
            raise ValidationError("The discount is larger than the line amount.", "discount_amount")
        return OpportunityLine(
            item_name=name,
            unit_price=to_money(self.unit_price),
            quantity=self.quantity,
            description=description,
            unit_cost=to_money(self.unit_cost),
            discount_percent=self.discount_percent,
            discount_amount=self.discount,
            taxable=self.taxable,
            product_id=self.product_id,
            id=self.id,
        )


def products_total(lines: list[OpportunityLine]) -> Decimal:
    """The total of Products and services: the sum of the line totals."""
    return sum((line.line_total for line in lines), ZERO)


def expected_revenue(probability: int, total: Decimal) -> Decimal:
    """Expected revenue (S-3): probability × products total, rounded half-up to cents."""
    return to_money(total * probability / 100)


def probability_for_stage(kind: StageKind, current: int) -> int:
    """Closed Won means 100 %, Closed Lost 0 %; an open stage keeps what the user set."""
    if kind is StageKind.WON:
        return 100
    if kind is StageKind.LOST:
        return 0
    return current


@dataclass
class Opportunity:
    """A sales opportunity (S-1, S-3). ``id`` and ``version`` are ``None``/0 until saved."""

    title: str
    link: RecordRef | None
    probability: int = 0
    assigned_to_id: int | None = None
    type_id: int | None = None
    payment_terms_id: int | None = None
    source_id: int | None = None
    close_date: date | None = None
    expiration_date: date | None = None
    delivery_date: date | None = None
    initiated_by: InitiatorRef | None = None
    competitors: str = ""
    stage_id: int | None = None
    reminder_at: datetime | None = None
    actual_close_date: date | None = None
    comments: str = ""
    lines: list[OpportunityLine] = field(default_factory=list)
    status: StageKind = StageKind.OPEN
    id: int | None = None
    version: int = 0
    created_at: datetime | None = None
    modified_at: datetime | None = None
    stage_entered_at: datetime | None = None
    # The activities of the record's stage (S-5): read with the record, written on save.
    activities: list[OpportunityActivity] = field(default_factory=list)

    @property
    def products_total(self) -> Decimal:
        return products_total(self.lines)

    @property
    def expected_revenue(self) -> Decimal:
        return expected_revenue(self.probability, self.products_total)

    @property
    def is_closed(self) -> bool:
        return self.status.is_closed

    def validate(self) -> None:
        """Check every field; raise ``ValidationError`` naming the first bad one."""
        self.title = clean_text(self.title, "Title", "title", required=True)
        if self.link is None:
            raise ValidationError(
                "Link to is required: link the opportunity to one account or business contact.",
                "link",
            )
        check_percent(self.probability, "Probability", "probability")
        self.competitors = clean_text(
            self.competitors, "Competitors", "competitors", max_length=MAX_SHORT_TEXT
        )
        self.comments = clean_text(
            self.comments, "Comments", "comments", max_length=MAX_LONG_TEXT, multiline=True
        )
        check_date(self.close_date, "Close date", "close_date")
        check_date(self.expiration_date, "Expiration date", "expiration_date")
        check_date(self.delivery_date, "Delivery date", "delivery_date")
        check_date(self.actual_close_date, "Actual close date", "actual_close_date")
        self.lines = [line.validated() for line in self.lines]
        check_amount(self.products_total, "Products and services total", "lines")


@dataclass
class HistoryItem:
    """A communication history item (S-8): one of six kinds, linked to records.

    Fields that a kind does not use stay empty. ``opportunity_id``, ``account_id``,
    ``contact_id`` and ``project_id`` are its direct links; an item linked to an opportunity
    also shows in the history of the opportunity's account or contact.
    """

    kind: HistoryKind
    subject: str
    body: str = ""
    occurred_at: datetime | None = None
    duration_seconds: int | None = None
    direction: CallDirection | None = None
    due_date: date | None = None
    status: TaskStatus | None = None
    priority: Priority | None = None
    percent_complete: int | None = None
    reminder_at: datetime | None = None
    assigned_to_id: int | None = None
    email_from: str = ""
    email_to: str = ""
    location: str = ""
    end_at: datetime | None = None
    attendees: str = ""
    file_name: str = ""
    file_size: int | None = None
    opportunity_id: int | None = None
    account_id: int | None = None
    contact_id: int | None = None
    project_id: int | None = None
    created_by_id: int | None = None
    id: int | None = None
    version: int = 0
