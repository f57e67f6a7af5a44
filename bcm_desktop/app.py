"""Composition root and the ``bcm-desktop`` entry point: arguments → database → services → window.

This is the one module that wires every layer together (DESIGN §1). Qt, SQLAlchemy and the
UI are imported inside the functions that need them, so ``--version`` and ``--help`` answer
without loading Qt or opening a display, and start-up pays only for what it uses.
"""

# Imports inside functions are the point of this module (lazy start-up), not an accident.
# ruff: noqa: PLC0415

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, paths

if TYPE_CHECKING:
    from datetime import datetime

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from .repository.database import Database
    from .repository.unit_of_work import UnitOfWork
    from .services.lookups import Lookups
    from .ui.forms.project_manager import ProjectFormManager
    from .ui.main_window import MainWindow
    from .ui.workspace.contacts import ContactManagementServices
    from .ui.workspace.projects import ProjectWorkspaceServices

APP_NAME = "BCM Desktop"
DEMO_OPPORTUNITIES = 2000


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bcm-desktop",
        description="Track sales opportunities from first contact to won or lost.",
    )
    parser.add_argument("--version", action="version", version=f"bcm-desktop {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--database",
        metavar="PATH_OR_URL",
        help="open this database: a file path or a SQLAlchemy URL "
        f"(default: {paths.default_database()})",
    )
    where.add_argument(
        "--demo",
        action="store_true",
        help="open the demo database, filling it with demo data on first use "
        "(never your own database)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="the login to act as (default: your operating-system login)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run BCM Desktop; returns the process exit code."""
    try:
        args = parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a usage error already printed
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)

    from .services.users import os_login
    from .ui.errors import install_excepthook

    login = args.user or os_login()
    app = _application()
    previous_hook = install_excepthook()
    controller: AppController | None = None
    try:
        if args.demo:
            location: str | Path | None = _demo_database(login)
            if location is None:
                return 1
        else:
            location = args.database or paths.default_database()
        controller = AppController(_settings(), login)
        if not controller.start(location):
            return 1
        return int(app.exec())
    finally:
        if controller is not None:
            controller.shut_down()
        sys.excepthook = previous_hook


class AppController:
    """Owns the open database and its window; File → Open Database… replaces both."""

    _backup_thread: threading.Thread | None = None

    def __init__(self, settings: QSettings, login: str) -> None:
        self.settings = settings
        self.login = login
        self.database: Database | None = None
        self.window: MainWindow | None = None

    def start(self, location: str | Path) -> bool:
        """Open the first database and show its window; a refusal is a critical message."""
        from PySide6.QtWidgets import QMessageBox

        from .domain.errors import DomainError, PermissionDeniedError

        try:
            self._open(location)
        except PermissionDeniedError as error:  # this login is not (or no longer) a user
            QMessageBox.critical(None, _tr("Not a user of this database"), error.message)
            return False
        except DomainError as error:
            QMessageBox.critical(None, _tr("BCM Desktop cannot start"), error.message)
            return False
        except OSError as error:  # e.g. a data folder that cannot be created
            QMessageBox.critical(None, _tr("BCM Desktop cannot start"), str(error))
            return False
        return True

    def reopen(self, location: str) -> None:
        """Replace the window with one on ``location``; on refusal keep the current one.

        The open forms close first (each asks about unsaved changes): one that says Cancel
        keeps this window and its database."""
        from .domain.errors import DomainError
        from .ui.errors import show_error

        if self.window is not None and not self.window.close_forms():
            return
        try:
            self._open(location)
        except (DomainError, OSError) as error:
            show_error(self.window, error)

    def _session_key(self, location: str | Path) -> str:
        import hashlib

        return "sessions/" + hashlib.sha1(str(location).encode()).hexdigest()[:12]

    def _open(self, location: str | Path) -> None:
        from .domain.errors import DatabaseOpenError
        from .repository.database import open_database

        # A full quick_check costs seconds at a million records: run it when the last session
        # on this database did not end cleanly (crash, power cut, kill), not on every start.
        key = self._session_key(location)
        unclean = self.settings.value(f"{key}/open", False, type=bool)
        try:
            database = open_database(
                location, backup_dir=paths.backup_dir(), quick_check=bool(unclean)
            )
        except DatabaseOpenError:
            if not self._offer_restore(location):
                raise
            database = open_database(location, backup_dir=paths.backup_dir())
        self.settings.setValue(f"{key}/open", True)
        self.settings.sync()
        if not database.read_only:  # nothing is written for a read-only database
            self._start_daily_backup(database)
        try:
            if self.window is not None:
                self.window.save_state()  # the new window starts where this one is
            window = build_main_window(database, self.login, settings=self.settings)
        except BaseException:
            # Refused (not a user of this database) or failed: the session did not start,
            # so the next start need not check the file as after a crash.
            self._mark_closed(database)
            database.close()
            raise
        window.open_database_requested.connect(self.reopen)
        window.restore_requested.connect(self.restore)
        old_window, old_database = self.window, self.database
        if old_database is not None:
            self._mark_closed(old_database)
        self.window, self.database = window, database
        window.show()
        if database.read_only_reason is not None:
            from .ui.read_only import tell_read_only

            name = database.path.name if database.path is not None else str(location)
            tell_read_only(window, name, database.read_only_reason)
        if old_window is not None:
            old_window.close()
            old_window.deleteLater()
        if old_database is not None:
            old_database.close()

    def restore(self, backup: str) -> None:
        """File → Restore…: close the window and the database, put ``backup`` in place of the
        file, and open it again in a new window. A failed restore leaves the file as it was
        and reopens it; a window that refuses to close (unsaved form) cancels the restore."""
        from datetime import datetime

        from PySide6.QtWidgets import QApplication

        from .domain.errors import DomainError
        from .services.maintenance import MaintenanceService
        from .ui.errors import show_error
        from .ui.progress import run_with_progress

        window, database = self.window, self.database
        if window is None or database is None or database.path is None:
            return
        path, location = database.path, self._location(database)
        app = QApplication.instance()
        quit_on_close = isinstance(app, QApplication) and app.quitOnLastWindowClosed()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(False)  # between the two windows there is none
        try:
            if not window.close():
                return  # a form with unsaved changes said Cancel
            window.wait_for_workers()
            self.window = None
            if self._backup_thread is not None:
                self._backup_thread.join()
            self._mark_closed(database)
            database.close()
            self.database = None
            problem: BaseException | None = None
            try:
                maintenance = MaintenanceService(path, paths.backup_dir())
                # Off the UI thread, with a progress bar: a large file takes a while to copy.
                run_with_progress(
                    None,
                    _tr("Restore"),
                    _tr("Restoring the database from the backup…"),
                    lambda report: maintenance.restore(Path(backup), datetime.now(), report),
                    object_name="restoreProgress",
                )
            except DomainError as error:
                problem = error
            # Only now: the progress dialog's event loop must not delete the window while
            # the signal that started this restore is still being delivered.
            window.deleteLater()
            try:
                self._open(location)
            except (DomainError, OSError) as error:
                show_error(None, error)
                if isinstance(app, QApplication):
                    app.quit()
                return
            if problem is not None:
                show_error(self.window, problem)
        finally:
            if isinstance(app, QApplication):
                app.setQuitOnLastWindowClosed(quit_on_close)

    def shut_down(self) -> None:
        """Close the window (saving its layout) and then the database."""
        if self.window is not None:
            self.window.close()
            self.window.wait_for_workers()
            self.window = None
        if self._backup_thread is not None:
            self._backup_thread.join()
        if self.database is not None:
            self._mark_closed(self.database)
            self.database.close()
            self.database = None

    def _location(self, database: Database) -> str:
        return str(database.path) if database.path is not None else str(database.url)

    def _mark_closed(self, database: Database) -> None:
        self.settings.setValue(f"{self._session_key(self._location(database))}/open", False)
        self.settings.sync()

    def _start_daily_backup(self, database: Database) -> None:
        """The first start of a day backs the file up (online backup API), off the UI thread."""
        import threading
        from datetime import datetime

        from .repository.backup import BackupSet

        path = database.path
        if path is None:
            return
        backups = BackupSet(path, paths.backup_dir())

        def run() -> None:
            try:
                backups.daily(datetime.now())
            except Exception:  # a failed backup must never stop the program; it is logged
                import logging

                logging.getLogger(__name__).exception("daily backup failed")

        self._backup_thread = threading.Thread(target=run, name="daily-backup")
        self._backup_thread.start()

    def _offer_restore(self, location: str | Path) -> bool:
        """A damaged database: offer the newest healthy backup instead. True if restored."""
        from datetime import datetime

        from PySide6.QtWidgets import QMessageBox

        from .repository.backup import BackupSet
        from .repository.database import to_url

        url = to_url(location)
        if url.get_backend_name() != "sqlite" or not url.database:
            return False
        path = Path(url.database)
        if not path.exists():
            return False
        backups = BackupSet(path, paths.backup_dir())
        newest = backups.newest_healthy()
        if newest is None:
            return False
        answer = QMessageBox.question(
            None,
            _tr("Database cannot be opened"),
            _tr(
                "“{name}” cannot be opened. Restore the newest good backup, made {when} "
                "({count} opportunities)? The current file is kept as a backup too."
            ).format(
                name=path.name,
                when=newest.made_at.strftime("%Y-%m-%d %H:%M"),
                count=f"{newest.counts.get('opportunities', 0):,}",
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        backups.restore(newest.path, datetime.now())
        return True


def build_main_window(
    database: Database,
    login: str,
    *,
    settings: QSettings | None = None,
    clock: Callable[[], datetime] | None = None,
) -> MainWindow:
    """Wire services over an open database and build (not show) the main window.

    A new database gets its defaults with ``login`` as owner; a ``login`` that is not a user
    of an existing database raises ``PermissionDeniedError``. ``clock`` tells reminders the
    time (default: the computer's clock; tests pass their own).
    """
    from datetime import datetime

    from .repository.deleted_items import deleted_items_spec
    from .repository.link_queries import LinkQueries
    from .repository.marketing_lists import activity_list_spec, tracking_list_spec
    from .repository.queries import OpportunityQueries
    from .repository.record_queries import RecordQueries
    from .repository.unit_of_work import unit_of_work_factory
    from .services.bulk import BulkActions
    from .services.catalog import CatalogService
    from .services.categories import CategoryService
    from .services.deleted_items import DeletedItemsService
    from .services.history import HistoryService
    from .services.links import LinkService
    from .services.listing import OpportunityListing
    from .services.lists import ListService
    from .services.lookups import Lookups
    from .services.maintenance import MaintenanceService
    from .services.marketing import MarketingService
    from .services.opportunities import OpportunityService
    from .services.reminders import ReminderService
    from .services.stages import StageService
    from .services.users import UserService, ensure_defaults, resolve_current_user
    from .ui.forms.marketing_form import MarketingFormServices
    from .ui.forms.opportunity_form import FormServices
    from .ui.main_window import MainWindow, WindowServices

    uow_factory = unit_of_work_factory(database)
    ensure_defaults(uow_factory, login)
    user = resolve_current_user(uow_factory, login)
    if database.path is not None:
        name, location = database.path.name, str(database.path)
    else:
        location = database.url.render_as_string(hide_password=True)
        name = database.url.database or location
    read_only = database.read_only_reason
    if read_only is not None:
        name = _tr("{name} (Read-only)").format(name=name)
    opportunities = OpportunityService(uow_factory, user.id)
    lookups = Lookups(uow_factory)
    project_forms = _project_forms(database, uow_factory, user.id, lookups)
    services = WindowServices(
        listing=OpportunityListing(OpportunityQueries(database)),
        user=user,
        database_name=name,
        database_location=location,
        opportunities=opportunities,
        bulk=BulkActions(uow_factory, user.id) if read_only is None else None,
        lookups=lookups,
        maintenance=(
            MaintenanceService(database.path, paths.backup_dir())
            if database.path is not None
            else None
        ),
        forms=FormServices(
            opportunities=opportunities,
            lookups=lookups,
            catalog=CatalogService(uow_factory),
            links=LinkService(LinkQueries(database), uow_factory),
            history=HistoryService(uow_factory, user.id),
            categories=CategoryService(uow_factory),
            read_only_reason=read_only,
            projects=project_forms,
            stages=StageService(uow_factory, user.id),
            lists=ListService(uow_factory, user.id),
        ),
        marketing=MarketingFormServices(
            marketing=MarketingService(uow_factory, user.id),
            lookups=lookups,
            tracking=RecordQueries(database, tracking_list_spec()),
            lists=ListService(uow_factory, user.id),
        ),
        marketing_activities=RecordQueries(database, activity_list_spec()),
        projects=_project_workspace(database, project_forms),
        contact_management=_contact_management_services(database, uow_factory, user.id),
        deleted_items=DeletedItemsService(uow_factory, user.id),
        deleted_items_list=RecordQueries(database, deleted_items_spec()),
        read_only_reason=read_only,
        users=UserService(uow_factory, user.id),
        # Reminders show on a read-only database too; dismissing there lasts the session.
        reminders=ReminderService(uow_factory, user.id, clock or datetime.now),
    )
    return MainWindow(services, settings)


def _project_forms(
    database: Database, uow_factory: Callable[[], UnitOfWork], user_id: int, lookups: Lookups
) -> ProjectFormManager:
    """Business projects (S-11): the services behind the project form and its dialogs."""
    from .repository.link_queries import LinkQueries
    from .services.history import HistoryService
    from .services.links import LinkService
    from .services.lists import ListService
    from .services.projects import ProjectService, TemplateService
    from .ui.forms.project_manager import ProjectFormManager
    from .ui.forms.project_services import ProjectFormServices

    return ProjectFormManager(
        ProjectFormServices(
            projects=ProjectService(uow_factory, user_id),
            templates=TemplateService(uow_factory),
            lookups=lookups,
            links=LinkService(LinkQueries(database), uow_factory),
            history=HistoryService(uow_factory, user_id),
            lists=ListService(uow_factory, user_id),
        )
    )


def _project_workspace(database: Database, forms: ProjectFormManager) -> ProjectWorkspaceServices:
    """The Project Management workspace's lists over the database."""
    from .repository.project_lists import project_list_spec, task_list_spec
    from .repository.record_queries import RecordQueries
    from .ui.workspace.projects import ProjectWorkspaceServices

    return ProjectWorkspaceServices(
        forms=forms,
        projects=RecordQueries(database, project_list_spec()),
        tasks=RecordQueries(database, task_list_spec()),
    )


def _contact_management_services(
    database: Database, uow_factory: Callable[[], UnitOfWork], user_id: int
) -> ContactManagementServices:
    """The Contact Management workspace's lists and the account and contact forms' services."""
    from .repository.link_queries import LinkQueries
    from .services.categories import CategoryService
    from .services.contact_listing import account_listing, contact_listing
    from .services.contacts import AccountService, ContactService
    from .services.history import HistoryService
    from .services.links import LinkService
    from .services.lookups import Lookups
    from .ui.forms.record_form import ContactFormServices
    from .ui.workspace.contacts import ContactManagementServices

    return ContactManagementServices(
        accounts_list=account_listing(database),
        contacts_list=contact_listing(database),
        forms=ContactFormServices(
            accounts=AccountService(uow_factory, user_id),
            contacts=ContactService(uow_factory, user_id),
            lookups=Lookups(uow_factory),
            links=LinkService(LinkQueries(database), uow_factory),
            history=HistoryService(uow_factory, user_id),
            categories=CategoryService(uow_factory),
        ),
    )


# -- start-up helpers ----------------------------------------------------------------------


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("app", text)


def _application() -> QApplication:
    """The QApplication (reused if one exists, as under pytest-qt), named for QSettings."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    if existing is None:
        app.setStyle("Fusion")  # the ribbon is drawn for it; identical on every platform
        # Qt's own strings (dialog buttons, context menus) in the user's language.
        translator = QTranslator(app)
        directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(QLocale(), "qtbase", "_", directory):
            app.installTranslator(translator)
    return app


def _settings() -> QSettings:
    """Where window layout is kept: the platform's settings store for "BCM Desktop"."""
    from PySide6.QtCore import QSettings

    return QSettings()


class _DemoCancelledError(Exception):
    """The user cancelled building the demo database."""


def _demo_database(login: str) -> Path | None:
    """The demo database, built on first use with a progress dialog; ``None`` if cancelled.

    ``build_demo`` writes to a temporary file and renames it when complete, so a cancelled
    or failed build leaves nothing that the next start would take for a demo database.
    """
    from PySide6.QtWidgets import QMessageBox

    target = paths.demo_database()
    if target.exists():
        return target
    dialog = _demo_progress_dialog()
    try:
        from .demo import build_demo

        build_demo(target, DEMO_OPPORTUNITIES, progress=_demo_progress(dialog), owner_login=login)
    except _DemoCancelledError:
        return None
    except Exception as error:
        QMessageBox.critical(
            None,
            _tr("BCM Desktop cannot start"),
            _tr("The demo database could not be built: {error}").format(error=error),
        )
        return None
    finally:
        dialog.close()
        dialog.deleteLater()
    return target


def _demo_progress_dialog() -> QProgressDialog:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog

    dialog = QProgressDialog(
        _tr("Building the demo database ({count} opportunities)…").format(
            count=f"{DEMO_OPPORTUNITIES:,}"
        ),
        _tr("Cancel"),
        0,
        100,
    )
    dialog.setObjectName("demoProgress")
    dialog.setWindowTitle(_tr("Demo database"))
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setValue(0)
    return dialog


def _demo_progress(dialog: QProgressDialog) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback for ``build_demo``: moves the dialog, echoes to
    the console, and cancels the build (by raising) when the user presses Cancel."""
    from PySide6.QtWidgets import QApplication

    last_shown = -1

    def progress(done: int, total: int) -> None:
        nonlocal last_shown
        percent = min(100, 100 * done // total) if total else 100
        dialog.setValue(percent)
        if sys.stderr is not None and percent != last_shown:
            end = "\n" if percent == 100 else ""
            print(f"\rBuilding the demo database: {percent:3d} %", end=end, file=sys.stderr)
            last_shown = percent
        QApplication.processEvents()
        if dialog.wasCanceled():
            raise _DemoCancelledError

    return progress
