"""One small form per kind of communication history item (S-8): Business note, Phone log, Task,
E-mail, Appointment and File.

Each form edits a copy of the item and saves it through :class:`HistoryService` when the user
presses Save & Close; a refusal shows the service's message, focuses the field and keeps the
form open with everything the user typed. :func:`form_class` picks the form of a kind and
:func:`edit_item` runs it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QByteArray, QCoreApplication, QDateTime, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import HistoryItem, User
from ...domain.enums import CallDirection, HistoryKind, Priority, TaskStatus
from ...domain.errors import DomainError, ValidationError
from ...domain.history import KIND_NAMES, check_file_size, size_text, validated
from ...domain.ics import meeting_request, people_from_text
from ...services.history import HistoryService, safe_file_name
from ..errors import show_error
from ..widgets.dates import OptionalDateEdit, OptionalDateTimeEdit
from ..widgets.single_line import keep_on_one_line

Clock = Callable[[], float]


def _tr(text: str) -> str:
    return QCoreApplication.translate("HistoryItemForm", text)


def kind_name(kind: HistoryKind) -> str:
    """The translated name of a kind: "Business note", "Phone log", …"""
    return _tr(KIND_NAMES[kind])


def to_qdatetime(value: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(value.timestamp()))


def from_qdatetime(value: QDateTime) -> datetime:
    """The instant a local date-time edit shows, as an aware UTC datetime."""
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


def mailto_url(to: str, subject: str, body: str) -> QUrl:
    """``mailto:`` the addresses of ``to`` with subject and body, percent-encoded (RFC 6068)."""

    def encode(text: str, keep: bytes = b"") -> str:
        return bytes(QUrl.toPercentEncoding(text, QByteArray(keep)).data()).decode("ascii")

    addresses = ",".join(encode(person.email, b"@") for person in people_from_text(to))
    query = f"subject={encode(subject)}&body={encode(body.replace(chr(10), chr(13) + chr(10)))}"
    return QUrl(f"mailto:{addresses}?{query}", QUrl.ParsingMode.StrictMode)


class HistoryItemForm(QDialog):
    """The common part of every form: subject, the kind's own fields, notes, Save & Close.

    Subclasses set :attr:`KIND`, add their rows in :meth:`build_fields`, fill them in
    :meth:`load` and read them back in :meth:`collect`.
    """

    KIND: ClassVar[HistoryKind] = HistoryKind.NOTE
    DATE_LABEL: ClassVar[str] = "&Date:"
    SIZE: ClassVar[tuple[int, int]] = (520, 420)

    def __init__(
        self,
        service: HistoryService,
        item: HistoryItem,
        parent: QWidget | None = None,
        *,
        users: Sequence[User] = (),
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"historyForm_{self.KIND.value}")
        self._service = service
        self._item = item
        self._users = list(users)
        self._now = now
        self.saved_item: HistoryItem | None = None

        self.subject_edit = QLineEdit(self)
        self.subject_edit.setObjectName("historySubject")
        self.subject_edit.setMaxLength(255)
        self.date_edit = QDateTimeEdit(self)
        self.date_edit.setObjectName("historyDate")
        self.date_edit.setCalendarPopup(True)
        self.body_edit = QPlainTextEdit(self)
        self.body_edit.setObjectName("historyBody")
        self.body_edit.setTabChangesFocus(True)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.extra_buttons = QHBoxLayout()
        self.build_fields()
        for edit in self.findChildren(QLineEdit, options=Qt.FindChildOption.FindDirectChildrenOnly):
            keep_on_one_line(edit)
        self.body_label = QLabel(_tr("&Notes:"), self)
        self.body_label.setBuddy(self.body_edit)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("historyButtons")
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_tr("&Save && Close"))
        self.save_button.setObjectName("historySave")
        self.save_button.setToolTip(_tr("Save the item and close the form (Ctrl+S)"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.accept)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.body_label)
        layout.addWidget(self.body_edit, 1)
        bottom = QHBoxLayout()
        bottom.addLayout(self.extra_buttons)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.subject_edit.setAccessibleName(_tr("Subject"))
        self.date_edit.setAccessibleName(_tr("Date"))
        self.body_edit.setAccessibleName(_tr("Notes"))
        self._load_common(item)
        self.load(item)
        self._baseline = self.item()
        self._baseline_content = self.file_content()
        self._update_title()
        self.resize(*self.SIZE)
        geometry = QSettings().value(self._settings_key())
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self.subject_edit.textChanged.connect(self._update_title)

    # -- to override ---------------------------------------------------------------------

    def build_fields(self) -> None:
        """Add the kind's rows to :attr:`form` (the default: subject and date)."""
        self.add_row(_tr("Su&bject:"), self.subject_edit)
        self.add_row(_tr(self.DATE_LABEL), self.date_edit)

    def load(self, item: HistoryItem) -> None:
        """Show the kind's own fields of ``item``."""

    def collect(self, item: HistoryItem) -> HistoryItem:
        """``item`` with the kind's own fields as the form shows them."""
        return item

    def file_content(self) -> bytes | None:
        """New file content to store with the item (only the File form has any)."""
        return None

    def field_widget(self, field: str) -> QWidget | None:
        """The widget of a field a ``ValidationError`` names."""
        return {
            "subject": self.subject_edit,
            "occurred_at": self.date_edit,
            "body": self.body_edit,
        }.get(field)

    # -- helpers -------------------------------------------------------------------------

    def add_row(self, label: str, field: QWidget | QHBoxLayout) -> QLabel:
        if isinstance(field, QDateTimeEdit | QSpinBox | QComboBox):
            # Dates, numbers and short choices keep their natural width; text fields grow.
            field.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            if isinstance(field, QDateTimeEdit):
                field.setMinimumWidth(190)
        caption = QLabel(label, self)
        if isinstance(field, QWidget):
            caption.setBuddy(field)
        self.form.addRow(caption, field)
        return caption

    def add_button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        self.extra_buttons.addWidget(button)
        return button

    def _settings_key(self) -> str:
        return f"historyForms/{self.KIND.value}Geometry"

    def _load_common(self, item: HistoryItem) -> None:
        self.subject_edit.setText(item.subject)
        self.date_edit.setDateTime(to_qdatetime(item.occurred_at or self._now()))
        self.body_edit.setPlainText(item.body)

    def _update_title(self) -> None:
        subject = self.subject_edit.text().strip() or _tr("Untitled")
        self.setWindowTitle(f"{subject} — {kind_name(self.KIND)}")

    def item(self) -> HistoryItem:
        """The item as the form shows it (not yet checked or saved)."""
        common = replace(
            self._item,
            subject=self.subject_edit.text(),
            occurred_at=from_qdatetime(self.date_edit.dateTime()),
            body=self.body_edit.toPlainText(),
        )
        return self.collect(common)

    def is_new(self) -> bool:
        return self._item.id is None

    # -- saving --------------------------------------------------------------------------

    def save(self) -> bool:
        """Create or update the item; on a refusal say why, focus the field, stay open."""
        item = self.item()
        try:
            if item.id is None:
                saved = self._service.create(item, self.file_content())
            else:
                saved = self._service.update(item, self.file_content())
        except ValidationError as error:
            self.refuse(error)
            return False
        except DomainError as error:
            show_error(self, error)
            return False
        self._item = saved
        self.saved_item = saved
        return True

    def refuse(self, error: ValidationError) -> None:
        QMessageBox.warning(self, _tr("Cannot save"), error.message)
        widget = self.field_widget(error.field or "")
        if widget is not None:
            widget.setFocus()

    def accept(self) -> None:
        if self.save():
            super().accept()

    def is_dirty(self) -> bool:
        """Something typed, chosen or timed since the form opened that is not saved."""
        return self.item() != self._baseline or self.file_content() is not self._baseline_content

    def ask_unsaved(self) -> str:
        """Save / Discard / Cancel for unsaved changes: "save", "discard" or "cancel"."""
        answer = QMessageBox.question(
            self,
            _tr("Unsaved changes"),
            _tr("Save the changes to “{subject}”?").format(
                subject=self.subject_edit.text().strip() or _tr("Untitled")
            ),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        return {
            QMessageBox.StandardButton.Save: "save",
            QMessageBox.StandardButton.Discard: "discard",
        }.get(answer, "cancel")

    def reject(self) -> None:
        """Cancel, Esc or the close box: what was typed (or timed) is not dropped unasked."""
        if self.saved_item is None and self.is_dirty():
            choice = self.ask_unsaved()
            if choice == "cancel":
                return
            if choice == "save":
                self.accept()
                return
        super().reject()

    def done(self, result: int) -> None:
        QSettings().setValue(self._settings_key(), self.saveGeometry())
        super().done(result)


class BusinessNoteForm(HistoryItemForm):
    KIND = HistoryKind.NOTE


class PhoneLogForm(HistoryItemForm):
    """A phone call: start, duration with a running timer, incoming or outgoing."""

    KIND = HistoryKind.PHONE_LOG
    DATE_LABEL = "St&art:"  # Alt+T is Start Timer, Alt+S Save & Close
    SIZE = (540, 460)

    def __init__(
        self,
        service: HistoryService,
        item: HistoryItem,
        parent: QWidget | None = None,
        *,
        clock: Clock = time.monotonic,
        **kwargs: object,
    ) -> None:
        self._clock = clock
        self._timer_base = 0
        self._timer_started: float | None = None
        self._ticking = False
        super().__init__(service, item, parent, **kwargs)  # type: ignore[arg-type]

    def build_fields(self) -> None:
        self.add_row(_tr("Su&bject:"), self.subject_edit)
        self.add_row(_tr(self.DATE_LABEL), self.date_edit)
        self.minutes_spin = QSpinBox(self)
        self.minutes_spin.setObjectName("phoneMinutes")
        self.minutes_spin.setRange(0, 24 * 60 - 1)
        self.minutes_spin.setSuffix(_tr(" min"))
        self.minutes_spin.setAccessibleName(_tr("Duration, minutes"))
        self.seconds_spin = QSpinBox(self)
        self.seconds_spin.setObjectName("phoneSeconds")
        self.seconds_spin.setRange(0, 59)
        self.seconds_spin.setSuffix(_tr(" s"))
        self.seconds_spin.setAccessibleName(_tr("Duration, seconds"))
        self.timer_button = QPushButton(_tr("Start &Timer"), self)
        self.timer_button.setObjectName("phoneTimer")
        self.timer_button.setAutoDefault(False)
        self.timer_button.setToolTip(_tr("Time the call: the duration counts while it runs"))
        self.timer_button.clicked.connect(self.toggle_timer)
        duration = QHBoxLayout()
        duration.addWidget(self.minutes_spin)
        duration.addWidget(self.seconds_spin)
        duration.addWidget(self.timer_button)
        duration.addStretch(1)
        label = self.add_row(_tr("D&uration:"), duration)
        label.setBuddy(self.minutes_spin)
        self.direction_combo = QComboBox(self)
        self.direction_combo.setObjectName("phoneDirection")
        self.direction_combo.addItem(_tr("Outgoing"), CallDirection.OUTGOING.value)
        self.direction_combo.addItem(_tr("Incoming"), CallDirection.INCOMING.value)
        self.direction_combo.setAccessibleName(_tr("Call direction"))
        self.add_row(_tr("&Call:"), self.direction_combo)
        self.ticker = QTimer(self)
        self.ticker.setObjectName("phoneTicker")
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.tick)
        self.minutes_spin.valueChanged.connect(self._duration_typed)
        self.seconds_spin.valueChanged.connect(self._duration_typed)

    def load(self, item: HistoryItem) -> None:
        seconds = item.duration_seconds or 0
        self.minutes_spin.setValue(seconds // 60)
        self.seconds_spin.setValue(seconds % 60)
        direction = item.direction or CallDirection.OUTGOING
        self.direction_combo.setCurrentIndex(self.direction_combo.findData(direction.value))

    def duration_seconds(self) -> int:
        return self.minutes_spin.value() * 60 + self.seconds_spin.value()

    def timer_running(self) -> bool:
        return self._timer_started is not None

    def toggle_timer(self) -> None:
        """Start the timer from the duration shown, or pause it there."""
        if self._timer_started is None:
            self._timer_base = self.duration_seconds()
            self._timer_started = self._clock()
            self.ticker.start()
            self.timer_button.setText(_tr("Pause &Timer"))
        else:
            self.tick()
            self._timer_started = None
            self.ticker.stop()
            self.timer_button.setText(_tr("Start &Timer"))

    def tick(self) -> None:
        """Show the time elapsed since the timer started, added to where it started."""
        if self._timer_started is None:
            return
        total = self._timer_base + int(self._clock() - self._timer_started)
        total = min(total, 24 * 3600 - 1)
        self._ticking = True
        try:
            self.minutes_spin.setValue(total // 60)
            self.seconds_spin.setValue(total % 60)
        finally:
            self._ticking = False

    def _duration_typed(self, _value: int) -> None:
        """A duration typed while the timer runs is kept: the timer counts on from it."""
        if self._timer_started is not None and not self._ticking:
            self._timer_base = self.duration_seconds()
            self._timer_started = self._clock()

    def collect(self, item: HistoryItem) -> HistoryItem:
        self.tick()
        return replace(
            item,
            duration_seconds=self.duration_seconds(),
            direction=CallDirection(self.direction_combo.currentData()),
        )

    def field_widget(self, field: str) -> QWidget | None:
        widgets: dict[str, QWidget] = {
            "duration": self.minutes_spin,
            "direction": self.direction_combo,
        }
        return widgets.get(field) or super().field_widget(field)

    def done(self, result: int) -> None:
        self.ticker.stop()
        super().done(result)


TASK_STATUSES = {
    TaskStatus.NOT_STARTED: "Not started",
    TaskStatus.IN_PROGRESS: "In progress",
    TaskStatus.WAITING: "Waiting on someone else",
    TaskStatus.DEFERRED: "Deferred",
    TaskStatus.COMPLETED: "Completed",
}
PRIORITIES = {Priority.LOW: "Low", Priority.NORMAL: "Normal", Priority.HIGH: "High"}


class TaskForm(HistoryItemForm):
    """A task: due date, status, priority, % complete, reminder and who does it."""

    KIND = HistoryKind.TASK
    DATE_LABEL = "&Created:"
    SIZE = (540, 520)

    def build_fields(self) -> None:
        self.add_row(_tr("Su&bject:"), self.subject_edit)
        self.due_edit = OptionalDateEdit(self)
        self.due_edit.setObjectName("taskDue")
        self.due_edit.setAccessibleName(_tr("Due date"))
        self.add_row(_tr("D&ue date:"), self.due_edit)
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("taskStatus")
        for status, text in TASK_STATUSES.items():
            self.status_combo.addItem(_tr(text), status.value)
        self.status_combo.setAccessibleName(_tr("Status"))
        self.add_row(_tr("S&tatus:"), self.status_combo)
        self.priority_combo = QComboBox(self)
        self.priority_combo.setObjectName("taskPriority")
        for priority, text in PRIORITIES.items():
            self.priority_combo.addItem(_tr(text), priority.value)
        self.priority_combo.setAccessibleName(_tr("Priority"))
        self.add_row(_tr("&Priority:"), self.priority_combo)
        self.percent_spin = QSpinBox(self)
        self.percent_spin.setObjectName("taskPercent")
        self.percent_spin.setRange(0, 100)
        self.percent_spin.setSingleStep(25)
        self.percent_spin.setSuffix(" %")
        self.percent_spin.setAccessibleName(_tr("Percent complete"))
        self.add_row(_tr("% C&omplete:"), self.percent_spin)
        self.reminder_edit = OptionalDateTimeEdit(self)
        self.reminder_edit.setObjectName("taskReminder")
        self.reminder_edit.setAccessibleName(_tr("Reminder"))
        self.add_row(_tr("&Reminder:"), self.reminder_edit)
        self.assigned_combo = QComboBox(self)
        self.assigned_combo.setObjectName("taskAssignedTo")
        self.assigned_combo.setAccessibleName(_tr("Assigned to"))
        self.add_row(_tr("&Assigned to:"), self.assigned_combo)
        self.add_row(_tr(self.DATE_LABEL), self.date_edit)
        self.status_combo.currentIndexChanged.connect(self._on_status)

    def _on_status(self, _index: int) -> None:
        if self.status_combo.currentData() == TaskStatus.COMPLETED.value:
            self.percent_spin.setValue(100)

    def load(self, item: HistoryItem) -> None:
        self.assigned_combo.clear()
        self.assigned_combo.addItem(_tr("(nobody)"), None)
        for user in self._users:
            if user.active or user.id == item.assigned_to_id:
                # A removed user only for the task that is already theirs, marked so.
                name = user.name if user.active else _tr("{name} (removed)").format(name=user.name)
                self.assigned_combo.addItem(name, user.id)
        self.due_edit.set_value(item.due_date)
        status = item.status or TaskStatus.NOT_STARTED
        self.status_combo.setCurrentIndex(self.status_combo.findData(status.value))
        priority = item.priority or Priority.NORMAL
        self.priority_combo.setCurrentIndex(self.priority_combo.findData(priority.value))
        self.percent_spin.setValue(item.percent_complete or 0)
        self.reminder_edit.set_value(item.reminder_at)
        index = self.assigned_combo.findData(item.assigned_to_id)
        self.assigned_combo.setCurrentIndex(max(index, 0))

    def collect(self, item: HistoryItem) -> HistoryItem:
        assigned = self.assigned_combo.currentData()
        return replace(
            item,
            due_date=self.due_edit.value(),
            status=TaskStatus(self.status_combo.currentData()),
            priority=Priority(self.priority_combo.currentData()),
            percent_complete=self.percent_spin.value(),
            reminder_at=self.reminder_edit.value(),
            assigned_to_id=int(assigned) if assigned is not None else None,
        )

    def field_widget(self, field: str) -> QWidget | None:
        widgets: dict[str, QWidget] = {
            "due_date": self.due_edit,
            "percent_complete": self.percent_spin,
            "reminder_at": self.reminder_edit,
        }
        return widgets.get(field) or super().field_widget(field)


class EmailForm(HistoryItemForm):
    """An e-mail message: To, subject, body. Send opens the mail program and logs the message."""

    KIND = HistoryKind.EMAIL
    DATE_LABEL = "S&ent:"
    SIZE = (600, 500)

    def build_fields(self) -> None:
        self.to_edit = QLineEdit(self)
        self.to_edit.setObjectName("emailTo")
        self.to_edit.setPlaceholderText(_tr("name@example.com; another@example.com"))
        self.to_edit.setAccessibleName(_tr("To"))
        self.from_edit = QLineEdit(self)
        self.from_edit.setObjectName("emailFrom")
        self.from_edit.setAccessibleName(_tr("From"))
        self.add_row(_tr("&To:"), self.to_edit)
        self.add_row(_tr("&From:"), self.from_edit)
        self.add_row(_tr("Su&bject:"), self.subject_edit)
        self.add_row(_tr(self.DATE_LABEL), self.date_edit)
        self.send_button = self.add_button(_tr("Sen&d"), "emailSend", self.send)
        self.send_button.setToolTip(
            _tr("Open the message in your e-mail program and keep it in the history (Ctrl+Enter)")
        )
        QShortcut(QKeySequence("Ctrl+Return"), self, self.send)

    def load(self, item: HistoryItem) -> None:
        self.to_edit.setText(item.email_to)
        self.from_edit.setText(item.email_from)
        self.body_label.setText(_tr("&Message:"))

    def collect(self, item: HistoryItem) -> HistoryItem:
        return replace(item, email_to=self.to_edit.text(), email_from=self.from_edit.text())

    def field_widget(self, field: str) -> QWidget | None:
        widgets: dict[str, QWidget] = {"email_to": self.to_edit, "email_from": self.from_edit}
        return widgets.get(field) or super().field_widget(field)

    def send(self) -> bool:
        """Open a ``mailto:`` message in the mail program, then save it as sent now."""
        if not people_from_text(self.to_edit.text()):
            QMessageBox.warning(
                self, _tr("Send"), _tr("Type the address to send to in To, e.g. name@example.com.")
            )
            self.to_edit.setFocus()
            return False
        self.date_edit.setDateTime(to_qdatetime(self._now()))
        item = self.item()
        try:
            validated(item)
        except ValidationError as error:
            self.refuse(error)
            return False
        url = mailto_url(item.email_to, item.subject, item.body)
        if not QDesktopServices.openUrl(url):
            QMessageBox.warning(
                self, _tr("Send"), _tr("No e-mail program is set up to send the message.")
            )
            return False
        if not self.save():
            return False
        super().accept()
        return True


class AppointmentForm(HistoryItemForm):
    """An appointment: location, start and end, attendees; Export .ics… writes it to a file."""

    KIND = HistoryKind.APPOINTMENT
    DATE_LABEL = "S&tart:"
    SIZE = (560, 480)

    def build_fields(self) -> None:
        self.add_row(_tr("Su&bject:"), self.subject_edit)
        self.location_edit = QLineEdit(self)
        self.location_edit.setObjectName("appointmentLocation")
        self.location_edit.setMaxLength(255)
        self.location_edit.setAccessibleName(_tr("Location"))
        self.add_row(_tr("&Location:"), self.location_edit)
        self.add_row(_tr(self.DATE_LABEL), self.date_edit)
        self.end_edit = QDateTimeEdit(self)
        self.end_edit.setObjectName("appointmentEnd")
        self.end_edit.setCalendarPopup(True)
        self.end_edit.setAccessibleName(_tr("End"))
        self.add_row(_tr("&End:"), self.end_edit)
        self.attendees_edit = QLineEdit(self)
        self.attendees_edit.setObjectName("appointmentAttendees")
        self.attendees_edit.setPlaceholderText(_tr("Name <name@example.com>; …"))
        self.attendees_edit.setAccessibleName(_tr("Attendees"))
        self.add_row(_tr("&Attendees:"), self.attendees_edit)
        self.export_button = self.add_button(_tr("E&xport .ics…"), "appointmentExport", self.export)
        self.export_button.setToolTip(_tr("Save the appointment as an iCalendar (.ics) file"))
        self._shown_start: QDateTime | None = None
        self.date_edit.dateTimeChanged.connect(self._keep_end_after_start)

    def load(self, item: HistoryItem) -> None:
        start = item.occurred_at or self._now()
        self.location_edit.setText(item.location)
        self.end_edit.setDateTime(to_qdatetime(item.end_at or start + timedelta(hours=1)))
        self.attendees_edit.setText(item.attendees)

    def _keep_end_after_start(self, start: QDateTime) -> None:
        # Moving the start moves the end with it, keeping the appointment's length, as
        # calendars do (the first start shown is the item's own: its end is loaded after it).
        previous = self._shown_start
        self._shown_start = QDateTime(start)
        if previous is None:
            return
        length = max(previous.secsTo(self.end_edit.dateTime()), 0)
        self.end_edit.setDateTime(start.addSecs(length))

    def collect(self, item: HistoryItem) -> HistoryItem:
        return replace(
            item,
            location=self.location_edit.text(),
            end_at=from_qdatetime(self.end_edit.dateTime()),
            attendees=self.attendees_edit.text(),
        )

    def field_widget(self, field: str) -> QWidget | None:
        widgets: dict[str, QWidget] = {
            "end_at": self.end_edit,
            "location": self.location_edit,
            "attendees": self.attendees_edit,
        }
        return widgets.get(field) or super().field_widget(field)

    def ics_text(self) -> str:
        item = validated(self.item())
        start = item.occurred_at or self._now()
        return meeting_request(
            uid=f"{uuid.uuid4()}@bcm-desktop",
            stamp=self._now(),
            start=start,
            end=item.end_at or start,
            summary=item.subject,
            location=item.location,
            description=item.body,
            attendees=people_from_text(item.attendees),
        )

    def export(self) -> Path | None:
        """Ask where, then write the appointment as a .ics file; the path, or ``None``."""
        try:
            text = self.ics_text()
        except ValidationError as error:
            self.refuse(error)
            return None
        default = safe_file_name(self.subject_edit.text().strip() or _tr("Appointment")) + ".ics"
        path, _filter = QFileDialog.getSaveFileName(
            self, _tr("Export .ics"), default, _tr("iCalendar files (*.ics)")
        )
        if not path:
            return None
        target = Path(path if path.lower().endswith(".ics") else f"{path}.ics")
        try:
            target.write_bytes(text.encode("utf-8"))
        except OSError as error:
            show_error(self, error)
            return None
        return target


class FileForm(HistoryItemForm):
    """A file chosen from disk and stored in the database; Open and Save As… read it back."""

    KIND = HistoryKind.FILE
    SIZE = (560, 420)

    def __init__(
        self,
        service: HistoryService,
        item: HistoryItem,
        parent: QWidget | None = None,
        *,
        content: bytes | None = None,
        **kwargs: object,
    ) -> None:
        self._content = content
        super().__init__(service, item, parent, **kwargs)  # type: ignore[arg-type]

    def build_fields(self) -> None:
        self.file_label = QLabel(self)
        self.file_label.setObjectName("fileName")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton(_tr("&Replace…"), self)
        self.choose_button.setObjectName("fileChoose")
        self.choose_button.setAutoDefault(False)
        self.choose_button.setToolTip(_tr("Store another file from disk in this item"))
        self.choose_button.clicked.connect(lambda _checked=False: self.choose_file())
        row = QHBoxLayout()
        row.addWidget(self.file_label, 1)
        row.addWidget(self.choose_button)
        label = self.add_row(_tr("File:"), row)
        label.setBuddy(self.choose_button)
        self.add_row(_tr("Su&bject:"), self.subject_edit)
        self.add_row(_tr("&Date:"), self.date_edit)
        self.open_button = self.add_button(_tr("&Open"), "fileOpen", self.open_file)
        self.open_button.setToolTip(_tr("Open a copy of the file with its program"))
        self.save_as_button = self.add_button(_tr("Save &As…"), "fileSaveAs", self.save_file_as)
        self.save_as_button.setToolTip(_tr("Write the file to a folder of your choice"))

    def load(self, item: HistoryItem) -> None:
        self._show_file(item.file_name, item.file_size)

    def _show_file(self, name: str, size: int | None) -> None:
        self._file_name = name
        text = f"{name}  ({size_text(size)})" if name and size is not None else name
        self.file_label.setText(text or _tr("No file chosen"))
        stored = self._item.id is not None
        self.open_button.setEnabled(stored)
        self.save_as_button.setEnabled(stored)

    def choose_file(self) -> bool:
        """Pick a file from disk to store; False when cancelled or it cannot be read."""
        path, _filter = QFileDialog.getOpenFileName(self, _tr("Choose a file to store"))
        if not path:
            return False
        return self.use_file(Path(path))

    def use_file(self, path: Path) -> bool:
        """Read ``path`` into the form (refused above the size limit before reading it)."""
        try:
            check_file_size(path.stat().st_size)
            data = path.read_bytes()
            check_file_size(len(data))
        except ValidationError as error:
            show_error(self, error)
            return False
        except OSError as error:
            show_error(
                self,
                DomainError(
                    _tr("“{name}” cannot be read: {reason}").format(
                        name=path.name, reason=error.strerror or error
                    )
                ),
            )
            return False
        self._content = data
        if not self.subject_edit.text().strip() or self.subject_edit.text() == self._file_name:
            self.subject_edit.setText(path.name)
        self._show_file(path.name, len(data))
        return True

    def file_content(self) -> bytes | None:
        return self._content

    def collect(self, item: HistoryItem) -> HistoryItem:
        return replace(item, file_name=self._file_name)

    def field_widget(self, field: str) -> QWidget | None:
        if field in ("file", "file_name"):
            return self.choose_button
        return super().field_widget(field)

    def open_file(self) -> Path | None:
        """Write a temporary copy under the original name and open it with its program."""
        if self._item.id is None:
            return None
        try:
            path = self._service.temporary_copy(self._item.id)
        except (DomainError, OSError) as error:
            show_error(self, error)
            return None
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.warning(
                self,
                _tr("Open"),
                _tr("No program opened the file. A copy was saved as {path}.").format(path=path),
            )
        return path

    def save_file_as(self) -> Path | None:
        """Ask where, then write the stored file there."""
        if self._item.id is None:
            return None
        path, _filter = QFileDialog.getSaveFileName(
            self, _tr("Save File As"), safe_file_name(self._file_name)
        )
        if not path:
            return None
        try:
            return self._service.save_file_as(self._item.id, Path(path))
        except (DomainError, OSError) as error:
            show_error(self, error)
            return None


FORMS: dict[HistoryKind, type[HistoryItemForm]] = {
    HistoryKind.NOTE: BusinessNoteForm,
    HistoryKind.PHONE_LOG: PhoneLogForm,
    HistoryKind.TASK: TaskForm,
    HistoryKind.EMAIL: EmailForm,
    HistoryKind.APPOINTMENT: AppointmentForm,
    HistoryKind.FILE: FileForm,
}


def form_class(kind: HistoryKind) -> type[HistoryItemForm]:
    return FORMS[kind]


def edit_item(
    parent: QWidget | None,
    service: HistoryService,
    item: HistoryItem,
    *,
    users: Sequence[User] = (),
    content: bytes | None = None,
) -> HistoryItem | None:
    """Run the form of ``item``'s kind; the saved item, or ``None`` when cancelled."""
    cls = form_class(item.kind)
    if cls is FileForm:
        form: HistoryItemForm = FileForm(service, item, parent, users=users, content=content)
    else:
        form = cls(service, item, parent, users=users)
    try:
        form.exec()
        return form.saved_item
    finally:
        form.deleteLater()


def choose_new_file(parent: QWidget | None) -> tuple[Path, bytes] | None:
    """New → File: pick a file from disk (it cannot be created here, S-8) and read it.

    ``None`` when cancelled or when the file is too large or unreadable (the user was told).
    """
    path_text, _filter = QFileDialog.getOpenFileName(parent, _tr("Choose a file to store"))
    if not path_text:
        return None
    path = Path(path_text)
    try:
        check_file_size(path.stat().st_size)
        return path, path.read_bytes()
    except ValidationError as error:
        show_error(parent, error)
    except OSError as error:
        show_error(
            parent,
            DomainError(
                _tr("“{name}” cannot be read: {reason}").format(
                    name=path.name, reason=error.strerror or error
                )
            ),
        )
    return None
