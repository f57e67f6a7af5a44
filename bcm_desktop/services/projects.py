"""Business project use cases (S-11): projects, their tasks and related records, templates.

Every method is one transaction. A refusal raises a ``DomainError`` the user can read and
leaves the database exactly as it was. See :mod:`bcm_desktop.domain.projects` for how a
project's % complete follows its tasks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

from ..domain.entities import RecordRef
from ..domain.enums import ListKind
from ..domain.errors import NotFoundError, ValidationError
from ..domain.projects import (
    BusinessProject,
    ProjectTask,
    ProjectTemplate,
    RelatedRecord,
    project_percent,
)
from ..repository.deleted_items import PROJECT_KIND, TASK_KIND
from ..repository.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]


def _check_user(
    uow: UnitOfWork, user_id: int | None, field: str, stored: int | None = None
) -> None:
    """A new assignee must share the database; the ``stored`` one is kept even if removed
    (the project or task keeps showing who it was assigned to)."""
    if user_id is None or user_id == stored:
        return
    user = uow.users.get(user_id)
    if not user.active:
        raise ValidationError(
            f"{user.name} no longer shares this database; assign it to someone else.", field
        )


class ProjectService:
    """Use cases on business projects and their tasks, on behalf of ``user_id``."""

    def __init__(
        self,
        uow_factory: UowFactory,
        user_id: int | None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._uow = uow_factory
        self._user_id = user_id
        self._today = today

    @property
    def user_id(self) -> int | None:
        return self._user_id

    def today(self) -> date:
        return self._today()

    # -- projects ------------------------------------------------------------------------

    def get(self, project_id: int) -> BusinessProject:
        with self._uow() as uow:
            return uow.projects.get(project_id)

    def create(self, draft: BusinessProject, template_id: int | None = None) -> BusinessProject:
        """Save a new project; with ``template_id`` it gets the template's tasks.

        A template's tasks are dated from the project's start date, which is today when none
        was given; the project's due date, when empty, becomes the last task's due date.
        """
        project = replace(draft, id=None, version=0)
        project.validate()
        with self._uow() as uow:
            self._check_references(uow, project)
            template = None
            if template_id is not None:
                template = uow.project_templates.get(template_id)
                if project.start_date is None:
                    project.start_date = self._today()
                dues = [task.dates(project.start_date)[1] for task in template.tasks]
                if project.due_date is None and dues:
                    project.due_date = max(dues)
                project.validate()  # the dates just set must still make sense
            project_id = uow.projects.add(project)
            if template is not None:
                assert project.start_date is not None
                for step in template.tasks:
                    start, due = step.dates(project.start_date)
                    uow.projects.add_task(
                        ProjectTask(
                            project_id=project_id,
                            subject=step.subject,
                            assigned_to_id=project.assigned_to_id,
                            start_date=start,
                            due_date=due,
                        )
                    )
            uow.commit()
            return uow.projects.get(project_id)

    def update(self, changed: BusinessProject) -> BusinessProject:
        """Save ``changed`` over the stored project; ``ConflictError`` when it is stale."""
        if changed.id is None:
            raise NotFoundError("This business project has not been saved yet.")
        project = replace(changed)
        project.validate()
        with self._uow() as uow:
            stored = uow.projects.get(changed.id)
            project.opportunity_id = stored.opportunity_id  # where it came from never changes
            self._check_references(uow, project, stored.assigned_to_id)
            uow.projects.update(project)
            uow.commit()
            return uow.projects.get(changed.id)

    def delete(self, project_id: int, expected_version: int) -> None:
        """Move the project, with its tasks, related-record links and history, to Deleted
        Items."""
        with self._uow() as uow:
            uow.deleted.archive(PROJECT_KIND, [project_id], self._user_id, datetime.now(UTC))
            uow.projects.delete(project_id, expected_version)
            uow.commit()

    def delete_many(self, project_ids: list[int]) -> int:
        """Move the chosen projects (a workspace selection) to Deleted Items in one
        transaction, one entry each; how many.

        A project already deleted by someone else is skipped, not an error.
        """
        deleted = 0
        with self._uow() as uow:
            chosen = list(dict.fromkeys(project_ids))
            uow.deleted.archive(PROJECT_KIND, chosen, self._user_id, datetime.now(UTC))
            for project_id in chosen:
                try:
                    stored = uow.projects.get(project_id)
                except NotFoundError:
                    continue
                uow.projects.delete(project_id, stored.version)
                deleted += 1
            uow.commit()
        return deleted

    def percent_complete(self, project_id: int) -> int:
        """The project's % complete: the explicit value, or computed from its tasks."""
        with self._uow() as uow:
            project = uow.projects.get(project_id)
            return project_percent(project.percent_complete, uow.projects.tasks(project_id))

    def _check_references(
        self, uow: UnitOfWork, project: BusinessProject, stored_assignee: int | None = None
    ) -> None:
        assert project.link is not None
        uow.records.link_name(project.link)  # NotFoundError when the record was deleted
        _check_user(uow, project.assigned_to_id, "assigned_to", stored_assignee)
        if (
            project.project_type_id is not None
            and uow.lists.kind_of(project.project_type_id) is not ListKind.PROJECT_TYPE
        ):
            raise ValidationError(
                "The chosen project type no longer exists. Choose another.", "project_type_id"
            )
        if project.opportunity_id is not None:
            uow.opportunities.get(project.opportunity_id)

    # -- related accounts and business contacts --------------------------------------------

    def related(self, project_id: int) -> list[RelatedRecord]:
        with self._uow() as uow:
            uow.projects.get(project_id)
            return uow.projects.related(project_id)

    def add_related(self, project_id: int, ref: RecordRef) -> list[RelatedRecord]:
        """Relate an account or business contact to the project; the related records after."""
        with self._uow() as uow:
            uow.projects.get(project_id)
            uow.records.link_name(ref)
            uow.projects.add_related(project_id, ref)
            uow.commit()
            return uow.projects.related(project_id)

    def remove_related(self, project_id: int, ref: RecordRef) -> list[RelatedRecord]:
        with self._uow() as uow:
            uow.projects.get(project_id)
            uow.projects.remove_related(project_id, ref)
            uow.commit()
            return uow.projects.related(project_id)

    # -- tasks ---------------------------------------------------------------------------

    def tasks(self, project_id: int) -> list[ProjectTask]:
        with self._uow() as uow:
            return uow.projects.tasks(project_id)

    def get_task(self, task_id: int) -> ProjectTask:
        with self._uow() as uow:
            return uow.projects.get_task(task_id)

    def new_task(self, project_id: int) -> ProjectTask:
        """An unsaved task with the defaults the task dialog shows: today, the current user."""
        return ProjectTask(
            project_id=project_id,
            subject="",
            assigned_to_id=self._user_id,
            start_date=self._today(),
        )

    def add_task(self, draft: ProjectTask) -> ProjectTask:
        task = replace(draft, id=None, version=0)
        task.validate()
        with self._uow() as uow:
            uow.projects.get(task.project_id)
            _check_user(uow, task.assigned_to_id, "assigned_to")
            task_id = uow.projects.add_task(task)
            uow.commit()
            return uow.projects.get_task(task_id)

    def update_task(self, changed: ProjectTask) -> ProjectTask:
        if changed.id is None:
            raise NotFoundError("This project task has not been saved yet.")
        task = replace(changed)
        task.validate()
        with self._uow() as uow:
            stored = uow.projects.get_task(changed.id)
            task.project_id = stored.project_id  # a task never moves between projects
            _check_user(uow, task.assigned_to_id, "assigned_to", stored.assigned_to_id)
            uow.projects.update_task(task)
            uow.commit()
            return uow.projects.get_task(changed.id)

    def delete_task(self, task_id: int, expected_version: int) -> None:
        """Move the task to Deleted Items."""
        with self._uow() as uow:
            uow.deleted.archive(TASK_KIND, [task_id], self._user_id, datetime.now(UTC))
            uow.projects.delete_task(task_id, expected_version)
            uow.commit()

    def delete_tasks(self, task_ids: list[int]) -> int:
        """Move the chosen tasks to Deleted Items in one transaction, one entry each; how
        many (gone ones are skipped)."""
        deleted = 0
        with self._uow() as uow:
            chosen = list(dict.fromkeys(task_ids))
            uow.deleted.archive(TASK_KIND, chosen, self._user_id, datetime.now(UTC))
            for task_id in chosen:
                try:
                    stored = uow.projects.get_task(task_id)
                except NotFoundError:
                    continue
                uow.projects.delete_task(task_id, stored.version)
                deleted += 1
            uow.commit()
        return deleted


class TemplateService:
    """Project templates: a name and ordered tasks with start offsets and durations."""

    def __init__(self, uow_factory: UowFactory) -> None:
        self._uow = uow_factory

    def all(self) -> list[ProjectTemplate]:
        with self._uow() as uow:
            return uow.project_templates.all()

    def get(self, template_id: int) -> ProjectTemplate:
        with self._uow() as uow:
            return uow.project_templates.get(template_id)

    def create(self, draft: ProjectTemplate) -> ProjectTemplate:
        template = replace(draft, id=None, version=0, tasks=list(draft.tasks))
        template.validate()
        with self._uow() as uow:
            self._check_unique(uow, template)
            template_id = uow.project_templates.add(template)
            uow.commit()
            return uow.project_templates.get(template_id)

    def update(self, changed: ProjectTemplate) -> ProjectTemplate:
        if changed.id is None:
            raise NotFoundError("This project template has not been saved yet.")
        template = replace(changed, tasks=list(changed.tasks))
        template.validate()
        with self._uow() as uow:
            self._check_unique(uow, template)
            uow.project_templates.update(template)
            uow.commit()
            return uow.project_templates.get(changed.id)

    def delete(self, template_id: int, expected_version: int) -> None:
        """Delete a template; projects made from it keep their tasks."""
        with self._uow() as uow:
            uow.project_templates.delete(template_id, expected_version)
            uow.commit()

    @staticmethod
    def _check_unique(uow: UnitOfWork, template: ProjectTemplate) -> None:
        other = uow.project_templates.id_by_name(template.name)
        if other is not None and other != template.id:
            raise ValidationError(
                f"A template named “{template.name}” already exists. Choose another name.",
                "name",
            )
