"""Line edits for exact numbers in the user's locale: amounts, quantities and percentages.

Text is parsed straight into ``Decimal`` — never through ``QLocale.toDouble`` — so 99,99 stays
99.99 exactly. The rules, for a locale such as Dutch (decimal comma, group dot):

* digits with at most ``decimals`` decimals after the locale's decimal point: ``1234,5``;
* group separators are optional, but where they are used they must group by three
  (``1.234,50``); otherwise the text is not a number. This catches the costly misreading of
  "1,5" typed in an English locale, which would otherwise silently become fifteen;
* the locale's own digits are accepted as well as ASCII ones;
* no sign: every amount, quantity and percentage of a line is zero or more.

The validator blocks characters that can never make a number and decimals beyond the limit.
Text that may still become a number while typing ("1.23", an empty field) is allowed but not
acceptable; so is a number above the maximum, which :meth:`DecimalEdit.value` still returns so
the domain can refuse it with its own precise message ("Discount must be from 0 to 100 %.").
A field whose text is not acceptable is drawn in red and says why in its accessible description.
"""

from __future__ import annotations

import re
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, Qt
from PySide6.QtGui import QColor, QPalette, QValidator
from PySide6.QtWidgets import QLineEdit, QWidget

from ...domain.entities import MAX_QUANTITY
from ...domain.errors import ValidationError
from ...domain.money import MAX_AMOUNT
from .. import formatting

_ASCII_DIGITS = "0123456789"
# Space-like group separators (French uses U+202F, others U+00A0): a typed space means the same.
_SPACES = " \u00a0\u202f"
_INVALID_BASE = QColor("#fde7e9")
_INVALID_TEXT = QColor("#a4262c")


def _tr(text: str) -> str:
    return QCoreApplication.translate("DecimalEdit", text)


def parse_decimal(
    text: str, locale: QLocale, decimals: int, maximum: Decimal
) -> tuple[QValidator.State, Decimal | None]:
    """Judge ``text`` as a number in ``locale``: the validator state and the exact value.

    The value is ``None`` unless the text is a complete number; a number above ``maximum``
    keeps its value but is only ``Intermediate``.
    """
    invalid = (QValidator.State.Invalid, None)
    intermediate = (QValidator.State.Intermediate, None)
    text = text.strip()
    if not text:
        return intermediate
    zero = locale.zeroDigit()
    if zero != "0" and len(zero) == 1:
        text = text.translate({ord(zero) + n: _ASCII_DIGITS[n] for n in range(10)})
    point = locale.decimalPoint()
    group = locale.groupSeparator()
    groups = set(_SPACES) | {group} if group in _SPACES else {group}
    integer, has_point, fraction = text.partition(point)
    if any(ch not in _ASCII_DIGITS for ch in fraction) or len(fraction) > decimals:
        return invalid
    if has_point and decimals == 0:
        return invalid
    if any(ch not in _ASCII_DIGITS and ch not in groups for ch in integer):
        return invalid
    chunks = re.split("|".join(map(re.escape, groups)), integer) if groups else [integer]
    digits = "".join(chunks)
    if len(digits.lstrip("0")) > len(str(int(maximum))):
        return invalid
    if len(chunks) > 1 and (
        not 1 <= len(chunks[0]) <= 3 or any(len(chunk) != 3 for chunk in chunks[1:])
    ):
        # Grouped wrongly, or still being typed ("1.23" on the way to "1.234").
        return intermediate
    if not digits and not fraction:
        return intermediate  # just a decimal point so far
    value = Decimal(f"{digits or '0'}.{fraction}" if fraction else digits)
    if value > maximum:
        return QValidator.State.Intermediate, value
    return QValidator.State.Acceptable, value


class DecimalValidator(QValidator):
    """Accepts numbers as :func:`parse_decimal` reads them in the validator's locale."""

    def __init__(self, decimals: int, maximum: Decimal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.decimals = decimals
        self.maximum = maximum

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        state, _ = parse_decimal(text, self.locale(), self.decimals, self.maximum)
        return state, text, pos


class DecimalEdit(QLineEdit):
    """A line edit for a non-negative decimal number with at most ``decimals`` decimals.

    :meth:`value` is the exact ``Decimal`` typed, or ``None`` when the text is empty or not a
    number. Use :meth:`quantity` and :meth:`percent` for the two common kinds, and
    :class:`MoneyEdit` for amounts.
    """

    def __init__(
        self,
        decimals: int = 2,
        maximum: Decimal = MAX_AMOUNT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._validator = DecimalValidator(decimals, maximum, self)
        self._validator.setLocale(self.locale())
        self.setValidator(self._validator)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setMaxLength(32)
        self._invalid = False
        self.textChanged.connect(self._show_state)
        # Once a number is complete, show it the way the program writes it (1234,5 → 1.234,50).
        self.editingFinished.connect(self._reformat)
        self._update_hint()

    @classmethod
    def quantity(cls, parent: QWidget | None = None) -> DecimalEdit:
        """A quantity: up to three decimals."""
        return cls(3, MAX_QUANTITY, parent)

    @classmethod
    def percent(cls, parent: QWidget | None = None) -> DecimalEdit:
        """A percentage from 0 to 100 with up to two decimals."""
        return cls(2, Decimal(100), parent)

    # -- value ---------------------------------------------------------------------------

    @property
    def decimals(self) -> int:
        return self._validator.decimals

    @property
    def maximum(self) -> Decimal:
        return self._validator.maximum

    def value(self) -> Decimal | None:
        """The exact number typed, or ``None`` when the field is empty or not a number."""
        _, value = parse_decimal(self.text(), self.locale(), self.decimals, self.maximum)
        return value

    def set_value(self, value: Decimal | None) -> None:
        """Show ``value`` in the locale's format; ``None`` empties the field."""
        self.setText("" if value is None else self.format_value(value))

    def format_value(self, value: Decimal) -> str:
        return formatting.quantity(value, self.locale())

    def is_empty(self) -> bool:
        return not self.text().strip()

    def is_invalid(self) -> bool:
        """True when the field holds text that is not an acceptable number."""
        return self._invalid

    def checked_value(self, label: str, field: str, *, default: Decimal | None = None) -> Decimal:
        """The value, or ``default`` for an empty field; else ``ValidationError`` naming it.

        Range rules are left to the domain: a number above the maximum is returned as typed.
        """
        if self.is_empty():
            if default is not None:
                return default
            raise ValidationError(
                _tr("{label} is required. Type a number like {example}.").format(
                    label=label, example=self.example()
                ),
                field,
            )
        value = self.value()
        if value is None:
            raise ValidationError(
                _tr(
                    "{label}: “{text}” is not a number. Type it like {example}, "
                    "with at most {decimals} decimals."
                ).format(
                    label=label,
                    text=self.text().strip(),
                    example=self.example(),
                    decimals=self.decimals,
                ),
                field,
            )
        return value

    def example(self) -> str:
        """A sample of the expected format in the current locale."""
        return self.format_value(Decimal("1234.5") if self.maximum > 1000 else Decimal("12.5"))

    # -- Qt overrides --------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LocaleChange:
            self._validator.setLocale(self.locale())
            self._update_hint()
            self._show_state()
        super().changeEvent(event)

    # -- internals -----------------------------------------------------------------------

    def _update_hint(self) -> None:
        self.setToolTip(_tr("Type a number like {example}.").format(example=self.example()))

    def _show_state(self) -> None:
        invalid = not self.is_empty() and not self.hasAcceptableInput()
        if invalid == self._invalid:
            return
        self._invalid = invalid
        self.setProperty("invalid", invalid)
        if invalid:
            palette = QPalette()
            palette.setColor(QPalette.ColorRole.Base, _INVALID_BASE)
            palette.setColor(QPalette.ColorRole.Text, _INVALID_TEXT)
            self.setPalette(palette)
            self.setAccessibleDescription(
                _tr("Not a valid number. Type it like {example}.").format(example=self.example())
            )
        else:
            # An empty palette has nothing resolved: the field inherits its normal colours.
            self.setPalette(QPalette())
            self.setAccessibleDescription("")

    def _reformat(self) -> None:
        value = self.value()
        if value is not None and self.hasAcceptableInput():
            text = self.format_value(value)
            if text != self.text():
                self.setText(text)


class MoneyEdit(DecimalEdit):
    """An amount with at most two decimals, shown with group separators and two decimals."""

    def __init__(self, parent: QWidget | None = None, maximum: Decimal = MAX_AMOUNT) -> None:
        super().__init__(2, maximum, parent)

    def format_value(self, value: Decimal) -> str:
        return formatting.money(value, self.locale())

    def example(self) -> str:
        return self.format_value(Decimal("1234.56"))
