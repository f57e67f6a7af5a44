"""Home → Customize → Sales Stages on the main window: the owner opens the editor, others
see the button greyed out with the reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QToolButton

from bcm_desktop.app import build_main_window
from bcm_desktop.domain.entities import RecordRef, User
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.stages import StageService
from bcm_desktop.ui import actions
from bcm_desktop.ui.dialogs.stages_dialog import StagesDialog
from bcm_desktop.ui.main_window import MainWindow
from tests.conftest import OWNER_LOGIN


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BCM_DESKTOP_DATA_DIR", str(tmp_path / "data"))


def make_window(qtbot: Any, database: Database, tmp_path: Path, login: str) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = build_main_window(database, login, settings=settings)
    window.sales.setMinimumWidth(320)
    qtbot.addWidget(window, before_close_func=lambda w: w.wait_for_workers())
    window.show()
    qtbot.waitExposed(window)
    return window


def stages_button(window: MainWindow) -> QToolButton:
    group = window.ribbon.tab("home").group("customize")
    return next(
        b for b in group.findChildren(QToolButton) if b.defaultAction() is window.stages_action
    )


def test_owner_opens_the_editor_and_the_open_form_gets_the_new_stage(
    qtbot: Any,
    database: Database,
    tmp_path: Path,
    owner: User,
    account: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(qtbot, database, tmp_path, OWNER_LOGIN)
    assert window.stages_action.objectName() == actions.SALES_STAGES
    button = stages_button(window)
    assert button.isEnabled()
    assert window.form_manager is not None
    form = window.form_manager.new_opportunity()
    qtbot.addWidget(form)
    monkeypatch.setattr(type(form), "ask_unsaved", lambda self: "discard")

    def add_a_stage(_cls: type, parent: object, service: StageService) -> bool:
        assert parent is window
        service.add_stage("Demo")  # what the owner does in the editor
        return True

    monkeypatch.setattr(StagesDialog, "ask", classmethod(add_a_stage))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert form.stage_combo.findText("Demo") > 0
    stage_filter = window.sales.filter_bar.stage
    assert stage_filter.findText("Demo") > 0


def test_a_colleague_sees_the_button_greyed_out_with_the_reason(
    qtbot: Any,
    database: Database,
    tmp_path: Path,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with uow_factory() as uow:
        uow.users.add("Chris Colleague", "chris")
        uow.commit()
    window = make_window(qtbot, database, tmp_path, "chris")
    button = stages_button(window)
    assert not button.isEnabled()
    assert window.stages_action.toolTip() == "Only the database owner can customize sales stages"
    opened: list[StageService] = []
    monkeypatch.setattr(
        StagesDialog, "ask", classmethod(lambda _cls, _parent, service: opened.append(service))
    )
    window.edit_sales_stages()  # even when called directly, a colleague gets no editor
    assert opened == []
