"""The "Edit this list…" dialog (S-4): add, rename, reorder and remove the entries of a list.

A list is a handful of names, so a ``QListWidget`` refilled after every change serves it
(as in Manage Categories); each button is one call to the list service, which enforces the
rules (owner only, names, replacements) in one transaction. Removing an entry that records
use asks what they get instead: another entry of the list or blank.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import ListItem
from ...domain.enums import ListKind
from ...domain.errors import DomainError
from ...domain.lists import BUSINESS_PROJECTS, MARKETING_ACTIVITIES, OPPORTUNITIES, ListItemUsage
from ...services.lists import NAME_LENGTH, ListService
from ..errors import show_error
from ..progress import run_with_progress
from ..widgets.single_line import keep_on_one_line
from ..workspace.records import count_text

GEOMETRY_KEY = "dialogs/listEditorGeometry"
# Removing an entry a million records use takes seconds: a progress dialog then shows after
# this delay (none for a quick removal) while the work runs in a worker thread.
PROGRESS_DELAY_MS = 500
ID_ROLE = Qt.ItemDataRole.UserRole


def _tr(text: str) -> str:
    return QCoreApplication.translate("ListEditorDialog", text)


def list_name(kind: ListKind) -> str:
    """The list's name as the form's field calls it."""
    return {
        ListKind.TYPE: _tr("Type"),
        ListKind.PAYMENT_TERMS: _tr("Payment Terms"),
        ListKind.SOURCE: _tr("Source"),
        ListKind.PROJECT_TYPE: _tr("Project Type"),
        ListKind.MARKETING_TYPE: _tr("Marketing Activity Type"),
    }[kind]


def records_text(table: str, count: int) -> str:
    """ "3 opportunities", "1 business project"… for the removal question."""
    one, many = {
        OPPORTUNITIES: (_tr("1 opportunity"), _tr("{count} opportunities")),
        BUSINESS_PROJECTS: (_tr("1 business project"), _tr("{count} business projects")),
        MARKETING_ACTIVITIES: (_tr("1 marketing activity"), _tr("{count} marketing activities")),
    }.get(table, (_tr("1 other record"), _tr("{count} other records")))
    return count_text(count, one, many)


def usage_sentence(usage: ListItemUsage, name: str) -> str:
    """ "3 opportunities (and 1 business project) use “Renewal”."."""
    parts = [records_text(table, count) for table, count in usage.by_table.items() if count]
    if not parts:
        return _tr("No records use “{name}”.").format(name=name)
    records = parts[0]
    if len(parts) > 1:
        records = _tr("{first} (and {rest})").format(first=parts[0], rest=", ".join(parts[1:]))
    if usage.total == 1:
        return _tr("{records} uses “{name}”.").format(records=records, name=name)
    return _tr("{records} use “{name}”.").format(records=records, name=name)


# -- Add / Rename -----------------------------------------------------------------------------


class ListItemNameDialog(QDialog):
    """Type the name of a new or renamed entry."""

    def __init__(self, title: str, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("listItemNameDialog")
        self.setWindowTitle(title)
        self.name_edit = QLineEdit(name, self)
        keep_on_one_line(self.name_edit)
        self.name_edit.setObjectName("name")
        self.name_edit.setMaxLength(NAME_LENGTH)
        self.name_edit.setAccessibleName(_tr("Name"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_tr("&Name:"), self.name_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self.name_edit.selectAll()

    def accept(self) -> None:
        if not self.name_edit.text().strip():
            QMessageBox.warning(self, self.windowTitle(), _tr("Type a name first."))
            self.name_edit.setFocus()
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, name: str = "") -> str | None:
        """The typed name, or ``None`` when cancelled."""
        dialog = cls(title, name, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.name_edit.text()
            return None
        finally:
            dialog.deleteLater()


# -- Remove an entry in use: Replace with -----------------------------------------------------


@dataclass(frozen=True)
class Replacement:
    """What the records using a removed entry get: ``item_id`` or blank (``None``)."""

    item_id: int | None


class ReplaceListItemDialog(QDialog):
    """ "N opportunities use “X”. Replace it with:" another entry of the list, or (blank)."""

    def __init__(
        self,
        list_title: str,
        item: ListItem,
        others: list[ListItem],
        usage: ListItemUsage,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("replaceListItemDialog")
        self.setWindowTitle(_tr("Remove from {list}").format(list=list_title))
        self.intro = QLabel(usage_sentence(usage, item.name), self)
        self.intro.setObjectName("usage")
        self.intro.setWordWrap(True)
        self.replacement_combo = QComboBox(self)
        self.replacement_combo.setObjectName("replacement")
        self.replacement_combo.setAccessibleName(_tr("Replace it with"))
        for other in others:
            self.replacement_combo.addItem(other.name, other.id)
        self.replacement_combo.addItem(_tr("(blank)"), None)
        replace_label = QLabel(_tr("&Replace it with:"), self)
        replace_label.setBuddy(self.replacement_combo)
        self.note = QLabel(
            _tr("“{name}” is then removed from the list.").format(name=item.name), self
        )
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_tr("Re&move"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(replace_label, self.replacement_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def replacement(self) -> Replacement:
        return Replacement(self.replacement_combo.currentData())

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        list_title: str,
        item: ListItem,
        others: list[ListItem],
        usage: ListItemUsage,
    ) -> Replacement | None:
        """The chosen replacement, or ``None`` when cancelled."""
        dialog = cls(list_title, item, others, usage, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.replacement()
            return None
        finally:
            dialog.deleteLater()


# -- the editor -------------------------------------------------------------------------------


@dataclass
class ListEditOutcome:
    """What the editor changed: whether anything did, and each removed entry's replacement
    (``None``: blank), so a form can follow its current choice."""

    changed: bool = False
    removed: dict[int, int | None] = field(default_factory=dict)


class ListEditorDialog(QDialog):
    """Edit one customizable list: its entries in order and the buttons that change them."""

    def __init__(self, service: ListService, kind: ListKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("listEditorDialog")
        self._service = service
        self.kind = kind
        self._items: list[ListItem] = []
        self.outcome = ListEditOutcome()
        self._owner = service.is_owner()

        self.list_widget = QListWidget(self)
        self.list_widget.setObjectName("listItems")
        self.list_widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_widget.setAlternatingRowColors(True)
        self.list_widget.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.list_widget.itemDoubleClicked.connect(lambda _item: self.rename())
        self._list_label = QLabel(self)
        self._list_label.setBuddy(self.list_widget)

        def button(name: str, slot: Callable[[], object]) -> QPushButton:
            widget = QPushButton(self)
            widget.setObjectName(name)
            widget.clicked.connect(slot)
            widget.setAutoDefault(False)
            return widget

        self.add_button = button("add", self.add)
        self.rename_button = button("rename", self.rename)
        self.remove_button = button("remove", self.remove)
        self.up_button = button("moveUp", lambda: self.move_entry(-1))
        self.down_button = button("moveDown", lambda: self.move_entry(+1))
        self.owner_note = QLabel(self)
        self.owner_note.setObjectName("ownerNote")
        self.owner_note.setWordWrap(True)
        self.owner_note.setVisible(not self._owner)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)

        side = QVBoxLayout()
        for widget in (self.add_button, self.rename_button, self.remove_button):
            side.addWidget(widget)
        side.addSpacing(12)
        side.addWidget(self.up_button)
        side.addWidget(self.down_button)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.list_widget, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.owner_note)
        layout.addWidget(self._list_label)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)

        # Keys a desktop user tries: Insert adds, F2 renames, Del removes, Alt+Up/Down move.
        for keys, slot in (
            (QKeySequence(Qt.Key.Key_Insert), self.add),
            (QKeySequence(Qt.Key.Key_F2), self.rename),
            (QKeySequence(QKeySequence.StandardKey.Delete), self.remove),
            (QKeySequence("Alt+Up"), lambda: self.move_entry(-1)),
            (QKeySequence("Alt+Down"), lambda: self.move_entry(+1)),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        QWidget.setTabOrder(self.list_widget, self.add_button)
        for first, second in (
            (self.add_button, self.rename_button),
            (self.rename_button, self.remove_button),
            (self.remove_button, self.up_button),
            (self.up_button, self.down_button),
            (self.down_button, self.close_button),
        ):
            QWidget.setTabOrder(first, second)
        self.retranslate_ui()
        self.refresh()
        self.list_widget.setFocus()
        self.resize(460, 380)
        geometry = QSettings().value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))

    @property
    def list_title(self) -> str:
        return list_name(self.kind)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_tr("Edit {list}").format(list=self.list_title))
        self._list_label.setText(_tr("&Entries, in the order forms show them:"))
        self.list_widget.setAccessibleName(
            _tr("Entries of the {list} list").format(list=self.list_title)
        )
        self.add_button.setText(_tr("&Add…"))
        self.add_button.setToolTip(_tr("Add an entry at the end of the list (Insert)"))
        self.rename_button.setText(_tr("Re&name…"))
        self.rename_button.setToolTip(_tr("Rename the selected entry (F2)"))
        self.remove_button.setText(_tr("&Remove…"))
        self.remove_button.setToolTip(
            _tr("Remove the selected entry; records using it get another entry or blank (Del)")
        )
        self.up_button.setText(_tr("Move &Up"))
        self.up_button.setToolTip(_tr("Move the selected entry up (Alt+Up)"))
        self.down_button.setText(_tr("Move &Down"))
        self.down_button.setToolTip(_tr("Move the selected entry down (Alt+Down)"))
        self.owner_note.setText(_tr("Only the database owner can change this list."))
        self._update_buttons()

    # -- state ---------------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        """Read the list again, keeping (or setting) the selected entry."""
        if select is None:
            select = self.selected_id()
        try:
            self._items = self._service.items(self.kind)
        except DomainError as error:
            show_error(self, error)
            return
        self.list_widget.blockSignals(True)
        try:
            self.list_widget.clear()
            for entry in self._items:
                row = QListWidgetItem(entry.name, self.list_widget)
                row.setData(ID_ROLE, entry.id)
            ids = [entry.id for entry in self._items]
            if select in ids:
                self.list_widget.setCurrentRow(ids.index(select))
            elif ids:
                self.list_widget.setCurrentRow(0)
        finally:
            self.list_widget.blockSignals(False)
        self._update_buttons()

    def names(self) -> list[str]:
        return [entry.name for entry in self._items]

    def selected_id(self) -> int | None:
        item = self.selected()
        return None if item is None else item.id

    def selected(self) -> ListItem | None:
        row = self.list_widget.currentRow()
        return self._items[row] if 0 <= row < len(self._items) else None

    def _update_buttons(self) -> None:
        row = self.list_widget.currentRow()
        chosen = self._owner and 0 <= row < len(self._items)
        self.add_button.setEnabled(self._owner)
        self.rename_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.up_button.setEnabled(chosen and row > 0)
        self.down_button.setEnabled(chosen and row < len(self._items) - 1)

    def _run(self, work: Callable[[], object], select: int | None = None) -> bool:
        """Call the service; on refusal show why. Refresh either way (a colleague may have
        changed the list meanwhile)."""
        try:
            work()
        except DomainError as error:
            show_error(self, error)
            self.refresh()
            return False
        self.outcome.changed = True
        self.refresh(select)
        return True

    # -- commands ------------------------------------------------------------------------

    def add(self) -> None:
        if not self._owner:
            return
        name = ListItemNameDialog.ask(self, _tr("Add to {list}").format(list=self.list_title))
        if name is None:
            return
        added: list[ListItem] = []
        if self._run(lambda: added.append(self._service.add(self.kind, name))):
            self.refresh(added[0].id)

    def rename(self) -> None:
        item = self.selected()
        if item is None or not self._owner:
            return
        name = ListItemNameDialog.ask(
            self, _tr("Rename “{name}”").format(name=item.name), item.name
        )
        if name is not None and name != item.name:
            self._run(lambda: self._service.rename(item.id, name), item.id)

    def remove(self) -> None:
        item = self.selected()
        if item is None or not self._owner:
            return
        try:
            usage = self._service.usage_by_record_type(item.id)
        except DomainError as error:
            show_error(self, error)
            self.refresh()
            return
        if usage.total:
            others = [entry for entry in self._items if entry.id != item.id]
            chosen = ReplaceListItemDialog.ask(self, self.list_title, item, others, usage)
            if chosen is None:
                return
            replacement = chosen.item_id
        else:
            answer = QMessageBox.question(
                self,
                _tr("Remove from {list}").format(list=self.list_title),
                _tr("Remove “{name}” from the {list} list? No record uses it.").format(
                    name=item.name, list=self.list_title
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            replacement = None
        row = self.list_widget.currentRow()
        neighbour = self._items[row + 1 if row + 1 < len(self._items) else row - 1]
        select = replacement if replacement is not None else neighbour.id

        def work() -> int:
            if not usage.total:
                return self._service.remove(item.id, replacement)
            return run_with_progress(
                self,
                _tr("Remove from {list}").format(list=self.list_title),
                (
                    _tr("Changing the record that uses “{name}”…")
                    if usage.total == 1
                    else _tr("Changing {count} records that use “{name}”…")
                ).format(count=f"{usage.total:,}", name=item.name),
                lambda _progress: self._service.remove(item.id, replacement),
                object_name="listRemoveProgress",
                minimum_duration=PROGRESS_DELAY_MS,
            )

        if self._run(work, select):
            self.outcome.removed[item.id] = replacement

    def move_entry(self, delta: int) -> None:
        item = self.selected()
        button = self.up_button if delta < 0 else self.down_button
        if item is None or not button.isEnabled():
            return
        self._run(lambda: self._service.move(item.id, delta), item.id)
        self.list_widget.setFocus()

    # -- closing -------------------------------------------------------------------------

    def _save_geometry(self) -> None:
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())

    def done(self, result: int) -> None:
        self._save_geometry()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_geometry()
        super().closeEvent(event)

    @classmethod
    def ask(cls, parent: QWidget | None, service: ListService, kind: ListKind) -> ListEditOutcome:
        """Run the editor; the outcome says what changed (callers refill their combos)."""
        dialog = cls(service, kind, parent)
        try:
            dialog.exec()
            return dialog.outcome
        finally:
            dialog.deleteLater()
