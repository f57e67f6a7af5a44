"""Business projects, their tasks, related records and templates: rows to entities and back."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..domain.entities import RecordRef
from ..domain.enums import LinkKind, Priority, ProjectStatus, TaskStatus
from ..domain.errors import NotFoundError
from ..domain.projects import (
    BusinessProject,
    ProjectTask,
    ProjectTemplate,
    RelatedRecord,
    TemplateTask,
)
from .orm import (
    AccountRow,
    BusinessProjectRow,
    ContactRow,
    ProjectAccountRow,
    ProjectContactRow,
    ProjectTaskRow,
    ProjectTemplateRow,
    ProjectTemplateTaskRow,
    utcnow,
)
from .repositories import check_version

PROJECT_GONE = "This business project no longer exists: it was deleted."
TASK_GONE = "This project task no longer exists: it was deleted."
TEMPLATE_GONE = "This project template no longer exists: it was deleted."


def _project(row: BusinessProjectRow) -> BusinessProject:
    link = (
        RecordRef(LinkKind.ACCOUNT, row.link_account_id)
        if row.link_account_id is not None
        else RecordRef(LinkKind.CONTACT, row.link_contact_id)
        if row.link_contact_id is not None
        else None
    )
    return BusinessProject(
        id=row.id,
        version=row.version,
        name=row.name,
        link=link,
        assigned_to_id=row.assigned_to_id,
        project_type_id=row.project_type_id,
        status=ProjectStatus(row.status),
        priority=Priority(row.priority),
        start_date=row.start_date,
        due_date=row.due_date,
        percent_complete=row.percent_complete,
        opportunity_id=row.opportunity_id,
        comments=row.comments,
        created_at=row.created_at,
        modified_at=row.modified_at,
    )


def _task(row: ProjectTaskRow) -> ProjectTask:
    return ProjectTask(
        id=row.id,
        version=row.version,
        project_id=row.project_id,
        subject=row.subject,
        position=row.position,
        assigned_to_id=row.assigned_to_id,
        status=TaskStatus(row.status),
        priority=Priority(row.priority),
        start_date=row.start_date,
        due_date=row.due_date,
        percent_complete=row.percent_complete,
        comments=row.comments,
    )


class ProjectRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- projects ------------------------------------------------------------------------

    def _row(self, project_id: int) -> BusinessProjectRow:
        row = self._session.get(BusinessProjectRow, project_id)
        if row is None:
            raise NotFoundError(PROJECT_GONE)
        return row

    def get(self, project_id: int) -> BusinessProject:
        return _project(self._row(project_id))

    @staticmethod
    def _write(row: BusinessProjectRow, project: BusinessProject) -> None:
        assert project.link is not None
        row.name = project.name
        row.assigned_to_id = project.assigned_to_id
        row.project_type_id = project.project_type_id
        row.status = project.status.value
        row.priority = project.priority.value
        row.start_date = project.start_date
        row.due_date = project.due_date
        row.percent_complete = project.percent_complete
        row.link_account_id = project.link.id if project.link.kind is LinkKind.ACCOUNT else None
        row.link_contact_id = project.link.id if project.link.kind is LinkKind.CONTACT else None
        row.opportunity_id = project.opportunity_id
        row.comments = project.comments

    def add(self, project: BusinessProject) -> int:
        row = BusinessProjectRow()
        self._write(row, project)
        self._session.add(row)
        self._session.flush()
        return row.id

    def update(self, project: BusinessProject) -> None:
        """Write ``project`` over the stored row, unless it changed since ``project.version``."""
        assert project.id is not None
        row = self._row(project.id)
        check_version(row.name, row.version, project.version)
        self._write(row, project)
        row.modified_at = utcnow()
        self._session.flush()

    def delete(self, project_id: int, expected_version: int) -> None:
        row = self._row(project_id)
        check_version(row.name, row.version, expected_version)
        self._session.delete(row)
        self._session.flush()

    # -- related accounts and business contacts --------------------------------------------

    def related(self, project_id: int) -> list[RelatedRecord]:
        accounts = self._session.execute(
            select(AccountRow.id, AccountRow.name)
            .join(ProjectAccountRow, ProjectAccountRow.account_id == AccountRow.id)
            .where(ProjectAccountRow.project_id == project_id)
        ).all()
        contacts = self._session.execute(
            select(ContactRow.id, ContactRow.full_name)
            .join(ProjectContactRow, ProjectContactRow.contact_id == ContactRow.id)
            .where(ProjectContactRow.project_id == project_id)
        ).all()
        records = [RelatedRecord(RecordRef(LinkKind.ACCOUNT, i), n) for i, n in accounts]
        records += [RelatedRecord(RecordRef(LinkKind.CONTACT, i), n) for i, n in contacts]
        return sorted(records, key=lambda r: (r.name.casefold(), r.ref.kind.value, r.ref.id))

    def add_related(self, project_id: int, ref: RecordRef) -> bool:
        """Relate ``ref`` to the project; False when it already was."""
        row: ProjectAccountRow | ProjectContactRow
        if ref.kind is LinkKind.ACCOUNT:
            if self._session.get(ProjectAccountRow, (project_id, ref.id)) is not None:
                return False
            row = ProjectAccountRow(project_id=project_id, account_id=ref.id)
        else:
            if self._session.get(ProjectContactRow, (project_id, ref.id)) is not None:
                return False
            row = ProjectContactRow(project_id=project_id, contact_id=ref.id)
        self._session.add(row)
        self._session.flush()
        return True

    def remove_related(self, project_id: int, ref: RecordRef) -> None:
        if ref.kind is LinkKind.ACCOUNT:
            self._session.execute(
                delete(ProjectAccountRow).where(
                    ProjectAccountRow.project_id == project_id,
                    ProjectAccountRow.account_id == ref.id,
                )
            )
        else:
            self._session.execute(
                delete(ProjectContactRow).where(
                    ProjectContactRow.project_id == project_id,
                    ProjectContactRow.contact_id == ref.id,
                )
            )

    # -- tasks ---------------------------------------------------------------------------

    def tasks(self, project_id: int) -> list[ProjectTask]:
        rows = self._session.scalars(
            select(ProjectTaskRow)
            .where(ProjectTaskRow.project_id == project_id)
            .order_by(ProjectTaskRow.position, ProjectTaskRow.id)
        )
        return [_task(row) for row in rows]

    def _task_row(self, task_id: int) -> ProjectTaskRow:
        row = self._session.get(ProjectTaskRow, task_id)
        if row is None:
            raise NotFoundError(TASK_GONE)
        return row

    def get_task(self, task_id: int) -> ProjectTask:
        return _task(self._task_row(task_id))

    @staticmethod
    def _write_task(row: ProjectTaskRow, task: ProjectTask) -> None:
        row.subject = task.subject
        row.assigned_to_id = task.assigned_to_id
        row.status = task.status.value
        row.priority = task.priority.value
        row.start_date = task.start_date
        row.due_date = task.due_date
        row.percent_complete = task.percent_complete
        row.comments = task.comments

    def add_task(self, task: ProjectTask) -> int:
        position = (
            self._session.scalar(
                select(func.coalesce(func.max(ProjectTaskRow.position), 0)).where(
                    ProjectTaskRow.project_id == task.project_id
                )
            )
            or 0
        ) + 1
        row = ProjectTaskRow(project_id=task.project_id, position=position)
        self._write_task(row, task)
        self._session.add(row)
        self._session.flush()
        return row.id

    def update_task(self, task: ProjectTask) -> None:
        assert task.id is not None
        row = self._task_row(task.id)
        check_version(row.subject, row.version, task.version)
        self._write_task(row, task)
        row.modified_at = utcnow()
        self._session.flush()

    def delete_task(self, task_id: int, expected_version: int) -> None:
        row = self._task_row(task_id)
        check_version(row.subject, row.version, expected_version)
        self._session.delete(row)
        self._session.flush()


def _template(row: ProjectTemplateRow, tasks: list[ProjectTemplateTaskRow]) -> ProjectTemplate:
    return ProjectTemplate(
        id=row.id,
        version=row.version,
        name=row.name,
        tasks=[TemplateTask(t.subject, t.start_offset_days, t.duration_days, t.id) for t in tasks],
    )


class TemplateRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, template_id: int) -> ProjectTemplateRow:
        row = self._session.get(ProjectTemplateRow, template_id)
        if row is None:
            raise NotFoundError(TEMPLATE_GONE)
        return row

    def _tasks(self, template_id: int) -> list[ProjectTemplateTaskRow]:
        return list(
            self._session.scalars(
                select(ProjectTemplateTaskRow)
                .where(ProjectTemplateTaskRow.template_id == template_id)
                .order_by(ProjectTemplateTaskRow.position, ProjectTemplateTaskRow.id)
            )
        )

    def all(self) -> list[ProjectTemplate]:
        rows = self._session.scalars(
            select(ProjectTemplateRow).order_by(func.lower(ProjectTemplateRow.name))
        )
        return [_template(row, self._tasks(row.id)) for row in rows]

    def get(self, template_id: int) -> ProjectTemplate:
        row = self._row(template_id)
        return _template(row, self._tasks(row.id))

    def id_by_name(self, name: str) -> int | None:
        return self._session.scalar(
            select(ProjectTemplateRow.id).where(func.lower(ProjectTemplateRow.name) == name.lower())
        )

    def _write_tasks(self, template_id: int, tasks: list[TemplateTask]) -> None:
        self._session.execute(
            delete(ProjectTemplateTaskRow).where(ProjectTemplateTaskRow.template_id == template_id)
        )
        for position, task in enumerate(tasks, 1):
            self._session.add(
                ProjectTemplateTaskRow(
                    template_id=template_id,
                    subject=task.subject,
                    position=position,
                    start_offset_days=task.start_offset_days,
                    duration_days=task.duration_days,
                )
            )

    def add(self, template: ProjectTemplate) -> int:
        row = ProjectTemplateRow(name=template.name)
        self._session.add(row)
        self._session.flush()
        self._write_tasks(row.id, template.tasks)
        self._session.flush()
        return row.id

    def update(self, template: ProjectTemplate) -> None:
        assert template.id is not None
        row = self._row(template.id)
        check_version(row.name, row.version, template.version)
        row.name = template.name
        row.modified_at = utcnow()  # a tasks-only edit must still bump the version
        self._write_tasks(template.id, template.tasks)
        self._session.flush()

    def delete(self, template_id: int, expected_version: int) -> None:
        row = self._row(template_id)
        check_version(row.name, row.version, expected_version)
        self._session.execute(
            delete(ProjectTemplateTaskRow).where(ProjectTemplateTaskRow.template_id == template_id)
        )
        self._session.delete(row)
        self._session.flush()
