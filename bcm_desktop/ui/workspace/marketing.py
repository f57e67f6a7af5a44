"""The Marketing workspace: the Marketing Activities tab — a searchable, SQL-sorted list with a
status filter and a reading pane — and the Home-tab actions New, Open and Delete."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QStyle, QTabWidget, QVBoxLayout, QWidget

from ...domain.enums import ListKind, MarketingStatus
from ...domain.errors import DomainError
from ...domain.listing import RecordOrder, RecordRow
from .. import formatting
from ..actions import themed_icon
from ..errors import show_error
from ..forms.marketing_form import (
    MarketingFormServices,
    cents_text,
    confirm_delete,
    date_text,
    return_on_cost_text,
    status_label,
)
from .records import RecordListView, RecordSource, count_text, value_column
from .table_model import Column

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
STATE_PREFIX = "workspaces/marketing/activities"


def _tr(text: str) -> str:
    return QCoreApplication.translate("MarketingWorkspace", text)


def _number(value: object) -> str:
    return QLocale().toString(int(str(value or 0)))


def activity_columns() -> list[Column[RecordRow]]:
    """The Marketing Activities columns, in the order of ``activity_list_spec``."""
    return [
        value_column(0, "name", lambda: _tr("Name")),
        value_column(1, "type", lambda: _tr("Type")),
        value_column(2, "status", lambda: _tr("Status"), lambda value: status_label(str(value))),
        value_column(3, "start_date", lambda: _tr("Start date"), date_text),
        value_column(4, "end_date", lambda: _tr("End date"), date_text),
        value_column(5, "budgeted_cost", lambda: _tr("Budgeted cost"), cents_text, RIGHT),
        value_column(6, "actual_cost", lambda: _tr("Actual cost"), cents_text, RIGHT),
        value_column(7, "campaign_code", lambda: _tr("Campaign code")),
        value_column(8, "opportunities", lambda: _tr("Opportunities"), _number, RIGHT),
        value_column(
            9,
            "modified",
            lambda: _tr("Modified"),
            lambda value: formatting.short_datetime(value) if value is not None else "",
        ),
    ]


class MarketingWorkspace(QWidget):
    """Marketing activities; New/Open go through the window's form manager (signals)."""

    new_requested = Signal()
    open_requested = Signal(int)
    status_changed = Signal(str)

    def __init__(
        self,
        services: MarketingFormServices,
        activities: RecordSource,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("marketingWorkspace")
        self._services = services
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("marketingTabs")
        self.activities = RecordListView(
            activities,
            activity_columns(),
            RecordOrder("name"),
            self.tabs,
            object_name="marketingActivities",
            describe=self.describe,
            noun=lambda n: count_text(
                n, _tr("1 marketing activity"), _tr("{count} marketing activities")
            ),
            widths={
                "name": 190,
                "type": 110,
                "status": 85,
                "start_date": 85,
                "end_date": 85,
                "budgeted_cost": 105,
                "actual_cost": 105,
                "campaign_code": 110,
                "opportunities": 95,
            },
        )
        self.status_filter = QComboBox(self.activities)
        self.status_filter.setObjectName("marketingStatusFilter")
        self.status_filter.addItem("", None)
        for status in MarketingStatus:
            self.status_filter.addItem("", status.value)
        self.activities.add_filter_widget(_tr("S&tatus:"), self.status_filter)
        self.status_filter.currentIndexChanged.connect(self._on_status_filter)
        self.tabs.addTab(self.activities, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self._create_actions()
        self.activities.open_requested.connect(self.open_requested)
        self.activities.status_changed.connect(self.status_changed)
        self.activities.current_changed.connect(lambda _id: self._update_actions())
        self.activities.view.selectionModel().selectionChanged.connect(
            lambda *_: self._update_actions()
        )
        self.retranslate_ui()
        self._update_actions()

    # -- actions -------------------------------------------------------------------------

    def _action(
        self,
        name: str,
        icon: QStyle.StandardPixmap,
        theme: str,
        shortcut: object = None,
        context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
    ) -> QAction:
        action = QAction(themed_icon(theme, icon), "", self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))  # type: ignore[call-overload]
            action.setShortcutContext(context)
        self.addAction(action)
        return action

    def _create_actions(self) -> None:
        sp = QStyle.StandardPixmap
        # New works wherever the focus is while the folder shows (the navigation pane has it
        # right after the folder is chosen); Delete only acts on the list it belongs to.
        self.new_action = self._action(
            "newMarketingActivity",
            sp.SP_FileIcon,
            "document-new",
            "Ctrl+Shift+M",
            Qt.ShortcutContext.WindowShortcut,
        )
        self.open_action = self._action("openMarketingActivity", sp.SP_DirOpenIcon, "document-open")
        self.delete_action = self._action(
            "deleteMarketingActivities",
            sp.SP_TrashIcon,
            "edit-delete",
            QKeySequence.StandardKey.Delete,
        )
        self.new_action.triggered.connect(lambda _checked=False: self.new_requested.emit())
        self.open_action.triggered.connect(lambda _checked=False: self.open_current())
        self.delete_action.triggered.connect(lambda _checked=False: self.delete_selected())

    @property
    def home_actions(self) -> list[QAction]:
        """New, Open and Delete, for the ribbon's Home tab."""
        return [self.new_action, self.open_action, self.delete_action]

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(0, _tr("Marketing Activities"))
        texts = {
            self.new_action: (
                _tr("New Marketing Activity"),
                _tr("Open an empty marketing activity form"),
            ),
            self.open_action: (_tr("Open"), _tr("Open the selected marketing activity")),
            self.delete_action: (_tr("Delete"), _tr("Delete the selected marketing activities")),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        self.status_filter.setItemText(0, _tr("All"))
        for index, status in enumerate(MarketingStatus, start=1):
            self.status_filter.setItemText(index, status_label(status))
        self.status_filter.setAccessibleName(_tr("Status filter"))
        self.activities.view.setAccessibleName(_tr("Marketing activities"))

    def _update_actions(self) -> None:
        selected = self.activities.selected_ids()
        self.open_action.setEnabled(self.activities.current_id() is not None)
        self.delete_action.setEnabled(bool(selected))

    def _on_status_filter(self, _index: int) -> None:
        self.activities.set_equals("status", self.status_filter.currentData())

    # -- commands ------------------------------------------------------------------------

    def open_current(self) -> None:
        record_id = self.activities.current_id()
        if record_id is not None:
            self.open_requested.emit(record_id)

    def delete_selected(self) -> int:
        """Ask, then delete the selected activities; how many were deleted."""
        service = self._services.marketing
        ids = self.activities.selected_ids()
        if not ids:
            return 0
        try:
            chosen = [service.get(record_id) for record_id in ids]
            initiated = sum(service.initiated_count(record_id) for record_id in ids)
        except DomainError as error:
            show_error(self, error)
            self.refresh()
            return 0
        if not confirm_delete(self, [activity.name for activity in chosen], initiated):
            return 0
        deleted = 0
        try:
            # One user action, one transaction: all of them go, or (changed elsewhere) none.
            service.delete_many([(activity.id or 0, activity.version) for activity in chosen])
            deleted = len(chosen)
        except DomainError as error:
            show_error(self, error)
        self.refresh()
        return deleted

    # -- the window's workspace protocol -------------------------------------------------

    def refresh(self) -> None:
        self.activities.refresh()
        self._update_actions()

    def status_text(self) -> str:
        return self.activities.status_text()

    def save_state(self, settings: QSettings) -> None:
        self.activities.save_state(settings, STATE_PREFIX)

    def restore_state(self, settings: QSettings) -> None:
        self.activities.restore_state(settings, STATE_PREFIX)

    # -- reading pane --------------------------------------------------------------------

    def describe(self, activity_id: int) -> str:
        """The reading pane: the activity's fields and its Tracking figures."""
        service = self._services.marketing
        try:
            activity = service.get(activity_id)
            figures = service.figures(activity_id)
        except DomainError as error:
            return f"<p>{html.escape(error.message)}</p>"
        lookups = self._services.lookups
        names = {item.id: item.name for item in lookups.list_items(ListKind.MARKETING_TYPE)}
        users = {user.id: user.name for user in lookups.all_users()}  # removed ones too
        locale = QLocale()
        rows = [
            (_tr("Type"), names.get(activity.type_id or 0, "")),
            (_tr("Status"), status_label(activity.status)),
            (_tr("Assigned to"), users.get(activity.assigned_to_id or 0, "")),
            (_tr("Start date"), formatting.short_date(activity.start_date)),
            (_tr("End date"), formatting.short_date(activity.end_date)),
            (_tr("Budgeted cost"), formatting.money(activity.budgeted_cost, locale)),
            (_tr("Actual cost"), formatting.money(activity.actual_cost, locale)),
            (_tr("Campaign code"), activity.campaign_code),
            (_tr("Opportunities"), locale.toString(figures.count)),
            (_tr("Total revenue"), formatting.money(figures.total_revenue, locale)),
            (_tr("Expected revenue"), formatting.money(figures.expected_revenue, locale)),
            (_tr("Won revenue"), formatting.money(figures.won_revenue, locale)),
            (_tr("Return on cost"), return_on_cost_text(figures)),
        ]
        body = "".join(
            f"<tr><td style='color:#555; padding-right:12px'>{html.escape(label)}</td>"
            f"<td>{html.escape(value)}</td></tr>"
            for label, value in rows
        )
        comments = (
            f"<p style='white-space:pre-wrap'>{html.escape(activity.comments)}</p>"
            if activity.comments
            else ""
        )
        return f"<h3>{html.escape(activity.name)}</h3><table>{body}</table>{comments}"
