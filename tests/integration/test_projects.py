"""Business projects (S-11) against a real SQLite file: templates, links, progress, conflicts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.domain.enums import ListKind, Priority, ProjectStatus, TaskStatus
from bcm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from bcm_desktop.domain.projects import BusinessProject, ProjectTemplate, TemplateTask
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.orm import BusinessProjectRow, ProjectTaskRow
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.projects import ProjectService, TemplateService

TODAY = date(2026, 11, 28)


@pytest.fixture
def projects(uow_factory: Callable[[], UnitOfWork], owner: User) -> ProjectService:
    return ProjectService(uow_factory, owner.id, today=lambda: TODAY)


@pytest.fixture
def templates(uow_factory: Callable[[], UnitOfWork]) -> TemplateService:
    return TemplateService(uow_factory)


@pytest.fixture
def colleague(uow_factory: Callable[[], UnitOfWork]) -> User:
    with uow_factory() as uow:
        user = uow.users.add("Cas Collega", "cas")
        uow.commit()
    return user


def _count(database: Database, table: type) -> int:
    with database.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _installation(templates: TemplateService) -> ProjectTemplate:
    return templates.create(
        ProjectTemplate(
            "Installation",
            [
                TemplateTask("Site survey", 0, 2),
                TemplateTask("Deliver hardware", 3, 1),
                TemplateTask("Train staff", 5, 4),
            ],
        )
    )


def test_project_from_template_gets_its_tasks_dated_from_the_start(
    projects: ProjectService, templates: TemplateService, account: RecordRef
) -> None:
    template = _installation(templates)
    project = projects.create(
        BusinessProject("Kassa's installeren", account, start_date=date(2027, 1, 4)),
        template_id=template.id,
    )

    tasks = projects.tasks(project.id or 0)
    assert [(t.subject, t.start_date, t.due_date) for t in tasks] == [
        ("Site survey", date(2027, 1, 4), date(2027, 1, 6)),
        ("Deliver hardware", date(2027, 1, 7), date(2027, 1, 8)),
        ("Train staff", date(2027, 1, 9), date(2027, 1, 13)),
    ]
    assert project.due_date == date(2027, 1, 13)  # the last task's due date
    assert all(t.status is TaskStatus.NOT_STARTED and t.percent_complete == 0 for t in tasks)


def test_template_without_start_date_starts_today(
    projects: ProjectService, templates: TemplateService, contact: RecordRef
) -> None:
    template = _installation(templates)
    project = projects.create(BusinessProject("Onboarding", contact), template_id=template.id)
    assert project.start_date == TODAY
    assert projects.tasks(project.id or 0)[0].start_date == TODAY


def test_no_template_no_tasks(projects: ProjectService, account: RecordRef) -> None:
    project = projects.create(BusinessProject("Plain", account))
    assert projects.tasks(project.id or 0) == []
    assert project.start_date is None


def test_project_without_link_is_refused_and_nothing_written(
    projects: ProjectService, templates: TemplateService, database: Database
) -> None:
    template = _installation(templates)
    with pytest.raises(ValidationError) as refused:
        projects.create(BusinessProject("No link", None), template_id=template.id)
    assert refused.value.field == "link"
    assert _count(database, BusinessProjectRow) == 0
    assert _count(database, ProjectTaskRow) == 0


def test_link_to_deleted_record_is_refused(
    projects: ProjectService, database: Database, account: RecordRef
) -> None:
    from bcm_desktop.domain.enums import LinkKind

    with pytest.raises(NotFoundError):
        projects.create(BusinessProject("Ghost", RecordRef(LinkKind.ACCOUNT, account.id + 99)))
    assert _count(database, BusinessProjectRow) == 0


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("name", {"name": "   "}),
        ("due_date", {"start_date": date(2027, 2, 1), "due_date": date(2027, 1, 31)}),
        ("percent_complete", {"percent_complete": 101}),
    ],
)
def test_bad_values_are_refused(
    projects: ProjectService, account: RecordRef, field: str, changes: dict[str, object]
) -> None:
    with pytest.raises(ValidationError) as refused:
        projects.create(replace(BusinessProject("Ok", account), **changes))  # type: ignore[arg-type]
    assert refused.value.field == field


def test_created_from_opportunity_keeps_its_origin_and_fields(
    projects: ProjectService,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    colleague: User,
    account: RecordRef,
) -> None:
    opp = OpportunityService(uow_factory, owner.id).create(Opportunity("Kassa's", account))
    with uow_factory() as uow:
        project_type = uow.lists.items(ListKind.PROJECT_TYPE)[0]
    project = projects.create(
        BusinessProject(
            "Kassa's",
            account,
            opportunity_id=opp.id,
            assigned_to_id=colleague.id,
            project_type_id=project_type.id,
            status=ProjectStatus.IN_PROGRESS,
            priority=Priority.HIGH,
        )
    )
    stored = projects.get(project.id or 0)
    assert stored.opportunity_id == opp.id
    assert stored.assigned_to_id == colleague.id
    assert stored.project_type_id == project_type.id
    assert (stored.status, stored.priority) == (ProjectStatus.IN_PROGRESS, Priority.HIGH)


def test_list_item_of_another_kind_is_refused_as_project_type(
    projects: ProjectService, uow_factory: Callable[[], UnitOfWork], account: RecordRef
) -> None:
    with uow_factory() as uow:
        payment = uow.lists.items(ListKind.PAYMENT_TERMS)[0]
    with pytest.raises(ValidationError) as refused:
        projects.create(BusinessProject("X", account, project_type_id=payment.id))
    assert refused.value.field == "project_type_id"


def test_percent_complete_follows_tasks_unless_set(
    projects: ProjectService, account: RecordRef
) -> None:
    project = projects.create(BusinessProject("Progress", account))
    pid = project.id or 0
    assert projects.percent_complete(pid) == 0
    first = projects.add_task(replace(projects.new_task(pid), subject="One", percent_complete=50))
    projects.add_task(replace(projects.new_task(pid), subject="Two"))
    assert projects.percent_complete(pid) == 25
    done = projects.update_task(replace(first, status=TaskStatus.COMPLETED))
    assert done.percent_complete == 100  # completing a task makes it 100 %
    assert projects.percent_complete(pid) == 50

    explicit = projects.update(replace(projects.get(pid), percent_complete=80))
    assert explicit.percent_complete == 80
    assert projects.percent_complete(pid) == 80
    back = projects.update(replace(explicit, percent_complete=None))
    assert back.percent_complete is None
    assert projects.percent_complete(pid) == 50


def test_task_at_100_percent_is_completed(projects: ProjectService, account: RecordRef) -> None:
    pid = projects.create(BusinessProject("P", account)).id or 0
    task = projects.add_task(replace(projects.new_task(pid), subject="T", percent_complete=100))
    assert task.status is TaskStatus.COMPLETED


def test_tasks_are_assigned_to_other_users_than_the_project(
    projects: ProjectService, owner: User, colleague: User, account: RecordRef
) -> None:
    pid = projects.create(BusinessProject("Team", account, assigned_to_id=owner.id)).id or 0
    task = projects.add_task(
        replace(projects.new_task(pid), subject="Install", assigned_to_id=colleague.id)
    )
    assert projects.get_task(task.id or 0).assigned_to_id == colleague.id
    assert projects.get(pid).assigned_to_id == owner.id


def test_related_accounts_and_contacts_are_added_once_and_removed(
    projects: ProjectService, account: RecordRef, contact: RecordRef, database: Database
) -> None:
    pid = projects.create(BusinessProject("Related", contact)).id or 0
    projects.add_related(pid, account)
    projects.add_related(pid, contact)
    related = projects.add_related(pid, account)  # twice: still once
    assert [(r.ref, r.name) for r in related] == [
        (contact, "Anna Jansen"),
        (account, "Bakkerij de Vries"),
    ]
    assert [r.ref for r in projects.remove_related(pid, account)] == [contact]
    assert [r.ref for r in projects.related(pid)] == [contact]


def test_stale_project_save_is_a_conflict(projects: ProjectService, account: RecordRef) -> None:
    opened = projects.create(BusinessProject("Shared", account))
    projects.update(replace(opened, name="Saved by a colleague"))
    with pytest.raises(ConflictError):
        projects.update(replace(opened, name="Mine"))
    assert projects.get(opened.id or 0).name == "Saved by a colleague"
    with pytest.raises(ConflictError):
        projects.delete(opened.id or 0, opened.version)


def test_stale_task_save_is_a_conflict(projects: ProjectService, account: RecordRef) -> None:
    pid = projects.create(BusinessProject("P", account)).id or 0
    task = projects.add_task(replace(projects.new_task(pid), subject="T"))
    projects.update_task(replace(task, subject="Theirs"))
    with pytest.raises(ConflictError):
        projects.update_task(replace(task, subject="Mine"))
    assert projects.get_task(task.id or 0).subject == "Theirs"


def test_delete_project_removes_tasks_and_relations(
    projects: ProjectService, account: RecordRef, contact: RecordRef, database: Database
) -> None:
    project = projects.create(BusinessProject("Gone", account))
    pid = project.id or 0
    projects.add_task(replace(projects.new_task(pid), subject="T"))
    projects.add_related(pid, contact)
    projects.delete(pid, project.version)
    assert _count(database, BusinessProjectRow) == 0
    assert _count(database, ProjectTaskRow) == 0
    with pytest.raises(NotFoundError):
        projects.get(pid)


def test_task_delete(projects: ProjectService, account: RecordRef) -> None:
    pid = projects.create(BusinessProject("P", account)).id or 0
    task = projects.add_task(replace(projects.new_task(pid), subject="T"))
    projects.delete_task(task.id or 0, task.version)
    assert projects.tasks(pid) == []


def test_templates_are_edited_renamed_and_deleted(templates: TemplateService) -> None:
    template = _installation(templates)
    edited = templates.update(
        replace(
            template,
            name="Installation (large)",
            tasks=[TemplateTask("Plan", 0, 3), *template.tasks[:1]],
        )
    )
    assert edited.version > template.version
    stored = templates.get(edited.id or 0)
    assert stored.name == "Installation (large)"
    assert [(t.subject, t.start_offset_days, t.duration_days) for t in stored.tasks] == [
        ("Plan", 0, 3),
        ("Site survey", 0, 2),
    ]
    with pytest.raises(ConflictError):
        templates.update(replace(template, name="Stale"))
    templates.delete(stored.id or 0, stored.version)
    assert templates.all() == []


def test_template_names_are_unique_and_tasks_checked(templates: TemplateService) -> None:
    _installation(templates)
    with pytest.raises(ValidationError) as duplicate:
        templates.create(ProjectTemplate("installation"))
    assert duplicate.value.field == "name"
    with pytest.raises(ValidationError) as negative:
        templates.create(ProjectTemplate("Other", [TemplateTask("X", -1, 1)]))
    assert negative.value.field == "tasks"
    with pytest.raises(ValidationError):
        templates.create(ProjectTemplate("Other", [TemplateTask("  ", 0, 1)]))
    assert [t.name for t in templates.all()] == ["Installation"]


def test_delete_many_is_one_transaction_and_skips_gone_ones(
    projects: ProjectService, account: RecordRef, database: Database
) -> None:
    first = projects.create(BusinessProject("One", account)).id or 0
    second = projects.create(BusinessProject("Two", account)).id or 0
    task = projects.add_task(replace(projects.new_task(first), subject="T")).id or 0
    assert projects.delete_tasks([task, task + 100]) == 1
    assert projects.delete_many([first, second, second + 100]) == 2
    assert _count(database, BusinessProjectRow) == 0


def test_project_list_sorts_filters_and_computes_percent_in_sql(
    projects: ProjectService, account: RecordRef, contact: RecordRef, colleague: User, database
) -> None:
    from bcm_desktop.domain.listing import RecordFilter, RecordOrder
    from bcm_desktop.repository.project_lists import (
        PROJECT_COLUMNS,
        TASK_COLUMNS,
        project_list_spec,
        task_list_spec,
    )
    from bcm_desktop.repository.record_queries import RecordQueries

    alpha = projects.create(BusinessProject("Alpha", account, assigned_to_id=colleague.id))
    beta = projects.create(
        BusinessProject("Beta", contact, status=ProjectStatus.IN_PROGRESS, percent_complete=30)
    )
    pid = alpha.id or 0
    projects.add_task(replace(projects.new_task(pid), subject="a", percent_complete=33))
    projects.add_task(replace(projects.new_task(pid), subject="b", status=TaskStatus.COMPLETED))
    projects.add_task(replace(projects.new_task(pid), subject="c", assigned_to_id=colleague.id))

    source = RecordQueries(database, project_list_spec())
    assert source.keys == list(PROJECT_COLUMNS)
    everything = RecordFilter()
    rows = source.page(everything, RecordOrder("name"), 0, 50, source.count(everything))
    values = {row.id: dict(zip(PROJECT_COLUMNS, row.values, strict=True)) for row in rows}
    assert values[pid]["link"] == "Bakkerij de Vries"
    assert values[pid]["assigned_to"] == "Cas Collega"
    # (33 + 100 + 0) / 3 = 44.3 → 44, as the domain rule says
    assert values[pid]["percent"] == projects.percent_complete(pid) == 44
    assert values[beta.id or 0]["percent"] == 30
    assert values[beta.id or 0]["link"] == "Anna Jansen"

    in_progress = RecordFilter(equals=(("status", "in_progress"),))
    assert [r.id for r in source.page(in_progress, RecordOrder("name"), 0, 50, 10)] == [beta.id]
    mine = RecordFilter(equals=(("assigned_to", colleague.id),))
    assert source.count(mine) == 1
    assert source.count(RecordFilter(search="jans")) == 1  # the linked contact's name

    tasks = RecordQueries(database, task_list_spec())
    assert tasks.keys == list(TASK_COLUMNS)
    theirs = RecordFilter(equals=(("assigned_to", colleague.id),))
    [row] = tasks.page(theirs, RecordOrder("subject"), 0, 50, tasks.count(theirs))
    assert row.values[:3] == ("c", "Alpha", "Cas Collega")
