"""What the account and business contact forms share: ribbon, pages, saving and closing.

Like the opportunity form, a record form edits a copy of the record: Save hands the copy to
the service, a refused field is focused, a "changed elsewhere" conflict shows both versions
before anything is replaced, and closing with unsaved changes asks Save / Discard / Cancel.
Subclasses build the General page and map the record to widgets and back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.contacts import DeleteImpact
from ...domain.errors import ConflictError, DomainError, NotFoundError, ValidationError
from ...services.categories import CategoryService
from ...services.contacts import AccountService, ContactService
from ...services.history import HistoryService
from ...services.links import LinkService
from ...services.lookups import Lookups
from ..dialogs.categories_dialog import CategoriesDialog, swatch
from ..dialogs.conflict_dialog import KEEP_MINE, RELOAD, ConflictDialog
from ..errors import show_error
from ..widgets.single_line import keep_on_one_line
from .assignee import select_assignee

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def _tr(text: str) -> str:
    return QCoreApplication.translate("RecordForm", text)


@dataclass(frozen=True)
class ContactFormServices:
    """What the account and contact forms need, wired once by the composition root."""

    accounts: AccountService
    contacts: ContactService
    lookups: Lookups
    links: LinkService
    history: HistoryService
    categories: CategoryService | None = None


def line_edit(parent: QWidget, name: str, max_length: int = 255) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setMaxLength(max_length)
    return keep_on_one_line(edit)


def group(parent: QWidget, name: str) -> tuple[QGroupBox, QFormLayout]:
    box = QGroupBox(parent)
    box.setObjectName(name)
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return box, form


def delete_question(kind: str, impact: DeleteImpact) -> str:
    """The confirmation text: exactly what goes with the record(s), what stays, and that all
    of it goes to Deleted Items, where it can be restored.

    ``kind`` is "account" or "business contact" for one named record; for several (an
    ``impact`` without a name) it is the counted noun, "3 accounts".
    """
    one = bool(impact.name)
    if one:
        text = _tr("Delete the {kind} “{name}”?").format(kind=kind, name=impact.name)
    else:
        text = _tr("Delete {kind}?").format(kind=kind)
    gone = []
    if impact.opportunities:
        gone.append(_tr("{n} opportunity(ies)").format(n=impact.opportunities))
    if impact.history_items:
        gone.append(_tr("{n} history item(s)").format(n=impact.history_items))
    if gone:
        moved = (
            _tr("It goes to Deleted Items with {things}.")
            if one
            else _tr("They go to Deleted Items with {things}.")
        )
        text += " " + moved.format(things=_tr(" and ").join(gone))
    else:
        text += " " + (
            _tr("It goes to Deleted Items.") if one else _tr("They go to Deleted Items.")
        )
    if impact.contacts:
        text += " " + _tr("{n} business contact(s) are kept, without an account.").format(
            n=impact.contacts
        )
    return (
        text
        + "\n\n"
        + _tr(
            "Restore in Deleted Items puts everything back; only the database owner can "
            "delete it permanently."
        )
    )


class RecordForm(QMainWindow):
    """A window editing one account or contact. Emits ``saved(id)`` after every save."""

    saved = Signal(int)
    deleted = Signal(int)
    form_closed = Signal(object)
    open_opportunity_requested = Signal(int)

    #: QSettings key of the window geometry; set by the subclass.
    GEOMETRY_KEY = "forms/recordGeometry"

    def __init__(
        self, services: ContactFormServices, record: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._record = record
        self._baseline = record
        self._category_ids: tuple[int, ...] = tuple(record.category_ids)
        self._loading = False
        self._build_actions()
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 8)
        self.tabs = QTabWidget(central)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.tabs.addTab(self._general_page(), "")
        self.tabs.addTab(self._details_page(), "")
        self.history_page = self._history_page()
        self.tabs.addTab(self.history_page, "")
        self._fill_users()
        self._retranslate_common()
        self.retranslate_ui()
        self._load(record)
        geometry = QSettings().value(self.GEOMETRY_KEY)
        if geometry:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]
        else:
            self.resize(860, 700)

    # -- for subclasses ---------------------------------------------------------------------

    def _general_page(self) -> QWidget:
        raise NotImplementedError

    def _history_page(self) -> QWidget:
        raise NotImplementedError

    def retranslate_ui(self) -> None:
        raise NotImplementedError

    def _fill(self, record: Any) -> None:
        """Put the record's own fields into the widgets."""
        raise NotImplementedError

    def _collect(self) -> Any:
        """The record as the form shows it now."""
        raise NotImplementedError

    def _service(self) -> AccountService | ContactService:
        raise NotImplementedError

    def _field_widgets(self) -> dict[str, QWidget]:
        return {}

    def _differences(self, mine: Any, theirs: Any) -> list[tuple[str, str, str]]:
        raise NotImplementedError

    def _kind(self) -> str:
        raise NotImplementedError

    def display_name(self) -> str:
        raise NotImplementedError

    # -- construction -----------------------------------------------------------------------

    def _action(
        self, name: str, slot: Callable[[], object], shortcut: str | None = None
    ) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.save_close_action = self._action("saveAndClose", self.save_and_close, "Alt+S")
        self.save_action = self._action("save", self.save, "Ctrl+S")
        self.delete_action = self._action("deleteRecord", self.delete_record, "Ctrl+D")
        self.history_action = self._action(
            "showHistory", lambda: self.tabs.setCurrentWidget(self.history_page)
        )
        self.close_action = self._action("closeForm", self.close, "Esc")
        self.manage_categories_action = self._action("manageCategories", self.manage_categories)
        self.categorize_menu = QMenu(self)
        self.categorize_menu.setObjectName("categorizeMenu")
        self.categorize_menu.aboutToShow.connect(self.fill_categories_menu)
        self.categorize_action = QAction(self)
        self.categorize_action.setObjectName("categorize")
        self.categorize_action.setMenu(self.categorize_menu)
        toolbar = QToolBar(self)
        toolbar.setObjectName("recordFormRibbon")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.save_close_action)
        toolbar.addAction(self.save_action)
        toolbar.addSeparator()
        toolbar.addAction(self.delete_action)
        toolbar.addSeparator()
        toolbar.addAction(self.history_action)
        toolbar.addAction(self.categorize_action)
        button = toolbar.widgetForAction(self.categorize_action)
        if isinstance(button, QToolButton):
            button.setObjectName("categorizeButton")
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

    def _assigned_and_categories(self, page: QWidget, form: QFormLayout) -> None:
        """The Assigned to and Categories rows every record form has."""
        self.assigned_combo = QComboBox(page)
        self.assigned_combo.setObjectName("assignedTo")
        self._assigned_label = QLabel(page)
        self._assigned_label.setBuddy(self.assigned_combo)
        form.addRow(self._assigned_label, self.assigned_combo)
        self.categories_label = QLabel(page)
        self.categories_label.setObjectName("categoryNames")
        self.categories_button = QPushButton(page)
        self.categories_button.setObjectName("categoriesButton")
        self.categories_button.setMenu(self.categorize_menu)
        row = QHBoxLayout()
        row.addWidget(self.categories_label, 1)
        row.addWidget(self.categories_button)
        self._categories_caption = QLabel(page)
        self._categories_caption.setBuddy(self.categories_button)
        form.addRow(self._categories_caption, row)

    def _details_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("detailsPage")
        layout = QVBoxLayout(page)
        self.timestamp_button = QPushButton(page)
        self.timestamp_button.setObjectName("addTimestamp")
        self.timestamp_button.clicked.connect(self.add_timestamp)
        top = QHBoxLayout()
        self._comments_label = QLabel(page)
        top.addWidget(self._comments_label)
        top.addStretch(1)
        top.addWidget(self.timestamp_button)
        self.comments_edit = QTextEdit(page)
        self.comments_edit.setObjectName("comments")
        self.comments_edit.setAcceptRichText(False)
        self._comments_label.setBuddy(self.comments_edit)
        layout.addLayout(top)
        layout.addWidget(self.comments_edit, 1)
        return page

    def _fill_users(self) -> None:
        self.assigned_combo.clear()
        self.assigned_combo.addItem("", None)
        for user in self._services.lookups.users():
            self.assigned_combo.addItem(user.name, user.id)

    def _retranslate_common(self) -> None:
        texts = {
            self.save_close_action: (_tr("Save && Close"), _tr("Save and close the form")),
            self.save_action: (_tr("Save"), _tr("Save the changes")),
            self.delete_action: (_tr("Delete"), _tr("Delete this record")),
            self.history_action: (_tr("History"), _tr("Show the communication history")),
            self.close_action: (_tr("Close"), _tr("Close the form")),
            self.categorize_action: (_tr("Categorize"), _tr("Assign categories")),
            self.manage_categories_action: (
                _tr("Manage Categories…"),
                _tr("Add, rename, recolour or delete categories"),
            ),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        self.tabs.setTabText(0, _tr("General"))
        self.tabs.setTabText(1, _tr("Details"))
        self.tabs.setTabText(2, _tr("History"))
        self._assigned_label.setText(_tr("Assi&gned to:"))
        self._categories_caption.setText(_tr("Categories:"))
        self.categories_button.setText(_tr("C&ategorize"))
        self._comments_label.setText(_tr("&Comments"))
        self.timestamp_button.setText(_tr("Add &Timestamp"))
        self.timestamp_button.setToolTip(_tr("Insert the current date and time at the cursor"))
        self.assigned_combo.setAccessibleName(_tr("Assigned to"))
        self.categories_button.setAccessibleName(_tr("Categories"))
        self.comments_edit.setAccessibleName(_tr("Comments"))

    # -- state --------------------------------------------------------------------------------

    @property
    def record(self) -> Any:
        """The record as last loaded or saved (not what is typed now)."""
        return self._record

    @property
    def record_id(self) -> int | None:
        return self._record.id  # type: ignore[no-any-return]

    def _select(self, combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def _load(self, record: Any) -> None:
        self._loading = True
        try:
            self._record = record
            self._category_ids = tuple(record.category_ids)
            select_assignee(self.assigned_combo, record.assigned_to_id, self._services.lookups)
            self.comments_edit.setPlainText(record.comments)
            self._fill(record)
            self._show_categories()
            self.history_page.set_record(record.id)  # type: ignore[attr-defined]
        finally:
            self._loading = False
        self._baseline = self._collect()
        self.delete_action.setEnabled(record.id is not None)
        self._update_title()

    def is_dirty(self) -> bool:
        return bool(self._collect() != self._baseline)

    def _update_title(self) -> None:
        name = self.display_name() or _tr("Untitled")
        kind = self._kind()
        if self._record.id is None:
            self.setWindowTitle(_tr("New {kind}: {name}").format(kind=kind, name=name))
        else:
            self.setWindowTitle(f"{name} — {kind}")

    def add_timestamp(self) -> None:
        """Insert the current date and time, in the user's locale, at the cursor."""
        stamp = QLocale().toString(QDateTime.currentDateTime(), QLocale.FormatType.ShortFormat)
        cursor = self.comments_edit.textCursor()
        cursor.insertText(f"{stamp} ")
        self.comments_edit.setTextCursor(cursor)
        self.tabs.setCurrentIndex(1)
        self.comments_edit.setFocus()

    # -- categories -----------------------------------------------------------------------

    def fill_categories_menu(self) -> None:
        """Every category, checked when the form's record has it; Manage Categories last."""
        menu = self.categorize_menu
        menu.clear()
        for category in self._services.lookups.categories():
            action = menu.addAction(swatch(category.color), category.name)
            action.setObjectName(f"category_{category.id}")
            action.setCheckable(True)
            action.setChecked(category.id in self._category_ids)
            action.setData(category.id)
            action.toggled.connect(lambda checked, cid=category.id: self.set_category(cid, checked))
        if not menu.actions():
            empty = menu.addAction(_tr("No categories yet"))
            empty.setEnabled(False)
        menu.addSeparator()
        menu.addAction(self.manage_categories_action)
        self.manage_categories_action.setEnabled(self._services.categories is not None)

    def set_category(self, category_id: int, on: bool) -> None:
        """Add or remove a category; it is saved with the record."""
        ids = [i for i in self._category_ids if i != category_id]
        if on:
            ids.append(category_id)
        self._category_ids = tuple(ids)
        self._show_categories()

    def _show_categories(self) -> None:
        names = {c.id: c.name for c in self._services.lookups.categories()}
        chosen = [names[i] for i in self._category_ids if i in names]
        self.categories_label.setText(", ".join(chosen) if chosen else _tr("None"))

    def manage_categories(self) -> None:
        service = self._services.categories
        if service is not None and CategoriesDialog.ask(self, service):
            self._show_categories()

    # -- saving -----------------------------------------------------------------------------

    def save(self) -> bool:
        """Save what the form shows. True when it was saved."""
        service: Any = self._service()
        draft = self._collect()
        try:
            stored = service.create(draft) if draft.id is None else service.update(draft)
        except ValidationError as error:
            self._refuse(error)
            return False
        except ConflictError:
            return self._resolve_conflict(draft)
        except DomainError as error:
            show_error(self, error)
            return False
        self._load(stored)
        self.saved.emit(stored.id or 0)
        return True

    def save_and_close(self) -> None:
        if self.save():
            self.close()

    def _refuse(self, error: ValidationError) -> None:
        QMessageBox.warning(self, _tr("Cannot save"), error.message)
        widgets = {
            "assigned_to": self.assigned_combo,
            "comments": self.comments_edit,
            "categories": self.categories_button,
            **self._field_widgets(),
        }
        widget = widgets.get(error.field or "")
        if widget is not None:
            self.tabs.setCurrentIndex(1 if widget is self.comments_edit else 0)
            widget.setFocus()

    def _resolve_conflict(self, mine: Any) -> bool:
        try:
            theirs = self._service().get(mine.id or 0)
        except NotFoundError as error:
            show_error(self, error)
            return False
        choice = ConflictDialog.ask(self, self.display_name(), self._differences(mine, theirs))
        if choice == RELOAD:
            self._load(theirs)
            return False
        if choice == KEEP_MINE:
            self._record = theirs
            # What the user typed stays in the widgets; only the version to check moves on.
            return self.save()
        return False

    def ask_delete(self, impact: DeleteImpact) -> bool:
        """Ask whether to delete, saying what goes with the record."""
        answer = QMessageBox.question(
            self,
            _tr("Delete {kind}").format(kind=self._kind()),
            delete_question(self._kind().lower(), impact),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def delete_record(self) -> None:
        record_id = self._record.id
        if record_id is None:
            return
        service: Any = self._service()
        try:
            impact = service.delete_impact(record_id)
            if not self.ask_delete(impact):
                return
            service.delete(record_id, self._record.version, impact)
        except DomainError as error:
            show_error(self, error)
            return
        self.deleted.emit(record_id)
        self._baseline = self._collect()  # nothing left to save
        self.close()

    def reload(self) -> None:
        if self._record.id is not None:
            self._load(self._service().get(self._record.id))

    # -- closing ------------------------------------------------------------------------------

    def ask_unsaved(self) -> str:
        """Save / Discard / Cancel for unsaved changes."""
        answer = QMessageBox.question(
            self,
            _tr("Unsaved changes"),
            _tr("Save the changes to “{name}”?").format(
                name=self.display_name() or _tr("Untitled")
            ),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        return {
            QMessageBox.StandardButton.Save: SAVE,
            QMessageBox.StandardButton.Discard: DISCARD,
        }.get(answer, CANCEL)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_dirty():
            choice = self.ask_unsaved()
            if choice == CANCEL or (choice == SAVE and not self.save()):
                event.ignore()
                return
        QSettings().setValue(self.GEOMETRY_KEY, self.saveGeometry())
        self.form_closed.emit(self)
        super().closeEvent(event)
