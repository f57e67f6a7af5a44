"""Business projects in the UI (S-11): Create Project from an opportunity, the project form,
its task dialog and the templates dialog, driven with clicks and keys; the database is read
back after each step."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox, QMessageBox, QWidget
from sqlalchemy import select

from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.domain.enums import TaskStatus
from bcm_desktop.domain.projects import BusinessProject, ProjectTemplate, TemplateTask
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.link_queries import LinkQueries
from bcm_desktop.repository.orm import BusinessProjectRow, ProjectTaskRow
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.catalog import CatalogService
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.links import LinkService
from bcm_desktop.services.lookups import Lookups
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.projects import ProjectService, TemplateService
from bcm_desktop.ui.dialogs.conflict_dialog import KEEP_MINE, ConflictDialog
from bcm_desktop.ui.dialogs.create_project_dialog import CreateProjectDialog
from bcm_desktop.ui.dialogs.project_task_dialog import ProjectTaskDialog
from bcm_desktop.ui.dialogs.project_templates_dialog import ProjectTemplatesDialog
from bcm_desktop.ui.forms.opportunity_form import FormServices, OpportunityForm
from bcm_desktop.ui.forms.project_form import ProjectForm
from bcm_desktop.ui.forms.project_manager import ProjectFormManager
from bcm_desktop.ui.forms.project_services import ProjectFormServices

TODAY = date(2026, 11, 28)
START = date(2027, 1, 4)


@pytest.fixture
def colleagues(uow_factory: Callable[[], UnitOfWork]) -> tuple[User, User]:
    with uow_factory() as uow:
        cas = uow.users.add("Cas Collega", "cas")
        dirk = uow.users.add("Dirk Derde", "dirk")
        uow.commit()
    return cas, dirk


@pytest.fixture
def project_services(
    database: Database, uow_factory: Callable[[], UnitOfWork], owner: User
) -> ProjectFormServices:
    return ProjectFormServices(
        projects=ProjectService(uow_factory, owner.id, today=lambda: TODAY),
        templates=TemplateService(uow_factory),
        lookups=Lookups(uow_factory),
        links=LinkService(LinkQueries(database), uow_factory),
        history=HistoryService(uow_factory),
    )


@pytest.fixture
def manager(project_services: ProjectFormServices) -> Iterator[ProjectFormManager]:
    manager = ProjectFormManager(project_services)
    yield manager
    for form in manager.forms:
        form.close()


@pytest.fixture
def services(
    database: Database,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    manager: ProjectFormManager,
) -> FormServices:
    return FormServices(
        opportunities=OpportunityService(uow_factory, owner.id, today=lambda: TODAY),
        lookups=Lookups(uow_factory),
        catalog=CatalogService(uow_factory),
        links=LinkService(LinkQueries(database), uow_factory),
        history=HistoryService(uow_factory),
        today=lambda: TODAY,
        projects=manager,
    )


@pytest.fixture
def template(project_services: ProjectFormServices) -> ProjectTemplate:
    return project_services.templates.create(
        ProjectTemplate(
            "Installation", [TemplateTask("Site survey", 0, 2), TemplateTask("Train staff", 3, 1)]
        )
    )


@pytest.fixture(autouse=True)
def never_block(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No modal box may open: questions answer Yes, unsaved changes are discarded."""
    seen: list[str] = []
    monkeypatch.setattr(OpportunityForm, "ask_unsaved", lambda self: "discard")
    monkeypatch.setattr(ProjectForm, "ask_unsaved", lambda self: "discard")
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda _p, _t, text, *a, **k: seen.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return seen


def click_row(qtbot, view: QAbstractItemView, row: int, column: int = 0) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def choose(qtbot, combo: QWidget, text: str) -> None:
    """Pick a combo box entry by typing its first letters, as a keyboard user does."""
    combo.setFocus()
    qtbot.keyClicks(combo, text)


def projects_in_db(database: Database) -> list[BusinessProjectRow]:
    with database.session_factory() as session:
        rows = list(session.scalars(select(BusinessProjectRow)))
        session.expunge_all()
    return rows


def tasks_in_db(database: Database) -> list[ProjectTaskRow]:
    with database.session_factory() as session:
        rows = list(session.scalars(select(ProjectTaskRow).order_by(ProjectTaskRow.position)))
        session.expunge_all()
    return rows


def user_ids(uow_factory: Callable[[], UnitOfWork]) -> dict[str, int]:
    with uow_factory() as uow:
        return {user.name: user.id for user in uow.users.all()}


def test_create_project_from_opportunity_then_assign_project_and_tasks(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    database: Database,
    uow_factory: Callable[[], UnitOfWork],
    services: FormServices,
    manager: ProjectFormManager,
    template: ProjectTemplate,
    colleagues: tuple[User, User],
    account: RecordRef,
) -> None:
    opp = services.opportunities.create(Opportunity("Kassa's voor de bakkerij", account))
    form = OpportunityForm(services, opp)
    qtbot.addWidget(form)
    form.show()
    seen: dict[str, str] = {}

    def fill_create_dialog(dialog: CreateProjectDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        seen["name"] = dialog.name_edit.text()
        seen["link"] = dialog.link_label.text()
        click_row(qtbot, dialog.template_view, 1)  # row 0 is "No template"
        dialog.start_edit.set_value(START)
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
        return dialog.result()

    monkeypatch.setattr(CreateProjectDialog, "exec", fill_create_dialog)
    button = form.toolbar.widgetForAction(form.create_project_action)
    assert button is not None and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert seen["name"] == "Kassa's voor de bakkerij"  # the opportunity's title
    assert "Bakkerij de Vries" in seen["link"]  # and its account
    [stored] = projects_in_db(database)
    assert (stored.name, stored.link_account_id, stored.opportunity_id) == (
        "Kassa's voor de bakkerij",
        account.id,
        opp.id,
    )
    assert [(t.subject, t.start_date, t.due_date) for t in tasks_in_db(database)] == [
        ("Site survey", START, date(2027, 1, 6)),
        ("Train staff", date(2027, 1, 7), date(2027, 1, 8)),
    ]

    [project_form] = manager.forms
    qtbot.addWidget(project_form)
    assert project_form.task_model.rowCount() == 2

    # The whole project to Cas; the first task to Dirk, the second to Olivia (the owner).
    choose(qtbot, project_form.assigned_combo, "Cas")
    assert project_form.assigned_combo.currentText() == "Cas Collega"

    def assign_task_to(name: str) -> Callable[[ProjectTaskDialog], int]:
        def fill(dialog: ProjectTaskDialog) -> int:
            qtbot.addWidget(dialog)
            dialog.show()
            choose(qtbot, dialog.assigned_combo, name)
            choose(qtbot, dialog.status_combo, "In")
            qtbot.mouseClick(
                dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                Qt.MouseButton.LeftButton,
            )
            return dialog.result()

        return fill

    for row, name in ((0, "Dirk"), (1, "Olivia")):
        monkeypatch.setattr(ProjectTaskDialog, "exec", assign_task_to(name))
        click_row(qtbot, project_form.task_view, row)
        qtbot.mouseClick(project_form.open_task_button, Qt.MouseButton.LeftButton)

    qtbot.waitExposed(project_form)
    project_form.activateWindow()
    qtbot.waitUntil(project_form.isActiveWindow)
    qtbot.keyClick(project_form.name_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not project_form.is_dirty()

    ids = user_ids(uow_factory)
    [stored] = projects_in_db(database)
    assert stored.assigned_to_id == ids["Cas Collega"]
    assert [(t.subject, t.assigned_to_id, t.status) for t in tasks_in_db(database)] == [
        ("Site survey", ids["Dirk Derde"], TaskStatus.IN_PROGRESS.value),
        ("Train staff", ids["Olivia Owner"], TaskStatus.IN_PROGRESS.value),
    ]
    assert project_form.task_model.index(0, 1).data() == "Dirk Derde"


def test_create_project_is_disabled_on_a_new_opportunity(services: FormServices, qtbot) -> None:
    form = OpportunityForm(services, services.opportunities.new())
    qtbot.addWidget(form)
    assert not form.create_project_action.isEnabled()


def test_create_dialog_refuses_without_link_and_writes_nothing(
    qtbot, project_services: ProjectFormServices, database: Database, never_block: list[str]
) -> None:
    dialog = CreateProjectDialog(project_services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name_edit, "Standalone")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.isVisible() and dialog.created is None
    assert any("Link to is required" in text for text in never_block)
    assert projects_in_db(database) == []


def _open_project(
    qtbot, project_services: ProjectFormServices, account: RecordRef, **fields: object
) -> ProjectForm:
    project = project_services.projects.create(BusinessProject("Shop fit-out", account, **fields))  # type: ignore[arg-type]
    form = ProjectForm(project_services, project)
    qtbot.addWidget(form)
    form.show()
    return form


def test_new_task_and_percent_complete_and_delete(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    project_services: ProjectFormServices,
    database: Database,
    account: RecordRef,
) -> None:
    form = _open_project(qtbot, project_services, account)

    def new_task(dialog: ProjectTaskDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.keyClicks(dialog.subject_edit, "Order shelves")
        dialog.percent_spin.setValue(40)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.result()

    monkeypatch.setattr(ProjectTaskDialog, "exec", new_task)
    qtbot.mouseClick(form.new_task_button, Qt.MouseButton.LeftButton)
    assert [(t.subject, t.percent_complete) for t in tasks_in_db(database)] == [
        ("Order shelves", 40)
    ]
    assert form.computed_label.text().startswith("40 %")

    click_row(qtbot, form.task_view, 0)
    qtbot.mouseClick(form.delete_task_button, Qt.MouseButton.LeftButton)
    assert tasks_in_db(database) == []
    assert form.task_model.rowCount() == 0


def test_related_records_add_and_remove(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    project_services: ProjectFormServices,
    database: Database,
    account: RecordRef,
    contact: RecordRef,
) -> None:
    from bcm_desktop.ui.dialogs.link_dialog import LinkDialog

    form = _open_project(qtbot, project_services, account)
    candidate = project_services.links.candidate(contact)
    monkeypatch.setattr(LinkDialog, "ask", classmethod(lambda cls, *a, **k: candidate))
    qtbot.mouseClick(form.add_related_button, Qt.MouseButton.LeftButton)
    assert [r.ref for r in project_services.projects.related(form.record_id or 0)] == [contact]
    assert form.related_model.index(0, 0).data() == "Anna Jansen"

    click_row(qtbot, form.related_view, 0)
    qtbot.mouseClick(form.remove_related_button, Qt.MouseButton.LeftButton)
    assert project_services.projects.related(form.record_id or 0) == []


def test_stale_save_shows_conflict_and_keep_mine_saves(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    project_services: ProjectFormServices,
    database: Database,
    account: RecordRef,
) -> None:
    form = _open_project(qtbot, project_services, account)
    from dataclasses import replace

    project_services.projects.update(replace(form.project, name="Renamed by a colleague"))
    shown: list[list[tuple[str, str, str]]] = []

    def decide(cls, parent, title, differences):  # type: ignore[no-untyped-def]
        shown.append(differences)
        return KEEP_MINE

    monkeypatch.setattr(ConflictDialog, "ask", classmethod(decide))
    form.name_edit.clear()
    qtbot.keyClicks(form.name_edit, "Mine")
    assert form.save()
    assert shown and shown[0][0][1:] == ("Mine", "Renamed by a colleague")
    assert projects_in_db(database)[0].name == "Mine"


def test_project_form_refuses_due_before_start(
    qtbot, project_services: ProjectFormServices, account: RecordRef, never_block: list[str]
) -> None:
    form = _open_project(qtbot, project_services, account)
    form.start_edit.set_value(date(2027, 3, 1))
    form.due_edit.set_value(date(2027, 2, 1))
    assert not form.save()
    assert any("due date cannot be before" in text for text in never_block)
    assert project_services.projects.get(form.record_id or 0).due_date is None


def test_templates_dialog_creates_a_template_with_tasks(
    qtbot, monkeypatch: pytest.MonkeyPatch, project_services: ProjectFormServices
) -> None:
    dialog = ProjectTemplatesDialog(project_services.templates)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.name_edit, "Training")
    for _ in range(2):
        qtbot.mouseClick(dialog.add_task_button, Qt.MouseButton.LeftButton)
    model = dialog.task_model
    model.setData(model.index(0, 0), "Prepare")
    model.setData(model.index(1, 0), "Give course")
    model.setData(model.index(1, 1), 7)
    model.setData(model.index(1, 2), 2)
    click_row(qtbot, dialog.task_view, 1)
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [saved] = project_services.templates.all()
    assert saved.name == "Training"
    assert [(t.subject, t.start_offset_days, t.duration_days) for t in saved.tasks] == [
        ("Give course", 7, 2),
        ("Prepare", 0, 1),
    ]
    assert dialog.list_model.rowCount() == 1


def test_models_pass_the_model_tester(
    qtbot,
    qtmodeltester,
    project_services: ProjectFormServices,
    template: ProjectTemplate,
    account: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = project_services.projects.create(
        BusinessProject("Tested", account), template_id=template.id
    )
    form = ProjectForm(project_services, project)
    qtbot.addWidget(form)
    qtmodeltester.check(form.task_model)
    qtmodeltester.check(form.related_model)
    dialog = CreateProjectDialog(project_services)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.template_model)
    templates = ProjectTemplatesDialog(project_services.templates)
    qtbot.addWidget(templates)
    qtmodeltester.check(templates.list_model)
    qtmodeltester.check(templates.task_model)
    assert dialog.template_model.index(0, 0).data() != template.name
    assert dialog.template_model.index(1, 0).data() == template.name


def test_edit_templates_from_the_create_dialog_refreshes_its_list(
    qtbot, monkeypatch: pytest.MonkeyPatch, project_services: ProjectFormServices
) -> None:
    dialog = CreateProjectDialog(project_services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.template_model.rowCount() == 1  # only "No template"

    def make_one(templates: ProjectTemplatesDialog) -> int:
        qtbot.addWidget(templates)
        templates.show()
        qtbot.mouseClick(templates.new_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(templates.name_edit, "Maintenance")
        qtbot.mouseClick(templates.add_task_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(
            templates.close_box.button(QDialogButtonBox.StandardButton.Close),
            Qt.MouseButton.LeftButton,
        )  # closing saves the edited template
        return templates.result()

    monkeypatch.setattr(ProjectTemplatesDialog, "exec", make_one)
    qtbot.mouseClick(dialog.edit_templates_button, Qt.MouseButton.LeftButton)
    assert [t.name for t in project_services.templates.all()] == ["Maintenance"]
    assert dialog.template_model.index(1, 0).data() == "Maintenance"
    assert dialog.template() is None  # "No template" stays chosen


def test_unsaved_changes_cancel_keeps_the_form_and_save_stores_them(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    project_services: ProjectFormServices,
    database: Database,
    account: RecordRef,
) -> None:
    form = _open_project(qtbot, project_services, account)
    qtbot.keyClicks(form.name_edit, " 2027")
    monkeypatch.setattr(ProjectForm, "ask_unsaved", lambda self: "cancel")
    assert not form.close()
    assert form.isVisible()
    monkeypatch.setattr(ProjectForm, "ask_unsaved", lambda self: "save")
    assert form.close()
    assert [p.name for p in projects_in_db(database)] == ["Shop fit-out 2027"]


def test_percent_complete_set_explicitly_in_the_form(
    qtbot, project_services: ProjectFormServices, database: Database, account: RecordRef
) -> None:
    form = _open_project(qtbot, project_services, account)
    assert form.percent_spin.text().startswith("Automatic")
    form.percent_spin.setFocus()
    form.percent_spin.lineEdit().selectAll()
    qtbot.keyClicks(form.percent_spin, "60")
    assert form.save()
    assert projects_in_db(database)[0].percent_complete == 60
    form.percent_spin.setValue(form.percent_spin.minimum())
    assert form.save()
    assert projects_in_db(database)[0].percent_complete is None


@pytest.mark.parametrize(
    "typed",
    ["<b>Fit-out</b> by _Friday_ per plan_v2", "line one\n\n\nafter blank lines\n  indented"],
)
def test_project_comments_are_kept_exactly_as_typed(
    qtbot, project_services: ProjectFormServices, database: Database, account: RecordRef, typed: str
) -> None:
    form = _open_project(qtbot, project_services, account)
    form.comments_edit.setFocus()
    form.comments_edit.insertPlainText(typed)
    assert form.save()
    stored = project_services.projects.get(form.record_id or 0)
    assert stored.comments == typed
    again = ProjectForm(project_services, stored)
    qtbot.addWidget(again)
    assert again.comments_edit.toPlainText() == typed
    assert not again.is_dirty()
