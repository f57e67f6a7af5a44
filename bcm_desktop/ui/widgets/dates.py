"""Date and date-time fields with a calendar pop-up that may also be empty.

Qt's date edits always hold a date. These show their lowest value as a blank ("None"), which
is how a form says "no close date yet"; ``value()`` returns ``None`` then.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QEvent, QObject, Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QWidget

from ...domain.validation import EARLIEST_DATE, LATEST_DATE

# Blank is the day before the earliest date a record may hold, so 1 January 1900 is a date
# like any other (it used to read back as blank, and a save then cleared it).
BLANK_DATE = QDate(EARLIEST_DATE.year, EARLIEST_DATE.month, EARLIEST_DATE.day).addDays(-1)
LATEST = QDate(LATEST_DATE.year, LATEST_DATE.month, LATEST_DATE.day)


def _tr(text: str) -> str:
    return QCoreApplication.translate("OptionalDate", text)


class OptionalDateEdit(QDateEdit):
    """A date field that may be blank; Delete or Backspace on a selected field clears it."""

    def __init__(self, parent: QWidget | None = None, *, blank_text: str | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setMinimumDate(BLANK_DATE)
        self.setMaximumDate(LATEST)
        self.setSpecialValueText(blank_text if blank_text is not None else _tr("None"))
        self.setDate(BLANK_DATE)
        # Opening the calendar on a blank field should start at today's month, not in 1900.
        # Only the page is turned: selecting a date in the calendar sets the field to it.
        self.calendarWidget().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        calendar = self.calendarWidget()
        if watched is calendar and event.type() == QEvent.Type.Show and self.value() is None:
            today = QDate.currentDate()
            calendar.setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)

    def value(self) -> date | None:
        current = self.date()
        if current == BLANK_DATE:
            return None
        return date(current.year(), current.month(), current.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(BLANK_DATE if value is None else QDate(value.year, value.month, value.day))

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab walks the day, month and year of a date; a blank field shows its text instead
        # and has no sections, and Qt kept Tab inside it for good: let Tab leave it.
        if self.value() is None:
            return QWidget.focusNextPrevChild(self, next)
        return super().focusNextPrevChild(next)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
            self.lineEdit().selectedText() == self.lineEdit().text()
        ):
            self.set_value(None)
            return
        if self.value() is None and self.isEnabled() and not self.isReadOnly():
            # A blank field has no day, month and year to type into: typed digits were
            # dropped and Up made it 2 January 1900. Start from today instead.
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.setDate(QDate.currentDate())
                return
            if event.text().isdigit():
                self.setDate(QDate.currentDate())
                self.setCurrentSectionIndex(0)
                self.setSelectedSection(self.sectionAt(0))
        super().keyPressEvent(event)


class OptionalDateTimeEdit(QDateTimeEdit):
    """A local date and time that may be blank; ``value()`` is an aware UTC datetime."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setMinimumDateTime(QDateTime(BLANK_DATE, QTime(0, 0)))
        self.setSpecialValueText(_tr("None"))
        self.setDateTime(self.minimumDateTime())

    def value(self) -> datetime | None:
        current = self.dateTime()
        if current == self.minimumDateTime():
            return None
        return datetime.fromtimestamp(current.toSecsSinceEpoch(), UTC)

    def set_value(self, value: datetime | None) -> None:
        if value is None:
            self.setDateTime(self.minimumDateTime())
        else:
            self.setDateTime(QDateTime.fromSecsSinceEpoch(int(value.timestamp())))

    def focusNextPrevChild(self, next: bool) -> bool:
        if self.value() is None:  # no sections to step through: Tab leaves (see above)
            return QWidget.focusNextPrevChild(self, next)
        return super().focusNextPrevChild(next)
