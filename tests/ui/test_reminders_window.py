"""The Reminders window: reminders come due with an injected clock, Snooze, Dismiss, Open Item."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from bcm_desktop.app import build_main_window
from bcm_desktop.domain.entities import HistoryItem, Opportunity, RecordRef, User
from bcm_desktop.domain.enums import HistoryKind
from bcm_desktop.domain.reminders import Reminder, ReminderKind
from bcm_desktop.repository.database import Database, open_database
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.reminders import ReminderService
from bcm_desktop.ui import main_window as main_window_module
from bcm_desktop.ui.main_window import MainWindow
from bcm_desktop.ui.reminders_window import (
    SNOOZE_CHOICES,
    ReminderModel,
    RemindersWindow,
    overdue_text,
)
from tests.conftest import OWNER_LOGIN

UowFactory = Callable[[], UnitOfWork]
T0 = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def tills(uow_factory: UowFactory, owner: User, account: RecordRef) -> Opportunity:
    """An opportunity of the owner with a reminder one minute after T0."""
    service = OpportunityService(uow_factory, owner.id)
    draft = service.new()
    draft.title = "New tills for the bakery"
    draft.link = account
    draft.reminder_at = T0 + timedelta(minutes=1)
    return service.create(draft)


@pytest.fixture
def make_window(
    qtbot: Any, database: Database, settings: QSettings, clock: Clock
) -> Iterator[Callable[..., MainWindow]]:
    made: list[MainWindow] = []

    def make(db: Database = database) -> MainWindow:
        window = build_main_window(db, OWNER_LOGIN, settings=settings, clock=clock)
        for index in range(window.stack.count()):
            window.stack.widget(index).setMinimumWidth(320)
        qtbot.addWidget(window, before_close_func=lambda w: w.wait_for_workers())
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.wait_for_workers()


def check(qtbot: Any, window: MainWindow) -> None:
    """Run the timer's check and wait for its answer."""
    window.check_reminders()
    qtbot.waitUntil(lambda: window._reminder_check is None)


def reminders_window(window: MainWindow) -> RemindersWindow:
    assert window.reminders_window is not None
    return window.reminders_window


def listed(window: MainWindow) -> list[str]:
    return [r.subject for r in reminders_window(window).reminders()]


def test_a_reminder_comes_due_snoozes_returns_and_is_dismissed_for_good(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    tills: Opportunity,
    clock: Clock,
    uow_factory: UowFactory,
    owner: User,
) -> None:
    window = make_window()
    reminders = reminders_window(window)
    check(qtbot, window)
    assert not reminders.isVisible(), "not due yet"

    clock.now = T0 + timedelta(minutes=2)
    check(qtbot, window)
    qtbot.waitUntil(reminders.isVisible)
    assert listed(window) == ["New tills for the bakery"]
    assert reminders.subject_label.text() == "New tills for the bakery"
    assert reminders.windowTitle() == "1 Reminder"
    model = reminders.model
    assert model.data(model.index(0, ReminderModel.DUE)) == "1 minute overdue"
    assert model.data(model.index(0, ReminderModel.KIND)) == "Opportunity"

    assert reminders.snooze_combo.currentText() == "5 minutes"
    qtbot.mouseClick(reminders.snooze_button, Qt.MouseButton.LeftButton)
    assert listed(window) == []
    assert not reminders.isVisible(), "the last reminder dealt with closes the window"
    check(qtbot, window)
    assert not reminders.isVisible()

    clock.now += timedelta(minutes=6)
    check(qtbot, window)
    qtbot.waitUntil(reminders.isVisible)
    assert listed(window) == ["New tills for the bakery"]

    qtbot.mouseClick(reminders.dismiss_button, Qt.MouseButton.LeftButton)
    assert listed(window) == []
    clock.now += timedelta(days=2)
    check(qtbot, window)
    assert listed(window) == [] and not reminders.isVisible()

    window.close()
    again = make_window()
    check(qtbot, again)
    assert listed(again) == [] and not reminders_window(again).isVisible()
    assert ReminderService(uow_factory, owner.id, clock).due() == []


def test_the_first_check_runs_shortly_after_start(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    tills: Opportunity,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(main_window_module, "REMINDER_FIRST_CHECK_MS", 10)
    clock.now = T0 + timedelta(hours=1)
    window = make_window()
    assert window.reminder_timer.interval() == 30_000 and window.reminder_timer.isActive()
    qtbot.waitUntil(reminders_window(window).isVisible)
    assert listed(window) == ["New tills for the bakery"]


def test_open_item_opens_the_opportunity_form(
    qtbot: Any, make_window: Callable[..., MainWindow], tills: Opportunity, clock: Clock
) -> None:
    clock.now = T0 + timedelta(minutes=5)
    window = make_window()
    check(qtbot, window)
    reminders = reminders_window(window)
    qtbot.waitUntil(reminders.isVisible)

    qtbot.mouseClick(reminders.open_button, Qt.MouseButton.LeftButton)

    assert window.form_manager is not None
    assert [form.record_id for form in window.form_manager.forms] == [tills.id]
    assert listed(window) == ["New tills for the bakery"], "opening does not dismiss"


def test_open_item_on_a_task_opens_the_task_form(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    tills: Opportunity,
    clock: Clock,
    uow_factory: UowFactory,
    owner: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    task = HistoryService(uow_factory, owner.id).create(
        HistoryItem(
            HistoryKind.TASK,
            "Call Anna about the order",
            reminder_at=T0 + timedelta(minutes=3),
            assigned_to_id=owner.id,
            opportunity_id=tills.id,
        )
    )
    opened: list[HistoryItem] = []

    def fake_edit(_parent: Any, _service: Any, item: HistoryItem, **_kwargs: Any) -> None:
        opened.append(item)

    monkeypatch.setattr(main_window_module, "edit_item", fake_edit)
    clock.now = T0 + timedelta(minutes=10)
    window = make_window()
    check(qtbot, window)
    reminders = reminders_window(window)
    assert listed(window) == ["Call Anna about the order", "New tills for the bakery"]
    model = reminders.model
    assert model.data(model.index(0, ReminderModel.SUBJECT)) == (
        "Call Anna about the order — New tills for the bakery"
    )
    assert model.data(model.index(0, ReminderModel.KIND)) == "Task"
    reminders.select_row(0)

    qtbot.mouseClick(reminders.open_button, Qt.MouseButton.LeftButton)

    assert [item.id for item in opened] == [task.id]
    assert window.form_manager is not None and window.form_manager.forms == []


def test_dismiss_all_and_the_view_action(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    tills: Opportunity,
    clock: Clock,
    db_path: Path,
) -> None:
    clock.now = T0 + timedelta(minutes=5)
    window = make_window()
    reminders = reminders_window(window)

    window.reminders_action.trigger()  # View → Reminders Window reads at once

    assert reminders.isVisible() and listed(window) == ["New tills for the bakery"]
    qtbot.mouseClick(reminders.dismiss_all_button, Qt.MouseButton.LeftButton)
    assert listed(window) == [] and not reminders.isVisible()
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute("SELECT kind, source_id, dismissed FROM reminder_states")
        assert rows.fetchall() == [("opportunity", tills.id, 1)]
    connection.close()

    window.reminders_action.trigger()
    assert reminders.isVisible()
    assert reminders.subject_label.text() == "No reminders are due."
    assert not reminders.dismiss_button.isEnabled() and not reminders.snooze_button.isEnabled()


def test_a_read_only_database_dismisses_for_the_session_without_a_message(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    tills: Opportunity,
    clock: Clock,
    database: Database,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_message(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("no message about reminders on a read-only database")

    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, no_message)
    database.close()
    read_only = open_database(db_path, read_only="the test said so")
    try:
        clock.now = T0 + timedelta(minutes=5)
        window = make_window(read_only)
        check(qtbot, window)
        reminders = reminders_window(window)
        qtbot.waitUntil(reminders.isVisible)

        qtbot.mouseClick(reminders.dismiss_button, Qt.MouseButton.LeftButton)

        assert listed(window) == []
        check(qtbot, window)
        assert listed(window) == [] and not reminders.isVisible()
        window.close()
        window.wait_for_workers()
    finally:
        read_only.close()


def make_reminders() -> list[Reminder]:
    return [
        Reminder(ReminderKind.TASK, 7, 1, "Call Anna about the order", T0, "New tills"),
        Reminder(ReminderKind.OPPORTUNITY, 1, 1, "New tills", T0 - timedelta(hours=3)),
        Reminder(
            ReminderKind.ACTIVITY,
            3,
            2,
            "Send the quote",
            T0 - timedelta(days=2),
            "Website redesign",
            entered_at=T0 - timedelta(days=12),
            duration_days=10,
        ),
    ]


def test_the_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = ReminderModel(lambda: T0 + timedelta(seconds=30))
    model.set_reminders(make_reminders())
    qtmodeltester.check(model)
    assert [model.data(model.index(row, ReminderModel.DUE)) for row in range(3)] == [
        "Now",
        "3 hours overdue",
        "2 days overdue",
    ]
    model.remove({make_reminders()[1].key})
    qtmodeltester.check(model)
    assert model.rowCount() == 2


def test_due_texts() -> None:
    assert overdue_text(T0, T0 + timedelta(minutes=5)) == "5 minutes overdue"
    assert overdue_text(T0, T0 + timedelta(hours=1, minutes=5)) == "1 hour overdue"
    assert overdue_text(T0, T0 + timedelta(days=1)) == "1 day overdue"
    assert overdue_text(T0, T0 + timedelta(days=30)) == "4 weeks overdue"
    assert [text for text, _delay in SNOOZE_CHOICES] == [
        "5 minutes",
        "10 minutes",
        "15 minutes",
        "30 minutes",
        "1 hour",
        "2 hours",
        "4 hours",
        "1 day",
    ]


def test_an_answer_older_than_a_dismissal_is_ignored(
    qtbot: Any, make_window: Callable[..., MainWindow], tills: Opportunity, clock: Clock
) -> None:
    clock.now = T0 + timedelta(minutes=5)
    window = make_window()
    check(qtbot, window)
    reminders = reminders_window(window)
    stale = reminders.reminders()
    generation = reminders.generation

    qtbot.mouseClick(reminders.dismiss_button, Qt.MouseButton.LeftButton)

    assert reminders.set_due(stale, generation) is False
    assert listed(window) == []


def test_the_window_keeps_its_size_across_sessions(
    qtbot: Any, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    reminders = reminders_window(window)
    window.reminders_action.trigger()
    reminders.resize(600, 400)
    window.close()

    again = reminders_window(make_window())

    assert (again.width(), again.height()) == (600, 400)


def test_a_renamed_record_shows_its_new_subject(
    qtbot: Any, make_window: Callable[..., MainWindow], tills: Opportunity, clock: Clock
) -> None:
    from dataclasses import replace

    clock.now = T0 + timedelta(minutes=5)
    window = make_window()
    check(qtbot, window)
    reminders = reminders_window(window)
    [shown] = reminders.reminders()
    renamed = replace(shown, subject="Tills and scales")
    assert reminders.set_due([renamed]) is False  # nothing new to pop up for
    assert [r.subject for r in reminders.reminders()] == ["Tills and scales"]


def test_a_change_during_a_check_is_checked_again_after_it(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    tills: Opportunity,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A save that lands while a check runs made the check's answer old: ask once more."""
    clock.now = T0 + timedelta(minutes=5)
    window = make_window()
    window.first_reminder_check.stop()  # only the two checks below
    window.reminder_timer.stop()
    service = window.services.reminders
    assert service is not None
    asked: list[bool] = []
    due = service.due
    monkeypatch.setattr(service, "due", lambda: asked.append(True) or due())
    window.check_reminders()
    window.check_reminders()  # e.g. a record saved meanwhile
    qtbot.waitUntil(lambda: len(asked) == 2 and window._reminder_check is None)
    assert listed(window) == ["New tills for the bakery"]
