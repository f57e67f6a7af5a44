"""Sales activities on the opportunity form, the stage list's "Edit this list…", and the
ribbon's Sales Stages: driven with clicks and keys, read back from the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from bcm_desktop.domain.activities import OpportunityActivity
from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.link_queries import LinkQueries
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.catalog import CatalogService
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.links import LinkService
from bcm_desktop.services.lookups import Lookups
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.stages import StageService
from bcm_desktop.ui import formatting
from bcm_desktop.ui.dialogs.stages_dialog import StageEditDialog, StagesDialog
from bcm_desktop.ui.forms.activities_editor import ActivitiesModel
from bcm_desktop.ui.forms.opportunity_form import EDIT_STAGE_LIST, FormServices, OpportunityForm

TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def never_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(OpportunityForm, "ask_unsaved", lambda self: "discard")
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(
            QMessageBox, name, lambda _p, _t, text, *a, **k: print("MESSAGE:", text)
        )


@pytest.fixture
def colleague(uow_factory: Callable[[], UnitOfWork]) -> User:
    with uow_factory() as uow:
        user = uow.users.add("Chris Colleague", "chris")
        uow.commit()
    return user


def form_services(
    database: Database, uow_factory: Callable[[], UnitOfWork], user: User
) -> FormServices:
    return FormServices(
        opportunities=OpportunityService(uow_factory, user.id, today=lambda: TODAY),
        lookups=Lookups(uow_factory),
        catalog=CatalogService(uow_factory),
        links=LinkService(LinkQueries(database), uow_factory),
        history=HistoryService(uow_factory),
        today=lambda: TODAY,
        stages=StageService(uow_factory, user.id),
    )


@pytest.fixture
def services(
    database: Database, uow_factory: Callable[[], UnitOfWork], owner: User
) -> FormServices:
    return form_services(database, uow_factory, owner)


def open_form(
    qtbot: Any, services: FormServices, opp: Opportunity | None = None
) -> OpportunityForm:
    form = OpportunityForm(services, opp or services.opportunities.new())
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    return form


def saved_opportunity(services: FormServices, link: RecordRef, stage: str = "") -> Opportunity:
    draft = services.opportunities.new()
    draft.title = "New tills"
    draft.link = link
    if stage:
        draft.stage_id = next(s.id for s in services.lookups.stages() if s.name == stage)
    return services.opportunities.create(draft)


def shown(form: OpportunityForm) -> list[tuple[str, bool]]:
    return [(a.name, a.completed) for a in form.activities_editor.activities()]


def tick(qtbot: Any, form: OpportunityForm, row: int) -> None:
    """Click the Completed check box of ``row`` in the activities table."""
    view = form.activities_editor.view
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 12, rect.center().y())
    )


def choose_stage(form: OpportunityForm, name: str) -> None:
    form.stage_combo.setCurrentIndex(form.stage_combo.findText(name))


def db_rows(db_path: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql, params).fetchall()


# -- the activities table --------------------------------------------------------------------


def test_ticking_an_activity_completed_and_saving_stores_it(
    qtbot: Any, services: FormServices, account: RecordRef, db_path: Path
) -> None:
    opp = saved_opportunity(services, account)
    form = open_form(qtbot, services, opp)
    assert shown(form) == [("Identify decision makers", False), ("First call", False)]
    assert opp.stage_entered_at is not None
    entered = opp.stage_entered_at.astimezone().date()
    model = form.activities_editor.model
    assert model.index(0, 1).data() == formatting.short_date(entered + timedelta(days=3))
    assert "3 days" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)

    tick(qtbot, form, 1)
    assert shown(form)[1] == ("First call", True)
    assert form.is_dirty()
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert db_rows(
        db_path,
        "SELECT name, completed, due_date FROM opportunity_activities"
        " WHERE opportunity_id = ? ORDER BY position",
        opp.id,
    ) == [
        ("Identify decision makers", 0, str(entered + timedelta(days=3))),
        ("First call", 1, str(entered + timedelta(days=2))),
    ]
    assert not form.is_dirty()
    reopened = open_form(qtbot, services, services.opportunities.get(opp.id or 0))
    assert shown(reopened) == [("Identify decision makers", False), ("First call", True)]


def test_changing_the_stage_brings_its_activities_and_saving_keeps_them(
    qtbot: Any, services: FormServices, account: RecordRef, db_path: Path
) -> None:
    opp = saved_opportunity(services, account)
    form = open_form(qtbot, services, opp)
    tick(qtbot, form, 0)
    choose_stage(form, "Proposal")
    assert shown(form) == [("Prepare quote", False), ("Send proposal", False)]
    due = form.activities_editor.activities()[0].due_date
    assert due == TODAY + timedelta(days=3)  # entering today: due in the activity's days
    tick(qtbot, form, 1)
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert db_rows(
        db_path,
        "SELECT a.name, a.completed FROM opportunity_activities a"
        " JOIN stage_activities t ON t.id = a.stage_activity_id"
        " JOIN sales_stages s ON s.id = t.stage_id WHERE s.name = 'Proposal' ORDER BY a.position",
    ) == [("Prepare quote", 0), ("Send proposal", 1)]
    choose_stage(form, "Prospecting")  # back: nothing was completed there before saving
    assert shown(form) == [("Identify decision makers", False), ("First call", False)]


def test_a_closed_record_shows_its_activities_read_only(
    qtbot: Any, services: FormServices, account: RecordRef
) -> None:
    opp = saved_opportunity(services, account, "Negotiation")
    closed = services.opportunities.close(
        opp.id or 0, services.opportunities.get(opp.id or 0).status.WON, opp.version
    )
    form = open_form(qtbot, services, closed)
    model = form.activities_editor.model
    assert model.rowCount() == 0  # Closed Won has no activities
    model.set_activities([OpportunityActivity(1, "Review terms", 5)], False)
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.setData(
        model.index(0, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )


def test_reminders_show_when_the_owner_turned_them_on(
    qtbot: Any, services: FormServices, account: RecordRef
) -> None:
    opp = saved_opportunity(services, account)
    form = open_form(qtbot, services, opp)
    view = form.activities_editor.view
    assert view.isColumnHidden(2)
    assert services.stages is not None
    services.stages.set_reminders(True)
    form.reload()
    assert not view.isColumnHidden(2)
    model = form.activities_editor.model
    first = model.activities()[0]
    assert first.due_date is not None
    assert model.index(0, 2).data() == f"Due in {(first.due_date - TODAY).days} d"
    late = replace(first, due_date=TODAY - timedelta(days=2))
    model.set_activities([late, replace(late, due_date=TODAY)], True)
    assert model.index(0, 2).data() == "Overdue by 2 d"
    assert model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(1, 2).data() == "Due today"
    model.set_activities([replace(late, completed=True)], True)
    assert model.index(0, 2).data() == ""  # a completed activity needs no reminder


def test_activities_model_passes_the_qt_model_tester(qtmodeltester: Any) -> None:
    model = ActivitiesModel(lambda: TODAY)
    model.set_activities(
        [
            OpportunityActivity(1, "Prepare quote", 3, False, TODAY + timedelta(days=3)),
            OpportunityActivity(2, "Send proposal", None, True, None),
        ],
        True,
    )
    qtmodeltester.check(model)
    assert model.index(1, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.index(1, 1).data() == ""  # no duration, no due date
    assert model.index(1, 2).data() == ""


# -- stage defaults on a new record -----------------------------------------------------------


def test_a_new_record_takes_the_stage_defaults_unless_the_user_changed_them(
    qtbot: Any, services: FormServices
) -> None:
    assert services.stages is not None
    stages = {s.stage.name: s.stage.id for s in services.stages.stages()}
    services.stages.edit_stage(stages["Proposal"], "Proposal", 60, 30)
    services.stages.edit_stage(stages["Negotiation"], "Negotiation", 80, 10)
    form = open_form(qtbot, services)
    assert form.probability_spin.value() == 10  # the default stage's
    choose_stage(form, "Proposal")
    assert form.probability_spin.value() == 60
    assert form.close_date_edit.value() == TODAY + timedelta(days=30)

    form.probability_spin.selectAll()
    qtbot.keyClicks(form.probability_spin, "35")
    form.close_date_edit.set_value(date(2027, 2, 1))
    choose_stage(form, "Negotiation")
    assert form.probability_spin.value() == 35  # typed by the user: kept
    assert form.close_date_edit.value() == date(2027, 2, 1)
    assert shown(form) == [("Review terms", False), ("Final offer", False)]


# -- "Edit this list…" ------------------------------------------------------------------------


def test_edit_this_list_opens_the_editor_and_reloads_the_stages(
    qtbot: Any,
    services: FormServices,
    account: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    form = open_form(qtbot, services, saved_opportunity(services, account))
    combo = form.stage_combo
    assert combo.itemText(combo.count() - 1) == "Edit this list…"

    def fake_exec(editor: StagesDialog) -> int:
        editor.show()
        rename = editor.tree.findItems("First call", Qt.MatchFlag.MatchRecursive, 0)[0]
        editor.tree.setCurrentItem(rename)

        def type_name(edit: StageEditDialog) -> int:
            edit.name_edit.selectAll()
            qtbot.keyClicks(edit.name_edit, "First phone call")
            edit.accept()
            return edit.result()

        monkeypatch.setattr(StageEditDialog, "exec", type_name)
        qtbot.mouseClick(editor.edit_button, Qt.MouseButton.LeftButton)
        monkeypatch.setattr(StageEditDialog, "exec", lambda edit: 0)
        qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)
        return 0

    monkeypatch.setattr(StagesDialog, "exec", fake_exec)
    tick(qtbot, form, 0)
    combo.setCurrentIndex(combo.findData(EDIT_STAGE_LIST))

    assert combo.currentText() == "Prospecting"  # the stage did not change
    assert combo.currentData() != EDIT_STAGE_LIST
    assert shown(form) == [("Identify decision makers", True), ("First phone call", False)]


def test_edit_this_list_is_absent_for_a_colleague(
    qtbot: Any,
    database: Database,
    uow_factory: Callable[[], UnitOfWork],
    colleague: User,
) -> None:
    form = open_form(qtbot, form_services(database, uow_factory, colleague))
    combo = form.stage_combo
    assert combo.findData(EDIT_STAGE_LIST) == -1
    assert [combo.itemText(i) for i in range(combo.count())][-1] == "Closed Lost"


def test_an_unchanged_form_follows_its_stage_being_deleted(
    qtbot: Any,
    services: FormServices,
    account: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
    db_path: Path,
) -> None:
    opp = saved_opportunity(services, account, "Qualification")
    form = open_form(qtbot, services, opp)
    assert services.stages is not None
    stage_service = services.stages
    qualification = opp.stage_id or 0
    proposal = next(s.id for s in services.lookups.stages() if s.name == "Proposal")

    def delete_in_editor(_cls: type, _parent: object, _service: StageService) -> bool:
        stage_service.delete_stage(qualification, proposal, move_activities=True)
        return True

    monkeypatch.setattr(StagesDialog, "ask", classmethod(delete_in_editor))
    combo = form.stage_combo
    combo.setCurrentIndex(combo.findData(EDIT_STAGE_LIST))

    assert combo.currentText() == "Proposal"
    assert combo.findText("Qualification") == -1
    assert [name for name, _done in shown(form)] == [
        "Confirm budget",
        "Confirm timeline",
        "Prepare quote",
        "Send proposal",
    ]
    assert not form.is_dirty()
    tick(qtbot, form, 3)
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # no conflict
    assert db_rows(
        db_path,
        "SELECT completed FROM opportunity_activities WHERE opportunity_id = ?"
        " AND name = 'Send proposal'",
        opp.id,
    ) == [(1,)]


def test_ticks_come_back_when_the_user_returns_to_a_stage_before_saving(
    qtbot: Any, services: FormServices, account: RecordRef, db_path: Path
) -> None:
    """Choosing another stage by mistake and going back keeps what was ticked there."""
    opp = saved_opportunity(services, account)
    form = open_form(qtbot, services, opp)
    tick(qtbot, form, 1)
    choose_stage(form, "Proposal")
    tick(qtbot, form, 0)
    choose_stage(form, "Prospecting")
    assert shown(form) == [("Identify decision makers", False), ("First call", True)]
    choose_stage(form, "Proposal")
    assert shown(form) == [("Prepare quote", True), ("Send proposal", False)]
    choose_stage(form, "Prospecting")
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert db_rows(
        db_path,
        "SELECT name, completed FROM opportunity_activities"
        " WHERE opportunity_id = ? ORDER BY position",
        opp.id,
    ) == [("Identify decision makers", 0), ("First call", 1)]
