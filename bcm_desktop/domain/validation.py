"""Pure input checks shared by the services. Each raises ``ValidationError`` naming the field."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from .errors import ValidationError
from .money import MAX_AMOUNT

# Characters a user cannot type on purpose; pasted by accident they corrupt exports and lists.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")

MAX_NAME = 255
MAX_SHORT_TEXT = 2_000
MAX_LONG_TEXT = 10_000_000  # comments: 1 MB pastes work, 100 MB ones are refused
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(9999, 12, 31)


def clean_text(
    value: str | None,
    label: str,
    field: str,
    *,
    required: bool = False,
    max_length: int = MAX_NAME,
    multiline: bool = False,
) -> str:
    """Strip a text value and check it: required, length and control characters."""
    text = (value or "").strip() if not multiline else (value or "")
    if required and not text.strip():
        raise ValidationError(f"{label} is required: it cannot be empty.", field)
    if len(text) > max_length:
        raise ValidationError(
            f"{label} is too long: {len(text):,} characters, at most {max_length:,} are allowed.",
            field,
        )
    pattern = _CONTROL if multiline else _CONTROL_SINGLE_LINE
    if pattern.search(text):
        raise ValidationError(
            f"{label} contains control characters that cannot be stored. Remove them and retry.",
            field,
        )
    return text


def check_percent(value: int, label: str, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{label} must be a whole number from 0 to 100.", field)
    if not 0 <= value <= 100:
        raise ValidationError(f"{label} must be from 0 to 100 %, not {value}.", field)
    return value


def check_amount(value: Decimal, label: str, field: str, *, allow_negative: bool = False) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError(f"{label} is not an amount.", field)
    if value < 0 and not allow_negative:
        raise ValidationError(f"{label} cannot be negative.", field)
    if abs(value) > MAX_AMOUNT:
        raise ValidationError(f"{label} is too large: at most {MAX_AMOUNT:,} is allowed.", field)


def check_date(value: date | None, label: str, field: str) -> None:
    if value is None:
        return
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(f"{label} must lie between 1900 and 9999.", field)
