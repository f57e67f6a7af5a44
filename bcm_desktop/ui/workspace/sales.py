"""The Sales workspace: the Opportunities tab — filters, the lazy table, the reading pane and
bulk actions on a selection of one, some, or every matching row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QItemSelectionModel,
    QPoint,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import StageKind
from ...domain.errors import DomainError
from ...domain.listing import (
    BulkResult,
    ListTotals,
    OpportunityColumn,
    OpportunityFilter,
    RecordSelection,
)
from ...services.bulk import BulkActions, BulkOutcome
from ...services.listing import OpportunityListing
from ...services.lookups import Lookups
from .. import formatting
from ..dialogs.close_dialog import CloseDialog
from ..undo import BulkCommand
from ..workers import BackgroundTask, run_quietly
from .filter_bar import FilterBar
from .header import FastHeader
from .opportunity_model import OpportunityTableModel
from .reading_pane import ReadingPane
from .selection import count_rows, row_intervals, to_record_selection

ROW_HEIGHT = 24
#: After a refresh the current record is looked for this many rows around its old row.
REFIND_ROWS = 128
DEFAULT_WIDTHS = {
    OpportunityColumn.TITLE: 260,
    OpportunityColumn.LINK: 200,
    OpportunityColumn.ASSIGNED_TO: 130,
    OpportunityColumn.STAGE: 120,
    OpportunityColumn.PROBABILITY: 80,
    OpportunityColumn.EXPECTED_REVENUE: 120,
    OpportunityColumn.CLOSE_DATE: 90,
    OpportunityColumn.TYPE: 120,
    OpportunityColumn.SOURCE: 120,
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("SalesWorkspace", text)


def _report_error(parent: QWidget, error: BaseException) -> None:
    from ..errors import show_error  # noqa: PLC0415 - the one error presenter, loaded on demand

    show_error(parent, error)


class SalesWorkspace(QWidget):
    """Navigation pane → Sales: the Opportunities tab."""

    status_changed = Signal(str)
    records_changed = Signal()
    open_requested = Signal(int)  # double-click or Enter on a row

    def __init__(
        self,
        listing: OpportunityListing,
        parent: QWidget | None = None,
        *,
        bulk: BulkActions | None = None,
        lookups: Lookups | None = None,
        undo_stack: QUndoStack | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("salesWorkspace")
        self._listing = listing
        self._bulk = bulk
        self._lookups = lookups
        self._today = today
        self.undo_stack = undo_stack or QUndoStack(self)
        self._totals: ListTotals | None = None
        self._tasks: list[BackgroundTask] = []

        self.model = OpportunityTableModel(listing, self)
        self.filter_bar = FilterBar(self)
        self.view = QTableView(self)
        self.view.setObjectName("opportunitiesView")
        self.view.setHorizontalHeader(FastHeader(self.view))
        self.view.setModel(self.model)
        self.reading_pane = ReadingPane(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("salesSplitter")
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.reading_pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([900, 300])

        page = QWidget(self)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(0)
        page_layout.addWidget(self.filter_bar)
        page_layout.addWidget(self.splitter, 1)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("salesTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(page, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self._configure_view()
        self._create_actions()
        self.model.count_changed.connect(self._on_count_changed)
        self.model.modelReset.connect(self._on_model_reset)
        self.view.selectionModel().selectionChanged.connect(self._emit_status)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.filter_bar.filter_changed.connect(self.model.set_filter)
        self.filter_bar.search.returnPressed.connect(self.filter_bar.flush)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_context_menu)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.view.doubleClicked.connect(self._open_index)
        self.view.activated.connect(self._open_index)
        self.reload_choices()
        self.retranslate_ui()
        self._update_actions()
        self._refresh_totals()

    # -- construction --------------------------------------------------------------------

    def _configure_view(self) -> None:
        view = self.view
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        # Tab leaves the list for the next pane (as in Outlook) instead of walking its cells.
        view.setTabKeyNavigation(False)
        view.setShowGrid(False)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = view.verticalHeader()
        vertical.setVisible(False)
        # Fixed row heights: the view never measures rows, so a million cost nothing.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_column_chooser)
        for column, width in DEFAULT_WIDTHS.items():
            header.resizeSection(self.model.section_of(column), width)
        # The indicator first: enabling sorting sorts by the indicator at once (by default
        # the first column, descending), which would replace the model's order.
        order = self.model.order
        header.setSortIndicator(
            self.model.section_of(order.column),
            Qt.SortOrder.DescendingOrder if order.descending else Qt.SortOrder.AscendingOrder,
        )
        view.setSortingEnabled(True)

    def _action(self, name: str, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def _create_actions(self) -> None:
        self.select_all_action = self._action(
            "selectAllMatching", QKeySequence.StandardKey.SelectAll
        )
        self.select_all_action.triggered.connect(self.select_all)
        self.assign_menu = QMenu(self)
        self.assign_menu.setObjectName("assignToMenu")
        self.assign_menu.aboutToShow.connect(self._fill_assign_menu)
        self.assign_action = self._action("assignTo")
        self.assign_action.setMenu(self.assign_menu)
        self.close_won_action = self._action("markClosedWon")
        self.close_won_action.triggered.connect(lambda: self.close_selected(StageKind.WON))
        self.close_lost_action = self._action("markClosedLost")
        self.close_lost_action.triggered.connect(lambda: self.close_selected(StageKind.LOST))
        self.categorize_menu = QMenu(self)
        self.categorize_menu.setObjectName("categorizeMenu")
        self.categorize_menu.aboutToShow.connect(self._fill_categorize_menu)
        self.categorize_action = self._action("categorize")
        self.categorize_action.setMenu(self.categorize_menu)
        self.delete_action = self._action("deleteSelected", QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self.delete_selected)
        self.undo_action = self.undo_stack.createUndoAction(self)
        self.undo_action.setObjectName("undoBulk")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.undo_action)
        self.redo_action = self.undo_stack.createRedoAction(self)
        self.redo_action.setObjectName("redoBulk")
        # Every platform binding: Ctrl+Y and Ctrl+Shift+Z both redo wherever the user is used to.
        self.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)
        self.redo_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.redo_action)
        self.reading_pane_action = self._action("toggleReadingPane")
        self.reading_pane_action.setCheckable(True)
        self.reading_pane_action.setChecked(True)
        self.reading_pane_action.toggled.connect(self.reading_pane.setVisible)
        self.reading_pane_bottom_action = self._action("readingPaneBottom")
        self.reading_pane_bottom_action.setCheckable(True)
        self.reading_pane_bottom_action.toggled.connect(self._set_reading_pane_bottom)
        self.clear_filter_action = self._action("clearFilters")
        self.clear_filter_action.triggered.connect(self.filter_bar.clear)
        self.find_action = self._action("findOpportunities", QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._focus_search)

    def bulk_actions(self) -> list[QAction]:
        """The actions the ribbon and menus show for the selection."""
        return [
            self.assign_action,
            self.close_won_action,
            self.close_lost_action,
            self.categorize_action,
            self.delete_action,
        ]

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(0, _tr("Opportunities"))
        self.view.setAccessibleName(_tr("Opportunities"))
        texts = {
            self.select_all_action: (_tr("Select All"), _tr("Select every matching opportunity")),
            self.assign_action: (_tr("Assign To"), _tr("Assign the selected opportunities")),
            self.close_won_action: (
                _tr("Closed Won"),
                _tr("Mark the selected opportunities as Closed Won"),
            ),
            self.close_lost_action: (
                _tr("Closed Lost"),
                _tr("Mark the selected opportunities as Closed Lost"),
            ),
            self.categorize_action: (_tr("Categorize"), _tr("Add a category to the selection")),
            self.delete_action: (_tr("Delete"), _tr("Delete the selected opportunities")),
            self.reading_pane_action: (_tr("Reading Pane"), _tr("Show or hide the reading pane")),
            self.reading_pane_bottom_action: (
                _tr("Reading Pane Below"),
                _tr("Show the reading pane below the list instead of beside it"),
            ),
            self.clear_filter_action: (_tr("Clear Filters"), _tr("Show every opportunity")),
            self.find_action: (_tr("Search"), _tr("Search the opportunities")),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        for action, tip in (
            (self.undo_action, _tr("Undo the last bulk action")),
            (self.redo_action, _tr("Redo the bulk action last undone")),
        ):
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({keys})" if keys else tip)
        self.filter_bar.retranslate_ui()
        self._emit_status()

    def reload_choices(self) -> None:
        """Re-read users and stages for the filters (after a customization)."""
        if self._lookups is not None:
            self.filter_bar.set_choices(self._lookups.stages(), self._lookups.users())

    # -- state ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the list (after a change elsewhere), keeping filter, sort and the current
        record.

        A saved record may move under the sort (by Modified, it goes to the top): the
        highlight and the reading pane follow it, looked for around its old row and on the
        first page. A record that is gone (deleted) leaves the highlight on the record that
        now takes its row; one that moved out of reach or out of the filter leaves no
        highlight, so a Delete or a bulk action never lands on a record the user did not
        choose.
        """
        current = self.view.currentIndex()
        old_row = current.row() if current.isValid() else -1
        record_id = self.model.id_at(old_row) if old_row >= 0 else None
        self.model.refresh()
        if old_row < 0:
            return
        row = self._row_of(record_id, old_row) if record_id is not None else None
        if row is None and (record_id is None or self._listing.details(record_id) is None):
            row = old_row if old_row < self.model.rowCount() else None
        if row is not None:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _row_of(self, record_id: int, near: int) -> int | None:
        """The row of ``record_id`` within a page of ``near``, or on the first page."""
        span = REFIND_ROWS
        count = self.model.rowCount()
        rows = [
            near,
            *range(max(near - span, 0), min(near + span, count)),
            *range(min(span, count)),
        ]
        return next((row for row in rows if self.model.id_at(row) == record_id), None)

    def selected_count(self) -> int:
        return count_rows(row_intervals(self.view.selectionModel()))

    def current_selection(self) -> RecordSelection:
        """The selection as ids, or as "all matching the filter except…" when it is large."""
        model = self.model
        total = model.rowCount()
        flt, order = model.filter, model.order

        def ids_of(offset: int, limit: int) -> list[int]:
            # The rows as shown: the shared database may have changed (and the rows moved)
            # since the view read them; only rows never read are asked of the database.
            shown = model.shown_ids(offset, limit)
            if shown is not None:
                return shown
            return self._listing.ids(flt, order, offset, limit, total)

        return to_record_selection(row_intervals(self.view.selectionModel()), total, flt, ids_of)

    def select_all(self) -> None:
        """Ctrl+A: every row matching the filter (one selection range, never a million)."""
        self.view.selectAll()

    def status_text(self) -> str:
        count = self.model.rowCount()
        parts = [_tr("{count} opportunities").format(count=f"{count:,}")]
        selected = self.selected_count() if count else 0
        if selected:
            parts.append(_tr("{selected} selected").format(selected=f"{selected:,}"))
        if self._totals is not None and self._totals.count == count:
            parts.append(
                _tr("Total {total}").format(total=formatting.money(self._totals.products_total))
            )
            parts.append(
                _tr("Expected {expected}").format(
                    expected=formatting.money(self._totals.expected_revenue)
                )
            )
        return " · ".join(parts)

    def _emit_status(self, *_args: object) -> None:
        self.status_changed.emit(self.status_text())

    def _on_count_changed(self, _count: int) -> None:
        self._refresh_totals()
        self._emit_status()

    def _refresh_totals(self) -> None:
        flt: OpportunityFilter = self.model.filter

        def done(totals: ListTotals) -> None:
            if flt == self.model.filter:
                self._totals = totals
                self._emit_status()

        self._totals = None
        run_quietly(self, lambda: self._listing.totals(flt), done)

    def _on_model_reset(self) -> None:
        self.reading_pane.show_details(None)
        self._update_actions()

    def _on_current_row(self, current: object, _previous: object) -> None:
        index = self.view.currentIndex()
        record_id = self.model.id_at(index.row()) if index.isValid() else None
        details = self._listing.details(record_id) if record_id is not None else None
        self.reading_pane.show_details(details)

    def _open_index(self, index: object) -> None:
        current = self.view.currentIndex()
        record_id = self.model.id_at(current.row()) if current.isValid() else None
        if record_id is not None:
            self.open_requested.emit(record_id)

    def _update_actions(self, *_args: object) -> None:
        has_selection = self.view.selectionModel().hasSelection()
        for action in self.bulk_actions():
            action.setEnabled(has_selection and self._bulk is not None)

    def _set_reading_pane_bottom(self, bottom: bool) -> None:
        self.splitter.setOrientation(
            Qt.Orientation.Vertical if bottom else Qt.Orientation.Horizontal
        )

    def _focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("sales/opportunitiesHeader", self.view.horizontalHeader().saveState())
        settings.setValue("sales/splitter", self.splitter.saveState())
        settings.setValue("sales/readingPane", self.reading_pane_action.isChecked())
        settings.setValue("sales/readingPaneBottom", self.reading_pane_bottom_action.isChecked())

    def restore_state(self, settings: QSettings) -> None:
        bottom = settings.value("sales/readingPaneBottom", False, type=bool)
        self.reading_pane_bottom_action.setChecked(bool(bottom))
        visible = settings.value("sales/readingPane", True, type=bool)
        self.reading_pane_action.setChecked(bool(visible))
        splitter = settings.value("sales/splitter")
        if isinstance(splitter, QByteArray | bytes) and splitter:
            self.splitter.restoreState(QByteArray(splitter))
        state = settings.value("sales/opportunitiesHeader")
        if isinstance(state, QByteArray | bytes) and state:
            header = self.view.horizontalHeader()
            if header.restoreState(QByteArray(state)):
                self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    # -- menus ---------------------------------------------------------------------------

    def _show_context_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("opportunityContextMenu")
        for action in self.bulk_actions():
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.select_all_action)
        menu.popup(self.view.viewport().mapToGlobal(position))

    def _show_column_chooser(self, position: QPoint) -> None:
        header = self.view.horizontalHeader()
        menu = QMenu(self)
        menu.setObjectName("columnChooser")
        for section in range(self.model.columnCount()):
            action = menu.addAction(str(self.model.headerData(section, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(section))
            # Title stays: a list without titles cannot be read.
            action.setEnabled(section != self.model.section_of(OpportunityColumn.TITLE))
            action.toggled.connect(
                lambda checked, s=section: header.setSectionHidden(s, not checked)
            )
        menu.popup(header.mapToGlobal(position))

    def _fill_assign_menu(self) -> None:
        self.assign_menu.clear()
        users = self._lookups.users() if self._lookups is not None else []
        for user in users:
            action = self.assign_menu.addAction(user.name)
            action.setObjectName(f"assignTo_{user.login}")
            action.triggered.connect(lambda _=False, u=user.id, n=user.name: self.assign_to(u, n))

    def _fill_categorize_menu(self) -> None:
        self.categorize_menu.clear()
        categories = self._bulk.categories() if self._bulk is not None else []
        for category in categories:
            action = self.categorize_menu.addAction(category.name)
            action.triggered.connect(
                lambda _=False, c=category.id, n=category.name: self.categorize(c, n)
            )
        if categories:
            self.categorize_menu.addSeparator()
        new = self.categorize_menu.addAction(_tr("New Category…"))
        new.triggered.connect(self._new_category)

    # -- bulk actions --------------------------------------------------------------------

    def assign_to(self, user_id: int, name: str) -> None:
        """Actions → Assign To → a name (S-9): every selected open record; nobody notified."""
        if self._bulk is None or not self.view.selectionModel().hasSelection():
            return
        bulk = self._bulk
        selection = self.current_selection()
        self._run_bulk(
            _tr("Assigning to {name}…").format(name=name),
            _tr("Assign to {name}").format(name=name),
            lambda: bulk.assign(selection, user_id),
        )

    def close_selected(self, kind: StageKind, actual_close_date: date | None = None) -> None:
        """Mark the selection Closed Won or Closed Lost, asking for the actual close date."""
        if self._bulk is None or not self.view.selectionModel().hasSelection():
            return
        bulk = self._bulk
        selection = self.current_selection()
        if actual_close_date is None:
            count, closed = bulk.count(selection)
            actual_close_date = CloseDialog.ask(self, kind, count, closed, self._today())
            if actual_close_date is None:
                return
        when = actual_close_date
        won = kind is StageKind.WON
        self._run_bulk(
            _tr("Closing opportunities…"),
            _tr("Mark as Closed Won") if won else _tr("Mark as Closed Lost"),
            lambda: bulk.close(selection, kind, when),
        )

    def categorize(self, category_id: int, name: str) -> None:
        if self._bulk is None or not self.view.selectionModel().hasSelection():
            return
        bulk = self._bulk
        selection = self.current_selection()
        self._run_bulk(
            _tr("Categorizing…"),
            _tr("Categorize as {name}").format(name=name),
            lambda: bulk.categorize(selection, category_id),
        )

    def _new_category(self) -> None:
        if self._bulk is None:
            return
        name, ok = QInputDialog.getText(self, _tr("New Category"), _tr("Category name:"))
        if not ok:
            return
        try:
            category = self._bulk.add_category(name)
        except DomainError as error:
            _report_error(self, error)
            return
        self.categorize(category.id, category.name)

    def delete_selected(self) -> None:
        """Delete the selection after a confirmation that says how many."""
        if self._bulk is None or not self.view.selectionModel().hasSelection():
            return
        bulk = self._bulk
        selection = self.current_selection()
        count, _closed = bulk.count(selection)
        if count == 1:
            question = _tr(
                "Delete this opportunity with its products, activities and history? It is"
                " moved to Deleted Items, where it can be restored."
            )
        else:
            question = _tr(
                "Delete {count} opportunities with their products, activities and history?"
                " They are moved to Deleted Items, where they can be restored."
            ).format(count=f"{count:,}")
        answer = QMessageBox.question(
            self,
            _tr("Delete opportunities"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        self._run_bulk(_tr("Deleting…"), _tr("Delete"), lambda: bulk.delete(selection))

    def _run_bulk(self, busy: str, title: str, perform: Callable[[], BulkOutcome]) -> None:
        if self._tasks:
            # One at a time: a second action would act on rows the first is still changing,
            # and its undo step would interleave with the first one's.
            QMessageBox.information(
                self,
                _tr("Still working"),
                _tr("The previous action is still running. Try again when it has finished."),
            )
            return

        def done(outcome: BulkOutcome) -> None:
            if outcome.undo is not None:
                self.undo_stack.push(
                    BulkCommand(title, outcome, perform, self._after_undo_or_redo, self)
                )
            self._after_change(outcome.result, _tr("{count} opportunities changed."))

        self._start(busy, perform, done)

    def _start(
        self, busy: str, work: Callable[[], object], done: Callable[[object], None]
    ) -> BackgroundTask:
        task = BackgroundTask(self, busy, work, done, lambda e: _report_error(self, e))
        self._tasks.append(task)
        task.finished.connect(lambda: self._task_finished(task))
        # Undo and Redo wait too: a step undone while an action runs would interleave with it.
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        task.start()
        return task

    def _task_finished(self, task: BackgroundTask) -> None:
        self._tasks.remove(task)
        if not self._tasks:
            self.undo_action.setEnabled(self.undo_stack.canUndo())
            self.redo_action.setEnabled(self.undo_stack.canRedo())

    def wait_for_tasks(self, msecs: int = 60_000) -> None:
        """Block until running bulk actions finish (tests, and closing the window)."""
        for task in list(self._tasks):
            task.wait(msecs)

    def _after_change(self, result: BulkResult, message: str) -> None:
        self._listing.invalidate()
        self.refresh()
        self.records_changed.emit()
        text = message.format(count=f"{result.changed:,}")
        if result.skipped_closed:
            notice = _tr(
                "{closed} closed opportunities were not changed: closed records are read-only"
                " until they are reopened."
            ).format(closed=f"{result.skipped_closed:,}")
            QMessageBox.information(self, _tr("Some records were not changed"), notice)
            text += " " + notice
        self.status_changed.emit(text)

    def _after_undo_or_redo(self, result: BulkResult) -> None:
        self._listing.invalidate()
        self.refresh()
        self.records_changed.emit()
        if result.skipped_conflict:
            QMessageBox.information(
                self,
                _tr("Some records were not restored"),
                _tr(
                    "{count} opportunities were changed again since, so they were left as they"
                    " are now."
                ).format(count=f"{result.skipped_conflict:,}"),
            )
