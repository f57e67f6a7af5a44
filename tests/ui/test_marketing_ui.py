"""The marketing activity form, its Tracking page and the Marketing workspace, driven with
keys and clicks; the database is read back afterwards."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from bcm_desktop.app import build_main_window
from bcm_desktop.domain.entities import InitiatorRef, OpportunityLine, RecordRef, User
from bcm_desktop.domain.enums import InitiatorKind, ListKind, MarketingStatus, StageKind
from bcm_desktop.domain.links import LinkSearchKind
from bcm_desktop.domain.marketing import MarketingActivity
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.link_queries import LinkQueries
from bcm_desktop.repository.marketing_lists import activity_list_spec, tracking_list_spec
from bcm_desktop.repository.record_queries import RecordQueries
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.catalog import CatalogService
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.links import LinkService
from bcm_desktop.services.lookups import Lookups
from bcm_desktop.services.marketing import MarketingService
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.ui.dialogs.conflict_dialog import RELOAD, ConflictDialog
from bcm_desktop.ui.dialogs.link_dialog import LinkDialog
from bcm_desktop.ui.forms.manager import FormManager
from bcm_desktop.ui.forms.marketing_form import MarketingForm, MarketingFormServices
from bcm_desktop.ui.forms.opportunity_form import FormServices, OpportunityForm
from bcm_desktop.ui.workspace.marketing import MarketingWorkspace
from tests.conftest import OWNER_LOGIN
from tests.ui.test_opportunity_form import drive_product_dialog, open_form

TODAY = date(2026, 11, 28)


@pytest.fixture
def forms(database: Database, uow_factory: Callable[[], UnitOfWork], owner: User) -> FormServices:
    return FormServices(
        opportunities=OpportunityService(uow_factory, owner.id, today=lambda: TODAY),
        lookups=Lookups(uow_factory),
        catalog=CatalogService(uow_factory),
        links=LinkService(LinkQueries(database), uow_factory),
        history=HistoryService(uow_factory),
        today=lambda: TODAY,
    )


@pytest.fixture
def marketing(database: Database, uow_factory: Callable[[], UnitOfWork]) -> MarketingFormServices:
    return MarketingFormServices(
        marketing=MarketingService(uow_factory),
        lookups=Lookups(uow_factory),
        tracking=RecordQueries(database, tracking_list_spec()),
        today=lambda: TODAY,
    )


@pytest.fixture(autouse=True)
def never_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """No modal question may open at teardown, whatever a failing test left behind."""
    monkeypatch.setattr(MarketingForm, "ask_unsaved", lambda self: "discard")
    monkeypatch.setattr(OpportunityForm, "ask_unsaved", lambda self: "discard")
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(
            QMessageBox, name, lambda _p, _t, text, *a, **k: print("MESSAGE:", text)
        )


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a, **k: seen.append(text)
    )
    return seen


def show(qtbot: Any, widget: Any) -> Any:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def rows(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql).fetchall()


def type_id(uow_factory: Callable[[], UnitOfWork], name: str) -> int:
    with uow_factory() as uow:
        return next(i.id for i in uow.lists.items(ListKind.MARKETING_TYPE) if i.name == name)


def make_activity(service: MarketingService, name: str, cost: str = "0") -> MarketingActivity:
    return service.create(MarketingActivity(name=name, actual_cost=Decimal(cost)))


def add_opportunity(
    forms: FormServices,
    link: RecordRef,
    title: str,
    price: str,
    initiated_by: InitiatorRef | None,
    close: StageKind | None = None,
) -> int:
    service = forms.opportunities
    draft = service.new()
    draft.title, draft.link, draft.probability = title, link, 50
    draft.lines = [OpportunityLine("Stand", Decimal(price), Decimal(1))]
    draft.initiated_by = initiated_by
    opp = service.create(draft)
    assert opp.id is not None
    if close is not None:
        service.close(opp.id, close, opp.version, TODAY)
    return opp.id


def table_texts(model: Any, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


# -- the form ------------------------------------------------------------------------------


def test_create_an_activity_through_the_form(
    qtbot: Any, marketing: MarketingFormServices, uow_factory, db_path: Path, owner: User
) -> None:
    form = show(qtbot, MarketingForm(marketing, marketing.marketing.new()))
    qtbot.keyClicks(form.name_edit, "Spring fair Utrecht")
    form.type_combo.setCurrentIndex(form.type_combo.findText("Event"))
    form.status_combo.setCurrentIndex(form.status_combo.findText("Active"))
    form.assigned_combo.setCurrentIndex(form.assigned_combo.findText("Olivia Owner"))
    qtbot.keyClicks(form.code_edit, "SPR-26")
    form.start_edit.set_value(date(2027, 3, 1))
    form.end_edit.set_value(date(2027, 3, 3))
    qtbot.keyClicks(form.budgeted_edit, "2500")
    qtbot.keyClicks(form.actual_edit, "2412.5")
    form.tabs.setCurrentIndex(1)
    qtbot.keyClicks(form.comments_edit, "Stand 14")
    qtbot.mouseClick(form.timestamp_button, Qt.MouseButton.LeftButton)
    assert form.is_dirty()

    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    stored = rows(
        db_path,
        "SELECT name, type_id, status, start_date, end_date, budgeted_cost_cents, "
        "actual_cost_cents, campaign_code, assigned_to_id, comments FROM marketing_activities",
    )
    assert len(stored) == 1
    name, kind, status, start, end, budgeted, actual, code, assigned, comments = stored[0]
    assert (name, kind, status) == ("Spring fair Utrecht", type_id(uow_factory, "Event"), "active")
    assert (start, end) == ("2027-03-01", "2027-03-03")
    assert (budgeted, actual, code, assigned) == (250000, 241250, "SPR-26", owner.id)
    assert comments.startswith("Stand 14") and len(comments) > len("Stand 14 ")
    assert not form.is_dirty()
    assert form.record_id is not None
    assert "Spring fair Utrecht" in form.windowTitle()
    assert form.delete_action.isEnabled()


def test_end_before_start_is_refused_with_the_field_focused(
    qtbot: Any, marketing: MarketingFormServices, db_path: Path, warnings: list[str]
) -> None:
    form = show(qtbot, MarketingForm(marketing, marketing.marketing.new()))
    qtbot.keyClicks(form.name_edit, "Backwards")
    form.start_edit.set_value(date(2027, 5, 2))
    form.end_edit.set_value(date(2027, 5, 1))
    qtbot.mouseClick(form.toolbar.widgetForAction(form.save_action), Qt.MouseButton.LeftButton)
    assert warnings and "before the start date" in warnings[0]
    assert form.end_edit.hasFocus()
    qtbot.keyClicks(form.actual_edit, "12,34,5")  # not a number in any locale
    assert not form.save()
    assert "Actual cost" in warnings[-1]
    assert rows(db_path, "SELECT COUNT(*) FROM marketing_activities") == [(0,)]


def test_unsaved_changes_are_asked_about_on_close(
    qtbot: Any, marketing: MarketingFormServices, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    form = show(qtbot, MarketingForm(marketing, marketing.marketing.new()))
    qtbot.keyClicks(form.name_edit, "Webinar")
    monkeypatch.setattr(MarketingForm, "ask_unsaved", lambda self: "cancel")
    assert not form.close()
    assert form.isVisible()
    monkeypatch.setattr(MarketingForm, "ask_unsaved", lambda self: "save")
    assert form.close()
    assert rows(db_path, "SELECT name FROM marketing_activities") == [("Webinar",)]


def test_initiated_by_from_the_opportunity_form_puts_it_on_the_tracking_page(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    forms: FormServices,
    marketing: MarketingFormServices,
    account: RecordRef,
    db_path: Path,
) -> None:
    fair = make_activity(marketing.marketing, "Spring fair", cost="1000")
    other = make_activity(marketing.marketing, "Autumn mailing")
    assert fair.id is not None and other.id is not None
    won_id = add_opportunity(
        forms,
        account,
        "Earlier win",
        "3000",
        InitiatorRef(InitiatorKind.MARKETING, fair.id),
        StageKind.WON,
    )
    add_opportunity(
        forms, account, "Not ours", "999", InitiatorRef(InitiatorKind.MARKETING, other.id)
    )

    def fake_exec(dialog: LinkDialog) -> int:
        dialog.show()
        if dialog.item_type.findData(LinkSearchKind.MARKETING.value) >= 0:
            dialog.item_type.setCurrentIndex(
                dialog.item_type.findData(LinkSearchKind.MARKETING.value)
            )
            qtbot.keyClicks(dialog.search_edit, "spring")
        else:
            qtbot.keyClicks(dialog.search_edit, "bakk")
        qtbot.waitUntil(lambda: dialog.selected() is not None, timeout=3000)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(LinkDialog, "exec", fake_exec)
    form = open_form(qtbot, forms)
    qtbot.keyClicks(form.title_edit, "Stand visitor wants tills")
    qtbot.mouseClick(form.link_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.initiator_button, Qt.MouseButton.LeftButton)
    assert form.initiator_label.text() == "Spring fair — Marketing activity"
    form.probability_spin.setValue(40)
    drive_product_dialog(monkeypatch, qtbot, "Till", "2", "1250")
    qtbot.mouseClick(form.lines_editor.add_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert rows(
        db_path,
        "SELECT initiated_by_marketing_id FROM opportunities "
        "WHERE title = 'Stand visitor wants tills'",
    ) == [(fair.id,)]

    tracking = show(qtbot, MarketingForm(marketing, marketing.marketing.get(fair.id)))
    tracking.tabs.setCurrentIndex(2)
    model = tracking.tracking_model
    assert sorted(table_texts(model, 0)) == ["Earlier win", "Stand visitor wants tills"]
    assert "Not ours" not in table_texts(model, 0)
    assert tracking.count_value.text() == "2"
    money = lambda label: label.text().replace(",", "").replace(".", "")  # noqa: E731
    assert money(tracking.total_value) == "550000"  # 3000 + 2 × 1250
    assert money(tracking.expected_value) == "400000"  # 100 % of 3000 + 40 % of 2500
    assert money(tracking.won_value) == "300000"
    assert tracking.return_value.text() in ("200.0 %", "200,0 %")  # (3000 − 1000) / 1000
    won_row = table_texts(model, 0).index("Earlier win")
    assert model.index(won_row, 3).data() == "Closed Won"
    assert model.index(won_row, 1).data() == "Bakkerij de Vries"
    assert won_id in {model.id_at(row) for row in range(model.rowCount())}


def test_double_click_on_the_tracking_page_opens_the_opportunity(
    qtbot: Any,
    database: Database,
    forms: FormServices,
    marketing: MarketingFormServices,
    account: RecordRef,
) -> None:
    fair = make_activity(marketing.marketing, "Spring fair")
    assert fair.id is not None
    opp_id = add_opportunity(
        forms, account, "From the fair", "100", InitiatorRef(InitiatorKind.MARKETING, fair.id)
    )
    parent = show(
        qtbot, MarketingWorkspace(marketing, RecordQueries(database, activity_list_spec()))
    )
    manager = FormManager(forms, parent)
    manager.set_marketing(marketing)
    form = manager.open_marketing(fair.id)
    assert form is not None
    qtbot.addWidget(form)
    assert manager.open_marketing(fair.id) is form  # raised, not opened twice
    form.tabs.setCurrentIndex(2)
    view = form.tracking_view
    rect = view.visualRect(form.tracking_model.index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert [f.record_id for f in manager.forms] == [opp_id]
    opened = manager.forms[0]
    qtbot.addWidget(opened)
    # Saving the opportunity without its initiator takes it off the Tracking page.
    opened._clear_initiator()
    with qtbot.waitSignal(opened.saved):
        opened.save()
    assert form.tracking_model.rowCount() == 0
    assert form.count_value.text() == "0"


def test_tracking_model_passes_the_model_tester(
    qtbot: Any,
    qtmodeltester: Any,
    forms: FormServices,
    marketing: MarketingFormServices,
    account: RecordRef,
) -> None:
    fair = make_activity(marketing.marketing, "Spring fair")
    assert fair.id is not None
    for number in range(5):
        add_opportunity(
            forms, account, f"Deal {number}", "10", InitiatorRef(InitiatorKind.MARKETING, fair.id)
        )
    form = show(qtbot, MarketingForm(marketing, marketing.marketing.get(fair.id)))
    assert form.tracking_model.rowCount() == 5
    qtmodeltester.check(form.tracking_model)


# -- the workspace -------------------------------------------------------------------------


@pytest.fixture
def workspace(
    qtbot: Any, database: Database, marketing: MarketingFormServices, uow_factory
) -> MarketingWorkspace:
    service = marketing.marketing
    service.create(
        MarketingActivity(
            name="Spring fair",
            status=MarketingStatus.ACTIVE,
            type_id=type_id(uow_factory, "Event"),
            actual_cost=Decimal("1000"),
        )
    )
    service.create(MarketingActivity(name="Autumn mailing", status=MarketingStatus.PLANNED))
    service.create(
        MarketingActivity(
            name="Banner ads", status=MarketingStatus.COMPLETED, budgeted_cost=Decimal("250")
        )
    )
    widget = MarketingWorkspace(marketing, RecordQueries(database, activity_list_spec()))
    widget.resize(1000, 400)
    return show(qtbot, widget)


def test_workspace_lists_sorts_and_filters(
    qtbot: Any, qtmodeltester: Any, workspace: MarketingWorkspace
) -> None:
    model = workspace.activities.model
    assert table_texts(model, 0) == ["Autumn mailing", "Banner ads", "Spring fair"]
    assert model.index(2, 1).data() == "Event"
    assert model.index(2, 2).data() == "Active"
    assert workspace.status_text() == "3 marketing activities"
    qtmodeltester.check(model)

    header = workspace.activities.view.horizontalHeader()
    budgeted = model.section_of("budgeted_cost")
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(budgeted) + 10, 5),
    )
    assert model.order.column == "budgeted_cost"
    # Ties (0.00) by id: the fair was saved before the mailing.
    expected = ["Spring fair", "Autumn mailing", "Banner ads"]
    texts = table_texts(model, 0)
    assert texts in (expected, expected[::-1])

    combo = workspace.status_filter
    combo.setCurrentIndex(combo.findText("Planned"))
    assert table_texts(model, 0) == ["Autumn mailing"]
    assert workspace.status_text() == "1 marketing activity"
    combo.setCurrentIndex(combo.findText("All"))
    assert model.rowCount() == 3


def test_workspace_reading_pane_and_open(
    qtbot: Any, workspace: MarketingWorkspace, forms: FormServices, account: RecordRef
) -> None:
    view = workspace.activities.view
    model = workspace.activities.model
    row = table_texts(model, 0).index("Spring fair")
    view.setCurrentIndex(model.index(row, 0))
    pane = workspace.activities.reading_pane
    assert pane is not None
    text = pane.toPlainText()
    assert "Spring fair" in text and "Event" in text and "Return on cost" in text
    assert workspace.open_action.isEnabled()
    with qtbot.waitSignal(workspace.open_requested) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [model.id_at(row)]


def test_workspace_delete_asks_with_the_count_and_clears_initiated_by(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    workspace: MarketingWorkspace,
    forms: FormServices,
    account: RecordRef,
    db_path: Path,
) -> None:
    model = workspace.activities.model
    row = table_texts(model, 0).index("Spring fair")
    fair_id = model.id_at(row)
    assert fair_id is not None
    for title in ("One", "Two"):
        add_opportunity(forms, account, title, "10", InitiatorRef(InitiatorKind.MARKETING, fair_id))
    workspace.refresh()
    assert model.index(row, model.section_of("opportunities")).data() == "2"

    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton) -> Callable[..., QMessageBox.StandardButton]:
        def question(_parent: Any, _title: str, text: str, *args: Any) -> Any:
            asked.append(text)
            return reply

        return question

    workspace.activities.view.setCurrentIndex(model.index(row, 0))
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    qtbot.keyClick(workspace.activities.view, Qt.Key.Key_Delete)
    assert "2 opportunities" in asked[-1]
    assert model.rowCount() == 3

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    qtbot.keyClick(workspace.activities.view, Qt.Key.Key_Delete)
    assert table_texts(model, 0) == ["Autumn mailing", "Banner ads"]
    assert rows(
        db_path, "SELECT title, initiated_by_marketing_id FROM opportunities ORDER BY title"
    ) == [
        ("One", None),
        ("Two", None),
    ]


def test_main_window_has_the_marketing_folder_and_new_opens_the_form(
    qtbot: Any,
    database: Database,
    uow_factory,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = build_main_window(database, OWNER_LOGIN, settings=settings)
    qtbot.addWidget(window, before_close_func=lambda w: w.wait_for_workers())
    window.show()
    assert "marketing" in window.navigation.folder_keys()
    window.navigation.set_current_folder("marketing")
    assert window.stack.currentWidget() is window.marketing
    group = window.ribbon.tab("home").group("marketing")
    assert not group.isHidden()
    assert window.marketing is not None
    window.marketing.new_action.trigger()
    manager = window.form_manager
    assert manager is not None
    assert len(manager.marketing_forms) == 1
    form = manager.marketing_forms[0]
    qtbot.keyClicks(form.name_edit, "From the ribbon")
    with qtbot.waitSignal(form.saved):
        form.save()
    qtbot.waitUntil(lambda: window.marketing.activities.model.rowCount() == 1)
    assert "1 marketing activity" in window.status_label.text()
    form.close()


def test_changed_elsewhere_shows_the_difference_and_reloads_theirs(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, marketing: MarketingFormServices
) -> None:
    service = marketing.marketing
    stored = service.create(MarketingActivity(name="Fair", campaign_code="F-1"))
    form = show(qtbot, MarketingForm(marketing, stored))
    service.update(replace(stored, campaign_code="F-2"))  # a colleague saves first
    qtbot.keyClicks(form.name_edit, " 2027")
    shown: list[list[tuple[str, str, str]]] = []

    def ask(_parent: Any, _title: str, differences: list[tuple[str, str, str]]) -> str:
        shown.append(differences)
        return RELOAD

    monkeypatch.setattr(ConflictDialog, "ask", staticmethod(ask))
    assert not form.save()
    assert ("Name", "Fair 2027", "Fair") in shown[0]
    assert ("Campaign code", "F-1", "F-2") in shown[0]
    assert (form.name_edit.text(), form.code_edit.text()) == ("Fair", "F-2")
    assert not form.is_dirty()


def test_save_and_new_leaves_an_empty_form(
    qtbot: Any, marketing: MarketingFormServices, db_path: Path
) -> None:
    form = show(qtbot, MarketingForm(marketing, marketing.marketing.new()))
    qtbot.keyClicks(form.name_edit, "First")
    qtbot.keyClick(
        form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert form.record_id is None and form.name_edit.text() == ""
    assert form.name_edit.hasFocus()
    qtbot.keyClicks(form.name_edit, "Second")
    qtbot.keyClick(
        form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert rows(db_path, "SELECT name FROM marketing_activities ORDER BY id") == [
        ("First",),
        ("Second",),
    ]
