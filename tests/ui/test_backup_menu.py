"""File → Back Up Now…, Restore… and Check Database…: the window, the dialog and the controller.

Every modal call is patched: ``QFileDialog.getSaveFileName``, the ``QMessageBox`` statics and
``RestoreDialog.ask`` record their arguments and answer at once.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from bcm_desktop.app import AppController, build_main_window
from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.domain.enums import LinkKind
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.unit_of_work import UnitOfWork, unit_of_work_factory
from bcm_desktop.services.maintenance import BackupEntry, MaintenanceService
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.users import resolve_current_user
from bcm_desktop.ui import actions
from bcm_desktop.ui.dialogs.restore_dialog import BackupTableModel, RestoreDialog
from bcm_desktop.ui.main_window import MainWindow
from tests.conftest import OWNER_LOGIN

NOW = datetime(2026, 11, 28, 9, 0)


class Recorder:
    """Stands in for a static dialog function: records the call and answers at once."""

    def __init__(self, answer: object = QMessageBox.StandardButton.Ok) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self._answer = answer

    def __call__(self, *args: Any, **_kwargs: Any) -> object:
        self.calls.append(args)
        return self._answer


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("BCM_DESKTOP_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(
    qtbot: Any,
    database: Database,
    settings: QSettings,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
) -> Iterator[MainWindow]:
    service = OpportunityService(uow_factory, owner.id)
    for index in range(7):
        service.create(Opportunity(title=f"Deal {index}", link=account))
    made = build_main_window(database, OWNER_LOGIN, settings=settings)
    qtbot.addWidget(made, before_close_func=lambda w: w.wait_for_workers())
    made.show()
    qtbot.waitExposed(made)
    yield made
    made.wait_for_workers()


def titles(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [t for (t,) in connection.execute("SELECT title FROM opportunities ORDER BY id")]
    finally:
        connection.close()


def tables_and_users(path: Path) -> tuple[list[str], list[str]]:
    connection = sqlite3.connect(path)
    try:
        tables = [t for (t,) in connection.execute("SELECT name FROM sqlite_master ORDER BY 1")]
        users = [u for (u,) in connection.execute("SELECT login FROM users ORDER BY 1")]
        return tables, users
    finally:
        connection.close()


def entry(path: Path, *, healthy: bool = True, kind: str = "daily") -> BackupEntry:
    return BackupEntry(path, kind, NOW, 123_456, 10, 3, 4, healthy)


def test_file_menu_lists_the_data_safety_actions_between_open_and_about(
    window: MainWindow,
) -> None:
    # Submenus (File → Import) are not data-safety actions: only plain commands are listed.
    names = [
        a.objectName()
        for a in window.file_menu.actions()
        if not a.isSeparator() and a.menu() is None
    ]
    assert names[:6] == [
        actions.OPEN_DATABASE,
        actions.SHARE_DATABASE,
        actions.BACKUP_NOW,
        actions.RESTORE_BACKUP,
        actions.CHECK_DATABASE,
        actions.ABOUT,
    ]
    for action in window.maintenance_actions:
        assert action.isEnabled() and action.text() and action.toolTip()
        assert not action.icon().isNull()


def test_actions_are_disabled_for_a_server_database(qtbot: Any, window: MainWindow) -> None:
    services = dataclasses.replace(window.services, maintenance=None)
    other = MainWindow(services, window.settings)
    qtbot.addWidget(other)
    for action in other.maintenance_actions:
        assert not action.isEnabled()
        assert "database file on this computer" in action.toolTip()


def test_back_up_now_writes_a_healthy_copy_with_every_record(
    qtbot: Any,
    window: MainWindow,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "chosen" / "my-backup.sqlite"
    asked = Recorder((str(target), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", asked)
    told = Recorder()
    monkeypatch.setattr(QMessageBox, "information", told)

    window.backup_action.trigger()
    qtbot.waitUntil(lambda: bool(told.calls), timeout=10_000)

    suggested = Path(asked.calls[0][2]).name
    assert suggested.startswith("bcm-backup-") and suggested.endswith(".sqlite")
    assert len(suggested) == len("bcm-backup-YYYYMMDD-HHMM.sqlite")
    assert "my-backup.sqlite" in told.calls[0][2]
    assert titles(target) == titles(db_path) == [f"Deal {i}" for i in range(7)]
    assert MaintenanceService(target, tmp_path / "elsewhere").check().healthy


def test_cancelled_back_up_writes_nothing(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", Recorder(("", "")))
    told = Recorder()
    monkeypatch.setattr(QMessageBox, "information", told)
    window.backup_action.trigger()
    assert told.calls == []
    assert not list(tmp_path.rglob("bcm-backup-*"))


def test_check_database_reports_healthy(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    told = Recorder()
    monkeypatch.setattr(QMessageBox, "information", told)
    window.check_action.trigger()
    qtbot.waitUntil(lambda: bool(told.calls), timeout=10_000)
    message = told.calls[0][2]
    assert message.startswith("The database is healthy (7 opportunities")


def test_restore_with_no_backups_says_so(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    told = Recorder()
    monkeypatch.setattr(QMessageBox, "information", told)
    asked = Recorder(None)
    monkeypatch.setattr(RestoreDialog, "ask", asked)
    window.restore_action.trigger()
    assert "no backups" in told.calls[0][2]
    assert asked.calls == []


def test_declined_confirmation_requests_no_restore(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.services.maintenance is not None
    made = window.services.maintenance.backups.make("manual", NOW)
    chosen: list[list[BackupEntry]] = []

    def ask(_parent: object, backups: list[BackupEntry]) -> BackupEntry:
        chosen.append(backups)
        return backups[0]

    monkeypatch.setattr(RestoreDialog, "ask", staticmethod(ask))
    question = Recorder(QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "question", question)
    with qtbot.assertNotEmitted(window.restore_requested):
        window.restore_action.trigger()
    assert [b.path for b in chosen[0]] == [made]
    assert "Replace the current database with the backup of" in question.calls[0][2]


def test_restore_via_the_controller_replaces_the_database_and_the_window(
    qtbot: Any, tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "precious.sqlite"
    controller = AppController(settings, OWNER_LOGIN)
    try:
        assert controller.start(path)
        assert controller._backup_thread is not None
        controller._backup_thread.join()
        first, database = controller.window, controller.database
        assert first is not None and database is not None
        factory = unit_of_work_factory(database)
        with factory() as uow:
            account_id = uow.records.add_account("Bakkerij de Vries")
            uow.commit()
        user = resolve_current_user(factory, OWNER_LOGIN)
        service = OpportunityService(factory, user.id)
        link = RecordRef(LinkKind.ACCOUNT, account_id)
        service.create(Opportunity(title="Kept", link=link))
        maintenance = first.services.maintenance
        assert maintenance is not None
        made = maintenance.backups.make("manual", datetime.now() + timedelta(hours=1))
        service.create(Opportunity(title="Added after the backup", link=link))

        def ask(_parent: object, backups: list[BackupEntry]) -> BackupEntry:
            return next(b for b in backups if b.path == made)

        monkeypatch.setattr(RestoreDialog, "ask", staticmethod(ask))
        monkeypatch.setattr(QMessageBox, "question", Recorder(QMessageBox.StandardButton.Yes))
        with qtbot.waitSignal(first.restore_requested):
            first.restore_action.trigger()

        second = controller.window
        assert second is not None and second is not first and second.isVisible()
        assert controller.database is not None and controller.database is not database
        assert titles(path) == ["Kept"]
        kinds = {b.kind: b for b in MaintenanceService(path, tmp_path / "data" / "backups")
                 .backups_list()}  # fmt: skip
        assert "before-restore" in kinds
        assert "Added after the backup" in titles(kinds["before-restore"].path)
    finally:
        controller.shut_down()


def test_backup_model_passes_the_model_tester(qtmodeltester: Any, tmp_path: Path) -> None:
    model = BackupTableModel(
        [entry(tmp_path / "a.sqlite"), entry(tmp_path / "b.sqlite", healthy=False, kind="weekly")]
    )
    qtmodeltester.check(model)


def test_restore_dialog_shows_kinds_and_never_offers_a_damaged_backup(
    qtbot: Any, tmp_path: Path
) -> None:
    damaged = entry(tmp_path / "bad.sqlite", healthy=False, kind="before-migration")
    good = entry(tmp_path / "good.sqlite", kind="before-restore")
    dialog = RestoreDialog([damaged, good])
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.index(0, model.KIND).data() == "Before migration"
    assert model.index(1, model.KIND).data() == "Before restore"
    assert model.index(0, model.STATUS).data() == "Damaged"
    assert model.index(1, model.OPPORTUNITIES).data() == "10"
    assert dialog.selected() == good  # the first good backup is preselected
    assert dialog.restore_button.isEnabled()
    dialog.view.selectionModel().select(
        model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert dialog.selected() is None
    assert not dialog.restore_button.isEnabled()


def test_a_failed_restore_is_a_message_and_the_database_is_reopened_unchanged(
    qtbot: Any, tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "precious.sqlite"
    controller = AppController(settings, OWNER_LOGIN)
    try:
        assert controller.start(path)
        first = controller.window
        assert first is not None
        before = tables_and_users(path)
        warning = Recorder()
        monkeypatch.setattr(QMessageBox, "warning", warning)
        first.restore_requested.emit(str(tmp_path / "nowhere.sqlite"))
        assert "could not be restored" in warning.calls[0][2]
        second = controller.window
        assert second is not None and second is not first and second.isVisible()
        assert tables_and_users(path) == before
    finally:
        controller.shut_down()


def test_restore_copies_in_a_worker_while_the_screen_keeps_responding(
    qtbot: Any, tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "precious.sqlite"
    controller = AppController(settings, OWNER_LOGIN)
    seen: dict[str, Any] = {}
    real_restore = MaintenanceService.restore

    def restore(self: MaintenanceService, backup: Path, now: datetime, progress: Any = None) -> Any:
        seen["thread"] = threading.current_thread()
        time.sleep(0.5)  # long enough for the UI thread to run its timers meanwhile
        seen["ticks_while_copying"] = len(ticks)
        calls: list[tuple[int, int]] = []

        def report(done: int, total: int) -> None:
            calls.append((done, total))
            progress(done, total)

        result = real_restore(self, backup, now, report)
        seen["progress"] = calls
        return result

    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    try:
        assert controller.start(path)
        assert controller._backup_thread is not None
        controller._backup_thread.join()
        first = controller.window
        assert first is not None and first.services.maintenance is not None
        made = first.services.maintenance.backups.make("manual", datetime.now())
        monkeypatch.setattr(MaintenanceService, "restore", restore)
        timer.start(20)
        controller.restore(str(made))
        timer.stop()
        assert seen["thread"] is not threading.main_thread()
        assert seen["ticks_while_copying"] > 3, "the UI thread kept running during the copy"
        assert seen["progress"] and seen["progress"][-1][0] == seen["progress"][-1][1]
        assert controller.window is not None and controller.window is not first
    finally:
        controller.shut_down()
