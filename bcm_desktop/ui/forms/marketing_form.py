"""The marketing activity form: General, Details and Tracking pages in a window of its own.

The Tracking page (BCM's "Bijhouden") lists the opportunities whose Initiated by is this
activity, read lazily through the shared record list machinery, with the figures the service
sums in SQL: how many, their total and expected revenue, the revenue won and the return on the
activity's actual cost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import QByteArray, QCoreApplication, QDateTime, QLocale, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import ListKind, MarketingStatus, StageKind
from ...domain.errors import ConflictError, DomainError, NotFoundError, ValidationError
from ...domain.listing import RecordFilter, RecordOrder, RecordRow
from ...domain.marketing import MAX_CAMPAIGN_CODE, MarketingActivity, TrackingFigures
from ...domain.money import ZERO, from_cents
from ...domain.validation import MAX_NAME
from ...services.lists import ListService
from ...services.lookups import Lookups
from ...services.marketing import MarketingService
from .. import formatting
from ..dialogs.conflict_dialog import KEEP_MINE, RELOAD, ConflictDialog
from ..dialogs.list_editor_dialog import ListEditOutcome
from ..errors import show_error
from ..widgets.dates import OptionalDateEdit
from ..widgets.money_edit import MoneyEdit
from ..widgets.single_line import keep_on_one_line
from ..workspace.header import FastHeader
from ..workspace.records import ROW_HEIGHT, RecordSource, RecordTableModel, value_column
from ..workspace.table_model import Column
from .assignee import select_assignee
from .list_combo import ListCombo

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
GEOMETRY_KEY = "forms/marketingGeometry"


def _tr(text: str) -> str:
    return QCoreApplication.translate("MarketingForm", text)


@dataclass(frozen=True)
class MarketingFormServices:
    """What the marketing form and workspace need, wired once by the composition root."""

    marketing: MarketingService
    lookups: Lookups
    tracking: RecordSource  # opportunities initiated by an activity (filter key "activity")
    today: Callable[[], date] = date.today
    # The list editor behind Type's "Edit this list…" (owner only).
    lists: ListService | None = None


def status_label(status: MarketingStatus | str) -> str:
    """The user's word for a marketing activity status."""
    labels = {
        MarketingStatus.PLANNED: _tr("Planned"),
        MarketingStatus.ACTIVE: _tr("Active"),
        MarketingStatus.COMPLETED: _tr("Completed"),
        MarketingStatus.CANCELLED: _tr("Cancelled"),
    }
    try:
        return labels[MarketingStatus(status)]
    except ValueError:
        return str(status)


def opportunity_status_label(status: object) -> str:
    labels = {
        StageKind.OPEN: _tr("Open"),
        StageKind.WON: _tr("Closed Won"),
        StageKind.LOST: _tr("Closed Lost"),
    }
    try:
        return labels[StageKind(str(status))]
    except ValueError:
        return str(status)


def cents_text(value: object) -> str:
    return "" if value is None else formatting.money(from_cents(int(str(value))), QLocale())


def date_text(value: object) -> str:
    return formatting.short_date(value) if isinstance(value, date) else ""


def return_on_cost_text(figures: TrackingFigures) -> str:
    """The return on cost as a percentage with one decimal, or a dash without a cost."""
    ratio = figures.return_on_cost
    if ratio is None:
        return _tr("— (no actual cost)")
    locale = QLocale()
    # Half up (away from zero), as a hand computation rounds; Decimal's default is half even.
    percent = (ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    units, _, decimals = f"{abs(percent):.1f}".partition(".")
    sign = "-" if percent < 0 else ""
    return f"{sign}{locale.toString(int(units))}{locale.decimalPoint()}{decimals} %"


def confirm_delete(parent: QWidget, names: list[str], initiated: int) -> bool:
    """Ask before moving activities to Deleted Items, saying how many opportunities lose
    Initiated by."""
    if len(names) == 1:
        question = _tr(
            "Delete the marketing activity “{name}”? It goes to Deleted Items, where it can be "
            "restored."
        ).format(name=names[0])
    else:
        question = _tr(
            "Delete {count} marketing activities? They go to Deleted Items, where they can be "
            "restored."
        ).format(count=len(names))
    if initiated:
        question += " " + (
            _tr(
                "It initiated 1 opportunity: that opportunity is kept, its Initiated by is "
                "cleared (Restore sets it back if still empty)."
            )
            if initiated == 1
            else _tr(
                "They initiated {count} opportunities: those are kept, "
                "their Initiated by is cleared (Restore sets it back where still empty)."
            ).format(count=f"{initiated:,}")
        )
    answer = QMessageBox.question(
        parent,
        _tr("Delete marketing activity"),
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def tracking_columns() -> list[Column[RecordRow]]:
    """The Tracking table's columns, in the order of ``tracking_list_spec``."""
    return [
        value_column(0, "title", lambda: _tr("Opportunity")),
        value_column(1, "link", lambda: _tr("Linked to")),
        value_column(2, "stage", lambda: _tr("Sales stage")),
        value_column(3, "status", lambda: _tr("Status"), opportunity_status_label),
        value_column(4, "total", lambda: _tr("Total"), cents_text, RIGHT),
        value_column(5, "expected_revenue", lambda: _tr("Expected revenue"), cents_text, RIGHT),
        value_column(6, "close_date", lambda: _tr("Close date"), date_text),
    ]


class MarketingForm(QMainWindow):
    """One marketing activity, new or saved. Emits ``saved(id)`` after every save."""

    saved = Signal(int)
    deleted = Signal(int)
    form_closed = Signal(object)
    open_opportunity_requested = Signal(int)
    #: The owner changed the Type list in this form's list editor (ListEditOutcome).
    lists_changed = Signal(object)

    def __init__(
        self,
        services: MarketingFormServices,
        activity: MarketingActivity,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("marketingForm")
        self._services = services
        self._activity = activity
        self._baseline = activity
        self._build_actions()
        self._build_pages()
        self._fill_choices()
        self.retranslate_ui()
        self._load(activity)
        self.resize(820, 600)
        geometry = QSettings().value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))

    # -- construction --------------------------------------------------------------------

    def _action(
        self, name: str, slot: Callable[[], object], shortcut: QKeySequence | str | None = None
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
        self.save_new_action = self._action("saveAndNew", self.save_and_new, "Ctrl+Shift+S")
        self.save_action = self._action("save", self.save, "Ctrl+S")
        self.delete_action = self._action("deleteMarketingActivity", self.delete_record, "Ctrl+D")
        self.refresh_action = self._action(
            "refreshTracking", self.refresh_tracking, QKeySequence.StandardKey.Refresh
        )
        toolbar = QToolBar(self)
        toolbar.setObjectName("marketingFormRibbon")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.save_close_action, self.save_new_action, self.save_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.delete_action)
        toolbar.addSeparator()
        toolbar.addAction(self.refresh_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

    def _build_pages(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 8)
        self.tabs = QTabWidget(central)
        self.tabs.setObjectName("marketingTabs")
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.tabs.addTab(self._general_page(), "")
        self.tabs.addTab(self._details_page(), "")
        self.tabs.addTab(self._tracking_page(), "")

    def _group(self, parent: QWidget, name: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(parent)
        box.setObjectName(name)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return box, form

    def _general_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("generalPage")
        grid = QGridLayout(page)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.info_box, info = self._group(page, "activityInformation")
        self.name_edit = QLineEdit(page)
        keep_on_one_line(self.name_edit)
        self.name_edit.setObjectName("name")
        self.name_edit.setMaxLength(MAX_NAME)
        self.type_combo = QComboBox(page)
        self.type_combo.setObjectName("type")
        self.status_combo = QComboBox(page)
        self.status_combo.setObjectName("status")
        self.assigned_combo = QComboBox(page)
        self.assigned_combo.setObjectName("assignedTo")
        self.code_edit = QLineEdit(page)
        keep_on_one_line(self.code_edit)
        self.code_edit.setObjectName("campaignCode")
        self.code_edit.setMaxLength(MAX_CAMPAIGN_CODE)
        self._info_labels = [QLabel(page) for _ in range(5)]
        for label, widget in zip(
            self._info_labels,
            (
                self.name_edit,
                self.type_combo,
                self.status_combo,
                self.assigned_combo,
                self.code_edit,
            ),
            strict=True,
        ):
            label.setBuddy(widget)
            info.addRow(label, widget)

        self.plan_box, plan = self._group(page, "datesAndCosts")
        self.start_edit = OptionalDateEdit(page)
        self.start_edit.setObjectName("startDate")
        self.end_edit = OptionalDateEdit(page)
        self.end_edit.setObjectName("endDate")
        self.budgeted_edit = MoneyEdit(page)
        self.budgeted_edit.setObjectName("budgetedCost")
        self.actual_edit = MoneyEdit(page)
        self.actual_edit.setObjectName("actualCost")
        for edit in (self.budgeted_edit, self.actual_edit):
            edit.setPlaceholderText(edit.format_value(ZERO))
        self._plan_labels = [QLabel(page) for _ in range(4)]
        for label, widget in zip(
            self._plan_labels,
            (self.start_edit, self.end_edit, self.budgeted_edit, self.actual_edit),
            strict=True,
        ):
            label.setBuddy(widget)
            plan.addRow(label, widget)

        grid.addWidget(self.info_box, 0, 0)
        grid.addWidget(self.plan_box, 0, 1)
        grid.setRowStretch(1, 1)
        for first, second in (
            (self.name_edit, self.type_combo),
            (self.type_combo, self.status_combo),
            (self.status_combo, self.assigned_combo),
            (self.assigned_combo, self.code_edit),
            (self.code_edit, self.start_edit),
            (self.start_edit, self.end_edit),
            (self.end_edit, self.budgeted_edit),
            (self.budgeted_edit, self.actual_edit),
        ):
            QWidget.setTabOrder(first, second)
        return page

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
        self.comments_edit = QPlainTextEdit(page)
        self.comments_edit.setObjectName("comments")
        self._comments_label.setBuddy(self.comments_edit)
        layout.addLayout(top)
        layout.addWidget(self.comments_edit, 1)
        return page

    def _tracking_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("trackingPage")
        layout = QVBoxLayout(page)
        self.tracking_intro = QLabel(page)
        self.tracking_intro.setObjectName("trackingIntro")
        self.tracking_intro.setWordWrap(True)
        self.figures_box, figures = self._group(page, "trackingFigures")
        self.count_value = QLabel(page)
        self.count_value.setObjectName("trackedCount")
        self.total_value = QLabel(page)
        self.total_value.setObjectName("trackedTotal")
        self.expected_value = QLabel(page)
        self.expected_value.setObjectName("trackedExpected")
        self.won_value = QLabel(page)
        self.won_value.setObjectName("trackedWon")
        self.cost_value = QLabel(page)
        self.cost_value.setObjectName("trackedCost")
        self.return_value = QLabel(page)
        self.return_value.setObjectName("returnOnCost")
        self._figure_values = [
            self.count_value,
            self.total_value,
            self.expected_value,
            self.won_value,
            self.cost_value,
            self.return_value,
        ]
        self._figure_labels = [QLabel(page) for _ in self._figure_values]
        for label, value in zip(self._figure_labels, self._figure_values, strict=True):
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAlignment(RIGHT)
            value.setMinimumWidth(120)
            figures.addRow(label, value)

        self.tracking_model = RecordTableModel(
            self._services.tracking,
            tracking_columns(),
            RecordOrder("close_date"),
            self,
            flt=RecordFilter(equals=(("activity", 0),)),
        )
        self.tracking_view = QTableView(page)
        self.tracking_view.setObjectName("trackingTable")
        self.tracking_view.setHorizontalHeader(FastHeader(self.tracking_view))
        self.tracking_view.setModel(self.tracking_model)
        view = self.tracking_view
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for key, width in (
            ("title", 180),
            ("link", 140),
            ("stage", 100),
            ("status", 85),
            ("total", 90),
            ("expected_revenue", 125),
        ):
            header.resizeSection(self.tracking_model.section_of(key), width)
        header.setSortIndicator(
            self.tracking_model.section_of("close_date"), Qt.SortOrder.AscendingOrder
        )
        view.setSortingEnabled(True)
        view.doubleClicked.connect(self._open_tracked)
        view.activated.connect(self._open_tracked)

        top = QHBoxLayout()
        top.addWidget(self.figures_box)
        top.addStretch(1)
        layout.addWidget(self.tracking_intro)
        layout.addLayout(top)
        layout.addWidget(self.tracking_view, 1)
        return page

    def _fill_choices(self) -> None:
        lookups = self._services.lookups
        # Type: its entries and the owner's "Edit this list…" (S-4).
        self.type_list = ListCombo(
            self.type_combo,
            ListKind.MARKETING_TYPE,
            lookups,
            self._services.lists,
            is_loading=lambda: False,  # loading selects entries, never "Edit this list…"
            is_dirty=self.is_dirty,
            stored=lambda: self._baseline.type_id,
            follow=self._follow_list_change,
        )
        self.type_list.edited.connect(self.lists_changed)
        self.assigned_combo.clear()
        self.assigned_combo.addItem("", None)
        for user in lookups.users():
            self.assigned_combo.addItem(user.name, user.id)
        self.status_combo.clear()
        for status in MarketingStatus:
            self.status_combo.addItem("", status.value)

    def retranslate_ui(self) -> None:
        texts = {
            self.save_close_action: (
                _tr("Save && Close"),
                _tr("Save the marketing activity and close it"),
            ),
            self.save_new_action: (
                _tr("Save && New"),
                _tr("Save, then start a new marketing activity"),
            ),
            self.save_action: (_tr("Save"), _tr("Save the marketing activity")),
            self.delete_action: (_tr("Delete"), _tr("Delete this marketing activity")),
            self.refresh_action: (
                _tr("Refresh"),
                _tr("Read the Tracking page again"),
            ),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        self.tabs.setTabText(0, _tr("General"))
        self.tabs.setTabText(1, _tr("Details"))
        self.tabs.setTabText(2, _tr("Tracking"))
        self.info_box.setTitle(_tr("Marketing activity"))
        self.plan_box.setTitle(_tr("Dates and costs"))
        self.figures_box.setTitle(_tr("Results"))
        for label, text in zip(
            self._info_labels,
            (
                _tr("&Name:"),
                _tr("T&ype:"),
                _tr("S&tatus:"),
                _tr("&Assigned to:"),
                _tr("Campaign &code:"),
            ),
            strict=True,
        ):
            label.setText(text)
        for label, text in zip(
            self._plan_labels,
            (
                _tr("Start &date:"),
                _tr("&End date:"),
                _tr("&Budgeted cost:"),
                _tr("Act&ual cost:"),
            ),
            strict=True,
        ):
            label.setText(text)
        for label, text in zip(
            self._figure_labels,
            (
                _tr("Opportunities:"),
                _tr("Total revenue:"),
                _tr("Expected revenue:"),
                _tr("Won revenue:"),
                _tr("Actual cost:"),
                _tr("Return on cost:"),
            ),
            strict=True,
        ):
            label.setText(text)
        for index, status in enumerate(MarketingStatus):
            self.status_combo.setItemText(index, status_label(status))
        self._comments_label.setText(_tr("C&omments"))
        self.timestamp_button.setText(_tr("Add Timestamp"))
        self.timestamp_button.setToolTip(_tr("Insert the current date and time at the cursor"))
        self.tracking_intro.setText(
            _tr(
                "Opportunities whose Initiated by is this activity. Choose the activity in an "
                "opportunity's Initiated by to add it here; double-click one to open it."
            )
        )
        self.return_value.setToolTip(_tr("(Won revenue − actual cost) ÷ actual cost"))
        for widget, name in (
            (self.name_edit, _tr("Name")),
            (self.type_combo, _tr("Type")),
            (self.status_combo, _tr("Status")),
            (self.assigned_combo, _tr("Assigned to")),
            (self.code_edit, _tr("Campaign code")),
            (self.start_edit, _tr("Start date")),
            (self.end_edit, _tr("End date")),
            (self.budgeted_edit, _tr("Budgeted cost")),
            (self.actual_edit, _tr("Actual cost")),
            (self.comments_edit, _tr("Comments")),
            (self.tracking_view, _tr("Opportunities initiated by this activity")),
        ):
            widget.setAccessibleName(name)
        self._update_title()

    # -- loading and collecting ----------------------------------------------------------

    @property
    def activity(self) -> MarketingActivity:
        """The activity as last loaded or saved (not what is typed now)."""
        return self._activity

    @property
    def record_id(self) -> int | None:
        return self._activity.id

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def _load(self, activity: MarketingActivity) -> None:
        self._activity = activity
        self.name_edit.setText(activity.name)
        self._select(self.type_combo, activity.type_id)
        self._select(self.status_combo, activity.status.value)
        select_assignee(self.assigned_combo, activity.assigned_to_id, self._services.lookups)
        self.code_edit.setText(activity.campaign_code)
        self.start_edit.set_value(activity.start_date)
        self.end_edit.set_value(activity.end_date)
        # Zero shows as an empty field (its placeholder reads 0.00), so typing needs no clearing.
        self.budgeted_edit.set_value(activity.budgeted_cost or None)
        self.actual_edit.set_value(activity.actual_cost or None)
        self.comments_edit.setPlainText(activity.comments)
        self._baseline = self._draft()
        self.delete_action.setEnabled(activity.id is not None)
        self.refresh_action.setEnabled(activity.id is not None)
        self.refresh_tracking()
        self._update_title()

    def follow_list_edit(self, outcome: ListEditOutcome) -> None:
        """Another form's list editor changed the Type list: refill the combo."""
        self.type_list.apply(outcome)

    def _follow_list_change(self, untouched: bool) -> None:
        """The activity's type was removed in the list editor: without unsaved changes read
        the activity again (it has the replacement and a new version)."""
        if not untouched:
            return
        if self._activity.id is None:
            self._baseline = self._draft()
            return
        try:
            self._load(self._services.marketing.get(self._activity.id))
        except DomainError as error:
            show_error(self, error)

    def _draft(self) -> MarketingActivity:
        """What the form shows, with unreadable amounts kept as they were (for dirtiness)."""
        return replace(
            self._activity,
            name=self.name_edit.text(),
            type_id=self.type_combo.currentData(),
            status=MarketingStatus(self.status_combo.currentData()),
            assigned_to_id=self.assigned_combo.currentData(),
            campaign_code=self.code_edit.text(),
            start_date=self.start_edit.value(),
            end_date=self.end_edit.value(),
            budgeted_cost=self.budgeted_edit.value() or ZERO,
            actual_cost=self.actual_edit.value() or ZERO,
            comments=self.comments_edit.toPlainText(),
        )

    def _collect(self) -> MarketingActivity:
        """The activity as typed; ``ValidationError`` for an amount that is not a number."""
        budgeted = self.budgeted_edit.checked_value(
            _tr("Budgeted cost"), "budgeted_cost", default=ZERO
        )
        actual = self.actual_edit.checked_value(_tr("Actual cost"), "actual_cost", default=ZERO)
        return replace(self._draft(), budgeted_cost=budgeted, actual_cost=actual)

    def is_dirty(self) -> bool:
        return (
            self._draft() != self._baseline
            or self.budgeted_edit.is_invalid()
            or self.actual_edit.is_invalid()
        )

    # -- tracking ------------------------------------------------------------------------

    def refresh_tracking(self) -> None:
        """Read the Tracking page again (after an opportunity was saved, say)."""
        activity_id = self._activity.id
        flt = RecordFilter(equals=(("activity", activity_id or 0),))
        if flt != self.tracking_model.filter:
            self.tracking_model.set_filter(flt)
        else:
            self.tracking_model.refresh()
        self.tracking_view.setEnabled(activity_id is not None)
        if activity_id is None:
            for value in self._figure_values:
                value.setText("—")
            self.return_value.setText(_tr("— (save the activity first)"))
            return
        try:
            figures = self._services.marketing.figures(activity_id)
        except DomainError as error:
            show_error(self, error)
            return
        self.show_figures(figures)

    def show_figures(self, figures: TrackingFigures) -> None:
        locale = QLocale()
        self.count_value.setText(locale.toString(figures.count))
        self.total_value.setText(formatting.money(figures.total_revenue, locale))
        self.expected_value.setText(formatting.money(figures.expected_revenue, locale))
        self.won_value.setText(formatting.money(figures.won_revenue, locale))
        self.cost_value.setText(formatting.money(figures.actual_cost, locale))
        self.return_value.setText(return_on_cost_text(figures))

    def _open_tracked(self, index: object) -> None:
        row = getattr(index, "row", lambda: -1)()
        opportunity_id = self.tracking_model.id_at(row) if row >= 0 else None
        if opportunity_id is not None:
            self.open_opportunity_requested.emit(opportunity_id)

    # -- details -------------------------------------------------------------------------

    def add_timestamp(self) -> None:
        """Insert the current date and time, in the user's locale, at the cursor."""
        stamp = QLocale().toString(QDateTime.currentDateTime(), QLocale.FormatType.ShortFormat)
        self.tabs.setCurrentIndex(1)
        self.comments_edit.insertPlainText(f"{stamp} ")
        self.comments_edit.setFocus()

    # -- saving --------------------------------------------------------------------------

    def save(self) -> bool:
        """Save what the form shows. True when it was saved."""
        service = self._services.marketing
        try:
            draft = self._collect()
            saved = service.create(draft) if draft.id is None else service.update(draft)
        except ValidationError as error:
            self._refuse(error)
            return False
        except ConflictError:
            return self._resolve_conflict(self._collect())
        except DomainError as error:
            show_error(self, error)
            return False
        self._load(saved)
        self.saved.emit(saved.id or 0)
        return True

    def save_and_close(self) -> None:
        if self.save():
            self.close()

    def save_and_new(self) -> None:
        if self.save():
            self._load(self._services.marketing.new())
            self.tabs.setCurrentIndex(0)
            self.name_edit.setFocus()

    def _refuse(self, error: ValidationError) -> None:
        widgets: dict[str, QWidget] = {
            "name": self.name_edit,
            "type_id": self.type_combo,
            "status": self.status_combo,
            "assigned_to": self.assigned_combo,
            "campaign_code": self.code_edit,
            "start_date": self.start_edit,
            "end_date": self.end_edit,
            "budgeted_cost": self.budgeted_edit,
            "actual_cost": self.actual_edit,
            "comments": self.comments_edit,
        }
        QMessageBox.warning(self, _tr("Cannot save"), error.message)
        widget = widgets.get(error.field or "")
        if widget is not None:
            self.tabs.setCurrentIndex(1 if widget is self.comments_edit else 0)
            widget.setFocus()

    def _resolve_conflict(self, mine: MarketingActivity) -> bool:
        try:
            theirs = self._services.marketing.get(mine.id or 0)
        except NotFoundError as error:
            show_error(self, error)
            return False
        names = {
            "type_id": self._combo_names(self.type_combo),
            "assigned_to_id": self._combo_names(self.assigned_combo),
        }
        differences = describe_differences(mine, theirs, names)
        choice = ConflictDialog.ask(self, theirs.name, differences)
        if choice == RELOAD:
            self._load(theirs)
            return False
        if choice == KEEP_MINE:
            self._activity = replace(self._activity, version=theirs.version)
            return self.save()
        return False

    @staticmethod
    def _combo_names(combo: QComboBox) -> dict[object, str]:
        return {combo.itemData(index): combo.itemText(index) for index in range(combo.count())}

    def delete_record(self) -> None:
        activity = self._activity
        if activity.id is None:
            return
        try:
            initiated = self._services.marketing.initiated_count(activity.id)
        except DomainError as error:
            show_error(self, error)
            return
        if not confirm_delete(self, [activity.name], initiated):
            return
        try:
            self._services.marketing.delete(activity.id, activity.version)
        except DomainError as error:
            show_error(self, error)
            return
        self.deleted.emit(activity.id)
        self._baseline = self._draft()  # nothing left to save
        self.close()

    def _update_title(self) -> None:
        name = self._activity.name or _tr("Untitled")
        prefix = "" if self._activity.id is not None else _tr("New marketing activity: ")
        self.setWindowTitle(f"{prefix}{name} — {_tr('Marketing Activity')}")

    # -- closing -------------------------------------------------------------------------

    def ask_unsaved(self) -> str:
        """Save / Discard / Cancel for unsaved changes."""
        answer = QMessageBox.question(
            self,
            _tr("Unsaved changes"),
            _tr("Save the changes to “{name}”?").format(
                name=self.name_edit.text() or _tr("Untitled")
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
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        self.form_closed.emit(self)
        super().closeEvent(event)


FIELD_LABELS = {
    "name": "Name",
    "type_id": "Type",
    "status": "Status",
    "assigned_to_id": "Assigned to",
    "campaign_code": "Campaign code",
    "start_date": "Start date",
    "end_date": "End date",
    "budgeted_cost": "Budgeted cost",
    "actual_cost": "Actual cost",
    "comments": "Comments",
}


def _describe(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, MarketingStatus):
        return status_label(value)
    if isinstance(value, date):
        return formatting.short_date(value)
    if isinstance(value, Decimal):
        return formatting.money(value, QLocale())
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def describe_differences(
    mine: MarketingActivity,
    theirs: MarketingActivity,
    names: dict[str, dict[object, str]] | None = None,
) -> list[tuple[str, str, str]]:
    """(field, mine, theirs) for every field that differs; ``names`` maps ids to names."""
    names = names or {}
    rows = []
    for field, label in FIELD_LABELS.items():
        a, b = getattr(mine, field), getattr(theirs, field)
        if a == b:
            continue
        known = names.get(field)
        if known is not None:
            rows.append((_tr(label), known.get(a, _describe(a)), known.get(b, _describe(b))))
        else:
            rows.append((_tr(label), _describe(a), _describe(b)))
    return rows
