"""The opportunity form (S-3): General, Details and History pages in a window of its own.

The form edits a copy of the record. Saving hands that copy to the service, which validates
and enforces every rule; a refusal leaves the form as it was with the offending field focused,
and a "changed elsewhere" conflict shows both versions before anything is replaced.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QDateTime,
    QLocale,
    QSettings,
    Qt,
    QTime,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QTextDocument
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.activities import due_date
from ...domain.entities import (
    InitiatorRef,
    Opportunity,
    OpportunityLine,
    RecordRef,
    SalesStage,
    expected_revenue,
    probability_for_stage,
    products_total,
)
from ...domain.enums import InitiatorKind, LinkKind, ListKind, StageKind
from ...domain.errors import (
    ClosedRecordError,
    ConflictError,
    DomainError,
    NotFoundError,
    ValidationError,
)
from ...domain.ics import Person, meeting_request
from ...services.catalog import CatalogService
from ...services.categories import CategoryService
from ...services.history import HistoryService
from ...services.links import LinkService
from ...services.lists import ListService
from ...services.lookups import Lookups
from ...services.opportunities import OpportunityService
from ...services.stages import StageService
from .. import formatting
from ..dialogs.categories_dialog import CategoriesDialog, swatch
from ..dialogs.close_dialog import CloseDialog
from ..dialogs.conflict_dialog import KEEP_MINE, RELOAD, ConflictDialog
from ..dialogs.link_dialog import LinkDialog
from ..dialogs.list_editor_dialog import ListEditOutcome
from ..dialogs.meeting_dialog import MeetingDialog
from ..dialogs.stages_dialog import StagesDialog
from ..errors import show_error
from ..widgets.dates import OptionalDateEdit, OptionalDateTimeEdit
from ..widgets.elided_label import ElidedLabel
from ..widgets.single_line import SingleLineValidator
from .activities_editor import ActivitiesEditor
from .assignee import select_assignee
from .history_page import HistoryPage
from .lines_editor import LinesEditor
from .list_combo import ListCombo, keep_off_the_keys
from .opportunity_print import SummaryNames, print_to_pdf, summary_document
from .project_manager import ProjectFormManager


def _tr(text: str) -> str:
    return QCoreApplication.translate("OpportunityForm", text)


@dataclass(frozen=True)
class FormServices:
    """What a form needs, wired once by the composition root."""

    opportunities: OpportunityService
    lookups: Lookups
    catalog: CatalogService
    links: LinkService
    history: HistoryService
    today: Callable[[], date] = date.today
    # Manage Categories needs it; without one the Categorize menu only assigns categories.
    categories: CategoryService | None = None
    # Why the database is open read-only (forms then show records without saving); None: writable.
    read_only_reason: str | None = None
    # Business Project → Create Project (S-11); without it the action stays disabled.
    projects: ProjectFormManager | None = None
    # The Sales Stages editor behind the stage combo's "Edit this list…" (owner only).
    stages: StageService | None = None
    # The list editor behind Type, Payment terms and Source's "Edit this list…" (owner only).
    lists: ListService | None = None


def meeting_folder() -> Path:
    """Where meeting requests are written before the calendar program opens them."""
    folder = Path(tempfile.gettempdir()) / "bcm-desktop-meetings"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def safe_file_name(title: str, fallback: str) -> str:
    """A file name from a title: no path separators or characters Windows refuses."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title).strip(" .")
    return name[:80] or fallback


SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
GEOMETRY_KEY = "forms/opportunityGeometry"
EDIT_STAGE_LIST = "edit-stage-list"  # the data of the stage combo's "Edit this list…"


class OpportunityForm(QMainWindow):
    """One opportunity, new or saved. Emits ``saved(id)`` after every successful save."""

    saved = Signal(int)
    deleted = Signal(int)
    form_closed = Signal(object)
    new_requested = Signal()
    #: The owner changed a list in this form's list editor: (ListKind, ListEditOutcome).
    lists_changed = Signal(object, object)

    def __init__(
        self,
        services: FormServices,
        opportunity: Opportunity,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("opportunityForm")
        self._services = services
        self._opportunity = opportunity
        self._baseline = opportunity
        self._stages: list[SalesStage] = services.lookups.stages()
        self._link: RecordRef | None = opportunity.link
        self._initiator: InitiatorRef | None = opportunity.initiated_by
        self._stage_index = -1
        self._loading = False
        # What the form itself last put in probability and close date: a stage's defaults
        # replace them only while the user has not typed something else.
        self._auto_probability: int | None = None
        self._auto_close_date: date | None = None
        # Probability and its automatic value before a closed stage was chosen (not saved).
        self._before_close: tuple[int, int | None] | None = None
        # Completed ticks of the stages shown since loading, by stage id (not saved yet).
        self._ticks: dict[object, dict[int, bool]] = {}
        stage_service = services.stages
        self._may_edit_stages = stage_service is not None and stage_service.is_owner()

        self._build_actions()
        self._build_pages()
        self._fill_choices()
        self._add_stage_list_entry()
        self.retranslate_ui()
        self._load(opportunity)
        # Wide enough for the whole ribbon (Print, Meeting Request… hid behind "»" at 900)
        # where the screen allows it.
        screen = self.screen().availableGeometry().width()
        self.resize(max(900, min(self.toolbar.sizeHint().width() + 24, screen - 40)), 760)
        geometry = QSettings().value(GEOMETRY_KEY)  # the size the user gave the last form
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))

    # -- construction --------------------------------------------------------------------

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
        self.save_new_action = self._action("saveAndNew", self.save_and_new, "Ctrl+Shift+S")
        self.save_action = self._action("save", self.save, "Ctrl+S")
        self.delete_action = self._action("deleteOpportunity", self.delete_record, "Ctrl+D")
        self.close_won_action = self._action("closeAsWon", lambda: self.close_as(StageKind.WON))
        self.close_lost_action = self._action("closeAsLost", lambda: self.close_as(StageKind.LOST))
        self.reopen_action = self._action("reopen", self.reopen)
        self.link_action = self._action("linkTo", self.choose_link, "Ctrl+L")
        self.history_action = self._action("showHistory", self.show_history)
        self.print_action = self._action("printOpportunity", self.print_preview, "Ctrl+P")
        self.pdf_action = self._action("saveAsPdf", self.save_as_pdf)
        self.email_action = self._action("emailLinked", self.send_email)
        self.meeting_action = self._action("meetingRequest", self.send_meeting_request)
        self.manage_categories_action = self._action("manageCategories", self.manage_categories)
        self.create_project_action = self._action("createProject", self.create_project)
        self.categorize_menu = QMenu(self)
        self.categorize_menu.setObjectName("categorizeMenu")
        self.categorize_menu.aboutToShow.connect(self.fill_categories_menu)
        self.categorize_action = QAction(self)
        self.categorize_action.setObjectName("categorize")
        self.categorize_action.setMenu(self.categorize_menu)
        toolbar = QToolBar(self)
        toolbar.setObjectName("opportunityFormRibbon")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.save_close_action, self.save_new_action, self.save_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.delete_action)
        toolbar.addSeparator()
        for action in (self.close_won_action, self.close_lost_action, self.reopen_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.link_action)
        toolbar.addAction(self.history_action)
        toolbar.addSeparator()  # Business Project
        toolbar.addAction(self.create_project_action)
        toolbar.addSeparator()
        for action in (self.email_action, self.meeting_action):
            toolbar.addAction(action)
        toolbar.addAction(self.categorize_action)
        button = toolbar.widgetForAction(self.categorize_action)
        if isinstance(button, QToolButton):
            button.setObjectName("categorizeButton")
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        toolbar.addSeparator()
        toolbar.addAction(self.print_action)
        toolbar.addAction(self.pdf_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

    def _build_pages(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 8)
        self.banner = QLabel(central)
        self.banner.setObjectName("closedBanner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        layout.addWidget(self.banner)
        self.tabs = QTabWidget(central)
        self.tabs.setObjectName("opportunityTabs")
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.tabs.addTab(self._general_page(), "")
        self.tabs.addTab(self._details_page(), "")
        self.history_page = HistoryPage(
            self._services.history, self, users=self._services.lookups.all_users
        )
        self.tabs.addTab(self.history_page, "")

    def _group(self, parent: QWidget, name: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(parent)
        box.setObjectName(name)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return box, form

    def _general_page(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setObjectName("generalPage")
        scroll.setWidgetResizable(True)
        page = QWidget(scroll)
        grid = QGridLayout(page)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        # Opportunity information
        self.info_box, info = self._group(page, "opportunityInformation")
        self.title_edit = QLineEdit(page)
        self.title_edit.setObjectName("title")
        self.title_edit.setMaxLength(255)
        self.title_edit.setValidator(SingleLineValidator(self.title_edit))
        self.assigned_combo = QComboBox(page)
        self.assigned_combo.setObjectName("assignedTo")
        self.type_combo = QComboBox(page)
        self.type_combo.setObjectName("type")
        self._title_label = QLabel(page)
        self._assigned_label = QLabel(page)
        self._type_label = QLabel(page)
        info.addRow(self._title_label, self.title_edit)
        info.addRow(self._assigned_label, self.assigned_combo)
        info.addRow(self._type_label, self.type_combo)

        # Linked account or business contact
        self.link_box, link = self._group(page, "linkedRecord")
        self.link_button = QPushButton(page)
        self.link_button.setObjectName("linkToButton")
        self.link_button.clicked.connect(self.choose_link)
        self.link_label = ElidedLabel(page)
        self.link_label.setObjectName("linkName")
        self.link_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.link_button)
        row.addWidget(self.link_label, 1)
        link.addRow(row)

        # Sales information
        self.sales_box, sales = self._group(page, "salesInformation")
        self.probability_spin = QSpinBox(page)
        self.probability_spin.setObjectName("probability")
        self.probability_spin.setRange(0, 100)
        self.probability_spin.setSuffix(" %")
        self.expected_label = QLabel(page)
        self.expected_label.setObjectName("expectedRevenue")
        self.close_date_edit = OptionalDateEdit(page)
        self.close_date_edit.setObjectName("closeDate")
        self.payment_combo = QComboBox(page)
        self.payment_combo.setObjectName("paymentTerms")
        self.expiration_edit = OptionalDateEdit(page)
        self.expiration_edit.setObjectName("expirationDate")
        self.delivery_edit = OptionalDateEdit(page)
        self.delivery_edit.setObjectName("deliveryDate")
        self._sales_labels = [QLabel(page) for _ in range(6)]
        for label, widget in zip(
            self._sales_labels,
            (
                self.probability_spin,
                self.expected_label,
                self.close_date_edit,
                self.payment_combo,
                self.expiration_edit,
                self.delivery_edit,
            ),
            strict=True,
        ):
            sales.addRow(label, widget)

        # Source information
        self.source_box, source = self._group(page, "sourceInformation")
        self.source_combo = QComboBox(page)
        self.source_combo.setObjectName("source")
        self.initiator_button = QPushButton(page)
        self.initiator_button.setObjectName("initiatedByButton")
        self.initiator_button.clicked.connect(self.choose_initiator)
        self.initiator_label = ElidedLabel(page)
        self.initiator_label.setObjectName("initiatedByName")
        self.initiator_clear = QPushButton(page)
        self.initiator_clear.setObjectName("initiatedByClear")
        self.initiator_clear.clicked.connect(self._clear_initiator)
        self.competitors_edit = QLineEdit(page)
        self.competitors_edit.setObjectName("competitors")
        self.competitors_edit.setValidator(SingleLineValidator(self.competitors_edit))
        initiator_row = QHBoxLayout()
        initiator_row.addWidget(self.initiator_button)
        initiator_row.addWidget(self.initiator_label, 1)
        initiator_row.addWidget(self.initiator_clear)
        self._source_label = QLabel(page)
        self._initiator_label_caption = QLabel(page)
        self._competitors_label = QLabel(page)
        source.addRow(self._source_label, self.source_combo)
        source.addRow(self._initiator_label_caption, initiator_row)
        source.addRow(self._competitors_label, self.competitors_edit)

        # Sales stage and activities
        self.stage_box, stage = self._group(page, "salesStage")
        self.stage_combo = QComboBox(page)
        keep_off_the_keys(self.stage_combo, EDIT_STAGE_LIST)
        self.stage_combo.setObjectName("stage")
        self.reminder_check = QCheckBox(page)
        self.reminder_check.setObjectName("reminder")
        self.reminder_edit = OptionalDateTimeEdit(page)
        self.reminder_edit.setObjectName("reminderAt")
        self.reminder_check.toggled.connect(self._on_reminder_toggled)
        reminder_row = QHBoxLayout()
        reminder_row.addWidget(self.reminder_check)
        reminder_row.addWidget(self.reminder_edit, 1)
        self._stage_label = QLabel(page)
        self._reminder_label = QLabel(page)
        stage.addRow(self._stage_label, self.stage_combo)
        stage.addRow(self._reminder_label, reminder_row)
        self.activities_editor = ActivitiesEditor(page, self._services.today)
        self.activities_editor.setObjectName("activities")
        stage.addRow(self.activities_editor)

        # Products and services
        self.lines_box = QGroupBox(page)
        self.lines_box.setObjectName("productsAndServices")
        lines_layout = QVBoxLayout(self.lines_box)
        self.lines_editor = LinesEditor(self._services.catalog, self.lines_box)
        lines_layout.addWidget(self.lines_editor)

        grid.addWidget(self.info_box, 0, 0)
        grid.addWidget(self.link_box, 1, 0)
        grid.addWidget(self.source_box, 2, 0)
        grid.addWidget(self.sales_box, 0, 1, 2, 1)
        grid.addWidget(self.stage_box, 2, 1)
        grid.addWidget(self.lines_box, 3, 0, 1, 2)
        grid.setRowStretch(3, 1)
        scroll.setWidget(page)

        self.probability_spin.valueChanged.connect(self._update_expected)
        self.lines_editor.changed.connect(self._update_expected)
        self.stage_combo.currentIndexChanged.connect(self._on_stage_chosen)
        return scroll

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
        # Plain text, as the reading pane, the printout, search and the other forms read it:
        # Markdown turned typed "<b>", "_" or blank lines into formatting and lost them.
        self.comments_edit.setAcceptRichText(False)
        layout.addLayout(top)
        layout.addWidget(self.comments_edit, 1)
        return page

    def _fill_choices(self) -> None:
        lookups = self._services.lookups
        self.assigned_combo.clear()
        self.assigned_combo.addItem("", None)
        for user in lookups.users():
            self.assigned_combo.addItem(user.name, user.id)
        # Type, Payment terms and Source: their entries and the owner's "Edit this list…".
        self.list_combos = [
            ListCombo(
                combo,
                kind,
                lookups,
                self._services.lists,
                is_loading=lambda: self._loading,
                is_dirty=self.is_dirty,
                stored=partial(self._stored_list_entry, field),
                follow=self._follow_list_change,
            )
            for combo, kind, field in (
                (self.type_combo, ListKind.TYPE, "type_id"),
                (self.payment_combo, ListKind.PAYMENT_TERMS, "payment_terms_id"),
                (self.source_combo, ListKind.SOURCE, "source_id"),
            )
        ]
        for list_combo in self.list_combos:
            list_combo.edited.connect(partial(self.lists_changed.emit, list_combo.kind))
        self.stage_combo.blockSignals(True)
        self.stage_combo.clear()
        self.stage_combo.addItem("", None)
        for stage in self._stages:
            self.stage_combo.addItem(stage.name, stage.id)
        self.stage_combo.blockSignals(False)

    def retranslate_ui(self) -> None:
        texts = {
            self.save_close_action: (
                _tr("Save && Close"),
                _tr("Save the opportunity and close it"),
            ),
            self.save_new_action: (_tr("Save && New"), _tr("Save, then start a new opportunity")),
            self.save_action: (_tr("Save"), _tr("Save the opportunity")),
            self.delete_action: (_tr("Delete"), _tr("Delete this opportunity")),
            self.close_won_action: (_tr("Close as Won"), _tr("Mark as Closed Won")),
            self.close_lost_action: (_tr("Close as Lost"), _tr("Mark as Closed Lost")),
            self.reopen_action: (_tr("Reopen"), _tr("Make a closed opportunity editable again")),
            self.link_action: (_tr("Link To"), _tr("Link to an account or business contact")),
            self.history_action: (_tr("History"), _tr("Show the communication history")),
            self.print_action: (_tr("Print…"), _tr("Print a summary of the opportunity")),
            self.pdf_action: (_tr("Save as PDF…"), _tr("Save the summary as a PDF file")),
            self.email_action: (
                _tr("E-mail"),
                _tr("Write an e-mail to the linked account or business contact"),
            ),
            self.meeting_action: (
                _tr("Meeting Request"),
                _tr("Invite the linked account or business contact to a meeting"),
            ),
            self.categorize_action: (_tr("Categorize"), _tr("Assign categories")),
            self.manage_categories_action: (
                _tr("Manage Categories…"),
                _tr("Add, rename, recolour or delete categories"),
            ),
            self.create_project_action: (
                _tr("Create Project"),
                _tr("Business Project: create a project from this opportunity"),
            ),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        self.tabs.setTabText(0, _tr("General"))
        self.tabs.setTabText(1, _tr("Details"))
        self.tabs.setTabText(2, _tr("History"))
        self.info_box.setTitle(_tr("Opportunity information"))
        self.link_box.setTitle(_tr("Linked account or business contact"))
        self.sales_box.setTitle(_tr("Sales information"))
        self.source_box.setTitle(_tr("Source information"))
        self.stage_box.setTitle(_tr("Sales stage and activities"))
        self.lines_box.setTitle(_tr("Products and services"))
        self._title_label.setText(_tr("&Title:"))
        self._title_label.setBuddy(self.title_edit)
        self._assigned_label.setText(_tr("Assi&gned to:"))
        self._assigned_label.setBuddy(self.assigned_combo)
        self._type_label.setText(_tr("T&ype:"))
        self._type_label.setBuddy(self.type_combo)
        self.link_button.setText(_tr("Link To…"))
        for label, text in zip(
            self._sales_labels,
            (
                _tr("&Probability:"),
                _tr("Expected revenue:"),
                _tr("&Close date:"),
                _tr("Payment ter&ms:"),
                _tr("E&xpiration date:"),
                _tr("&Delivery date:"),
            ),
            strict=True,
        ):
            label.setText(text)
        for label, buddy in zip(
            self._sales_labels,
            (
                self.probability_spin,
                None,
                self.close_date_edit,
                self.payment_combo,
                self.expiration_edit,
                self.delivery_edit,
            ),
            strict=True,
        ):
            if buddy is not None:
                label.setBuddy(buddy)
        self._source_label.setText(_tr("S&ource:"))
        self._source_label.setBuddy(self.source_combo)
        self._initiator_label_caption.setText(_tr("Initiated by:"))
        self.initiator_button.setText(_tr("Choose…"))
        self.initiator_clear.setText(_tr("Clear"))
        self._competitors_label.setText(_tr("Compet&itors:"))
        self._competitors_label.setBuddy(self.competitors_edit)
        self._stage_label.setText(_tr("Sa&les stage:"))
        self._stage_label.setBuddy(self.stage_combo)
        self._reminder_label.setText(_tr("Reminder:"))
        self.reminder_check.setText(_tr("Remind me on"))
        self._comments_label.setText(_tr("&Comments"))
        self._comments_label.setBuddy(self.comments_edit)
        self.timestamp_button.setText(_tr("Add &Timestamp"))
        self.timestamp_button.setToolTip(_tr("Insert the current date and time at the cursor"))
        for widget, name in (
            (self.title_edit, _tr("Title")),
            (self.assigned_combo, _tr("Assigned to")),
            (self.type_combo, _tr("Type")),
            (self.link_button, _tr("Link to")),
            (self.probability_spin, _tr("Probability")),
            (self.expected_label, _tr("Expected revenue")),
            (self.close_date_edit, _tr("Close date")),
            (self.payment_combo, _tr("Payment terms")),
            (self.expiration_edit, _tr("Expiration date")),
            (self.delivery_edit, _tr("Delivery date")),
            (self.source_combo, _tr("Source")),
            (self.initiator_button, _tr("Initiated by")),
            (self.competitors_edit, _tr("Competitors")),
            (self.stage_combo, _tr("Sales stage")),
            (self.reminder_check, _tr("Reminder")),
            (self.reminder_edit, _tr("Reminder date and time")),
            (self.comments_edit, _tr("Comments")),
        ):
            widget.setAccessibleName(name)
        self._update_title()
        self._update_record_actions()

    # -- loading and collecting ----------------------------------------------------------

    @property
    def opportunity(self) -> Opportunity:
        """The record as last loaded or saved (not what is typed now)."""
        return self._opportunity

    @property
    def record_id(self) -> int | None:
        return self._opportunity.id

    def _select(self, combo: QComboBox, value: int | None) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def _load(self, opp: Opportunity) -> None:
        self._loading = True
        try:
            self._opportunity = opp
            self.title_edit.setText(opp.title)
            select_assignee(self.assigned_combo, opp.assigned_to_id, self._services.lookups)
            self._select(self.type_combo, opp.type_id)
            self._select(self.payment_combo, opp.payment_terms_id)
            self._select(self.source_combo, opp.source_id)
            self.stage_combo.blockSignals(True)
            self._select(self.stage_combo, opp.stage_id)
            self.stage_combo.blockSignals(False)
            self._stage_index = self.stage_combo.currentIndex()
            self.probability_spin.setValue(opp.probability)
            self.close_date_edit.set_value(opp.close_date)
            self.expiration_edit.set_value(opp.expiration_date)
            self.delivery_edit.set_value(opp.delivery_date)
            self.competitors_edit.setText(opp.competitors)
            self.reminder_check.setChecked(opp.reminder_at is not None)
            self.reminder_edit.set_value(opp.reminder_at)
            self.reminder_edit.setEnabled(opp.reminder_at is not None)
            self.comments_edit.setPlainText(opp.comments)
            self.lines_editor.set_lines(list(opp.lines))
            self.activities_editor.set_activities(opp.activities, self._activity_reminders())
            self._auto_probability, self._auto_close_date = opp.probability, opp.close_date
            self._before_close = None
            self._ticks = {}
            self._link = opp.link
            self._initiator = opp.initiated_by
            self._show_link()
            self._show_initiator()
            self._update_expected()
            self.history_page.set_record(opp.id)
        finally:
            self._loading = False
        self._baseline = self._collect()
        self._apply_lock()
        self._update_title()

    def _collect(self) -> Opportunity:
        """The record as the form shows it now."""
        stage_id = self.stage_combo.currentData()
        reminder = self.reminder_edit.value() if self.reminder_check.isChecked() else None
        comments = self.comments_edit.toPlainText()
        return replace(
            self._opportunity,
            title=self.title_edit.text(),
            assigned_to_id=self.assigned_combo.currentData(),
            type_id=self.type_combo.currentData(),
            payment_terms_id=self.payment_combo.currentData(),
            source_id=self.source_combo.currentData(),
            stage_id=stage_id,
            probability=self.probability_spin.value(),
            close_date=self.close_date_edit.value(),
            expiration_date=self.expiration_edit.value(),
            delivery_date=self.delivery_edit.value(),
            competitors=self.competitors_edit.text(),
            reminder_at=reminder,
            comments=comments.rstrip("\n"),
            lines=self.lines_editor.lines(),
            link=self._link,
            initiated_by=self._initiator,
            activities=self.activities_editor.activities(),
        )

    def is_dirty(self) -> bool:
        return self._collect() != self._baseline

    # -- live behaviour ------------------------------------------------------------------

    def _update_expected(self, *_args: object) -> None:
        total = products_total(self.lines_editor.lines())
        amount = expected_revenue(self.probability_spin.value(), total)
        self.expected_label.setText(formatting.money(amount, QLocale()))

    def _stage(self, stage_id: int | None) -> SalesStage | None:
        return next((s for s in self._stages if s.id == stage_id), None)

    def _on_stage_chosen(self, index: int) -> None:
        if self._loading:
            return
        if self.stage_combo.itemData(index) == EDIT_STAGE_LIST:
            self.edit_stage_list()
            return
        stage = self._stage(self.stage_combo.itemData(index))
        if stage is not None and stage.is_closed:
            when = CloseDialog.ask(self, stage.kind, 1, 0, self._services.today())
            if when is None:  # cancelled: back to the stage it was in
                self.stage_combo.blockSignals(True)
                self.stage_combo.setCurrentIndex(self._stage_index)
                self.stage_combo.blockSignals(False)
                return
            if self._before_close is None:
                self._before_close = (self.probability_spin.value(), self._auto_probability)
            self._opportunity = replace(self._opportunity, actual_close_date=when)
            self.probability_spin.setValue(probability_for_stage(stage.kind, 0))
            self._auto_probability = self.probability_spin.value()
        else:
            # Closed Won/Lost chosen, then an open stage again: the actual close date goes,
            # and the probability closing set comes back to what it was (unless typed over).
            actual = self._baseline.actual_close_date
            self._opportunity = replace(self._opportunity, actual_close_date=actual)
            before, self._before_close = self._before_close, None
            if before is not None and self.probability_spin.value() == self._auto_probability:
                self.probability_spin.setValue(before[0])
                self._auto_probability = before[1]
            if stage is not None:
                self._apply_stage_defaults(stage)
        leaving = self.stage_combo.itemData(self._stage_index)
        self._ticks[leaving] = {
            a.stage_activity_id: a.completed for a in self.activities_editor.activities()
        }
        self._stage_index = index
        self._show_stage_activities()

    def _apply_stage_defaults(self, stage: SalesStage) -> None:
        """A stage's default probability, and for a new record its close-date offset, unless
        the user changed the field since the form last set it."""
        probability = stage.default_probability
        if probability is not None and self.probability_spin.value() == self._auto_probability:
            self.probability_spin.setValue(probability)
            self._auto_probability = probability
        offset = stage.close_date_offset_days
        if (
            offset is not None
            and self._opportunity.id is None
            and self.close_date_edit.value() == self._auto_close_date
        ):
            close_date = self._services.today() + timedelta(days=offset)
            self.close_date_edit.set_value(close_date)
            self._auto_close_date = close_date

    def _activity_reminders(self) -> bool:
        try:
            return self._services.opportunities.activity_reminders()
        except DomainError:
            return False

    def _show_stage_activities(self) -> None:
        """The activities of the chosen stage (BCM replaces the list on a stage change);
        back in the stage it was loaded in, the record's own list as loaded. Back in a stage
        shown before, the ticks the user gave its activities then come back too."""
        stage_id = self.stage_combo.currentData()
        if stage_id == self._opportunity.stage_id:
            activities = list(self._opportunity.activities)
        else:
            try:
                activities = self._services.opportunities.activities_for_stage(
                    self._opportunity.id, stage_id
                )
            except DomainError as error:
                show_error(self, error)
                activities = []
        ticked = self._ticks.get(stage_id, {})
        activities = [
            replace(a, completed=ticked.get(a.stage_activity_id, a.completed)) for a in activities
        ]
        self.activities_editor.set_activities(activities, self._activity_reminders())

    def _add_stage_list_entry(self) -> None:
        """The stage combo ends with "Edit this list…" for the database owner (S-3, S-5)."""
        if self._may_edit_stages:
            self.stage_combo.blockSignals(True)
            self.stage_combo.insertSeparator(self.stage_combo.count())
            self.stage_combo.addItem(_tr("Edit this list…"), EDIT_STAGE_LIST)
            self.stage_combo.blockSignals(False)

    def edit_stage_list(self) -> None:
        """Open the Sales Stages editor, then read the stages again."""
        self.stage_combo.blockSignals(True)
        self.stage_combo.setCurrentIndex(self._stage_index)
        self.stage_combo.blockSignals(False)
        service = self._services.stages
        if service is None or not self._may_edit_stages:
            return
        if StagesDialog.ask(self, service):
            self.reload_stages()

    def reload_stages(self) -> None:
        """Refill the stage combo after the stages changed. A record without unsaved
        changes is read again (deleting its stage changed it); otherwise the chosen stage
        stays if it still exists, with the completed ticks of its activities."""
        untouched = not self.is_dirty()
        current = self.stage_combo.currentData()
        shown = {a.stage_activity_id: a.completed for a in self.activities_editor.activities()}
        self._stages = self._services.lookups.stages()
        self.stage_combo.blockSignals(True)
        self.stage_combo.clear()
        self.stage_combo.addItem("", None)
        for stage in self._stages:
            self.stage_combo.addItem(stage.name, stage.id)
        self.stage_combo.blockSignals(False)
        self._add_stage_list_entry()
        self.stage_combo.blockSignals(True)
        self._select(self.stage_combo, current)
        self.stage_combo.blockSignals(False)
        self._stage_index = self.stage_combo.currentIndex()
        if untouched and self._opportunity.id is not None:
            try:
                self.reload()
            except DomainError as error:
                show_error(self, error)
            return
        try:
            fresh = self._services.opportunities.activities_for_stage(
                self._opportunity.id, self.stage_combo.currentData()
            )
        except DomainError as error:
            show_error(self, error)
            return
        entered = self._opportunity.stage_entered_at
        if entered is not None and self.stage_combo.currentData() == self._opportunity.stage_id:
            day = entered.astimezone().date()  # still in its stage: due from when it entered
            fresh = [replace(a, due_date=due_date(day, a.duration_days)) for a in fresh]
        kept = [replace(a, completed=shown.get(a.stage_activity_id, a.completed)) for a in fresh]
        self.activities_editor.set_activities(kept, self._activity_reminders())
        if untouched:
            self._baseline = self._collect()

    def _stored_list_entry(self, field: str) -> int | None:
        value = getattr(self._baseline, field)
        return value if isinstance(value, int) else None

    def follow_list_edit(self, kind: ListKind, outcome: ListEditOutcome) -> None:
        """Another form's list editor changed the ``kind`` list: refill that combo."""
        for list_combo in self.list_combos:
            if list_combo.kind is kind:
                list_combo.apply(outcome)

    def _follow_list_change(self, untouched: bool) -> None:
        """An entry the record uses was removed in the list editor (S-4). Without unsaved
        changes a saved record is read again: the removal gave it the replacement and a new
        version. With unsaved changes the combo shows the replacement, and saving meets
        "changed elsewhere" rather than writing the removed entry back."""
        if not untouched:
            return
        if self._opportunity.id is None:
            self._baseline = self._collect()
            return
        try:
            self.reload()
        except DomainError as error:
            show_error(self, error)

    def _on_reminder_toggled(self, checked: bool) -> None:
        self.reminder_edit.setEnabled(checked)
        if checked and self.reminder_edit.value() is None:
            # An hour from now on the minute the field shows: hidden seconds would make the
            # reminder come up to a minute after the time the user sees.
            later = QDateTime.currentDateTime().addSecs(3600)
            time = later.time()
            later.setTime(QTime(time.hour(), time.minute()))
            self.reminder_edit.setDateTime(later)

    def add_timestamp(self) -> None:
        """Insert the current date and time, in the user's locale, at the cursor."""
        stamp = QLocale().toString(QDateTime.currentDateTime(), QLocale.FormatType.ShortFormat)
        cursor = self.comments_edit.textCursor()
        cursor.insertText(f"{stamp} ")
        self.comments_edit.setTextCursor(cursor)
        self.comments_edit.setFocus()
        self.tabs.setCurrentIndex(1)

    def _show_link(self) -> None:
        if self._link is None:
            self.link_label.setText(_tr("Not linked yet (required)"))
            return
        name = self._services.links.name_of(self._link) or _tr("(deleted record)")
        kind = _tr("Account") if self._link.kind is LinkKind.ACCOUNT else _tr("Business contact")
        self.link_label.setText(f"{name} — {kind}")
        self._update_record_actions()

    def _show_initiator(self) -> None:
        if self._initiator is None:
            self.initiator_label.setText(_tr("Nobody"))
            self.initiator_clear.setEnabled(False)
            return
        name = self._services.links.name_of(self._initiator) or _tr("(deleted record)")
        kinds = {
            InitiatorKind.ACCOUNT: _tr("Account"),
            InitiatorKind.CONTACT: _tr("Business contact"),
            InitiatorKind.MARKETING: _tr("Marketing activity"),
        }
        self.initiator_label.setText(f"{name} — {kinds[self._initiator.kind]}")
        self.initiator_clear.setEnabled(not self._opportunity.is_closed)

    def choose_link(self) -> None:
        """Link to (S-7): exactly one account or business contact."""
        if self._opportunity.is_closed:
            return
        chosen = LinkDialog.ask(self, self._services.links, mode="link", current=self._link)
        if chosen is not None and chosen.record_ref is not None:
            self._link = chosen.record_ref
            self._show_link()

    def choose_initiator(self) -> None:
        chosen = LinkDialog.ask(
            self, self._services.links, mode="initiated_by", current=self._initiator
        )
        if chosen is not None:
            self._initiator = chosen.initiator_ref
            self._show_initiator()

    def _clear_initiator(self) -> None:
        self._initiator = None
        self._show_initiator()

    def create_project(self) -> None:
        """Business Project → Create Project (S-11): a project from the saved opportunity."""
        if self._services.projects is not None and self._opportunity.id is not None:
            self._services.projects.create_project(self, self._opportunity)

    def show_history(self) -> None:
        self.tabs.setCurrentWidget(self.history_page)

    # -- ribbon: print, e-mail, meeting request, categorize -------------------------------

    def _linked_email(self) -> str:
        """The linked record's address, when the record is saved and linked."""
        if self._opportunity.id is None or self._link is None:
            return ""
        return self._services.links.email_of(self._link)

    def _update_record_actions(self) -> None:
        """E-mail and Meeting Request need a saved, linked record; e-mail also an address."""
        opp = self._opportunity
        email = self._linked_email()
        self.email_action.setEnabled(bool(email))
        if opp.id is None or self._link is None:
            why = _tr("Save the opportunity, linked to an account or contact, first")
        elif not email:
            why = _tr("The linked account or contact has no e-mail address")
        else:
            why = _tr("Write an e-mail to {address}").format(address=email)
        self.email_action.setToolTip(why)
        self.email_action.setStatusTip(why)
        self.meeting_action.setEnabled(opp.id is not None and self._link is not None)
        self.create_project_action.setEnabled(
            opp.id is not None and self._services.projects is not None
        )

    def _summary_names(self) -> SummaryNames:
        linked = ""
        if self._link is not None:
            linked = self._services.links.name_of(self._link) or _tr("(deleted record)")
        return SummaryNames(
            linked=linked,
            assigned_to=self.assigned_combo.currentText(),
            stage=self.stage_combo.currentText(),
            type=self.type_combo.currentText(),
            payment_terms=self.payment_combo.currentText(),
            source=self.source_combo.currentText(),
            initiated_by=self.initiator_label.text() if self._initiator is not None else "",
        )

    def summary(self) -> QTextDocument:
        """The printable summary of what the form shows now."""
        return summary_document(self._collect(), self._summary_names())

    def print_preview(self) -> None:
        document = self.summary()
        dialog = QPrintPreviewDialog(self)
        dialog.setObjectName("printPreview")
        dialog.setWindowTitle(_tr("Print Preview"))
        dialog.paintRequested.connect(document.print_)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def save_as_pdf(self) -> Path | None:
        """Ask for a file name and write the summary there; the path written, or ``None``."""
        default = safe_file_name(self.title_edit.text(), _tr("Opportunity")) + ".pdf"
        path, _filter = QFileDialog.getSaveFileName(
            self, _tr("Save as PDF"), default, _tr("PDF files (*.pdf)")
        )
        if not path:
            return None
        target = Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")
        try:
            print_to_pdf(self.summary(), target)
        except OSError as error:
            show_error(self, error)
            return None
        return target

    def email_url(self) -> QUrl | None:
        """``mailto:`` the linked record with the title as subject, percent-encoded."""
        email = self._linked_email()
        if not email:
            return None
        url = QUrl(f"mailto:{email}")
        subject = bytes(QUrl.toPercentEncoding(self.title_edit.text()).data()).decode("ascii")
        url.setQuery(f"subject={subject}", QUrl.ParsingMode.StrictMode)
        return url

    def send_email(self) -> None:
        url = self.email_url()
        if url is not None and not QDesktopServices.openUrl(url):
            QMessageBox.warning(
                self, _tr("E-mail"), _tr("No e-mail program is set up to write the message.")
            )

    def _organizer(self) -> Person | None:
        user_id = self._services.opportunities.user_id
        user = next((u for u in self._services.lookups.users() if u.id == user_id), None)
        return None if user is None else Person(user.name, user.email)

    def send_meeting_request(self) -> Path | None:
        """Ask for the meeting, write an .ics request and open it; the file, or ``None``."""
        opp = self._opportunity
        if opp.id is None or self._link is None:
            return None
        meeting = MeetingDialog.ask(self, self.title_edit.text())
        if meeting is None:
            return None
        name = self._services.links.name_of(self._link) or ""
        attendee = Person(name, self._services.links.email_of(self._link))
        now = datetime.now(UTC)
        text = meeting_request(
            uid=f"{uuid.uuid4()}@bcm-desktop",
            stamp=now,
            start=meeting.start,
            end=meeting.end,
            summary=meeting.subject or self.title_edit.text(),
            location=meeting.location,
            description=_tr("Opportunity: {title}").format(title=self.title_edit.text()),
            organizer=self._organizer(),
            attendees=[attendee],
        )
        stem = safe_file_name(meeting.subject, _tr("Meeting"))
        path = meeting_folder() / f"{stem}-{now:%Y%m%d%H%M%S}.ics"
        try:
            path.write_bytes(text.encode("utf-8"))
        except OSError as error:
            show_error(self, error)
            return None
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.warning(
                self,
                _tr("Meeting Request"),
                _tr("No calendar program opened the request. It was saved as {path}.").format(
                    path=path
                ),
            )
        return path

    def fill_categories_menu(self) -> None:
        """Rebuild the Categorize menu: every category, checked when the record has it."""
        menu = self.categorize_menu
        menu.clear()
        opp_id = self._opportunity.id
        mine = (
            set()
            if opp_id is None
            else {c.id for c in self._services.opportunities.categories(opp_id)}
        )
        for category in self._services.lookups.categories():
            action = menu.addAction(swatch(category.color), category.name)
            action.setObjectName(f"category_{category.id}")
            action.setCheckable(True)
            action.setChecked(category.id in mine)
            action.setData(category.id)
            action.toggled.connect(lambda _checked: self._apply_categories())
        if not menu.actions():
            empty = menu.addAction(_tr("No categories yet"))
            empty.setEnabled(False)
        menu.addSeparator()
        menu.addAction(self.manage_categories_action)
        self.manage_categories_action.setEnabled(self._services.categories is not None)

    def _apply_categories(self) -> None:
        opp_id = self._opportunity.id
        if opp_id is None:
            return
        chosen = [
            int(action.data())
            for action in self.categorize_menu.actions()
            if action.isCheckable() and action.isChecked()
        ]
        try:
            self._services.opportunities.set_categories(opp_id, chosen)
        except DomainError as error:
            show_error(self, error)
            self.fill_categories_menu()

    def manage_categories(self) -> None:
        service = self._services.categories
        if service is not None and CategoriesDialog.ask(self, service):
            self.fill_categories_menu()

    def _apply_lock(self) -> None:
        """Closed Won/Lost records are read-only (S-3) until Reopen."""
        opp = self._opportunity
        closed = opp.is_closed
        editable = [
            self.title_edit,
            self.assigned_combo,
            self.type_combo,
            self.link_button,
            self.probability_spin,
            self.close_date_edit,
            self.payment_combo,
            self.expiration_edit,
            self.delivery_edit,
            self.source_combo,
            self.initiator_button,
            self.competitors_edit,
            self.stage_combo,
            self.reminder_check,
            self.timestamp_button,
        ]
        for widget in editable:
            widget.setEnabled(not closed)
        self.reminder_edit.setEnabled(not closed and self.reminder_check.isChecked())
        self.initiator_clear.setEnabled(not closed and self._initiator is not None)
        self.comments_edit.setReadOnly(closed)
        self.lines_editor.set_read_only(closed)
        self.activities_editor.set_read_only(closed)
        for action in (
            self.save_action,
            self.save_close_action,
            self.save_new_action,
            self.close_won_action,
            self.close_lost_action,
            self.link_action,
        ):
            action.setEnabled(not closed)
        self.reopen_action.setEnabled(closed)
        self.reopen_action.setVisible(closed)
        self.delete_action.setEnabled(opp.id is not None)
        self.categorize_action.setEnabled(opp.id is not None and not closed)
        self._update_record_actions()
        if closed:
            won = opp.status is StageKind.WON
            when = formatting.short_date(opp.actual_close_date)
            text = (
                _tr("Closed Won on {date}. This opportunity is read-only; Reopen to change it.")
                if won
                else _tr(
                    "Closed Lost on {date}. This opportunity is read-only; Reopen to change it."
                )
            ).format(date=when)
            color = "#e3f4e6" if won else "#f8e1e1"
            self.banner.setStyleSheet(
                f"background:{color}; border:1px solid #bbb; padding:6px; font-weight:bold"
            )
            self.banner.setText(text)
        self.banner.setVisible(closed)
        if self._services.read_only_reason is not None:
            self._lock_read_only(self._services.read_only_reason)

    def _lock_read_only(self, reason: str) -> None:
        """A read-only database: every field and command that would write is off."""
        for widget in (
            self.title_edit,
            self.assigned_combo,
            self.type_combo,
            self.link_button,
            self.probability_spin,
            self.close_date_edit,
            self.payment_combo,
            self.expiration_edit,
            self.delivery_edit,
            self.source_combo,
            self.initiator_button,
            self.initiator_clear,
            self.competitors_edit,
            self.stage_combo,
            self.reminder_check,
            self.reminder_edit,
            self.timestamp_button,
        ):
            widget.setEnabled(False)
        self.comments_edit.setReadOnly(True)
        self.lines_editor.set_read_only(True)
        self.activities_editor.set_read_only(True)
        for action in (
            self.create_project_action,
            self.save_action,
            self.save_close_action,
            self.save_new_action,
            self.delete_action,
            self.close_won_action,
            self.close_lost_action,
            self.reopen_action,
            self.link_action,
            self.categorize_action,
            self.manage_categories_action,
        ):
            action.setEnabled(False)
        self.banner.setStyleSheet(
            "background:#fff4d6; border:1px solid #bbb; padding:6px; font-weight:bold"
        )
        self.banner.setText(
            _tr("The database is read-only because {reason}; changes cannot be saved.").format(
                reason=reason
            )
        )
        self.banner.setVisible(True)

    def _update_title(self) -> None:
        title = self._opportunity.title or _tr("Untitled")
        prefix = "" if self._opportunity.id is not None else _tr("New opportunity: ")
        self.setWindowTitle(f"{prefix}{title} — {_tr('Opportunity')}")

    # -- saving --------------------------------------------------------------------------

    def save(self) -> bool:
        """Save what the form shows. True when it was saved."""
        service = self._services.opportunities
        draft = self._collect()
        try:
            saved = service.create(draft) if draft.id is None else service.update(draft)
        except ValidationError as error:
            self._refuse(error)
            return False
        except ConflictError:
            return self._resolve_conflict(draft)
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
        """Save, then show an empty form for the next opportunity (S-3)."""
        if self.save():
            self.new_requested.emit()
            self._load(self._services.opportunities.new())
            self.tabs.setCurrentIndex(0)
            self.title_edit.setFocus()

    def _refuse(self, error: ValidationError) -> None:
        field_widgets: dict[str, QWidget] = {
            "title": self.title_edit,
            "link": self.link_button,
            "probability": self.probability_spin,
            "competitors": self.competitors_edit,
            "comments": self.comments_edit,
            "close_date": self.close_date_edit,
            "expiration_date": self.expiration_edit,
            "delivery_date": self.delivery_edit,
            "lines": self.lines_editor,
            "assigned_to": self.assigned_combo,
            "type_id": self.type_combo,
            "payment_terms_id": self.payment_combo,
            "source_id": self.source_combo,
            "initiated_by": self.initiator_button,
            "stage": self.stage_combo,
        }
        QMessageBox.warning(self, _tr("Cannot save"), error.message)
        widget = field_widgets.get(error.field or "")
        if widget is not None:
            self.tabs.setCurrentIndex(1 if widget is self.comments_edit else 0)
            widget.setFocus()

    def _resolve_conflict(self, mine: Opportunity) -> bool:
        try:
            theirs = self._services.opportunities.get(mine.id or 0)
        except NotFoundError as error:
            show_error(self, error)
            return False
        differences = describe_differences(mine, theirs, self._name_of)
        choice = ConflictDialog.ask(self, theirs.title, differences)
        if choice == RELOAD:
            self._load(theirs)
            return False
        if choice == KEEP_MINE:
            if theirs.is_closed:
                show_error(self, ClosedRecordError(_tr("It was closed meanwhile; reopen first.")))
                return False
            self._opportunity = replace(self._opportunity, version=theirs.version)
            return self.save()
        return False

    def _name_of(self, field: str, value: object) -> str | None:
        """What the form calls ``value`` of ``field`` (a user, list entry, stage or linked
        record), for the "changed elsewhere" dialog; ``None`` when it has no name."""
        combos = {
            "assigned_to_id": self.assigned_combo,
            "type_id": self.type_combo,
            "payment_terms_id": self.payment_combo,
            "source_id": self.source_combo,
            "stage_id": self.stage_combo,
        }
        combo = combos.get(field)
        if combo is not None and value is not None:
            index = combo.findData(value)
            if index >= 0:
                return combo.itemText(index)
            # Added (or removed) since the form filled its lists: ask for the names now.
            lookups = self._services.lookups
            kinds = {
                "type_id": ListKind.TYPE,
                "payment_terms_id": ListKind.PAYMENT_TERMS,
                "source_id": ListKind.SOURCE,
            }
            if field == "assigned_to_id":
                named: list[tuple[int | None, str]] = [(u.id, u.name) for u in lookups.all_users()]
            elif field == "stage_id":
                named = [(st.id, st.name) for st in lookups.stages()]
            else:
                named = [(item.id, item.name) for item in lookups.list_items(kinds[field])]
            return next((name for key, name in named if key == value), None)
        if isinstance(value, RecordRef | InitiatorRef):
            return self._services.links.name_of(value)
        if isinstance(value, StageKind):
            return {
                StageKind.OPEN: _tr("Open"),
                StageKind.WON: _tr("Closed Won"),
                StageKind.LOST: _tr("Closed Lost"),
            }.get(value)
        return None

    def delete_record(self) -> None:
        opp = self._opportunity
        if opp.id is None:
            return
        answer = QMessageBox.question(
            self,
            _tr("Delete opportunity"),
            _tr(
                "Delete “{title}” with its products, activities and history? It is moved to "
                "Deleted Items, where it can be restored."
            ).format(title=opp.title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._services.opportunities.delete(opp.id, opp.version)
        except DomainError as error:
            show_error(self, error)
            return
        self.deleted.emit(opp.id)
        self._baseline = self._collect()  # nothing left to save
        self.close()

    def close_as(self, kind: StageKind) -> None:
        """Close as Won/Lost from the ribbon: choose the stage, ask the date, save."""
        stage = next((s for s in self._stages if s.kind is kind), None)
        if stage is None:
            return
        index = self.stage_combo.findData(stage.id)
        if index == self.stage_combo.currentIndex():
            return
        self.stage_combo.setCurrentIndex(index)  # asks for the actual close date
        if self.stage_combo.currentIndex() == index:
            self.save()

    def reopen(self) -> None:
        opp = self._opportunity
        if opp.id is None or not opp.is_closed:
            return
        try:
            reopened = self._services.opportunities.reopen(opp.id, opp.version)
        except ConflictError:
            # Someone else changed it meanwhile: a closed form holds nothing typed, so show
            # their version (the form had no other way to read it) and let the user decide.
            try:
                self.reload()
            except DomainError as error:
                show_error(self, error)
                return
            QMessageBox.information(
                self,
                _tr("Reopen"),
                _tr(
                    "“{title}” was changed by someone else after you opened it. The form "
                    "now shows their version; choose Reopen again if it should be reopened."
                ).format(title=self._opportunity.title),
            )
            return
        except DomainError as error:
            show_error(self, error)
            return
        self._load(reopened)
        self.saved.emit(reopened.id or 0)

    def reload(self) -> None:
        if self._opportunity.id is not None:
            self._load(self._services.opportunities.get(self._opportunity.id))

    # -- closing -------------------------------------------------------------------------

    def ask_unsaved(self) -> str:
        """Save / Discard / Cancel for unsaved changes."""
        answer = QMessageBox.question(
            self,
            _tr("Unsaved changes"),
            _tr("Save the changes to “{title}”?").format(
                title=self.title_edit.text() or _tr("Untitled")
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
        if not self._opportunity.is_closed and self.is_dirty():
            choice = self.ask_unsaved()
            if choice == CANCEL or (choice == SAVE and not self.save()):
                event.ignore()
                return
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        self.form_closed.emit(self)
        super().closeEvent(event)


FIELD_LABELS = {
    "title": "Title",
    "link": "Link to",
    "assigned_to_id": "Assigned to",
    "type_id": "Type",
    "probability": "Probability",
    "close_date": "Close date",
    "payment_terms_id": "Payment terms",
    "expiration_date": "Expiration date",
    "delivery_date": "Delivery date",
    "source_id": "Source",
    "initiated_by": "Initiated by",
    "competitors": "Competitors",
    "stage_id": "Sales stage",
    "reminder_at": "Reminder",
    "comments": "Comments",
    "lines": "Products and services",
    "status": "Status",
}


def _describe(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(f"{line.item_name} {line.line_total}" for line in value)
    if isinstance(value, datetime):
        return formatting.short_datetime(value)
    if isinstance(value, date):
        return formatting.short_date(value)
    if isinstance(value, RecordRef | InitiatorRef):
        return f"{value.kind.value} #{value.id}"
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def _same_lines(mine: list[OpportunityLine], theirs: list[OpportunityLine]) -> bool:
    """Equal products and services; every save stores the lines again under new ids."""
    return [replace(line, id=None) for line in mine] == [replace(line, id=None) for line in theirs]


def describe_differences(
    mine: Opportunity,
    theirs: Opportunity,
    name_of: Callable[[str, object], str | None] = lambda _field, _value: None,
) -> list[tuple[str, str, str]]:
    """(field, mine, theirs) for every field that differs; ``name_of`` names the users,
    list entries, stages and records that the fields hold by number."""
    rows = []
    for name, label in FIELD_LABELS.items():
        a, b = getattr(mine, name), getattr(theirs, name)
        if a == b or (name == "lines" and _same_lines(a, b)):
            continue
        rows.append(
            (
                _tr(label),
                name_of(name, a) if a is not None and name_of(name, a) else _describe(a),
                name_of(name, b) if b is not None and name_of(name, b) else _describe(b),
            )
        )
    return rows
