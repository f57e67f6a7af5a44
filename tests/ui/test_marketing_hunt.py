"""Defects found using the Marketing workspace like a salesperson does; the database is read
back after each step."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from bcm_desktop.app import build_main_window
from bcm_desktop.domain.entities import User
from bcm_desktop.domain.marketing import MarketingActivity, TrackingFigures
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.marketing import MarketingService
from bcm_desktop.ui.forms.marketing_form import return_on_cost_text
from bcm_desktop.ui.main_window import MainWindow
from tests.conftest import OWNER_LOGIN


@pytest.fixture
def window(qtbot: Any, database: Database, settings: QSettings) -> MainWindow:
    made = build_main_window(database, OWNER_LOGIN, settings=settings)
    qtbot.addWidget(made, before_close_func=lambda w: w.wait_for_workers())
    made.show()
    qtbot.waitExposed(made)
    return made


def rows(db_path: Path, query: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db_path)) as connection:
        return list(connection.execute(query))


def test_deleting_several_activities_is_all_or_nothing(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    db_path: Path,
    window: MainWindow,
) -> None:
    """Deleting two selected activities, one of which a colleague saved while the question
    was open, deleted the first and then stopped with "changed elsewhere": half the action
    was done. One user action is one transaction: nothing is deleted, and the user is told."""
    service = MarketingService(uow_factory, owner.id)
    fair = service.create(MarketingActivity("Spring fair"))
    mailing = service.create(MarketingActivity("Autumn mailing"))
    workspace = window.marketing
    assert workspace is not None
    workspace.refresh()
    workspace.activities.view.selectAll()
    assert sorted(workspace.activities.selected_ids()) == sorted([fair.id, mailing.id])
    errors: list[str] = []

    def question(*_args: Any, **_kwargs: Any) -> QMessageBox.StandardButton:
        stored = service.get(fair.id or 0)  # a colleague saves it meanwhile
        service.update(replace(stored, campaign_code="SPR-26"))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda _p, _t, text, *a, **k: errors.append(text))
    workspace.delete_action.trigger()
    assert errors and "changed" in errors[-1]
    assert rows(db_path, "SELECT name FROM marketing_activities ORDER BY name") == [
        ("Autumn mailing",),
        ("Spring fair",),
    ]
    assert rows(db_path, "SELECT count(*) FROM deleted_items") == [(0,)]


@pytest.mark.parametrize(
    ("won", "cost", "shown"),
    [("1122.50", "1000", "12.3 %"), ("877.50", "1000", "-12.3 %"), ("1000.50", "1000", "0.1 %")],
)
def test_return_on_cost_rounds_half_up_as_a_hand_computation_does(
    qapp: Any, won: str, cost: str, shown: str
) -> None:
    """(1122.50 − 1000) ÷ 1000 is 12.25 %: the Tracking page showed 12.2 % (banker's
    rounding), where anyone checking it by hand gets 12.3 %."""
    figures = TrackingFigures(
        count=1,
        total_revenue=Decimal(won),
        expected_revenue=Decimal(won),
        won_revenue=Decimal(won),
        actual_cost=Decimal(cost),
    )
    point = QLocale().decimalPoint()
    assert return_on_cost_text(figures) == shown.replace(".", point)


def test_ctrl_shift_m_works_right_after_choosing_the_marketing_folder(
    qtbot: Any, window: MainWindow
) -> None:
    """Ctrl+Shift+M (New Marketing Activity, as its tooltip and the README say) did nothing
    after clicking Marketing in the navigation pane: it only worked once the focus was in the
    list."""
    folders = window.navigation.folders
    rect = folders.visualItemRect(window.navigation.item("marketing"))
    qtbot.mouseClick(folders.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert folders.hasFocus()
    assert window.form_manager is not None
    qtbot.keyClick(
        folders,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: len(window.form_manager.marketing_forms) == 1)
    for form in window.form_manager.marketing_forms:
        form.close()
