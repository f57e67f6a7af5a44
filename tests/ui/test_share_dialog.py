"""File → Share Database… (S-9) from the real main window, and the start-up refusal of a login.

Modal calls are patched: ``ShareDialog.exec`` and ``UserFormDialog.exec`` run a script that
clicks and types into the real dialog, ``QMessageBox`` statics record and answer at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox

from bcm_desktop import app
from bcm_desktop.app import AppController, build_main_window, main
from bcm_desktop.domain.contacts import Account
from bcm_desktop.domain.entities import HistoryItem, Opportunity, RecordRef, User
from bcm_desktop.domain.enums import HistoryKind
from bcm_desktop.domain.marketing import MarketingActivity
from bcm_desktop.domain.projects import BusinessProject, ProjectTask
from bcm_desktop.repository.database import Database, open_database
from bcm_desktop.repository.unit_of_work import UnitOfWork, unit_of_work_factory
from bcm_desktop.services.contacts import AccountService
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.lookups import Lookups
from bcm_desktop.services.marketing import MarketingService
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.projects import ProjectService
from bcm_desktop.services.users import UserService, ensure_defaults
from bcm_desktop.ui import actions
from bcm_desktop.ui.dialogs.project_task_dialog import ProjectTaskDialog
from bcm_desktop.ui.dialogs.share_dialog import ShareDialog, UserFormDialog, UserTableModel
from bcm_desktop.ui.forms.history_items import TaskForm
from bcm_desktop.ui.main_window import MainWindow
from tests.conftest import OWNER_LOGIN


class Recorder:
    """Stands in for a static ``QMessageBox`` function: records the call instead of blocking."""

    def __init__(self, answer: object = QMessageBox.StandardButton.Ok) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self._answer = answer

    def __call__(self, *args: Any, **_kwargs: Any) -> object:
        self.calls.append(args)
        return self._answer


@pytest.fixture
def colleague(
    uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef
) -> Iterator[User]:
    """Chris, a colleague with two opportunities assigned to him."""
    with uow_factory() as uow:
        user = uow.users.add("Chris Colleague", "chris", "chris@bakkerij.nl")
        uow.commit()
    service = OpportunityService(uow_factory, owner.id)
    for title in ("Tills", "Ovens"):
        service.create(Opportunity(title=title, link=account, assigned_to_id=user.id))
    service.create(Opportunity(title="Coffee machines", link=account, assigned_to_id=owner.id))
    yield user


@pytest.fixture
def make_window(
    qtbot: Any, database: Database, settings: QSettings
) -> Iterator[Callable[..., MainWindow]]:
    made: list[MainWindow] = []

    def make(login: str = OWNER_LOGIN, db: Database | None = None) -> MainWindow:
        window = build_main_window(db or database, login, settings=settings)
        for index in range(window.stack.count()):
            window.stack.widget(index).setMinimumWidth(320)  # the offscreen screen is small
        qtbot.addWidget(window, before_close_func=lambda w: w.wait_for_workers())
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.wait_for_workers()


@pytest.fixture
def window(make_window: Callable[..., MainWindow], colleague: User) -> MainWindow:
    return make_window()


def user_rows(db_path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            "SELECT name, login, email, is_owner, active FROM users ORDER BY id"
        ).fetchall()


def assign_menu_names(window: MainWindow) -> list[str]:
    menu = window.sales.assign_menu
    menu.aboutToShow.emit()
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def combo_texts(combo: Any) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def select_user(qtbot: Any, dialog: ShareDialog, login: str) -> None:
    model = dialog.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 2).data() == login)
    rect = dialog.view.visualRect(model.index(row, 0))
    qtbot.mouseClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.current_user() is not None and dialog.current_user().login == login


def share_action_of_file_menu(window: MainWindow) -> Any:
    names = [a.objectName() for a in window.file_menu.actions() if not a.isSeparator()]
    assert names[:2] == [actions.OPEN_DATABASE, actions.SHARE_DATABASE]
    return window.share_action


# -- the owner shares ------------------------------------------------------------------------


def test_the_owner_adds_a_colleague_who_is_then_offered_in_assign_to(
    qtbot: Any,
    window: MainWindow,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert "Anna Jansen" not in assign_menu_names(window)
    seen: dict[str, Any] = {}

    def fill_form(form: UserFormDialog) -> int:
        form.show()
        qtbot.waitExposed(form)
        assert form.windowTitle() == "Add user"
        qtbot.keyClicks(form.name_edit, "Anna Jansen")
        qtbot.keyClicks(form.email_edit, "anna@bakkerij.nl")
        qtbot.keyClicks(form.login_edit, "anna jansen")
        qtbot.mouseClick(form.buttons.button(form.buttons.StandardButton.Ok), Qt.LeftButton)
        # Refused inline: the form stays open, the message under the fields, login focused.
        assert form.isVisible() and form.saved is None
        assert "contains a space" in form.error_label.text() and form.error_label.isVisible()
        qtbot.waitUntil(form.login_edit.hasFocus)
        seen["error"] = form.error_label.text()
        form.grab().save("/tmp/users-add-user-error.png")
        form.login_edit.selectAll()
        qtbot.keyClicks(form.login_edit, "anna")
        assert not form.error_label.isVisible()  # typing clears the old complaint
        qtbot.mouseClick(form.buttons.button(form.buttons.StandardButton.Ok), Qt.LeftButton)
        return form.result()

    def run_share(dialog: ShareDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        assert "shared folder" in dialog.intro.text() and "login" in dialog.intro.text()
        monkeypatch.setattr(UserFormDialog, "exec", fill_form)
        qtbot.mouseClick(dialog.add_button, Qt.LeftButton)
        seen["rows"] = [
            tuple(dialog.model.index(r, c).data() for c in range(4))
            for r in range(dialog.model.rowCount())
        ]
        seen["selected"] = dialog.current_user()
        dialog.grab().save("/tmp/users-share-dialog.png")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Close), Qt.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ShareDialog, "exec", run_share)
    action = share_action_of_file_menu(window)
    assert action.isEnabled()
    action.trigger()

    assert "contains a space" in seen["error"]
    assert seen["rows"] == [
        ("Anna Jansen", "anna@bakkerij.nl", "anna", ""),
        ("Chris Colleague", "chris@bakkerij.nl", "chris", ""),
        ("Olivia Owner", "", OWNER_LOGIN, "Owner, You"),
    ]
    assert seen["selected"].login == "anna"
    assert user_rows(db_path)[-1] == ("Anna Jansen", "anna", "anna@bakkerij.nl", 0, 1)
    # Every Assigned to choice on screen now offers her.
    assert "Anna Jansen" in combo_texts(window.sales.filter_bar.assigned)
    assert "Anna Jansen" in combo_texts(window.contact_management.account_assigned)
    assert "Anna Jansen" in combo_texts(window.projects.project_assigned)
    assert "Anna Jansen" in assign_menu_names(window)

    # ...and assigning through the Sales workspace's menu works at once.
    sales = window.sales
    qtbot.waitUntil(lambda: sales.model.rowCount() == 3)
    rect = sales.view.visualRect(sales.model.index(0, 1))
    qtbot.mouseClick(sales.view.viewport(), Qt.LeftButton, pos=rect.center())
    anna = next(a for a in sales.assign_menu.actions() if a.objectName() == "assignTo_anna")
    anna.trigger()
    qtbot.waitUntil(lambda: not sales._tasks, timeout=10_000)
    with sqlite3.connect(db_path) as connection:
        assigned = connection.execute(
            "SELECT count(*) FROM opportunities o JOIN users u ON u.id = o.assigned_to_id"
            " WHERE u.login = 'anna'"
        ).fetchone()[0]
    assert assigned == 1


def test_edit_changes_the_name_but_never_the_login(
    qtbot: Any, window: MainWindow, colleague: User, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def rename(form: UserFormDialog) -> int:
        form.show()
        qtbot.waitExposed(form)
        assert form.windowTitle() == "Edit user"
        assert form.login_edit.isReadOnly() and form.login_edit.text() == "chris"
        form.name_edit.selectAll()
        qtbot.keyClicks(form.name_edit, "Chris de Collega")
        form.email_edit.selectAll()
        qtbot.keyClicks(form.email_edit, "chris@example")
        qtbot.mouseClick(form.buttons.button(form.buttons.StandardButton.Ok), Qt.LeftButton)
        assert "not an e-mail address" in form.error_label.text()
        qtbot.waitUntil(form.email_edit.hasFocus)  # the wrong box, its text selected
        assert form.email_edit.selectedText() == "chris@example"
        qtbot.keyClick(form.email_edit, Qt.Key.Key_End)
        qtbot.keyClicks(form.email_edit, ".nl")
        qtbot.mouseClick(form.buttons.button(form.buttons.StandardButton.Ok), Qt.LeftButton)
        return form.result()

    def run_share(dialog: ShareDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        select_user(qtbot, dialog, "chris")
        monkeypatch.setattr(UserFormDialog, "exec", rename)
        qtbot.mouseClick(dialog.edit_button, Qt.LeftButton)
        return 0

    monkeypatch.setattr(ShareDialog, "exec", run_share)
    window.share_action.trigger()

    assert ("Chris de Collega", "chris", "chris@example.nl", 0, 1) in user_rows(db_path)
    assert "Chris de Collega" in assign_menu_names(window)
    assert "Chris Colleague" not in combo_texts(window.sales.filter_bar.assigned)


def test_remove_asks_then_the_user_leaves_every_assigned_to_choice(
    qtbot: Any, window: MainWindow, colleague: User, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Sales list is filtered on Chris: after his removal it cannot stay so, unseen.
    bar = window.sales.filter_bar
    bar.assigned.setCurrentIndex(bar.assigned.findData(colleague.id))
    qtbot.waitUntil(lambda: window.sales.model.rowCount() == 2)
    question = Recorder(QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "question", question)
    seen: dict[str, Any] = {}

    def run_share(dialog: ShareDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        select_user(qtbot, dialog, "chris")
        assert dialog.remove_button.isEnabled()
        qtbot.mouseClick(dialog.remove_button, Qt.LeftButton)
        chris_row = dialog.model.row_of(colleague.id)
        seen["status"] = dialog.model.index(chris_row, 3).data()
        seen["remove_enabled"] = dialog.remove_button.isEnabled()
        seen["tooltip"] = dialog.remove_button.toolTip()
        return 0

    monkeypatch.setattr(ShareDialog, "exec", run_share)
    window.share_action.trigger()

    (_parent, title, text, *_rest) = question.calls[0]
    assert title == "Remove user"
    assert text.startswith("Remove Chris Colleague? 2 opportunities stay assigned to them")
    assert ("Chris Colleague", "chris", "chris@bakkerij.nl", 0, 0) in user_rows(db_path)
    assert seen["status"] == "Removed"
    assert not seen["remove_enabled"] and "bring them back" in seen["tooltip"]
    assert "Chris Colleague" not in assign_menu_names(window)
    for combo in (
        bar.assigned,
        window.contact_management.account_assigned,
        window.contact_management.contact_assigned,
        window.projects.project_assigned,
        window.projects.task_assigned,
    ):
        assert "Chris Colleague" not in combo_texts(combo), combo.objectName()
    assert bar.assigned.currentIndex() == 0  # back to Anyone, and the list says so
    qtbot.waitUntil(lambda: window.sales.model.rowCount() == 3)
    with sqlite3.connect(db_path) as connection:
        still = connection.execute(
            "SELECT count(*) FROM opportunities WHERE assigned_to_id = ?", (colleague.id,)
        ).fetchone()[0]
    assert still == 2  # his opportunities still show him


def test_a_record_of_a_removed_user_still_shows_them_and_keeps_them_on_save(
    qtbot: Any,
    window: MainWindow,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    colleague: User,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    UserService(uow_factory, owner.id).remove(colleague.id)
    with sqlite3.connect(db_path) as connection:
        (tills,) = connection.execute(
            "SELECT id FROM opportunities WHERE title = 'Tills'"
        ).fetchone()
    assert window.form_manager is not None
    form = window.form_manager.open_opportunity(tills)
    assert form is not None
    qtbot.addWidget(form)
    monkeypatch.setattr(type(form), "ask_unsaved", lambda self: "discard")

    combo = form.assigned_combo
    assert combo.currentText() == "Chris Colleague (removed)"
    assert combo.currentData() == colleague.id
    assert "Chris Colleague" not in combo_texts(combo)  # never offered as a new choice
    form.title_edit.selectAll()
    qtbot.keyClicks(form.title_edit, "Tills and scales")
    assert form.save()

    with sqlite3.connect(db_path) as connection:
        row = connection.execute(
            "SELECT title, assigned_to_id FROM opportunities WHERE id = ?", (tills,)
        ).fetchone()
    assert row == ("Tills and scales", colleague.id)


def test_accounts_projects_tasks_and_campaigns_of_a_removed_user_still_show_them(
    qtbot: Any,
    window: MainWindow,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    colleague: User,
    account: RecordRef,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chris = colleague.id
    saved_account = AccountService(uow_factory, owner.id).create(
        Account(name="Bakkerij Chris", assigned_to_id=chris)
    )
    projects = ProjectService(uow_factory, owner.id)
    project = projects.create(BusinessProject("Tills", account, assigned_to_id=chris))
    assert project.id is not None
    projects.add_task(ProjectTask(project.id, "Install", assigned_to_id=chris))
    activity = MarketingService(uow_factory).create(MarketingActivity("Fair", assigned_to_id=chris))
    UserService(uow_factory, owner.id).remove(chris)
    manager = window.form_manager
    assert manager is not None and window.services.projects is not None

    account_form = manager.open_account(saved_account.id or 0)
    project_form = window.services.projects.forms.open_project(project.id, window)
    marketing_form = manager.open_marketing(activity.id or 0)
    forms = [account_form, project_form, marketing_form]
    for form in forms:
        assert form is not None
        qtbot.addWidget(form)
        monkeypatch.setattr(type(form), "ask_unsaved", lambda self: "discard")
        assert form.assigned_combo.currentText() == "Chris Colleague (removed)"
        assert form.assigned_combo.currentData() == chris
    assert project_form is not None
    model = project_form.task_model
    task_cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert "Chris Colleague" in task_cells
    task = projects.tasks(project.id)[0]
    task_dialog = ProjectTaskDialog(projects, Lookups(uow_factory), task, window)
    qtbot.addWidget(task_dialog)
    assert task_dialog.assigned_combo.currentText() == "Chris Colleague (removed)"
    # A communication history task: the removed user only for the task that is theirs.
    everyone = Lookups(uow_factory).all_users()
    theirs = HistoryItem(HistoryKind.TASK, "Call back", assigned_to_id=chris, account_id=1)
    task_form = TaskForm(HistoryService(uow_factory, owner.id), theirs, window, users=everyone)
    qtbot.addWidget(task_form)
    assert task_form.assigned_combo.currentText() == "Chris Colleague (removed)"
    mine = HistoryItem(HistoryKind.TASK, "Call back", assigned_to_id=owner.id, account_id=1)
    other_form = TaskForm(HistoryService(uow_factory, owner.id), mine, window, users=everyone)
    qtbot.addWidget(other_form)
    assert combo_texts(other_form.assigned_combo) == ["(nobody)", "Olivia Owner"]

    assert account_form is not None
    qtbot.keyClicks(account_form.comments_edit, "Moved to a new address.")
    assert account_form.save()
    with sqlite3.connect(db_path) as connection:
        (kept,) = connection.execute(
            "SELECT assigned_to_id FROM accounts WHERE id = ?", (saved_account.id,)
        ).fetchone()
    assert kept == chris


def test_declining_the_removal_changes_nothing(
    qtbot: Any, window: MainWindow, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = user_rows(db_path)
    monkeypatch.setattr(QMessageBox, "question", Recorder(QMessageBox.StandardButton.No))
    changed: list[bool] = []

    def run_share(dialog: ShareDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        select_user(qtbot, dialog, "chris")
        qtbot.mouseClick(dialog.remove_button, Qt.LeftButton)
        changed.append(dialog.changed)
        return 0

    monkeypatch.setattr(ShareDialog, "exec", run_share)
    window.share_action.trigger()

    assert changed == [False]
    assert user_rows(db_path) == before
    assert "Chris Colleague" in assign_menu_names(window)


def test_the_owner_s_own_row_cannot_be_removed(
    qtbot: Any, window: MainWindow, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = Recorder(QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "question", question)
    assert window.services.users is not None
    dialog = ShareDialog(window.services.users, owner.id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    select_user(qtbot, dialog, OWNER_LOGIN)

    assert not dialog.remove_button.isEnabled()
    assert dialog.remove_button.toolTip() == "You cannot remove yourself"
    dialog.remove_user()
    assert question.calls == []


def test_the_users_model_passes_the_model_tester(
    qtmodeltester: Any, uow_factory: Callable[[], UnitOfWork], owner: User, colleague: User
) -> None:
    service = UserService(uow_factory, owner.id)
    service.remove(colleague.id)
    model = UserTableModel(owner.id)
    model.set_users(service.users(include_inactive=True))

    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(model.row_of(colleague.id), 3).data() == "Removed"


def test_the_dialogs_render_cleanly(
    qtbot: Any, uow_factory: Callable[[], UnitOfWork], owner: User, colleague: User
) -> None:
    service = UserService(uow_factory, owner.id)
    service.add("Anna Jansen", "anna@bakkerij.nl", "anna")
    service.add("Bram Bakker", "", "bram")
    service.remove(service.add("Dirk Dekker", "dirk@bakkerij.nl", "dirk").id)
    dialog = ShareDialog(service, owner.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())] == [
        "Anna Jansen",
        "Bram Bakker",
        "Chris Colleague",
        "Olivia Owner",
        "Dirk Dekker",  # removed ones last
    ]
    dialog.grab().save("/tmp/users-share-dialog-full.png")
    form = UserFormDialog(service)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.grab().save("/tmp/users-add-user.png")
    # Tab order: name, e-mail, login, then the buttons.
    assert form.name_edit.hasFocus() or form.focusWidget() is form.name_edit
    assert form.name_edit.nextInFocusChain() is form.email_edit
    assert form.email_edit.nextInFocusChain() is form.login_edit


# -- who may share ---------------------------------------------------------------------------


def test_a_colleague_sees_share_database_disabled_with_the_reason(
    make_window: Callable[..., MainWindow], colleague: User
) -> None:
    window = make_window("chris")

    action = share_action_of_file_menu(window)
    assert not action.isEnabled()
    assert action.toolTip() == "Only the database owner can share the database"


def test_a_read_only_database_cannot_be_shared(
    make_window: Callable[..., MainWindow], database: Database, db_path: Path, owner: User
) -> None:
    database.close()
    read_only = open_database(db_path, read_only="the file is read-only")
    try:
        window = make_window(OWNER_LOGIN, read_only)
        assert not window.share_action.isEnabled()
        assert "read-only" in window.share_action.toolTip()
    finally:
        read_only.close()


# -- start-up: who is this? ------------------------------------------------------------------


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


def visible_main_windows() -> list[MainWindow]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]


def test_an_unknown_login_is_refused_with_what_to_do(
    qtbot: Any,
    db_path: Path,
    owner: User,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
    app_names: None,
) -> None:
    critical = Recorder()
    monkeypatch.setattr(QMessageBox, "critical", critical)
    monkeypatch.setattr(app, "_settings", lambda: settings)
    before = user_rows(db_path)

    assert main(["--database", str(db_path), "--user", "stranger"]) == 1

    (_parent, title, message) = critical.calls[0]
    assert title == "Not a user of this database"
    assert "“stranger” is not a user of this database" in message
    assert "File → Share Database" in message and "--user NAME" in message
    assert not visible_main_windows()
    assert user_rows(db_path) == before  # nobody was added on the way


def test_a_removed_login_is_refused_too(
    qtbot: Any,
    db_path: Path,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    colleague: User,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
    app_names: None,
) -> None:
    UserService(uow_factory, owner.id).remove(colleague.id)
    critical = Recorder()
    monkeypatch.setattr(QMessageBox, "critical", critical)
    monkeypatch.setattr(app, "_settings", lambda: settings)

    assert main(["--database", str(db_path), "--user", "chris"]) == 1

    (_parent, _title, message) = critical.calls[0]
    assert "the database owner removed Chris Colleague" in message
    assert not visible_main_windows()


def test_opening_a_database_not_shared_with_you_keeps_the_current_window(
    qtbot: Any, tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = tmp_path / "theirs.sqlite"
    other = open_database(theirs)
    try:
        ensure_defaults(unit_of_work_factory(other), "someone", "Someone Else")
    finally:
        other.close()
    warning = Recorder()
    monkeypatch.setattr(QMessageBox, "warning", warning)
    controller = AppController(settings, OWNER_LOGIN)
    try:
        assert controller.start(tmp_path / "mine.sqlite")
        first = controller.window
        assert first is not None

        controller.reopen(str(theirs))

        assert controller.window is first and first.isVisible()
        (_parent, _title, message) = warning.calls[0]
        assert f"“{OWNER_LOGIN}” is not a user of this database" in message
        key = controller._session_key(str(theirs))
        assert settings.value(f"{key}/open", False, type=bool) is False
    finally:
        controller.shut_down()


def test_user_option_picks_the_login(
    qtbot: Any,
    db_path: Path,
    colleague: User,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
    app_names: None,
) -> None:
    seen: list[tuple[str, bool]] = []

    def run_event_loop() -> int:
        for window in visible_main_windows():
            label = window.findChild(QLabel, "userStatus")
            assert label is not None
            seen.append((label.text(), window.share_action.isEnabled()))
        return 0

    monkeypatch.setattr(app, "_settings", lambda: settings)
    monkeypatch.setattr(QApplication, "exec", staticmethod(run_event_loop))

    assert main(["--database", str(db_path), "--user", "CHRIS"]) == 0

    assert seen == [("User: Chris Colleague", False)]


def test_dialog_ask_reports_whether_anything_changed(
    qtbot: Any, uow_factory: Callable[[], UnitOfWork], owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = UserService(uow_factory, owner.id)
    monkeypatch.setattr(ShareDialog, "exec", lambda dialog: int(QDialog.DialogCode.Rejected.value))
    assert ShareDialog.ask(None, service, owner.id) is False

    def add(dialog: ShareDialog) -> int:
        monkeypatch.setattr(
            UserFormDialog,
            "exec",
            lambda form: (
                form.name_edit.setText("Eve"),
                form.login_edit.setText("eve"),
                form.accept(),
                form.result(),
            )[-1],
        )
        dialog.add_user()
        return 0

    monkeypatch.setattr(ShareDialog, "exec", add)
    assert ShareDialog.ask(None, service, owner.id) is True
    assert "eve" in [u.login for u in service.users()]
