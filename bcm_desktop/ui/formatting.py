"""Locale-aware display of money, dates and percentages (the only place that formats them)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import QDate, QDateTime, QLocale


def money(amount: Decimal, locale: QLocale | None = None) -> str:
    """Format an exact amount with two decimals and group separators (no currency sign)."""
    locale = locale or QLocale()
    sign = "-" if amount < 0 else ""
    units, _, cents = f"{abs(amount):.2f}".partition(".")
    grouped = locale.toString(int(units))
    return f"{sign}{grouped}{locale.decimalPoint()}{cents}"


def short_date(value: date | None, locale: QLocale | None = None) -> str:
    if value is None:
        return ""
    locale = locale or QLocale()
    return locale.toString(
        QDate(value.year, value.month, value.day), QLocale.FormatType.ShortFormat
    )


def short_datetime(value: datetime | None, locale: QLocale | None = None) -> str:
    """Local time of an aware datetime, in the locale's short format."""
    if value is None:
        return ""
    locale = locale or QLocale()
    local = QDateTime.fromSecsSinceEpoch(int(value.timestamp())).toLocalTime()
    return locale.toString(local, QLocale.FormatType.ShortFormat)


def percent(value: int, locale: QLocale | None = None) -> str:
    locale = locale or QLocale()
    return f"{locale.toString(value)} %"


def quantity(value: Decimal, locale: QLocale | None = None) -> str:
    """A quantity without trailing zeros: 2, 2.5, 0.125 (in the locale's decimal point)."""
    locale = locale or QLocale()
    text = f"{value.normalize():f}"
    units, _, decimals = text.partition(".")
    grouped = locale.toString(int(units)) if units.lstrip("-").isdigit() else units
    return f"{grouped}{locale.decimalPoint()}{decimals}" if decimals else grouped
