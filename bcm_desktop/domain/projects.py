"""Business projects (S-11): the project, its tasks and the templates projects start from.

Percent complete: a project's % complete is the value set on it explicitly, or, when none is
set (``percent_complete is None``), the mean of its tasks' % complete, where a completed task
counts as 100 %. The mean (rather than the share of completed tasks) moves as soon as work
starts on a task, which is what a project manager watching progress expects. A project
without tasks is 0 %.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .entities import RecordRef
from .enums import Priority, ProjectStatus, TaskStatus
from .errors import ValidationError
from .validation import LATEST_DATE, MAX_LONG_TEXT, check_date, check_percent, clean_text

MAX_TEMPLATE_DAYS = 3650  # ten years: any offset or duration beyond that is a typing error


def _check_dates(start: date | None, due: date | None) -> None:
    check_date(start, "Start date", "start_date")
    check_date(due, "Due date", "due_date")
    if start is not None and due is not None and due < start:
        raise ValidationError("The due date cannot be before the start date.", "due_date")


@dataclass
class BusinessProject:
    """A business project. ``id`` and ``version`` are ``None``/0 until saved.

    ``percent_complete`` is ``None`` while it is computed from the tasks (see the module
    docstring); a number sets it explicitly.
    """

    name: str
    link: RecordRef | None
    assigned_to_id: int | None = None
    project_type_id: int | None = None
    status: ProjectStatus = ProjectStatus.NOT_STARTED
    priority: Priority = Priority.NORMAL
    start_date: date | None = None
    due_date: date | None = None
    percent_complete: int | None = None
    opportunity_id: int | None = None
    comments: str = ""
    id: int | None = None
    version: int = 0
    created_at: datetime | None = None
    modified_at: datetime | None = None

    def validate(self) -> None:
        """Check every field; raise ``ValidationError`` naming the first bad one."""
        self.name = clean_text(self.name, "Project name", "name", required=True)
        if self.link is None:
            raise ValidationError(
                "Link to is required: link the project to one account or business contact.",
                "link",
            )
        _check_dates(self.start_date, self.due_date)
        if self.percent_complete is not None:
            check_percent(self.percent_complete, "% complete", "percent_complete")
        self.comments = clean_text(
            self.comments, "Comments", "comments", max_length=MAX_LONG_TEXT, multiline=True
        )


@dataclass
class ProjectTask:
    """One task of a business project, assignable to its own colleague.

    A completed task is 100 % complete, and a task set to 100 % is completed.
    """

    project_id: int
    subject: str
    assigned_to_id: int | None = None
    status: TaskStatus = TaskStatus.NOT_STARTED
    priority: Priority = Priority.NORMAL
    start_date: date | None = None
    due_date: date | None = None
    percent_complete: int = 0
    comments: str = ""
    id: int | None = None
    version: int = 0
    position: int = 0

    def validate(self) -> None:
        self.subject = clean_text(self.subject, "Subject", "subject", required=True)
        _check_dates(self.start_date, self.due_date)
        check_percent(self.percent_complete, "% complete", "percent_complete")
        self.comments = clean_text(
            self.comments, "Comments", "comments", max_length=MAX_LONG_TEXT, multiline=True
        )
        if self.status is TaskStatus.COMPLETED:
            self.percent_complete = 100
        elif self.percent_complete == 100:
            self.status = TaskStatus.COMPLETED


def task_percent(task: ProjectTask) -> int:
    return 100 if task.status is TaskStatus.COMPLETED else task.percent_complete


def project_percent(explicit: int | None, tasks: Iterable[ProjectTask]) -> int:
    """The project's % complete: ``explicit`` when set, else the tasks' mean (rounded)."""
    if explicit is not None:
        return explicit
    values = [task_percent(task) for task in tasks]
    if not values:
        return 0
    return (sum(values) * 2 + len(values)) // (2 * len(values))  # half up, in integers


@dataclass(frozen=True)
class TemplateTask:
    """A task of a project template: it starts ``start_offset_days`` after the project's
    start date and is due ``duration_days`` after its own start."""

    subject: str
    start_offset_days: int = 0
    duration_days: int = 1
    id: int | None = None

    def validated(self, number: int) -> TemplateTask:
        subject = clean_text(self.subject, f"Subject of task {number}", "tasks", required=True)
        for value, label in (
            (self.start_offset_days, "Start after (days)"),
            (self.duration_days, "Duration (days)"),
        ):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(f"{label} of task {number} must be a whole number.", "tasks")
            if not 0 <= value <= MAX_TEMPLATE_DAYS:
                raise ValidationError(
                    f"{label} of task {number} must be from 0 to {MAX_TEMPLATE_DAYS} days.",
                    "tasks",
                )
        return TemplateTask(subject, self.start_offset_days, self.duration_days, self.id)

    def dates(self, project_start: date) -> tuple[date, date]:
        """(start, due) of the task in a project starting on ``project_start``.

        Raises ``ValidationError`` (on the start date) when the task would end after the
        last date a date field takes.
        """
        days = self.start_offset_days + self.duration_days
        if (LATEST_DATE - project_start).days < days:
            raise ValidationError(
                f"The template's task “{self.subject}” would end after "
                f"{LATEST_DATE:%d-%m-%Y}: choose an earlier start date.",
                "start_date",
            )
        start = project_start + timedelta(days=self.start_offset_days)
        return start, start + timedelta(days=self.duration_days)


@dataclass
class ProjectTemplate:
    """A named, ordered list of tasks a new project can start from."""

    name: str
    tasks: list[TemplateTask] = field(default_factory=list)
    id: int | None = None
    version: int = 0

    def validate(self) -> None:
        self.name = clean_text(self.name, "Template name", "name", required=True)
        self.tasks = [task.validated(n) for n, task in enumerate(self.tasks, 1)]


@dataclass(frozen=True)
class RelatedRecord:
    """An account or business contact related to a project, with its display name."""

    ref: RecordRef
    name: str
