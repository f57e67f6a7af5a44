"""Asks what a meeting request is about and when: subject, start, duration and location."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QDateTime, QTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("MeetingDialog", text)


@dataclass(frozen=True)
class Meeting:
    """The answer: an aware start time (the user's local zone) and a length."""

    subject: str
    start: datetime
    duration: timedelta
    location: str

    @property
    def end(self) -> datetime:
        return self.start + self.duration


def next_full_hour(now: QDateTime) -> QDateTime:
    """The first full hour after ``now`` (10:00 stays 10:00 only when it is exactly 10:00)."""
    hour = QDateTime(now.date(), QTime(now.time().hour(), 0), now.timeZone())
    return hour if hour == now else hour.addSecs(3600)


class MeetingDialog(QDialog):
    def __init__(self, subject: str, now: QDateTime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingDialog")
        self.setWindowTitle(_tr("Meeting Request"))
        self.subject_edit = QLineEdit(subject, self)
        self.subject_edit.setObjectName("meetingSubject")
        self.subject_edit.setMaxLength(255)
        self.start_edit = QDateTimeEdit(next_full_hour(now), self)
        self.start_edit.setObjectName("meetingStart")
        self.start_edit.setCalendarPopup(True)
        self.duration_spin = QSpinBox(self)
        self.duration_spin.setObjectName("meetingDuration")
        self.duration_spin.setRange(5, 24 * 60)
        self.duration_spin.setSingleStep(15)
        self.duration_spin.setValue(60)
        self.duration_spin.setSuffix(_tr(" min"))
        self.location_edit = QLineEdit(self)
        self.location_edit.setObjectName("meetingLocation")
        form = QFormLayout()
        form.addRow(_tr("&Subject:"), self.subject_edit)
        form.addRow(_tr("S&tart:"), self.start_edit)
        form.addRow(_tr("&Duration:"), self.duration_spin)
        form.addRow(_tr("&Location:"), self.location_edit)
        for widget, name in (
            (self.subject_edit, _tr("Subject")),
            (self.start_edit, _tr("Start")),
            (self.duration_spin, _tr("Duration in minutes")),
            (self.location_edit, _tr("Location")),
        ):
            widget.setAccessibleName(name)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)  # room for a whole title as the subject

    def meeting(self) -> Meeting:
        # The edit shows local time; the epoch seconds pin it to an instant, kept in UTC.
        seconds = self.start_edit.dateTime().toSecsSinceEpoch()
        return Meeting(
            subject=self.subject_edit.text().strip(),
            start=datetime.fromtimestamp(seconds, UTC),
            duration=timedelta(minutes=self.duration_spin.value()),
            location=self.location_edit.text().strip(),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, subject: str, now: QDateTime | None = None
    ) -> Meeting | None:
        dialog = cls(subject, now or QDateTime.currentDateTime(), parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.meeting()
        finally:
            dialog.deleteLater()
