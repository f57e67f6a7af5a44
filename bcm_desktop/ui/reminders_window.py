"""The Reminders window (like Outlook's): due reminders with Dismiss, Snooze and Open Item.

One non-modal window per main window. The main window asks the reminder service what is due
(every 30 seconds, off the UI thread) and hands the answer to :meth:`RemindersWindow.set_due`,
which says whether anything new came due, so the main window knows when to show it. Dismiss
and Snooze write through the service and take the reminders off the list at once; a check
that was already running when the user did so is discarded (:attr:`RemindersWindow.generation`)
so a stale answer cannot bring a dismissed reminder back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import DomainError
from ..domain.reminders import Reminder, ReminderKey, ReminderKind
from ..services.reminders import ReminderService
from . import formatting
from .errors import show_error

ModelIndex = QModelIndex | QPersistentModelIndex
OVERDUE = QColor("#b00020")

#: The Snooze choices, as Outlook offers them (the service accepts 5 minutes to 1 day).
SNOOZE_CHOICES: tuple[tuple[str, timedelta], ...] = (
    ("5 minutes", timedelta(minutes=5)),
    ("10 minutes", timedelta(minutes=10)),
    ("15 minutes", timedelta(minutes=15)),
    ("30 minutes", timedelta(minutes=30)),
    ("1 hour", timedelta(hours=1)),
    ("2 hours", timedelta(hours=2)),
    ("4 hours", timedelta(hours=4)),
    ("1 day", timedelta(days=1)),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("RemindersWindow", text)


def kind_text(kind: ReminderKind) -> str:
    return {
        ReminderKind.OPPORTUNITY: _tr("Opportunity"),
        ReminderKind.ACTIVITY: _tr("Sales activity"),
        ReminderKind.TASK: _tr("Task"),
    }[kind]


def subject_text(reminder: Reminder) -> str:
    """The subject as listed: an activity or task names the opportunity it is for."""
    if reminder.regarding:
        return _tr("{subject} — {regarding}").format(
            subject=reminder.subject, regarding=reminder.regarding
        )
    return reminder.subject


def overdue_text(due_at: datetime, now: datetime) -> str:
    """Outlook's "Due in" column: "Now", or how long ago the reminder came due."""
    seconds = int((now - due_at).total_seconds())
    if seconds < 60:
        return _tr("Now")
    minutes = seconds // 60
    if minutes < 60:
        return (
            _tr("1 minute overdue")
            if minutes == 1
            else _tr("{n} minutes overdue").format(n=minutes)
        )
    hours = minutes // 60
    if hours < 24:
        return _tr("1 hour overdue") if hours == 1 else _tr("{n} hours overdue").format(n=hours)
    days = hours // 24
    if days < 14:
        return _tr("1 day overdue") if days == 1 else _tr("{n} days overdue").format(n=days)
    return _tr("{n} weeks overdue").format(n=days // 7)


class ReminderModel(QAbstractTableModel):
    """The due reminders (at most a few hundred, held in full): Subject, Due in, Kind."""

    SUBJECT, DUE, KIND = range(3)
    ReminderRole = Qt.ItemDataRole.UserRole

    def __init__(self, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._rows: list[Reminder] = []

    def set_reminders(self, reminders: Sequence[Reminder]) -> None:
        self.beginResetModel()
        try:
            self._rows = list(reminders)
        finally:
            self.endResetModel()

    def reminders(self) -> list[Reminder]:
        return list(self._rows)

    def keys(self) -> set[ReminderKey]:
        return {reminder.key for reminder in self._rows}

    def reminder_at(self, row: int) -> Reminder | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: ReminderKey) -> int | None:
        for row, reminder in enumerate(self._rows):
            if reminder.key == key:
                return row
        return None

    def remove(self, keys: set[ReminderKey]) -> None:
        """Take the reminders with ``keys`` off the list, row by row."""
        for row in reversed(range(len(self._rows))):
            if self._rows[row].key in keys:
                self.beginRemoveRows(QModelIndex(), row, row)
                try:
                    del self._rows[row]
                finally:
                    self.endRemoveRows()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        reminder = self.reminder_at(index.row()) if index.isValid() else None
        if reminder is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.SUBJECT:
                return subject_text(reminder)
            if column == self.DUE:
                if role == Qt.ItemDataRole.ToolTipRole:
                    return _tr("Due {when}").format(when=formatting.short_datetime(reminder.due_at))
                return overdue_text(reminder.due_at, self._now())
            return kind_text(reminder.kind)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.DUE:
            if (self._now() - reminder.due_at) >= timedelta(minutes=1):
                return QBrush(OVERDUE)
            return None
        if role == self.ReminderRole:
            return reminder
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (_tr("Subject"), _tr("Due in"), _tr("Kind"))
        return titles[section] if 0 <= section < len(titles) else None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def refresh_due_texts(self) -> None:
        """Time passed: "Due in" reads again (the rows stay as they are)."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.DUE),
                self.index(len(self._rows) - 1, self.DUE),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole],
            )


class RemindersWindow(QWidget):
    """The Reminders window: the list, the selected reminder on top, and its buttons."""

    #: Open Item (or a double-click): the main window opens the reminder's record.
    open_requested = Signal(object)

    def __init__(self, service: ReminderService, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("remindersWindow")
        self._service = service
        #: Bumped by every Dismiss and Snooze: an answer to an older check is stale.
        self.generation = 0

        icon = QLabel(self)
        bell = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        icon.setPixmap(bell.pixmap(32, 32))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.subject_label = QLabel(self)
        self.subject_label.setObjectName("reminderSubject")
        bold = QFont(self.subject_label.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.subject_label.setFont(bold)
        self.subject_label.setWordWrap(True)
        self.subject_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.due_label = QLabel(self)
        self.due_label.setObjectName("reminderDue")
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.subject_label)
        heading.addWidget(self.due_label)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(icon)
        top.addLayout(heading, 1)

        self.model = ReminderModel(service.now, self)
        self.view = QTableView(self)
        self.view.setObjectName("remindersList")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(ReminderModel.SUBJECT, QHeaderView.ResizeMode.Stretch)
        for column in (ReminderModel.DUE, ReminderModel.KIND):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.doubleClicked.connect(lambda _index: self.open_item())
        self.view.activated.connect(lambda _index: self.open_item())
        self.more_label = QLabel(self)
        self.more_label.setObjectName("remindersMore")
        self.more_label.setWordWrap(True)
        self.more_label.setStyleSheet("color:#666")
        self.more_label.hide()

        self.dismiss_all_button = QPushButton(self)
        self.dismiss_all_button.setObjectName("remindersDismissAll")
        self.dismiss_all_button.clicked.connect(lambda _checked=False: self.dismiss_all())
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("remindersOpenItem")
        self.open_button.clicked.connect(lambda _checked=False: self.open_item())
        self.dismiss_button = QPushButton(self)
        self.dismiss_button.setObjectName("remindersDismiss")
        self.dismiss_button.clicked.connect(lambda _checked=False: self.dismiss())
        buttons = QHBoxLayout()
        buttons.addWidget(self.dismiss_all_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.dismiss_button)

        self.snooze_label = QLabel(self)
        self.snooze_combo = QComboBox(self)
        self.snooze_combo.setObjectName("remindersSnoozeChoice")
        for _text, delay in SNOOZE_CHOICES:
            self.snooze_combo.addItem("", delay)
        self.snooze_label.setBuddy(self.snooze_combo)
        self.snooze_button = QPushButton(self)
        self.snooze_button.setObjectName("remindersSnooze")
        self.snooze_button.clicked.connect(lambda _checked=False: self.snooze())
        snooze = QHBoxLayout()
        snooze.addWidget(self.snooze_combo, 1)
        snooze.addWidget(self.snooze_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.more_label)
        layout.addLayout(buttons)
        layout.addSpacing(6)
        layout.addWidget(self.snooze_label)
        layout.addLayout(snooze)
        for first, second in (
            (self.view, self.dismiss_all_button),
            (self.dismiss_all_button, self.open_button),
            (self.open_button, self.dismiss_button),
            (self.dismiss_button, self.snooze_combo),
            (self.snooze_combo, self.snooze_button),
        ):
            QWidget.setTabOrder(first, second)

        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_current())
        self.view.selectionModel().currentChanged.connect(lambda *_: self._show_current())
        self.resize(520, 360)
        self.retranslate_ui()
        self._show_current()

    def retranslate_ui(self) -> None:
        count = self.model.rowCount()
        self.setWindowTitle(
            _tr("1 Reminder") if count == 1 else _tr("{n} Reminders").format(n=count)
        )
        self.dismiss_all_button.setText(_tr("Dismiss &All"))
        self.dismiss_all_button.setToolTip(_tr("Dismiss every reminder in the list"))
        self.open_button.setText(_tr("&Open Item"))
        self.open_button.setToolTip(_tr("Open the record of the selected reminder"))
        self.dismiss_button.setText(_tr("&Dismiss"))
        self.dismiss_button.setToolTip(_tr("Dismiss the selected reminders: they do not return"))
        self.snooze_label.setText(_tr("Click Snooze to be &reminded again in:"))
        for index, (text, _delay) in enumerate(SNOOZE_CHOICES):
            self.snooze_combo.setItemText(index, _tr(text))
        self.snooze_button.setText(_tr("&Snooze"))
        self.snooze_button.setToolTip(_tr("Remind me of the selected reminders again later"))
        self.view.setAccessibleName(_tr("Reminders"))
        self.snooze_combo.setAccessibleName(_tr("Snooze for"))
        self.more_label.setText(
            _tr("Only the newest {n} reminders are listed; dismiss some to see older ones.").format(
                n=self._service.limit
            )
        )

    # -- the list --------------------------------------------------------------------------

    def reminders(self) -> list[Reminder]:
        return self.model.reminders()

    def set_due(self, reminders: Sequence[Reminder], generation: int | None = None) -> bool:
        """Show ``reminders`` (the service's answer); True when one of them is new here.

        An answer to a check started before the latest Dismiss or Snooze (``generation``
        older than :attr:`generation`) is stale and ignored (False).
        """
        if generation is not None and generation != self.generation:
            return False
        before = self.model.keys()
        keys = {reminder.key for reminder in reminders}
        if list(reminders) == self.model.reminders():  # a renamed record shows its new name
            self.model.refresh_due_texts()
            self._show_current()
            return False
        selected = [r.key for r in self.selected()]
        self.model.set_reminders(reminders)
        self._select_keys(selected)
        self._after_change()
        return bool(keys - before)

    def refresh(self) -> bool:
        """Ask the service now, on this thread (View → Reminders Window, tests)."""
        try:
            return self.set_due(self._service.due())
        except DomainError as error:
            show_error(self, error)
            return False

    def selected(self) -> list[Reminder]:
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [r for r in (self.model.reminder_at(row) for row in rows) if r is not None]

    def current(self) -> Reminder | None:
        chosen = self.selected()
        if chosen:
            return chosen[0]
        return self.model.reminder_at(self.view.currentIndex().row())

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        if not index.isValid():
            return
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _select_keys(self, keys: list[ReminderKey]) -> None:
        rows = [row for row in (self.model.row_of(key) for key in keys) if row is not None]
        if not rows:
            self.select_row(0)
            return
        self.select_row(rows[0])
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in rows[1:]:
            self.view.selectionModel().select(self.model.index(row, 0), flags)

    def _after_change(self) -> None:
        if self.view.selectionModel().selectedRows() == [] and self.model.rowCount():
            self.select_row(0)
        self.more_label.setVisible(self.model.rowCount() >= self._service.limit)
        self.retranslate_ui()
        self._show_current()

    def _show_current(self) -> None:
        reminder = self.current()
        has = reminder is not None
        for widget in (self.open_button, self.dismiss_button, self.snooze_button):
            widget.setEnabled(has)
        self.snooze_combo.setEnabled(has)
        self.dismiss_all_button.setEnabled(self.model.rowCount() > 0)
        if reminder is None:
            self.subject_label.setText(_tr("No reminders are due."))
            self.due_label.setText("")
            return
        self.subject_label.setText(subject_text(reminder))
        self.due_label.setText(
            _tr("{kind} · due {when}").format(
                kind=kind_text(reminder.kind), when=formatting.short_datetime(reminder.due_at)
            )
        )

    # -- commands --------------------------------------------------------------------------

    def dismiss(self) -> None:
        """Dismiss the selected reminders."""
        self._apply(self.selected(), self._service.dismiss_all)

    def dismiss_all(self) -> None:
        self._apply(self.model.reminders(), self._service.dismiss_all)

    def snooze(self) -> None:
        """Snooze the selected reminders for the time chosen in the combo box."""
        delay = self.snooze_combo.currentData()
        self._apply(self.selected(), lambda chosen: self._service.snooze_all(chosen, delay))

    def _apply(
        self, chosen: Sequence[Reminder], action: Callable[[Sequence[Reminder]], object]
    ) -> None:
        if not chosen:
            return
        first_row = min(
            row for row in (self.model.row_of(r.key) for r in chosen) if row is not None
        )
        try:
            action(chosen)
        except DomainError as error:
            show_error(self, error)
            return
        self.generation += 1
        self.model.remove({reminder.key for reminder in chosen})
        if self.model.rowCount() == 0:
            self._after_change()
            self.hide()  # as in Outlook: the last one dealt with closes the window
            return
        self.select_row(min(first_row, self.model.rowCount() - 1))
        self._after_change()

    def open_item(self) -> None:
        reminder = self.current()
        if reminder is not None:
            self.open_requested.emit(reminder)
