"""The main window and the entry point: navigation, ribbon actions, saved layout, start-up errors.

Every test keeps its files in ``tmp_path``: the data folder through ``BCM_DESKTOP_DATA_DIR``
and window settings through an INI ``QSettings`` handed to the window, so nothing touches the
user's real folder or configuration.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QTableView,
    QToolButton,
    QWidget,
)

from bcm_desktop import __version__, app
from bcm_desktop.app import AppController, build_main_window, main
from bcm_desktop.domain.entities import Opportunity, OpportunityLine, RecordRef, User
from bcm_desktop.domain.errors import ValidationError
from bcm_desktop.repository.database import Database, open_database
from bcm_desktop.repository.unit_of_work import UnitOfWork, unit_of_work_factory
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.users import ensure_defaults
from bcm_desktop.ui import actions, errors
from bcm_desktop.ui.main_window import MainWindow
from bcm_desktop.ui.ribbon import Ribbon
from tests.conftest import OWNER_LOGIN

TITLES = ["New tills for the bakery", "Website redesign", "Coffee machines"]


@pytest.fixture
def opportunities(
    uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef
) -> list[Opportunity]:
    service = OpportunityService(uow_factory, owner.id)
    return [
        service.create(
            Opportunity(
                title=title,
                link=account,
                lines=[OpportunityLine("Item", Decimal(100 * (index + 1)))],
            )
        )
        for index, title in enumerate(TITLES)
    ]


@pytest.fixture
def make_window(
    qtbot: Any, database: Database, settings: QSettings
) -> Iterator[Callable[[], MainWindow]]:
    """Builds windows on the test database; each is shown, and closed after the test."""
    made: list[MainWindow] = []

    def make() -> MainWindow:
        window = build_main_window(database, OWNER_LOGIN, settings=settings)
        # The offscreen screen is 800×600 and Qt fits restored windows into it; the filter
        # bar alone asks for more width than that, so let the workspace be narrower here.
        for index in range(window.stack.count()):
            window.stack.widget(index).setMinimumWidth(320)
        qtbot.addWidget(window, before_close_func=lambda w: w.wait_for_workers())
        window.show()
        qtbot.waitExposed(window)
        # Shortcuts (F5, Delete, Ctrl+N) fire only in the active window; in a long run
        # another test's window may still hold activation.
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        made.append(window)
        return window

    yield make
    for window in made:
        window.wait_for_workers()


@pytest.fixture
def window(make_window: Callable[[], MainWindow], opportunities: list[Opportunity]) -> MainWindow:
    return make_window()


@pytest.fixture
def app_names() -> Iterator[None]:
    """``main()`` names the (shared) QApplication; put the test session's names back."""
    names = (
        QApplication.organizationName(),
        QApplication.applicationName(),
        QApplication.applicationDisplayName(),
    )
    yield
    QApplication.setOrganizationName(names[0])
    QApplication.setApplicationName(names[1])
    QApplication.setApplicationDisplayName(names[2])


class Recorder:
    """Stands in for a static ``QMessageBox`` function: records the call instead of blocking."""

    def __init__(self, answer: object = QMessageBox.StandardButton.Ok) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self._answer = answer

    def __call__(self, *args: Any, **_kwargs: Any) -> object:
        self.calls.append(args)
        return self._answer


def table_titles(view: QTableView) -> list[str]:
    model = view.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def click_folder(qtbot: Any, window: MainWindow, key: str) -> None:
    folders = window.navigation.folders
    rect = folders.visualItemRect(window.navigation.item(key))
    qtbot.mouseClick(folders.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# -- the window --------------------------------------------------------------------------


def test_navigating_to_sales_lists_the_opportunities(qtbot: Any, window: MainWindow) -> None:
    click_folder(qtbot, window, "sales")

    assert window.navigation.current_folder() == "sales"
    assert window.stack.currentWidget() is window.sales
    view = window.findChild(QTableView, "opportunitiesView")
    assert view is not None and view.isVisible()
    assert view.model().rowCount() == len(TITLES)
    assert sorted(table_titles(view)) == sorted(TITLES)
    qtbot.waitUntil(lambda: "3 opportunities" in window.status_label.text())


def test_title_and_status_bar_name_the_database_and_user(window: MainWindow) -> None:
    assert window.windowTitle() == "bcm.sqlite — BCM Desktop"
    assert "bcm.sqlite" in window.database_label.text()
    assert "Olivia Owner" in window.user_label.text()


def test_navigation_lists_only_built_folders(qtbot: Any, window: MainWindow) -> None:
    navigation = window.navigation
    assert navigation.folder_keys() == [
        "sales",
        "contacts",
        "marketing",
        "projects",
        "deletedItems",
    ]
    assert navigation.header.text() == "Business Contact Manager"

    scratch = QWidget()
    navigation.add_folder("scratch", "Scratch", window.windowIcon(), scratch)
    with qtbot.waitSignal(navigation.folder_changed) as changed:
        click_folder(qtbot, window, "scratch")
    assert changed.args == ["scratch"]
    assert window.stack.currentWidget() is scratch
    with pytest.raises(ValueError, match="exists already"):
        navigation.add_folder("scratch", "Again", window.windowIcon(), QWidget())


def test_actions_and_widgets_have_names(window: MainWindow) -> None:
    names = {action.objectName() for action in window.window_actions}
    assert names == set(actions.ACTIONS)
    for action in window.window_actions:
        assert action.text() and action.toolTip()
    assert window.exit_action.shortcut().toString() == "Ctrl+Q"
    assert "(F5)" in window.refresh_action.toolTip()
    buttons = window.ribbon.findChildren(QToolButton)
    ribbon_buttons = [b for b in buttons if b.objectName().startswith("ribbonButton_")]
    assert ribbon_buttons
    for button in ribbon_buttons:
        assert button.accessibleName(), button.objectName()
        assert not button.icon().isNull(), button.objectName()
    for name in ("ribbon", "navigationPane", "workspaceStack", "mainSplitter", "statusBar"):
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name


def test_ribbon_has_no_button_without_behaviour(window: MainWindow) -> None:
    for tab_key in ("home", "view", "help"):
        for group in window.ribbon.tab(tab_key).groups():
            for button in group.findChildren(QToolButton):
                assert button.defaultAction() is not None, button.objectName()


def test_ribbon_groups_and_buttons(qtbot: Any) -> None:
    ribbon = Ribbon()
    qtbot.addWidget(ribbon)
    tab = ribbon.add_tab("home", "Home")
    first = tab.add_group("first", "First")
    last = tab.add_group("last", "Last")
    middle = tab.add_group("middle", "Middle", before="last")
    go = QAction("Go", ribbon)
    go.setObjectName("go")
    stop = QAction("Stop", ribbon)
    stop.setObjectName("stop")
    large = first.add_action(go)
    small = first.add_action(stop, large=False)
    ribbon.resize(600, ribbon.sizeHint().height())
    ribbon.show()
    qtbot.waitExposed(ribbon)

    assert first.x() < middle.x() < last.x()
    assert large.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextUnderIcon
    assert small.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert large.height() > small.height()
    assert middle.title() == "Middle" and middle.accessibleName() == "Middle"
    assert large.accessibleName() == "Go"
    go.setText("Went")
    assert large.accessibleName() == "Went"


def test_refresh_shortcut_rereads_the_workspace(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bool] = []
    monkeypatch.setattr(window.sales, "refresh", lambda: calls.append(True))
    window.sales.view.setFocus()
    qtbot.keyClick(window.sales.view, Qt.Key.Key_F5)
    assert calls == [True]


def test_refresh_reads_the_filter_choices_again(
    qtbot: Any, window: MainWindow, uow_factory: Callable[[], UnitOfWork]
) -> None:
    """A colleague shared the database with someone new: F5 offers them in Assigned to."""
    with uow_factory() as uow:
        uow.users.add("Nina Nieuw", "nina")
        uow.commit()
    assigned = window.sales.filter_bar.assigned
    assert assigned.findText("Nina Nieuw") < 0
    window.sales.view.setFocus()
    qtbot.keyClick(window.sales.view, Qt.Key.Key_F5)
    assert assigned.findText("Nina Nieuw") >= 0
    # The same in Contact Management.
    contacts = window.contact_management
    assert contacts.account_assigned.findText("Nina Nieuw") < 0
    window.navigation.set_current_folder("contacts")
    contacts.accounts.view.setFocus()
    qtbot.keyClick(contacts.accounts.view, Qt.Key.Key_F5)
    assert contacts.account_assigned.findText("Nina Nieuw") >= 0


def test_navigation_pane_toggle(qtbot: Any, window: MainWindow) -> None:
    window.navigation_action.trigger()
    assert not window.navigation.isVisible()
    window.navigation_action.trigger()
    assert window.navigation.isVisible()


def test_about_shows_version_database_and_user(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    about = Recorder()
    monkeypatch.setattr(QMessageBox, "about", about)
    window.about_action.trigger()
    (_parent, _title, text) = about.calls[0]
    assert __version__ in text
    assert str(db_path.name) in text
    assert "Olivia Owner" in text


def test_open_database_asks_for_a_file_and_requests_it(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    chosen = str(tmp_path / "other.sqlite")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (chosen, ""))
    with qtbot.waitSignal(window.open_database_requested) as requested:
        window.open_database_action.trigger()
    assert requested.args == [chosen]


def test_cancelled_open_database_requests_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: ("", ""))
    requested: list[str] = []
    window.open_database_requested.connect(requested.append)
    window.open_database_action.trigger()
    assert requested == []


# -- saved layout ------------------------------------------------------------------------


def test_geometry_and_splitter_are_restored(
    make_window: Callable[[], MainWindow], opportunities: list[Opportunity]
) -> None:
    first = make_window()
    first.setGeometry(QRect(30, 40, 760, 520))
    first.splitter.setSizes([260, 500])
    geometry, sizes = first.geometry(), first.splitter.sizes()
    assert sizes[0] == 260
    first.close()

    second = make_window()
    assert second.geometry() == geometry
    assert second.splitter.sizes() == sizes


def test_hidden_navigation_pane_stays_hidden(
    qtbot: Any, make_window: Callable[[], MainWindow], opportunities: list[Opportunity]
) -> None:
    first = make_window()
    first.navigation_action.setChecked(False)
    first.close()

    second = make_window()
    assert not second.navigation_action.isChecked()
    assert not second.navigation.isVisible()
    second.navigation_action.setChecked(True)
    assert second.navigation.isVisible()
    qtbot.waitUntil(lambda: second.splitter.sizes()[0] > 0)


def test_window_saved_off_every_screen_comes_back(
    make_window: Callable[[], MainWindow], opportunities: list[Opportunity]
) -> None:
    first = make_window()
    first.move(30_000, 30_000)
    first.close()

    second = make_window()
    frame = second.frameGeometry()
    assert any(s.availableGeometry().intersects(frame) for s in QGuiApplication.screens())


def test_first_start_centres_the_window(window: MainWindow) -> None:
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert screen.intersects(window.frameGeometry())
    assert window.width() <= max(screen.width(), 1280)


# -- errors ------------------------------------------------------------------------------


def test_domain_error_is_a_warning_with_its_message(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    warning = Recorder()
    monkeypatch.setattr(QMessageBox, "warning", warning)
    errors.show_error(None, ValidationError("A title is required."))
    assert warning.calls[0][2] == "A title is required."


def test_unexpected_error_shows_the_traceback_in_details(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        errors.show_error(None, error)
    (box,) = shown
    assert box.icon() == QMessageBox.Icon.Critical
    assert "boom" in box.informativeText()
    assert "Traceback" in box.detailedText()
    assert "RuntimeError: boom" in box.detailedText()


def test_excepthook_routes_uncaught_exceptions_to_the_presenter(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    presented: list[BaseException] = []
    monkeypatch.setattr(errors, "show_error", lambda parent, error: presented.append(error))
    previous = errors.install_excepthook()
    try:
        error = KeyError("missing")
        sys.excepthook(KeyError, error, None)
    finally:
        sys.excepthook = previous
    assert presented == [error]


# -- the entry point ---------------------------------------------------------------------


def test_version_prints_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"bcm-desktop {__version__}"


def test_version_needs_no_qt_and_no_display(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from bcm_desktop.app import main\n"
        "code = main(['--version'])\n"
        "assert 'PySide6.QtWidgets' not in sys.modules, 'Qt was imported'\n"
        "sys.exit(code)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"bcm-desktop {__version__}"


def test_a_text_file_is_refused_with_a_message(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app_names: None
) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("shopping list\n", encoding="utf-8")
    critical = Recorder()
    monkeypatch.setattr(QMessageBox, "critical", critical)

    assert main(["--database", str(text_file)]) == 1

    (_parent, _title, message) = critical.calls[0]
    assert "notes.txt" in message and "not a BCM Desktop database" in message
    assert text_file.read_text(encoding="utf-8") == "shopping list\n"


def test_a_login_that_is_not_a_user_is_refused(
    qtbot: Any,
    db_path: Path,
    uow_factory: Callable[[], UnitOfWork],
    monkeypatch: pytest.MonkeyPatch,
    app_names: None,
) -> None:
    critical = Recorder()
    monkeypatch.setattr(QMessageBox, "critical", critical)

    assert main(["--database", str(db_path), "--user", "stranger"]) == 1

    (_parent, _title, message) = critical.calls[0]
    assert "“stranger” is not a user of this database" in message
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]


def test_main_opens_a_new_database_with_the_user_as_owner(
    qtbot: Any,
    tmp_path: Path,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
    app_names: None,
) -> None:
    seen: list[str] = []

    def run_event_loop() -> int:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(w.windowTitle() for w in windows if w.isVisible())
        return 0

    monkeypatch.setattr(app, "_settings", lambda: settings)
    monkeypatch.setattr(QApplication, "exec", staticmethod(run_event_loop))
    target = tmp_path / "fresh.sqlite"

    assert main(["--database", str(target), "--user", "newcomer"]) == 0

    assert seen == ["fresh.sqlite — BCM Desktop"]
    database = open_database(target)
    try:
        with unit_of_work_factory(database)() as uow:
            users = uow.users.all()
        assert [(u.login, u.is_owner) for u in users] == [("newcomer", True)]
    finally:
        database.close()
    assert settings.contains("mainWindow/geometry")  # closing saved the layout


def test_open_database_replaces_the_window_or_keeps_it_on_refusal(
    qtbot: Any, tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    controller = AppController(settings, OWNER_LOGIN)
    try:
        assert controller.start(tmp_path / "first.sqlite")
        first = controller.window
        assert first is not None and first.isVisible()

        controller.reopen(str(tmp_path / "second.sqlite"))
        second = controller.window
        assert second is not None and second is not first
        assert second.windowTitle().startswith("second.sqlite")
        assert second.isVisible()

        warning = Recorder()
        monkeypatch.setattr(QMessageBox, "warning", warning)
        broken = tmp_path / "broken.sqlite"
        broken.write_text("not a database", encoding="utf-8")
        controller.reopen(str(broken))
        assert controller.window is second
        assert "not a BCM Desktop database" in warning.calls[0][2]
    finally:
        controller.shut_down()


def test_demo_database_is_built_once_in_the_data_folder(
    qtbot: Any,
    data_dir: Path,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
    app_names: None,
) -> None:
    pytest.importorskip("bcm_desktop.demo")
    monkeypatch.setattr(app, "DEMO_OPPORTUNITIES", 20)
    monkeypatch.setattr(app, "_settings", lambda: settings)
    seen: list[str] = []

    def run_event_loop() -> int:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(w.windowTitle() for w in windows if w.isVisible())
        rows = [w.sales.model.rowCount() for w in windows if w.isVisible()]
        seen.extend(str(r) for r in rows)
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(run_event_loop))

    assert main(["--demo", "--user", OWNER_LOGIN]) == 0
    assert seen == ["demo.sqlite — BCM Desktop", "20"]
    assert (data_dir / "demo.sqlite").is_file()
    assert not list(data_dir.glob("demo.sqlite.tmp*"))
    # A second start opens the same demo database without building it again.
    seen.clear()
    assert main(["--demo", "--user", OWNER_LOGIN]) == 0
    assert seen == ["demo.sqlite — BCM Desktop", "20"]


def test_cancelling_the_demo_build_leaves_no_demo_database(
    qtbot: Any,
    data_dir: Path,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
    app_names: None,
) -> None:
    pytest.importorskip("bcm_desktop.demo")
    monkeypatch.setattr(app, "DEMO_OPPORTUNITIES", 20)
    monkeypatch.setattr(app, "_settings", lambda: settings)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda dialog: True)

    assert main(["--demo", "--user", OWNER_LOGIN]) == 1
    assert not (data_dir / "demo.sqlite").exists()
    assert not list(data_dir.glob("demo.sqlite*"))


def test_ensure_defaults_then_window_on_an_existing_database(
    qtbot: Any, database: Database, settings: QSettings
) -> None:
    # build_main_window on a database that already has users does not add any.
    ensure_defaults(unit_of_work_factory(database), OWNER_LOGIN)
    window = build_main_window(database, OWNER_LOGIN, settings=settings)
    qtbot.addWidget(window, before_close_func=lambda w: w.wait_for_workers())
    with unit_of_work_factory(database)() as uow:
        assert [u.login for u in uow.users.all()] == [OWNER_LOGIN]


# -- record forms from the workspace (S-2) ---------------------------------------------------


def test_ctrl_n_opens_an_empty_form_and_saving_lists_the_record(
    qtbot: Any, window: MainWindow, account: RecordRef
) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.sales.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.form_manager is not None
    (form,) = window.form_manager.forms
    assert form.title_edit.text() == "" and form.stage_combo.currentText() == "Prospecting"
    form.title_edit.setText("Made from the ribbon")
    form._link = account  # the Link to dialog has its own tests
    assert form.save()
    assert window.sales.model.rowCount() == len(TITLES) + 1
    form.close()
    assert window.form_manager.forms == []


def test_double_click_opens_the_record_once(qtbot: Any, window: MainWindow) -> None:
    view = window.sales.view
    index = window.sales.model.index(0, 0)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.form_manager is not None
    (form,) = window.form_manager.forms
    assert form.record_id == window.sales.model.id_at(0)
    qtbot.keyClick(view, Qt.Key.Key_Return)  # Enter on the same row: the same window
    assert window.form_manager.forms == [form]
    form.close()


def test_after_an_unclean_exit_a_damaged_database_offers_the_newest_backup(
    qtbot: Any, tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bcm_desktop.repository.backup import BackupSet
    from bcm_desktop.repository.database import open_database

    path = tmp_path / "precious.sqlite"
    controller = AppController(settings, OWNER_LOGIN)
    assert controller.start(path)
    controller._backup_thread.join()  # type: ignore[union-attr]
    assert BackupSet(path, tmp_path / "data" / "backups").newest_healthy() is not None
    # Crash: the session never ends cleanly (no shut_down), then the file is damaged.
    assert controller.window is not None and controller.database is not None
    controller.window.wait_for_workers()
    controller.database.close()
    data = bytearray(path.read_bytes())
    data[len(data) // 2 :] = b"\xee" * (len(data) - len(data) // 2)
    path.write_bytes(bytes(data))
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)

    asked = Recorder(QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "question", asked)
    second = AppController(settings, OWNER_LOGIN)
    try:
        assert second.start(path)
        assert "Restore the newest good backup" in asked.calls[0][2]
    finally:
        second.shut_down()
        controller.window.close()
    open_database(path).close()  # healthy again


def test_a_bulk_action_in_sales_updates_open_account_forms(
    qtbot: Any,
    window: MainWindow,
    account: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An account form lists its opportunities; deleting one from the Sales list in bulk
    # must take it off that list too (it was left there, and opening it then failed).
    assert window.form_manager is not None
    form = window.form_manager.open_account(account.id)
    assert form is not None
    assert form.opportunities_model.rowCount() == 3
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    sales = window.sales
    reads: list[bool] = []
    read_again = sales.model.refresh
    monkeypatch.setattr(sales.model, "refresh", lambda: reads.append(True) or read_again())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view = sales.view
    rect = view.visualRect(sales.model.index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not sales._tasks, timeout=10_000)
    assert sales.model.rowCount() == 2
    assert form.opportunities_model.rowCount() == 2
    assert reads == [True]  # the list is read again once, not once more by the echo


def test_open_database_keeps_the_window_when_a_form_with_unsaved_changes_says_cancel(
    qtbot: Any, tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The new window was opened and the old one deleted whatever the form answered: an
    # unsaved form said Cancel, yet stayed behind without its window, on a closed database.
    from bcm_desktop.ui.forms.opportunity_form import OpportunityForm

    controller = AppController(settings, OWNER_LOGIN)
    try:
        assert controller.start(tmp_path / "first.sqlite")
        first = controller.window
        assert first is not None and first.form_manager is not None
        form = first.form_manager.new_opportunity()
        qtbot.addWidget(form)
        form.title_edit.setText("Unsaved deal")
        answers = ["cancel"]
        monkeypatch.setattr(OpportunityForm, "ask_unsaved", lambda self: answers[-1])

        controller.reopen(str(tmp_path / "second.sqlite"))
        assert controller.window is first and first.isVisible()
        assert form.isVisible() and form.title_edit.text() == "Unsaved deal"
        assert not (tmp_path / "second.sqlite").exists()

        answers.append("discard")
        controller.reopen(str(tmp_path / "second.sqlite"))
        second = controller.window
        assert second is not None and second is not first
        assert second.windowTitle().startswith("second.sqlite")
        assert not form.isVisible()
    finally:
        controller.shut_down()
