"""The main window: ribbon on top, navigation pane left, workspaces right, status bar below.

It receives ready-made services from the composition root (``app.py``) and builds no
services itself. Opening another database is the composition root's job too: the window
only asks for it with :attr:`MainWindow.open_database_requested`.

Window geometry, its state and the navigation splitter are saved in ``QSettings`` on close
(per key, Anki's ``saveGeom`` habit) and restored on start, moved back on screen if the
saved place is on no screen any more (a monitor was unplugged).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QLocale,
    QSettings,
    QStandardPaths,
    Qt,
    QThread,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QStyle,
    QWidget,
)

from .. import __version__
from ..domain.entities import User
from ..domain.errors import DomainError
from ..domain.reminders import Reminder, ReminderKind
from ..services.bulk import BulkActions
from ..services.deleted_items import DeletedItemsService
from ..services.listing import OpportunityListing
from ..services.lookups import Lookups
from ..services.maintenance import IntegrityReport, MaintenanceService
from ..services.opportunities import OpportunityService
from ..services.reminders import ReminderService
from ..services.users import UserService
from . import actions, formatting, history_import
from .actions import create_action, retranslate_action, themed_icon
from .dialogs.catalog_dialog import CatalogDialog
from .dialogs.restore_dialog import RestoreDialog
from .dialogs.share_dialog import ShareDialog
from .dialogs.stages_dialog import StagesDialog
from .errors import show_error
from .forms.history_items import edit_item
from .forms.manager import FormManager
from .forms.marketing_form import MarketingFormServices
from .forms.opportunity_form import FormServices
from .navigation import NavigationPane
from .read_only import apply_read_only
from .reminders_window import RemindersWindow
from .ribbon import Ribbon
from .workers import BackgroundTask, run_quietly
from .workspace.contacts import ContactManagementServices, ContactManagementWorkspace
from .workspace.deleted_items import DeletedItemsWorkspace
from .workspace.marketing import MarketingWorkspace
from .workspace.projects import ProjectWorkspace, ProjectWorkspaceServices
from .workspace.records import RecordSource
from .workspace.sales import SalesWorkspace

SALES = "sales"
CONTACTS = "contacts"
DELETED_ITEMS = "deletedItems"
DEFAULT_SIZE = (1280, 800)
NAVIGATION_WIDTH = 200
#: How often the reminder service is asked what is due, and the first time after start.
REMINDER_INTERVAL_MS = 30_000
REMINDER_FIRST_CHECK_MS = 2_000


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


@dataclass(frozen=True)
class HomeGroup:
    """A group of the ribbon's Home tab that belongs to one folder's workspace."""

    key: str
    title: Callable[[], str]
    actions: Sequence[QAction]
    small: bool = False  # small buttons (icon beside text), three to a column


@dataclass
class _Folder:
    key: str
    title: Callable[[], str]
    widget: QWidget
    home_groups: list[str]


@dataclass(frozen=True)
class WindowServices:
    """What the composition root hands the window: services, the user and the database."""

    listing: OpportunityListing
    user: User
    database_name: str  # short, for the title and the status bar
    database_location: str  # full path, or the URL without password, for About
    opportunities: OpportunityService | None = None
    bulk: BulkActions | None = None
    lookups: Lookups | None = None
    forms: FormServices | None = None
    maintenance: MaintenanceService | None = None  # None for a server database (URL)
    marketing: MarketingFormServices | None = None
    marketing_activities: RecordSource | None = None  # the Marketing Activities list
    projects: ProjectWorkspaceServices | None = None  # Project Management (S-11)
    contact_management: ContactManagementServices | None = None
    deleted_items: DeletedItemsService | None = None
    deleted_items_list: RecordSource | None = None
    read_only_reason: str | None = None  # why the database is open read-only; None: writable
    users: UserService | None = None  # File → Share Database… (S-9)
    reminders: ReminderService | None = None  # the Reminders window's service


class _CopyWorker(QThread):
    """Runs a copy with ``progress(done, total)`` in a thread; progress arrives as a signal."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[Callable[[int, int], None]], Any], parent: QWidget) -> None:
        super().__init__(parent)
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.progressed.emit)
        except Exception as exc:
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class MainWindow(QMainWindow):
    """BCM Desktop's one main window over one open database."""

    #: The user chose File → Open Database…; the argument is the chosen file.
    open_database_requested = Signal(str)
    #: The user chose a backup in File → Restore… and confirmed; the argument is its path.
    #: Whoever owns the database closes this window and the database, then restores.
    restore_requested = Signal(str)

    def __init__(
        self,
        services: WindowServices,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.services = services
        self.settings = settings if settings is not None else QSettings()

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("workspaceStack")
        self.navigation = NavigationPane(self.stack, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)

        self.sales = SalesWorkspace(
            services.listing, self, bulk=services.bulk, lookups=services.lookups
        )
        self.navigation.add_folder(
            SALES, "", themed_icon("folder", QStyle.StandardPixmap.SP_DirIcon), self.sales
        )

        self.form_manager = (
            FormManager(services.forms, self) if services.forms is not None else None
        )
        self._sales_changed_records = False
        if self.form_manager is not None:
            self.form_manager.records_changed.connect(self._refresh_sales)
            # A bulk action (or its undo) changed records: open account forms, Tracking
            # pages, the other workspaces and the reminders read again, as after a form save.
            self.sales.records_changed.connect(self._records_changed_in_sales)
            self.sales.open_requested.connect(self.form_manager.open_opportunity)
        if self.form_manager is not None and services.contact_management is not None:
            self.form_manager.contact_services = services.contact_management.forms

        self._home_group_titles: dict[str, Callable[[], str]] = {}
        self._create_actions()
        self.ribbon = Ribbon(self)
        self._build_ribbon()
        self.setMenuWidget(self.ribbon)
        self._create_status_bar()

        self._folders: dict[str, _Folder] = {
            SALES: _Folder(
                SALES, lambda: _tr("Sales"), self.sales, ["edit", "actions", "tags", "find"]
            )
        }
        self.sales.status_changed.connect(self._on_workspace_status)
        self.navigation.folder_changed.connect(self._on_folder_changed)
        self.retranslate_ui()
        self.status_label.setText(self.sales.status_text())
        if services.contact_management is not None:
            self.contact_management = ContactManagementWorkspace(
                services.contact_management, self.form_manager, self
            )
            new_title, records_title = ContactManagementWorkspace.home_group_titles()
            workspace = self.contact_management
            self.add_workspace(
                CONTACTS,
                lambda: _tr("Contact Management"),
                themed_icon("x-office-address-book", QStyle.StandardPixmap.SP_DirHomeIcon),
                workspace,
                [
                    HomeGroup(
                        "contactsNew",
                        new_title,
                        [workspace.new_account_action, workspace.new_contact_action],
                    ),
                    HomeGroup(
                        "contactsRecords",
                        records_title,
                        [workspace.open_action, workspace.delete_action],
                    ),
                ],
            )
        self.marketing: MarketingWorkspace | None = None
        if (
            services.marketing is not None
            and services.marketing_activities is not None
            and self.form_manager is not None
        ):
            self._add_marketing(services.marketing, services.marketing_activities)
        # The Sales groups (with three rows of small buttons) are the tallest: keep the ribbon
        # that high whichever folder is current, so the workspace does not jump when switching.
        self.ribbon.setMinimumHeight(self.ribbon.sizeHint().height())
        self.restore_state()
        if services.projects is not None:
            self._add_project_workspace(services.projects)
        if services.deleted_items is not None and services.deleted_items_list is not None:
            self._add_deleted_items(services.deleted_items, services.deleted_items_list)
        if services.read_only_reason is not None:
            apply_read_only(self, services.read_only_reason)
        self.reminders_window: RemindersWindow | None = None
        self._reminder_check: QThread | None = None
        self._reminder_recheck = False  # something changed while a check was running
        if services.reminders is not None:
            self._set_up_reminders(services.reminders)

    def _add_project_workspace(self, services: ProjectWorkspaceServices) -> None:
        """Navigation pane → Project Management, with its Home groups (S-11)."""
        self.projects = ProjectWorkspace(services, self)
        self.add_workspace(
            "projects",
            lambda: _tr("Project Management"),
            themed_icon("folder", QStyle.StandardPixmap.SP_DirIcon),
            self.projects,
            home_groups=[
                HomeGroup("projectNew", lambda: _tr("New"), self.projects.actions_new),
                HomeGroup("projectEdit", lambda: _tr("Projects"), self.projects.actions_edit),
                HomeGroup(
                    "projectTemplates", lambda: _tr("Templates"), self.projects.actions_templates
                ),
            ],
        )

    def _add_deleted_items(self, service: DeletedItemsService, source: RecordSource) -> None:
        """The Deleted Items folder; it reads again whenever it is opened."""
        widget = DeletedItemsWorkspace(
            source,
            service,
            self,
            is_owner=self.services.user.is_owner,
            read_only=self.services.read_only_reason is not None,
        )
        self.deleted_items = widget
        widget.records_restored.connect(self.sales.refresh)
        contacts = getattr(self, "contact_management", None)
        if contacts is not None:  # a restored account or contact is listed there again
            widget.records_restored.connect(contacts.refresh)
        # Restored projects, tasks, marketing activities and history items show again in
        # their lists and in the forms that are open.
        projects = getattr(self, "projects", None)
        if projects is not None:
            widget.records_restored.connect(projects.refresh)
        if self.services.projects is not None:
            widget.records_restored.connect(self.services.projects.forms.refresh_open_forms)
        if self.marketing is not None:
            widget.records_restored.connect(self.marketing.refresh)
        if self.form_manager is not None:
            widget.records_restored.connect(self.form_manager.refresh_open_forms)
        widget.records_restored.connect(self.check_reminders)  # a restored task may be due
        self.navigation.folder_changed.connect(
            lambda key: widget.refresh() if key == DELETED_ITEMS else None
        )
        icon = themed_icon("user-trash", QStyle.StandardPixmap.SP_TrashIcon)
        group = HomeGroup(DELETED_ITEMS, lambda: _tr("Deleted Items"), widget.actions_for_ribbon())
        self.add_workspace(DELETED_ITEMS, lambda: _tr("Deleted Items"), icon, widget, [group])

    def add_workspace(
        self,
        key: str,
        title: Callable[[], str],
        icon: QIcon,
        widget: QWidget,
        home_groups: Sequence[HomeGroup] = (),
    ) -> None:
        """Add a folder to the navigation pane with its workspace and its Home-tab groups.

        The groups show only while the folder is current. ``widget`` offers ``status_text()``,
        a ``status_changed`` signal and ``refresh()``, and may offer ``save_state(settings)``
        and ``restore_state(settings)``; its saved layout is restored here.
        """
        home = self.ribbon.tab("home")
        for group in home_groups:
            ribbon_group = home.add_group(group.key, group.title(), before="customize")
            for action in group.actions:
                ribbon_group.add_action(action, large=not group.small)
        self._folders[key] = _Folder(key, title, widget, [group.key for group in home_groups])
        self._home_group_titles.update({group.key: group.title for group in home_groups})
        self.navigation.add_folder(key, title(), icon, widget)
        status_changed = getattr(widget, "status_changed", None)
        if status_changed is not None:
            status_changed.connect(self._on_workspace_status)
        restore = getattr(widget, "restore_state", None)
        if restore is not None:
            restore(self.settings)
        self._show_home_groups(self.navigation.current_folder())
        folder = str(self.settings.value("mainWindow/folder", "") or "")
        if folder == key:
            self.navigation.set_current_folder(key)

    # -- construction --------------------------------------------------------------------

    def _create_actions(self) -> None:
        self.open_database_action = create_action(self, actions.OPEN_DATABASE, self.choose_database)
        self.share_action = create_action(self, actions.SHARE_DATABASE, self.share_database)
        self.share_action.setEnabled(self._may_share())
        self.exit_action = create_action(self, actions.EXIT, self.close)
        self.exit_action.setMenuRole(self.exit_action.MenuRole.QuitRole)
        self.navigation_action = create_action(
            self, actions.TOGGLE_NAVIGATION_PANE, self.navigation.setVisible
        )
        self.navigation_action.setChecked(True)
        self.refresh_action = create_action(self, actions.REFRESH, self.refresh)
        self.about_action = create_action(self, actions.ABOUT, self.show_about)
        self.about_action.setMenuRole(self.about_action.MenuRole.AboutRole)
        self.new_opportunity_action = create_action(
            self, actions.NEW_OPPORTUNITY, self.new_opportunity
        )
        self.catalog_action = create_action(self, actions.PRODUCTS_CATALOG, self.edit_catalog)
        for action in (self.new_opportunity_action, self.catalog_action):
            action.setEnabled(self.form_manager is not None)
        self.stages_action = create_action(self, actions.SALES_STAGES, self.edit_sales_stages)
        self.stages_action.setEnabled(self._may_edit_stages())
        self.backup_action = create_action(self, actions.BACKUP_NOW, self.back_up_now)
        self.restore_action = create_action(self, actions.RESTORE_BACKUP, self.restore_backup)
        self.check_action = create_action(self, actions.CHECK_DATABASE, self.check_database)
        self.maintenance_actions = [self.backup_action, self.restore_action, self.check_action]
        self.import_email_action = create_action(self, actions.IMPORT_EMAIL, self.import_email)
        self.import_appointment_action = create_action(
            self, actions.IMPORT_APPOINTMENT, self.import_appointment
        )
        self.import_actions = [self.import_email_action, self.import_appointment_action]
        self.reminders_action = create_action(
            self, actions.REMINDERS_WINDOW, self.show_reminders_window
        )
        self.reminders_action.setEnabled(self.services.reminders is not None)
        for action in self.import_actions:
            action.setEnabled(self.services.forms is not None)
        for action in self.maintenance_actions:
            action.setEnabled(self.services.maintenance is not None)
        self.window_actions = [
            self.new_opportunity_action,
            self.catalog_action,
            self.stages_action,
            self.open_database_action,
            self.share_action,
            self.backup_action,
            self.restore_action,
            self.check_action,
            *self.import_actions,
            self.exit_action,
            self.navigation_action,
            self.refresh_action,
            self.reminders_action,
            self.about_action,
        ]
        # On the window itself, so their shortcuts work whatever has the focus.
        self.addActions(self.window_actions)

    def _build_ribbon(self) -> None:
        ribbon = self.ribbon
        self.file_menu = QMenu(self)
        self.file_menu.setObjectName("fileMenu")
        self.file_menu.addAction(self.open_database_action)
        self.file_menu.addAction(self.share_action)
        self.import_menu = self.file_menu.addMenu("")
        self.import_menu.setObjectName("importMenu")
        self.import_menu.addActions(self.import_actions)
        self.file_menu.addSeparator()
        for action in self.maintenance_actions:
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.about_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.exit_action)
        ribbon.set_file_menu(self.file_menu, "")

        sales = self.sales
        home = ribbon.add_tab("home", "")
        home.add_group("new", "").add_action(self.new_opportunity_action)
        edit = home.add_group("edit", "")
        edit.add_action(sales.undo_action, large=False)
        edit.add_action(sales.redo_action, large=False)
        edit.add_action(sales.select_all_action, large=False)
        group = home.add_group("actions", "")
        group.add_action(sales.assign_action)
        group.add_action(sales.close_won_action)
        group.add_action(sales.close_lost_action)
        group.add_action(sales.delete_action)
        home.add_group("tags", "").add_action(sales.categorize_action)
        home.add_group("customize", "").add_action(self.catalog_action)
        home.group("customize").add_action(self.stages_action)
        find = home.add_group("find", "")
        find.add_action(sales.find_action, large=False)
        find.add_action(sales.clear_filter_action, large=False)
        find.add_action(self.refresh_action, large=False)

        view = ribbon.add_tab("view", "")
        layout = view.add_group("layout", "")
        layout.add_action(self.navigation_action)
        layout.add_action(sales.reading_pane_action)
        layout.add_action(sales.reading_pane_bottom_action)
        view.add_group("refresh", "").add_action(self.refresh_action)
        view.add_group("window", "").add_action(self.reminders_action)

        help_tab = ribbon.add_tab("help", "")
        help_tab.add_group("help", "").add_action(self.about_action)

    def _create_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        bar.setSizeGripEnabled(True)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("workspaceStatus")
        self.database_label = QLabel(self)
        self.database_label.setObjectName("databaseStatus")
        self.user_label = QLabel(self)
        self.user_label.setObjectName("userStatus")
        for label in (self.database_label, self.user_label):
            label.setContentsMargins(8, 0, 8, 0)
        bar.addWidget(self.status_label, 1)
        bar.addPermanentWidget(self.database_label)
        bar.addPermanentWidget(self.user_label)

    def retranslate_ui(self) -> None:
        """Set every visible text in the current UI language (Frescobaldi's habit)."""
        services = self.services
        self.setWindowTitle(_tr("{database} — BCM Desktop").format(database=services.database_name))
        for action in self.window_actions:
            retranslate_action(action)
        if services.maintenance is None:
            for action in self.maintenance_actions:
                action.setToolTip(_tr("Only for a database file on this computer"))
        if not self._may_edit_stages():
            self.stages_action.setToolTip(_tr("Only the database owner can customize sales stages"))
        if services.read_only_reason is not None:
            self.share_action.setToolTip(
                _tr("The database is read-only because {reason}.").format(
                    reason=services.read_only_reason
                )
            )
        elif not self._may_share():
            self.share_action.setToolTip(_tr("Only the database owner can share the database"))
        self.ribbon.set_file_text(_tr("&File"))
        self.ribbon.setAccessibleName(_tr("Ribbon"))
        titles = {
            "home": (_tr("Home"), {"new": _tr("New"), "edit": _tr("Edit"),
                                   "actions": _tr("Actions"), "tags": _tr("Tags"),
                                   "customize": _tr("Customize"), "find": _tr("Find")}),
            "view": (_tr("View"), {"layout": _tr("Layout"), "refresh": _tr("Refresh"),
                                   "window": _tr("Window")}),
            "help": (_tr("Help"), {"help": _tr("Help")}),
        }  # fmt: skip
        for tab_key, (tab_title, groups) in titles.items():
            self.ribbon.set_tab_title(tab_key, tab_title)
            for group_key, group_title in groups.items():
                self.ribbon.tab(tab_key).group(group_key).set_title(group_title)
        for group_key, title in self._home_group_titles.items():
            self.ribbon.tab("home").group(group_key).set_title(title())
        for folder in getattr(self, "_folders", {}).values():
            self.navigation.set_folder_title(folder.key, folder.title())
        self.file_menu.setTitle(_tr("File"))
        self.import_menu.setTitle(_tr("&Import"))
        self.navigation.retranslate_ui()
        self.stack.setAccessibleName(_tr("Workspace"))
        self.splitter.setAccessibleName(_tr("Navigation and workspace"))
        self.statusBar().setAccessibleName(_tr("Status bar"))
        self.status_label.setAccessibleName(_tr("Workspace status"))
        self.database_label.setText(_tr("Database: {name}").format(name=services.database_name))
        self.database_label.setToolTip(services.database_location)
        self.database_label.setAccessibleName(self.database_label.text())
        self.user_label.setText(_tr("User: {name}").format(name=services.user.name))
        self.user_label.setToolTip(services.user.login)
        self.user_label.setAccessibleName(self.user_label.text())
        self.setAccessibleName(self.windowTitle())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- commands ------------------------------------------------------------------------

    def _records_changed_in_sales(self) -> None:
        """Tell everyone else; Sales itself has read its list again already."""
        assert self.form_manager is not None
        self._sales_changed_records = True
        try:
            self.form_manager.records_changed.emit()
        finally:
            self._sales_changed_records = False

    def _refresh_sales(self) -> None:
        if not self._sales_changed_records:
            self.sales.refresh()

    def refresh(self) -> None:
        """F5: read the current workspace again, with its filters' choices (a colleague may
        have changed the stages or shared the database with someone new)."""
        widget = self.stack.currentWidget()
        reload_choices = getattr(widget, "reload_choices", None)
        if reload_choices is not None:
            reload_choices()
        refresh = getattr(widget, "refresh", None)
        if refresh is not None:
            refresh()

    def _add_marketing(self, services: MarketingFormServices, activities: RecordSource) -> None:
        """The Marketing folder: its workspace, its Home groups and its forms."""
        assert self.form_manager is not None
        workspace = MarketingWorkspace(services, activities, self)
        self.marketing = workspace
        manager = self.form_manager
        manager.set_marketing(services)
        workspace.new_requested.connect(manager.new_marketing)
        workspace.open_requested.connect(manager.open_marketing)
        manager.marketing_changed.connect(workspace.refresh)
        manager.records_changed.connect(workspace.refresh)  # opportunity counts
        self.add_workspace(
            "marketing",
            lambda: _tr("Marketing"),
            themed_icon("folder", QStyle.StandardPixmap.SP_DirIcon),
            workspace,
            [HomeGroup("marketing", lambda: _tr("Marketing"), workspace.home_actions)],
        )

    def new_opportunity(self) -> None:
        """Ctrl+N: an empty opportunity form (S-2)."""
        if self.form_manager is not None:
            self.form_manager.new_opportunity()

    def import_email(self) -> None:
        """File → Import → E-mail (.eml)…: link a saved message to a record (S-8)."""
        self._import(history_import.import_email)

    def import_appointment(self) -> None:
        """File → Import → Appointment (.ics)…: link its appointments to a record (S-8)."""
        self._import(history_import.import_appointment)

    def _import(self, run: Callable[..., history_import.ImportResult | None]) -> None:
        forms = self.services.forms
        if forms is None:
            return
        result = run(self, forms.history, forms.links)
        if result is None or not result.items:
            return
        self.statusBar().showMessage(
            _tr("Imported {count} item(s), linked to {name}.").format(
                count=len(result.items), name=result.record_name
            ),
            8000,
        )
        if self.form_manager is not None:
            # Opportunity, account and contact forms show the items in their history.
            self.form_manager.refresh_open_forms()
        self.sales.refresh()  # the reading pane shows the latest history of its record

    def edit_catalog(self) -> None:
        """Customize → Products and Services: the catalog dialog."""
        if self.services.forms is not None:
            CatalogDialog.ask(self, self.services.forms.catalog)

    def _may_edit_stages(self) -> bool:
        forms = self.services.forms
        return forms is not None and forms.stages is not None and self.services.user.is_owner

    def edit_sales_stages(self) -> None:
        """Home → Customize → Sales Stages (S-5): the stage editor, for the database owner;
        afterwards the workspace and the open forms read the stages again."""
        forms = self.services.forms
        if forms is None or forms.stages is None or not self._may_edit_stages():
            return
        if not StagesDialog.ask(self, forms.stages):
            return
        self.sales.reload_choices()
        self.sales.refresh()
        if self.form_manager is not None:
            for form in self.form_manager.forms:
                form.reload_stages()

    def _may_share(self) -> bool:
        services = self.services
        return (
            services.users is not None
            and services.user.is_owner
            and services.read_only_reason is None
        )

    def share_database(self) -> None:
        """File → Share Database… (S-9): the owner lists who may open the database; after a
        change every Assigned to choice on screen is read again."""
        users = self.services.users
        if users is None or not self._may_share():
            return
        if ShareDialog.ask(self, users, self.services.user.id):
            self.reload_user_choices()

    def reload_user_choices(self) -> None:
        """Read the users again wherever a workspace lists them (filters, reading panes).

        The Sales workspace's Assign To menu and every form read the users when they open.
        """
        for workspace in (
            self.sales,
            getattr(self, "contact_management", None),
            getattr(self, "projects", None),
        ):
            reload_choices = getattr(workspace, "reload_choices", None)
            if reload_choices is not None:
                reload_choices()

    def choose_database(self) -> None:
        """File → Open Database…: ask for a file and hand it to whoever opens databases."""
        start = Path(self.services.database_location)
        directory = str(start.parent) if start.parent.is_dir() else ""
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _tr("Open Database"),
            directory,
            _tr("BCM Desktop databases (*.sqlite *.db);;All files (*)"),
        )
        if path:
            self.open_database_requested.emit(path)

    # -- reminders -------------------------------------------------------------------------

    def _set_up_reminders(self, service: ReminderService) -> None:
        """The Reminders window, and the timer that asks what is due (every 30 s, and once
        shortly after start). At a million records the question takes about 2 ms with
        activity reminders off but up to 25–30 ms with them on, more than a UI thread may
        spend (20 ms), so it is asked in a worker."""
        window = RemindersWindow(service, self)
        window.open_requested.connect(self.open_reminder)
        geometry = _bytes(self.settings.value("remindersWindow/geometry"))
        if geometry is not None:
            window.restoreGeometry(geometry)
        self.reminders_window = window
        self.reminder_timer = QTimer(self)
        self.reminder_timer.setObjectName("reminderTimer")
        self.reminder_timer.setInterval(REMINDER_INTERVAL_MS)
        self.reminder_timer.timeout.connect(self.check_reminders)
        self.reminder_timer.start()
        self.first_reminder_check = QTimer(self)
        self.first_reminder_check.setSingleShot(True)
        self.first_reminder_check.timeout.connect(self.check_reminders)
        self.first_reminder_check.start(REMINDER_FIRST_CHECK_MS)
        if self.form_manager is not None:
            # A saved record may have a new reminder time, or be closed.
            self.form_manager.records_changed.connect(self.check_reminders)

    def check_reminders(self) -> None:
        """Ask (in a worker) what is due; show the Reminders window when something is new."""
        service, window = self.services.reminders, self.reminders_window
        if service is None or window is None:
            return
        if self._reminder_check is not None:
            # A save during a check may have made a reminder due: ask once more after it.
            self._reminder_recheck = True
            return
        self._reminder_recheck = False
        generation = window.generation

        def done(reminders: object) -> None:
            self._reminder_check = None
            if not self.isVisible() or not isinstance(reminders, list):
                return  # this window closed meanwhile (another database was opened)
            if window.set_due(reminders, generation):
                self.show_reminders()
            if generation != window.generation or self._reminder_recheck:
                self.check_reminders()  # dismissed, snoozed or saved meanwhile: ask again

        def failed(_error: BaseException) -> None:
            self._reminder_check = None  # e.g. busy: the next tick asks again

        self._reminder_check = run_quietly(self, service.due, done, failed)

    def show_reminders(self) -> None:
        """Show the Reminders window and bring it to the front."""
        window = self.reminders_window
        if window is None:
            return
        window.showNormal()
        window.raise_()
        window.activateWindow()

    def show_reminders_window(self) -> None:
        """View → Reminders Window: read what is due now and show the window."""
        if self.reminders_window is None:
            return
        self.reminders_window.refresh()
        self.show_reminders()

    def open_reminder(self, reminder: Reminder) -> None:
        """Open Item: the opportunity of an opportunity or activity reminder, or the task."""
        if reminder.kind is ReminderKind.TASK:
            self._open_task(reminder.source_id)
        elif self.form_manager is not None and reminder.opportunity_id is not None:
            self.form_manager.open_opportunity(reminder.opportunity_id)

    def _open_task(self, item_id: int) -> None:
        """A task opens in its form, as from a History page; saving it may end its reminder."""
        forms = self.services.forms
        if forms is None:
            return
        parent = self.reminders_window or self
        try:
            item = forms.history.get(item_id)
            users = forms.lookups.users()
        except DomainError as error:
            show_error(parent, error)
            return
        if edit_item(parent, forms.history, item, users=users) is not None:
            self.check_reminders()

    # -- data safety -----------------------------------------------------------------------

    def back_up_now(self) -> None:
        """File → Back Up Now…: an online copy to a chosen file, with a progress bar."""
        maintenance = self.services.maintenance
        if maintenance is None:
            return
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        name = f"bcm-backup-{datetime.now():%Y%m%d-%H%M}.sqlite"
        suggested = str(Path(documents) / name) if documents else name
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            _tr("Back Up Database"),
            suggested,
            _tr("BCM Desktop databases (*.sqlite *.db);;All files (*)"),
        )
        if not chosen:
            return
        target = Path(chosen)
        progress = QProgressDialog(_tr("Backing up the database…"), "", 0, 0, self)
        progress.setObjectName("backupProgress")
        progress.setWindowTitle(_tr("Back Up Database"))
        progress.setCancelButton(None)  # a half-made copy is never left behind anyway
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumDuration(0)
        progress.setValue(0)
        worker = _CopyWorker(lambda report: maintenance.back_up_to(target, report), self)

        def on_progress(done: int, total: int) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(min(done, max(total, 1)))

        def finish() -> None:
            progress.close()
            progress.deleteLater()

        def on_success(size: object) -> None:
            finish()
            QMessageBox.information(
                self,
                _tr("Back Up Database"),
                _tr("The database was backed up to “{name}” ({size}).").format(
                    name=target.name,
                    size=QLocale().formattedDataSize(size if isinstance(size, int) else 0),
                ),
            )

        def on_failure(error: object) -> None:
            finish()
            show_error(self, error if isinstance(error, BaseException) else Exception(error))

        worker.progressed.connect(on_progress)
        worker.succeeded.connect(on_success)
        worker.failed.connect(on_failure)
        worker.finished.connect(worker.deleteLater)
        worker.start()

    def restore_backup(self) -> None:
        """File → Restore…: choose a backup, confirm, and ask the owner to restore it."""
        maintenance = self.services.maintenance
        if maintenance is None:
            return
        try:
            backups = maintenance.backups_list()
        except Exception as error:
            show_error(self, error)
            return
        if not backups:
            QMessageBox.information(
                self, _tr("Restore a Backup"), _tr("There are no backups of this database yet.")
            )
            return
        chosen = RestoreDialog.ask(self, backups)
        if chosen is None:
            return
        answer = QMessageBox.question(
            self,
            _tr("Restore a Backup"),
            _tr(
                "Replace the current database with the backup of {when}? "
                "The current file is kept as a backup first."
            ).format(when=formatting.short_datetime(chosen.made_at)),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_requested.emit(str(chosen.path))

    def check_database(self) -> None:
        """File → Check Database…: a full integrity check off the UI thread."""
        maintenance = self.services.maintenance
        if maintenance is None:
            return
        self.check_task = BackgroundTask(
            self,
            _tr("Checking the database…"),
            maintenance.check,
            self._show_check_report,
            lambda error: show_error(self, error),
        )
        self.check_task.start()

    def _show_check_report(self, report: IntegrityReport) -> None:
        locale = QLocale()
        title = _tr("Check Database")
        if report.healthy:
            QMessageBox.information(
                self,
                title,
                _tr(
                    "The database is healthy ({opportunities} opportunities, "
                    "{accounts} accounts, {contacts} contacts)."
                ).format(
                    opportunities=locale.toString(report.opportunities),
                    accounts=locale.toString(report.accounts),
                    contacts=locale.toString(report.contacts),
                ),
            )
            return
        shown = report.problems[:10]
        more = len(report.problems) - len(shown)
        details = "\n".join(shown) + (
            "\n" + _tr("… and {count} more.").format(count=more) if more > 0 else ""
        )
        answer = QMessageBox.warning(
            self,
            title,
            _tr(
                "The database is damaged:\n{problems}\n\n"
                "Restore a backup to get a healthy database back. Choose a backup now?"
            ).format(problems=details),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_backup()

    def show_about(self) -> None:
        """Help → About: version, database and current user."""
        user = self.services.user
        text = _tr(
            "<h3>BCM Desktop {version}</h3>"
            "<p>Sales opportunities from first contact to won or lost.</p>"
            "<p><b>Database:</b> {database}<br><b>User:</b> {user} ({login})</p>"
        ).format(
            version=html.escape(__version__),
            database=html.escape(self.services.database_location),
            user=html.escape(user.name),
            login=html.escape(user.login),
        )
        QMessageBox.about(self, _tr("About BCM Desktop"), text)

    def _on_folder_changed(self, key: str) -> None:
        widget = self.navigation.widget(key)
        status_text = getattr(widget, "status_text", None)
        self.status_label.setText(status_text() if status_text is not None else "")
        self._show_home_groups(key)

    def _on_workspace_status(self, text: str) -> None:
        """A workspace's status changed: show it when that workspace is the current one."""
        if self.sender() is self.stack.currentWidget():
            self.status_label.setText(text)

    def _show_home_groups(self, current: str | None) -> None:
        """Show the Home-tab groups of the current folder, hide the other folders' groups."""
        folders = getattr(self, "_folders", {})
        for folder in folders.values():
            for group_key in folder.home_groups:
                self.ribbon.tab("home").set_group_visible(group_key, folder.key == current)

    # -- state ---------------------------------------------------------------------------

    def save_state(self) -> None:
        """Write geometry, splitter, pane visibility and the workspaces' layout to settings."""
        settings = self.settings
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        settings.setValue("mainWindow/state", self.saveState())
        settings.setValue("mainWindow/splitter", self.splitter.saveState())
        settings.setValue("mainWindow/navigationPane", self.navigation_action.isChecked())
        settings.setValue("mainWindow/folder", self.navigation.current_folder() or "")
        reminders = getattr(self, "reminders_window", None)
        if reminders is not None:
            settings.setValue("remindersWindow/geometry", reminders.saveGeometry())
        for folder in self._folders.values():
            save = getattr(folder.widget, "save_state", None)
            if save is not None:
                save(settings)
        settings.sync()

    def restore_state(self) -> None:
        """Restore what :meth:`save_state` wrote, keeping the window on a screen."""
        settings = self.settings
        geometry = _bytes(settings.value("mainWindow/geometry"))
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
            self._center_on_screen()
        elif not self._is_on_screen():
            self._center_on_screen()
        state = _bytes(settings.value("mainWindow/state"))
        if state is not None:
            self.restoreState(state)
        splitter = _bytes(settings.value("mainWindow/splitter"))
        if splitter is None or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([NAVIGATION_WIDTH, max(self.width() - NAVIGATION_WIDTH, 1)])
        visible = settings.value("mainWindow/navigationPane", True, type=bool)
        self.navigation_action.setChecked(bool(visible))
        self.navigation.setVisible(bool(visible))
        folder = str(settings.value("mainWindow/folder", "") or "")
        if folder in self.navigation.folder_keys():
            self.navigation.set_current_folder(folder)
        self.sales.restore_state(settings)

    def _is_on_screen(self) -> bool:
        frame = self.frameGeometry()
        return any(
            screen.availableGeometry().intersects(frame) for screen in QGuiApplication.screens()
        )

    def _center_on_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
        width = min(self.width(), available.width())
        height = min(self.height(), available.height())
        self.resize(width, height)
        frame = self.frameGeometry()
        frame.moveCenter(available.center())
        self.move(frame.topLeft())

    def close_forms(self) -> bool:
        """Close every open form (each asks about unsaved changes); False if one said Cancel.

        Before this window goes (closing it, or opening another database in its place)."""
        if self.form_manager is not None and not self.form_manager.close_all():
            return False  # a form with unsaved changes said Cancel
        projects = self.services.projects
        return projects is None or projects.forms.close_all()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.close_forms():
            event.ignore()  # a form with unsaved changes said Cancel
            return
        self.save_state()
        if self.reminders_window is not None:
            self.reminder_timer.stop()
            self.first_reminder_check.stop()
            self.reminders_window.close()
        self.wait_for_workers()
        super().closeEvent(event)

    def wait_for_workers(self, msecs: int = 60_000) -> None:
        """Let running work (bulk actions, status sums) finish: no thread outlives the window."""
        self.sales.wait_for_tasks(msecs)
        for thread in self.findChildren(QThread):
            thread.wait(msecs)


def _bytes(value: object) -> QByteArray | None:
    """A saved ``QByteArray`` setting, or ``None`` when absent or of another type."""
    if isinstance(value, QByteArray | bytes) and value:
        return QByteArray(value)
    return None
