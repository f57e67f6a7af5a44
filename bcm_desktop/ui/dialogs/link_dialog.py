"""The "Link to" dialog (S-7): pick the account, business contact or marketing activity a
record is linked to or initiated by, searching by name as you type, or create one with New.

The list is a small table model over at most one page of search results (the service cuts
every search off at :data:`PAGE`), so the view never holds more than a few hundred rows however
large the database is. Searches run on the UI thread: they are indexed prefix ranges or a
LIMITed scan taking milliseconds, and typing is debounced so a fast typist causes one search.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import InitiatorRef, RecordRef
from ...domain.enums import InitiatorKind
from ...domain.errors import DomainError
from ...domain.links import LinkCandidate, LinkSearchKind
from ...services.links import LinkService
from .. import formatting

Mode = Literal["link", "initiated_by"]
ModelIndex = QModelIndex | QPersistentModelIndex

PAGE = 200  # rows one search shows; typing more narrows the list
SEARCH_DELAY_MS = 150  # debounce: one search per pause in typing, not one per key
ROW_HEIGHT_HINT = 22
# Item types whose records New cannot make on the spot.
NOT_CREATED_HERE = (LinkSearchKind.MARKETING, LinkSearchKind.OPPORTUNITIES)


def _tr(text: str) -> str:
    return QCoreApplication.translate("LinkDialog", text)


def kind_label(kind: InitiatorKind) -> str:
    """The name of a kind of record, as the Type column shows it."""
    return {
        InitiatorKind.ACCOUNT: _tr("Account"),
        InitiatorKind.CONTACT: _tr("Business contact"),
        InitiatorKind.MARKETING: _tr("Marketing activity"),
        InitiatorKind.OPPORTUNITY: _tr("Opportunity"),
    }[kind]


def item_type_label(kind: LinkSearchKind) -> str:
    """The text of an "Item type" choice."""
    return {
        LinkSearchKind.ACCOUNTS: _tr("Accounts"),
        LinkSearchKind.CONTACTS: _tr("Business contacts"),
        LinkSearchKind.ALL: _tr("All accounts and business contacts"),
        LinkSearchKind.MARKETING: _tr("Marketing activities"),
        LinkSearchKind.OPPORTUNITIES: _tr("Opportunities"),
    }[kind]


def detail_text(candidate: LinkCandidate) -> str:
    """The Details column: the record's own detail, then a marketing activity's dates."""
    parts = [candidate.detail] if candidate.detail else []
    if candidate.start_date or candidate.end_date:
        start = formatting.short_date(candidate.start_date)
        end = formatting.short_date(candidate.end_date)
        parts.append(f"{start} – {end}" if start and end else start or end)
    return " · ".join(parts)


class LinkCandidateModel(QAbstractTableModel):
    """Search results as a flat table: Name, Type and Details, preformatted on arrival."""

    NAME, TYPE, DETAIL = range(3)
    CandidateRole = Qt.ItemDataRole.UserRole

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._candidates: list[LinkCandidate] = []
        self._cells: list[tuple[str, str, str]] = []

    def set_candidates(self, candidates: Sequence[LinkCandidate]) -> None:
        """Show ``candidates`` instead of what the model held."""
        self.beginResetModel()
        try:
            self._candidates = list(candidates)
            self._cells = [
                (candidate.name, kind_label(candidate.ref_kind), detail_text(candidate))
                for candidate in self._candidates
            ]
        finally:
            self.endResetModel()

    def candidate(self, row: int) -> LinkCandidate | None:
        return self._candidates[row] if 0 <= row < len(self._candidates) else None

    def candidates(self) -> list[LinkCandidate]:
        return list(self._candidates)

    def row_of(self, ref: RecordRef | InitiatorRef | LinkCandidate | None) -> int | None:
        """The row showing ``ref``, or ``None`` when it is not in the list."""
        if isinstance(ref, LinkCandidate):
            ref = ref.initiator_ref
        for row, candidate in enumerate(self._candidates):
            if candidate.refers_to(ref):
                return row
        return None

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._candidates)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._candidates):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cells[index.row()][index.column()]
        if role == self.CandidateRole:
            return self._candidates[index.row()]
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < 3
        ):
            return (_tr("Name"), _tr("Type"), _tr("Details"))[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


def _default_kinds(mode: Mode) -> tuple[LinkSearchKind, ...]:
    if mode == "initiated_by":
        return (
            LinkSearchKind.ACCOUNTS,
            LinkSearchKind.CONTACTS,
            LinkSearchKind.ALL,
            LinkSearchKind.MARKETING,
        )
    return (LinkSearchKind.ACCOUNTS, LinkSearchKind.CONTACTS, LinkSearchKind.ALL)


class LinkDialog(QDialog):
    """Choose one record to link to. Run it with :meth:`ask`."""

    #: A record made with New (the caller may refresh lists that show it).
    record_created = Signal(object)

    def __init__(
        self,
        service: LinkService,
        parent: QWidget | None = None,
        *,
        mode: Mode = "link",
        current: RecordRef | InitiatorRef | None = None,
        kinds: Sequence[LinkSearchKind] | None = None,
        title: str | None = None,
        initial_kind: LinkSearchKind | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("linkDialog")
        self._service = service
        self._mode: Mode = mode
        self._title = title
        self._kinds = tuple(kinds) if kinds else _default_kinds(mode)
        self._more = False

        self.item_type_label = QLabel(self)
        self.item_type = QComboBox(self)
        self.item_type.setObjectName("linkItemType")
        for kind in self._kinds:
            self.item_type.addItem("", kind.value)
        # "All" by default: typing a name finds it whether it is an account or a contact.
        self.set_item_kind(initial_kind or LinkSearchKind.ALL)
        self.item_type.setEnabled(len(self._kinds) > 1)
        self.item_type_label.setBuddy(self.item_type)

        self.search_label = QLabel(self)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("linkSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search_edit)

        self.model = LinkCandidateModel(self)
        self.results = QTreeView(self)
        self.results.setObjectName("linkResults")
        self.results.setModel(self.model)
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setAllColumnsShowFocus(True)
        self.results.setAlternatingRowColors(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.results.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsMovable(False)
        self.results.setColumnWidth(LinkCandidateModel.NAME, 210)
        self.results.setColumnWidth(LinkCandidateModel.TYPE, 115)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("linkMore")
        self.status_label.setWordWrap(True)
        self.status_label.setVisible(False)

        self.new_button = QPushButton(self)
        self.new_button.setObjectName("linkNew")
        self.new_button.setAutoDefault(False)
        self.ok_button = QPushButton(self)
        self.ok_button.setObjectName("linkOk")
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("linkCancel")
        self.cancel_button.setAutoDefault(False)
        self.buttons = QDialogButtonBox(self)
        self.buttons.setObjectName("linkButtons")
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.item_type_label, self.item_type)
        form.addRow(self.search_label, self.search_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status_label)
        # New sits apart, on the left: it makes a record, the others answer the dialog.
        button_row = QHBoxLayout()
        button_row.addWidget(self.new_button)
        button_row.addStretch(1)
        button_row.addWidget(self.buttons)
        layout.addLayout(button_row)

        self._timer = QTimer(self)
        self._timer.setObjectName("linkSearchTimer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)

        self.retranslate_ui()
        self.resize(560, 420)
        self.setMinimumSize(420, 300)

        self._timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(self._timer.start)
        self.search_edit.returnPressed.connect(self._on_return)
        self.search_edit.installEventFilter(self)
        self.results.installEventFilter(self)
        self.item_type.currentIndexChanged.connect(self._on_item_type_changed)
        self.results.doubleClicked.connect(self._on_double_clicked)
        self.results.selectionModel().selectionChanged.connect(self._update_buttons)
        self.new_button.clicked.connect(self.new_record)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self._start(current)

    def retranslate_ui(self) -> None:
        """Set every visible text (again, after a language change)."""
        if self._title:
            self.setWindowTitle(self._title)
        elif self._mode == "initiated_by":
            self.setWindowTitle(_tr("Initiated by"))
        else:
            self.setWindowTitle(_tr("Link to Account or Business Contact"))
        self.item_type_label.setText(_tr("&Item type:"))
        for row, kind in enumerate(self._kinds):
            self.item_type.setItemText(row, item_type_label(kind))
        self.item_type.setAccessibleName(_tr("Item type"))
        self.search_label.setText(_tr("&Search:"))
        self.search_edit.setAccessibleName(_tr("Search"))
        self.results.setAccessibleName(_tr("Matching records"))
        self.new_button.setText(_tr("&New…"))
        self.ok_button.setText(_tr("OK") if self._mode == "initiated_by" else _tr("&Link To"))
        self.cancel_button.setText(_tr("Cancel"))
        self._update_buttons()
        self._update_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- state ---------------------------------------------------------------------------

    def item_kind(self) -> LinkSearchKind:
        """The chosen Item type."""
        return LinkSearchKind(self.item_type.currentData())

    def set_item_kind(self, kind: LinkSearchKind) -> None:
        row = self.item_type.findData(kind.value)
        if row >= 0:
            self.item_type.setCurrentIndex(row)

    def selected(self) -> LinkCandidate | None:
        """The highlighted record: what Link To returns."""
        rows = self.results.selectionModel().selectedRows()
        return self.model.candidate(rows[0].row()) if rows else None

    def has_more(self) -> bool:
        """Whether more records match than the list shows."""
        return self._more

    def select(self, ref: RecordRef | InitiatorRef | LinkCandidate | None) -> bool:
        """Highlight the row of ``ref``; False when it is not in the list."""
        row = self.model.row_of(ref)
        if row is None:
            return False
        self._select_row(row)
        return True

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.results.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.results.scrollTo(index)

    def _start(self, current: RecordRef | InitiatorRef | None) -> None:
        """Open on the current record: its item type, its name searched, its row selected."""
        candidate = None
        if current is not None:
            try:
                candidate = self._service.candidate(current)
            except DomainError:
                candidate = None  # the list below still opens; an error shows on search
        if candidate is not None:
            self._open_on(candidate)
        else:
            self.refresh()
        self.search_edit.setFocus()

    def _open_on(self, candidate: LinkCandidate) -> None:
        if candidate.ref_kind is InitiatorKind.MARKETING:
            preferred = [LinkSearchKind.MARKETING]
        elif candidate.ref_kind is InitiatorKind.OPPORTUNITY:
            preferred = [LinkSearchKind.OPPORTUNITIES]
        else:
            specific = (
                LinkSearchKind.ACCOUNTS
                if candidate.ref_kind is InitiatorKind.ACCOUNT
                else LinkSearchKind.CONTACTS
            )
            preferred = [LinkSearchKind.ALL, specific]
        for kind in preferred:
            if kind in self._kinds:
                self.item_type.blockSignals(True)
                self.set_item_kind(kind)
                self.item_type.blockSignals(False)
                break
        self.search_edit.blockSignals(True)
        self.search_edit.setText(candidate.name)
        self.search_edit.blockSignals(False)
        self.search_edit.selectAll()  # typing replaces the current name
        self.refresh(keep=candidate)

    # -- searching -----------------------------------------------------------------------

    def refresh(self, keep: LinkCandidate | None = None) -> None:
        """Run the search now; keep the highlighted record if it still matches, else
        highlight the first match (so Link To and Enter take the best match)."""
        self._timer.stop()
        keep = keep or self.selected()
        try:
            result = self._service.search(self.item_kind(), self.search_edit.text(), PAGE)
        except DomainError as error:
            _show_error(self, error)
            return
        self._more = result.more
        self.model.set_candidates(result.candidates)
        self.results.setColumnHidden(
            LinkCandidateModel.TYPE, self.item_kind() is not LinkSearchKind.ALL
        )
        if not (keep is not None and self.select(keep)) and self.model.rowCount():
            self._select_row(0)
        self._update_status()
        self._update_buttons()

    def search_pending(self) -> bool:
        """Whether typed text waits for the debounce before it is searched."""
        return self._timer.isActive()

    def _update_status(self) -> None:
        if self.model.rowCount() == 0:
            text = (
                _tr("No matches. Check the spelling, choose another item type, or use New.")
                if self.search_edit.text().strip()
                else _tr("There is nothing of this item type yet. Use New to create one.")
            )
        elif self._more:
            text = _tr("Showing the first {count} — type more to narrow the list.").format(
                count=f"{self.model.rowCount():,}"
            )
        else:
            text = ""
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def _update_buttons(self) -> None:
        self.ok_button.setEnabled(self.selected() is not None)
        kind = self.item_kind()
        self.search_edit.setPlaceholderText(
            _tr("Type a word of the title")
            if kind is LinkSearchKind.OPPORTUNITIES
            else _tr("Type a name or an e-mail address")
        )
        self.new_button.setEnabled(kind not in NOT_CREATED_HERE)
        self.new_button.setToolTip(
            _tr("Marketing activities are created in the Marketing workspace.")
            if kind is LinkSearchKind.MARKETING
            else _tr("Opportunities are created with New Opportunity.")
            if kind is LinkSearchKind.OPPORTUNITIES
            else _tr("Create a record of this item type and select it.")
        )

    def _on_item_type_changed(self, _row: int) -> None:
        self.refresh()

    def _on_return(self) -> None:
        # Enter runs a pending search at once; the default button (Link To) then takes the
        # first match, which every search highlights.
        if self.search_pending():
            self.refresh()

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._select_row(index.row())
            self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_edit and key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
                return self._enter_list()
            if (
                watched is self.results
                and key == Qt.Key.Key_Up
                and self.results.currentIndex().row() <= 0
            ):
                self.search_edit.setFocus()
                return True
        return super().eventFilter(watched, event)

    def _enter_list(self) -> bool:
        """Down arrow in the search box: move into the list, on the highlighted row."""
        if self.search_pending():
            self.refresh()
        if self.model.rowCount() == 0:
            return False
        if self.selected() is None:
            self._select_row(0)
        self.results.setFocus()
        return True

    # -- answering -----------------------------------------------------------------------

    def accept(self) -> None:
        if self.search_pending():
            self.refresh()
        if self.selected() is None:
            return  # nothing to link to: stay open
        super().accept()

    def new_record(self) -> None:
        """New: create a record of the chosen item type there and then, and select it."""
        from .new_record_dialog import NewRecordDialog  # noqa: PLC0415 - they open each other

        kind = self.item_kind()
        if kind in NOT_CREATED_HERE:
            return
        contacts = kind is LinkSearchKind.CONTACTS
        record_kind = InitiatorKind.CONTACT if contacts else InitiatorKind.ACCOUNT
        created = NewRecordDialog.ask(
            self,
            self._service,
            kind=record_kind,
            allow_kind_choice=kind is LinkSearchKind.ALL,
            initial_text=self.search_edit.text().strip(),
        )
        if created is None:
            return
        self.record_created.emit(created)
        self.search_edit.blockSignals(True)
        self.search_edit.setText(created.name)
        self.search_edit.blockSignals(False)
        self.refresh(keep=created)
        if self.model.row_of(created) is None:
            # Hundreds of namesakes sort before it: show it on top anyway.
            self.model.set_candidates([created, *self.model.candidates()])
            self._select_row(0)
            self._update_buttons()
        self.results.setFocus()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        service: LinkService,
        *,
        mode: Mode = "link",
        current: RecordRef | InitiatorRef | None = None,
        kinds: Sequence[LinkSearchKind] | None = None,
        title: str | None = None,
        initial_kind: LinkSearchKind | None = None,
    ) -> LinkCandidate | None:
        """Run the dialog; the chosen record, or ``None`` when cancelled.

        ``mode="initiated_by"`` adds Marketing activities; ``kinds`` limits the item types
        (e.g. accounts only), ``initial_kind`` is the item type chosen at first (else "All")
        and ``title`` replaces the window title.
        """
        dialog = cls(
            service,
            parent,
            mode=mode,
            current=current,
            kinds=kinds,
            title=title,
            initial_kind=initial_kind,
        )
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.selected()
            return None
        finally:
            dialog.deleteLater()


def _show_error(parent: QWidget, error: BaseException) -> None:
    from ..errors import show_error  # noqa: PLC0415 - the one error presenter, loaded on demand

    show_error(parent, error)
