"""S-4 "Edit this list…" on the opportunity form's Type, Payment terms and Source combos: the
list editor driven with clicks and keys, then the database and the refilled combo read back."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QWidget

from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.domain.enums import ListKind
from bcm_desktop.domain.lists import ListItemUsage
from bcm_desktop.domain.projects import BusinessProject
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.link_queries import LinkQueries
from bcm_desktop.repository.marketing_lists import tracking_list_spec
from bcm_desktop.repository.record_queries import RecordQueries
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.catalog import CatalogService
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.links import LinkService
from bcm_desktop.services.lists import ListService
from bcm_desktop.services.lookups import Lookups
from bcm_desktop.services.marketing import MarketingService
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.projects import ProjectService, TemplateService
from bcm_desktop.services.stages import StageService
from bcm_desktop.ui.dialogs import list_editor_dialog
from bcm_desktop.ui.dialogs.close_dialog import CloseDialog
from bcm_desktop.ui.dialogs.conflict_dialog import ConflictDialog
from bcm_desktop.ui.dialogs.list_editor_dialog import (
    ListEditorDialog,
    ListEditOutcome,
    ListItemNameDialog,
    ReplaceListItemDialog,
    usage_sentence,
)
from bcm_desktop.ui.dialogs.stages_dialog import StagesDialog
from bcm_desktop.ui.forms.list_combo import EDIT_LIST
from bcm_desktop.ui.forms.manager import FormManager
from bcm_desktop.ui.forms.marketing_form import MarketingForm, MarketingFormServices
from bcm_desktop.ui.forms.opportunity_form import FormServices, OpportunityForm
from bcm_desktop.ui.forms.project_form import ProjectForm
from bcm_desktop.ui.forms.project_services import ProjectFormServices

TODAY = date(2026, 11, 28)
TYPES = ["New business", "Existing business", "Renewal", "Upsell"]


@pytest.fixture(autouse=True)
def never_block(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes print instead of waiting; the texts are kept for the asserts."""
    messages: list[str] = []
    for form in (OpportunityForm, ProjectForm, MarketingForm):
        monkeypatch.setattr(form, "ask_unsaved", lambda self: "discard")
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda _p, _t, text, *a, **k: messages.append(text))
    return messages


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
        lists=ListService(uow_factory, user.id),
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


def item_id(services: FormServices, kind: ListKind, name: str) -> int:
    return next(i.id for i in services.lookups.list_items(kind) if i.name == name)


def saved(services: FormServices, link: RecordRef, **fields: Any) -> Opportunity:
    draft = services.opportunities.new()
    draft.title = "New tills"
    draft.link = link
    for name, value in fields.items():
        setattr(draft, name, value)
    return services.opportunities.create(draft)


def db_rows(db_path: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql, params).fetchall()


def db_names(db_path: Path, kind: ListKind) -> list[str]:
    return [
        r[0]
        for r in db_rows(
            db_path, "SELECT name FROM list_items WHERE kind = ? ORDER BY position", kind.value
        )
    ]


def entries(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def typing_names(qtbot: Any, monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Each name dialog opened next gets the next of ``names`` typed and OK clicked."""
    queue = list(names)

    def type_name(dialog: ListItemNameDialog) -> int:
        dialog.show()
        dialog.name_edit.selectAll()
        qtbot.keyClicks(dialog.name_edit, queue.pop(0))
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
        return dialog.result()

    monkeypatch.setattr(ListItemNameDialog, "exec", type_name)


def choosing_replacement(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, name: str, seen: list[str]
) -> None:
    """The replace dialog opened next: ``name`` chosen, Remove clicked; its text kept."""

    def choose(dialog: ReplaceListItemDialog) -> int:
        dialog.show()
        seen.append(dialog.intro.text())
        seen.extend(entries(dialog.replacement_combo))
        dialog.replacement_combo.setCurrentIndex(dialog.replacement_combo.findText(name))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ReplaceListItemDialog, "exec", choose)


def editing(monkeypatch: pytest.MonkeyPatch, drive: Callable[[ListEditorDialog], None]) -> None:
    """The list editor opened next is shown, driven by ``drive``, then closed."""

    def fake_exec(editor: ListEditorDialog) -> int:
        editor.show()
        drive(editor)
        editor.close_button.click()
        return 0

    monkeypatch.setattr(ListEditorDialog, "exec", fake_exec)


def save(qtbot: Any, form: OpportunityForm) -> None:
    """Ctrl+S, the window active again after the editor's dialogs."""
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def click(qtbot: Any, button: Any) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def select(editor: ListEditorDialog, name: str) -> None:
    editor.list_widget.setCurrentRow(editor.names().index(name))


# -- the entry ---------------------------------------------------------------------------------


def test_the_owner_sees_edit_this_list_at_the_end_of_each_list_combo(
    qtbot: Any, services: FormServices
) -> None:
    form = open_form(qtbot, services)
    for combo in (form.type_combo, form.payment_combo, form.source_combo):
        assert combo.itemText(combo.count() - 1) == "Edit this list…"
        assert combo.itemData(combo.count() - 1) == EDIT_LIST
        assert combo.itemText(combo.count() - 2) == ""  # the separator
    assert entries(form.type_combo)[:5] == ["", *TYPES]


def test_a_colleague_sees_no_edit_this_list(
    qtbot: Any, database: Database, uow_factory: Callable[[], UnitOfWork], colleague: User
) -> None:
    form = open_form(qtbot, form_services(database, uow_factory, colleague))
    for combo in (form.type_combo, form.payment_combo, form.source_combo):
        assert combo.findData(EDIT_LIST) == -1
    assert entries(form.type_combo) == ["", *TYPES]


# -- editing through the form ------------------------------------------------------------------


def test_add_rename_move_and_remove_with_replacement_through_clicks(
    qtbot: Any,
    services: FormServices,
    account: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
    db_path: Path,
    never_block: list[str],
) -> None:
    upsell = item_id(services, ListKind.TYPE, "Upsell")
    renewal = item_id(services, ListKind.TYPE, "Renewal")
    other = saved(services, account, type_id=renewal)
    opp = saved(services, account, type_id=upsell)
    form = open_form(qtbot, services, opp)
    combo = form.type_combo
    assert combo.currentText() == "Upsell"
    seen: list[str] = []

    def drive(editor: ListEditorDialog) -> None:
        assert editor.windowTitle() == "Edit Type"
        assert editor.names() == TYPES
        typing_names(qtbot, monkeypatch, "Referral", "Partner referral")
        click(qtbot, editor.add_button)  # added last and selected
        assert editor.names() == [*TYPES, "Referral"]
        assert editor.selected() is not None and editor.selected().name == "Referral"
        click(qtbot, editor.rename_button)
        click(qtbot, editor.up_button)
        click(qtbot, editor.up_button)
        assert editor.names()[2] == "Partner referral"
        select(editor, "New business")
        click(qtbot, editor.down_button)
        # Renewal is used by one record: replace it with the new entry.
        select(editor, "Renewal")
        choosing_replacement(qtbot, monkeypatch, "Partner referral", seen)
        click(qtbot, editor.remove_button)

    editing(monkeypatch, drive)
    combo.setCurrentIndex(combo.findData(EDIT_LIST))

    expected = ["Existing business", "New business", "Partner referral", "Upsell"]
    assert db_names(db_path, ListKind.TYPE) == expected
    assert entries(combo) == ["", *expected, "", "Edit this list…"]
    assert combo.currentText() == "Upsell"  # the choice stayed
    assert not form.is_dirty()
    assert seen[0] == "1 opportunity uses “Renewal”."
    assert seen[1:] == [
        "Existing business",
        "New business",
        "Partner referral",
        "Upsell",
        "(blank)",
    ]
    partner = item_id(services, ListKind.TYPE, "Partner referral")
    assert db_rows(
        db_path, "SELECT type_id, version FROM opportunities WHERE id = ?", other.id
    ) == [(partner, other.version + 1)]


def test_keys_drive_the_editor(
    qtbot: Any,
    services: FormServices,
    monkeypatch: pytest.MonkeyPatch,
    db_path: Path,
    never_block: list[str],
) -> None:
    """Insert adds, F2 renames, Alt+Up moves, Delete removes (with a confirmation when the
    entry is unused)."""
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str, *_args: object) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", confirm)

    def drive(editor: ListEditorDialog) -> None:
        view = editor.list_widget

        def press(
            key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
        ) -> None:
            # A name dialog took the activation: take it back before the shortcut key.
            editor.activateWindow()
            qtbot.waitUntil(editor.isActiveWindow)
            view.setFocus()
            qtbot.keyClick(view, key, modifier)

        typing_names(qtbot, monkeypatch, "Fair stand", "Fair booth")
        press(Qt.Key.Key_Insert)
        assert editor.names()[-1] == "Fair stand"
        press(Qt.Key.Key_F2)
        assert editor.names()[-1] == "Fair booth"
        press(Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
        assert editor.names()[-2] == "Fair booth"
        press(Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
        assert editor.names()[-1] == "Fair booth"
        press(Qt.Key.Key_Delete)
        assert "Fair booth" not in editor.names()

    editing(monkeypatch, drive)
    form = open_form(qtbot, services)
    before = db_names(db_path, ListKind.SOURCE)
    form.source_combo.setCurrentIndex(form.source_combo.findData(EDIT_LIST))
    assert asked == ["Remove “Fair booth” from the Source list? No record uses it."]
    assert never_block == []
    assert db_names(db_path, ListKind.SOURCE) == before
    assert form.source_combo.currentIndex() == 0


def test_an_unchanged_form_follows_its_entry_being_replaced(
    qtbot: Any,
    services: FormServices,
    account: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
    db_path: Path,
) -> None:
    net30 = item_id(services, ListKind.PAYMENT_TERMS, "Net 30 days")
    net60 = item_id(services, ListKind.PAYMENT_TERMS, "Net 60 days")
    opp = saved(services, account, payment_terms_id=net30)
    form = open_form(qtbot, services, opp)
    seen: list[str] = []

    def drive(editor: ListEditorDialog) -> None:
        assert editor.windowTitle() == "Edit Payment Terms"
        select(editor, "Net 30 days")
        choosing_replacement(qtbot, monkeypatch, "Net 60 days", seen)
        click(qtbot, editor.remove_button)

    editing(monkeypatch, drive)
    progress: list[str] = []
    real_progress = list_editor_dialog.run_with_progress

    def watched(parent: Any, title: str, text: str, work: Any, **options: Any) -> Any:
        progress.append(text)
        return real_progress(parent, title, text, work, **{**options, "minimum_duration": 0})

    monkeypatch.setattr(list_editor_dialog, "run_with_progress", watched)
    form.payment_combo.setCurrentIndex(form.payment_combo.findData(EDIT_LIST))
    assert progress == ["Changing the record that uses “Net 30 days”…"]

    assert form.payment_combo.currentText() == "Net 60 days"
    assert form.opportunity.version == opp.version + 1  # the record was read again
    assert not form.is_dirty()
    form.title_edit.setText("New tills, phase 2")
    save(qtbot, form)  # no conflict
    assert db_rows(
        db_path, "SELECT title, payment_terms_id FROM opportunities WHERE id = ?", opp.id
    ) == [("New tills, phase 2", net60)]


def test_a_form_with_unsaved_changes_meets_changed_elsewhere_not_a_silent_overwrite(
    qtbot: Any,
    services: FormServices,
    account: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
    db_path: Path,
) -> None:
    renewal = item_id(services, ListKind.TYPE, "Renewal")
    opp = saved(services, account, type_id=renewal)
    form = open_form(qtbot, services, opp)
    form.title_edit.setText("Typed, not saved")

    def drive(editor: ListEditorDialog) -> None:
        select(editor, "Renewal")
        choosing_replacement(qtbot, monkeypatch, "(blank)", [])
        click(qtbot, editor.remove_button)

    editing(monkeypatch, drive)
    form.type_combo.setCurrentIndex(form.type_combo.findData(EDIT_LIST))
    assert form.type_combo.currentIndex() == 0  # blank, as the owner chose
    assert form.title_edit.text() == "Typed, not saved"

    conflicts: list[list[tuple[str, str, str]]] = []

    def conflict(_cls: type, _parent: object, _title: str, differences: Any) -> str:
        conflicts.append(differences)
        return "cancel"

    monkeypatch.setattr(ConflictDialog, "ask", classmethod(conflict))
    save(qtbot, form)
    assert len(conflicts) == 1
    assert db_rows(db_path, "SELECT title, type_id FROM opportunities WHERE id = ?", opp.id) == [
        ("New tills", None)
    ]


def test_a_refused_change_shows_the_reason_and_changes_nothing(
    qtbot: Any,
    services: FormServices,
    monkeypatch: pytest.MonkeyPatch,
    db_path: Path,
    never_block: list[str],
) -> None:
    def drive(editor: ListEditorDialog) -> None:
        typing_names(qtbot, monkeypatch, "renewal")
        click(qtbot, editor.add_button)
        assert editor.names() == TYPES

    editing(monkeypatch, drive)
    form = open_form(qtbot, services)
    form.type_combo.setCurrentIndex(form.type_combo.findData(EDIT_LIST))
    assert never_block == [
        "The Type list already has “Renewal”: choose another name (case does not count)."
    ]
    assert db_names(db_path, ListKind.TYPE) == TYPES


# -- the dialog on its own ---------------------------------------------------------------------


def test_a_colleague_opening_the_editor_can_change_nothing(
    qtbot: Any, uow_factory: Callable[[], UnitOfWork], colleague: User
) -> None:
    editor = ListEditorDialog(ListService(uow_factory, colleague.id), ListKind.SOURCE)
    qtbot.addWidget(editor)
    assert not editor.owner_note.isHidden()
    for button in (
        editor.add_button,
        editor.rename_button,
        editor.remove_button,
        editor.up_button,
        editor.down_button,
    ):
        assert not button.isEnabled()


def test_the_usage_sentence_names_every_record_type() -> None:
    usage = ListItemUsage({"opportunities": 1200, "business_projects": 1})
    assert usage_sentence(usage, "Event") == (
        "1,200 opportunities (and 1 business project) use “Event”."
    )
    assert usage_sentence(ListItemUsage({"marketing_activities": 2}), "Event") == (
        "2 marketing activities use “Event”."
    )
    assert list_editor_dialog.list_name(ListKind.MARKETING_TYPE) == "Marketing Activity Type"


# -- the same entry on the project and marketing forms -----------------------------------------


def project_services(
    database: Database, uow_factory: Callable[[], UnitOfWork], user: User
) -> ProjectFormServices:
    return ProjectFormServices(
        projects=ProjectService(uow_factory, user.id, today=lambda: TODAY),
        templates=TemplateService(uow_factory),
        lookups=Lookups(uow_factory),
        links=LinkService(LinkQueries(database), uow_factory),
        history=HistoryService(uow_factory),
        lists=ListService(uow_factory, user.id),
    )


def marketing_services(
    database: Database, uow_factory: Callable[[], UnitOfWork], user: User
) -> MarketingFormServices:
    return MarketingFormServices(
        marketing=MarketingService(uow_factory),
        lookups=Lookups(uow_factory),
        tracking=RecordQueries(database, tracking_list_spec()),
        today=lambda: TODAY,
        lists=ListService(uow_factory, user.id),
    )


def test_the_project_form_follows_its_project_type_being_replaced(
    qtbot: Any,
    database: Database,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
    db_path: Path,
) -> None:
    services = project_services(database, uow_factory, owner)
    kinds = {i.name: i.id for i in services.lookups.list_items(ListKind.PROJECT_TYPE)}
    project = services.projects.create(
        BusinessProject("Shop fit-out", account, project_type_id=kinds["Consulting"])
    )
    form = ProjectForm(services, project)
    qtbot.addWidget(form)
    form.show()
    combo = form.type_combo
    assert entries(combo)[-2:] == ["", "Edit this list…"]
    seen: list[str] = []

    def drive(editor: ListEditorDialog) -> None:
        assert editor.windowTitle() == "Edit Project Type"
        select(editor, "Consulting")
        choosing_replacement(qtbot, monkeypatch, "Training", seen)
        click(qtbot, editor.remove_button)

    editing(monkeypatch, drive)
    combo.setCurrentIndex(combo.findData(EDIT_LIST))

    assert seen[0] == "1 business project uses “Consulting”."
    assert combo.currentText() == "Training"
    assert "Consulting" not in entries(combo)
    assert not form.is_dirty()
    assert db_rows(
        db_path, "SELECT project_type_id, version FROM business_projects WHERE id = ?", project.id
    ) == [(kinds["Training"], project.version + 1)]
    assert form.project.version == project.version + 1


def test_the_marketing_form_adds_a_type_and_keeps_its_choice(
    qtbot: Any,
    database: Database,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    colleague: User,
    monkeypatch: pytest.MonkeyPatch,
    db_path: Path,
) -> None:
    services = marketing_services(database, uow_factory, owner)
    form = MarketingForm(services, services.marketing.new())
    qtbot.addWidget(form)
    form.show()
    combo = form.type_combo
    combo.setCurrentIndex(combo.findText("Event"))

    def drive(editor: ListEditorDialog) -> None:
        assert editor.windowTitle() == "Edit Marketing Activity Type"
        typing_names(qtbot, monkeypatch, "Webinar")
        click(qtbot, editor.add_button)

    editing(monkeypatch, drive)
    combo.setCurrentIndex(combo.findData(EDIT_LIST))

    assert combo.currentText() == "Event"
    assert entries(combo)[-3:] == ["Webinar", "", "Edit this list…"]
    assert db_names(db_path, ListKind.MARKETING_TYPE)[-1] == "Webinar"

    theirs = MarketingForm(
        marketing_services(database, uow_factory, colleague), services.marketing.new()
    )
    qtbot.addWidget(theirs)
    assert theirs.type_combo.findData(EDIT_LIST) == -1


def test_other_open_forms_and_the_workspace_follow_a_list_edit(
    qtbot: Any,
    services: FormServices,
    account: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Opened through the form manager: the form that did not open the editor refills its
    combo and, having no unsaved changes, reads its record again; the workspace is told."""
    parent = QWidget()
    qtbot.addWidget(parent)
    manager = FormManager(services, parent)
    renewal = item_id(services, ListKind.TYPE, "Renewal")
    upsell = item_id(services, ListKind.TYPE, "Upsell")
    first = manager.open_opportunity(saved(services, account).id or 0)
    second_opp = saved(services, account, type_id=renewal)
    second = manager.open_opportunity(second_opp.id or 0)
    assert first is not None and second is not None

    def drive(editor: ListEditorDialog) -> None:
        select(editor, "Renewal")
        choosing_replacement(qtbot, monkeypatch, "Upsell", [])
        click(qtbot, editor.remove_button)

    editing(monkeypatch, drive)
    with qtbot.waitSignal(manager.records_changed):
        first.type_combo.setCurrentIndex(first.type_combo.findData(EDIT_LIST))

    assert "Renewal" not in entries(first.type_combo)
    assert second.type_combo.currentData() == upsell
    assert "Renewal" not in entries(second.type_combo)
    assert second.opportunity.version == second_opp.version + 1
    assert not second.is_dirty()


def test_keys_and_wheel_on_a_closed_combo_stop_before_edit_this_list(
    qtbot: Any, services: FormServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scrolling through Source (or the stage) with Down, End or the wheel stops at the last
    entry; only choosing "Edit this list…" from the open list runs the editor."""
    opened: list[str] = []
    monkeypatch.setattr(
        ListEditorDialog, "ask", lambda *a, **k: opened.append("list") or ListEditOutcome()
    )
    monkeypatch.setattr(StagesDialog, "ask", lambda *a, **k: opened.append("stages") or False)
    monkeypatch.setattr(CloseDialog, "ask", lambda *a, **k: TODAY)  # closing asks a date
    form = open_form(qtbot, services)
    for combo, last in ((form.source_combo, "Partner"), (form.stage_combo, "Closed Lost")):
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_End)
        assert combo.currentText() == last
        for key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_End):
            qtbot.keyClick(combo, key)
        wheel = QWheelEvent(
            QPointF(5, 5),
            QPointF(5, 5),
            QPoint(0, 0),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(combo, wheel)
        assert combo.currentText() == last
        qtbot.keyClick(combo, Qt.Key.Key_Up)
        assert combo.currentText() != last
    assert opened == []
    # Chosen from the list, the entry still opens the editor.
    form.source_combo.setCurrentIndex(form.source_combo.findData(EDIT_LIST))
    assert opened == ["list"]
