"""The optional date field: blank until set, its calendar opening at today's month."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLineEdit, QWidget

from bcm_desktop.ui.widgets.dates import OptionalDateEdit


def open_calendar(qtbot, field: OptionalDateEdit) -> None:
    field.show()
    qtbot.waitExposed(field)
    qtbot.mouseClick(
        field, Qt.MouseButton.LeftButton, pos=QPoint(field.width() - 6, field.height() // 2)
    )
    qtbot.waitUntil(field.calendarWidget().isVisible)


# The offscreen platform cannot grab the keyboard for the calendar pop-up.
@pytest.mark.qt_log_ignore("grabbing the keyboard")
def test_a_new_field_is_blank_and_its_calendar_opens_at_today(qtbot) -> None:
    # A new field held today (the calendar was turned to today by selecting it), so a
    # dialog that never set it (Create Project's optional start date) saved today.
    field = OptionalDateEdit()
    qtbot.addWidget(field)
    assert field.value() is None
    open_calendar(qtbot, field)
    calendar = field.calendarWidget()
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    assert field.value() is None
    # Choosing a day sets the field.
    calendar.setSelectedDate(QDate(today.year(), today.month(), 15))
    calendar.activated.emit(calendar.selectedDate())
    assert field.value() == date(today.year(), today.month(), 15)


# The offscreen platform cannot grab the keyboard for the calendar pop-up.
@pytest.mark.qt_log_ignore("grabbing the keyboard")
def test_a_field_with_a_date_opens_its_calendar_there(qtbot) -> None:
    field = OptionalDateEdit()
    qtbot.addWidget(field)
    field.set_value(date(2031, 3, 9))
    open_calendar(qtbot, field)
    calendar = field.calendarWidget()
    assert (calendar.yearShown(), calendar.monthShown()) == (2031, 3)
    assert field.value() == date(2031, 3, 9)


def test_tab_leaves_a_blank_field(qtbot) -> None:
    # A blank field shows "None" and has no day/month/year to walk: Tab stayed inside it.
    page = QWidget()
    layout = QHBoxLayout(page)
    before, field, after = QLineEdit(page), OptionalDateEdit(page), QLineEdit(page)
    for widget in (before, field, after):
        layout.addWidget(widget)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert after.hasFocus()
    # With a date, Tab walks its sections first, then leaves.
    field.set_value(date(2026, 5, 4))
    field.setFocus()
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert after.hasFocus()


def test_the_earliest_date_a_record_may_hold_is_a_date_not_blank(qtbot) -> None:
    """1 January 1900 read back as blank, and saving the form then cleared it."""
    from datetime import date

    from bcm_desktop.domain.validation import EARLIEST_DATE

    field = OptionalDateEdit()
    qtbot.addWidget(field)
    field.set_value(EARLIEST_DATE)
    assert field.value() == date(1900, 1, 1)
    field.set_value(None)
    assert field.value() is None
