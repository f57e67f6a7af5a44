"""The record lists of the Project Management workspace: business projects and project tasks.

Both are :class:`~.record_queries.ListSpec` lists. A project's % complete column is the one
set on the project or, when none is, the mean of its tasks' (a completed task counts 100 %),
as :func:`bcm_desktop.domain.projects.project_percent` computes it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.orm import aliased

from .orm import AccountRow, BusinessProjectRow, ContactRow, ProjectTaskRow, UserRow
from .record_queries import ListSpec

PROJECT_COLUMNS = (
    "name",
    "link",
    "assigned_to",
    "status",
    "priority",
    "start_date",
    "due_date",
    "percent",
)
TASK_COLUMNS = (
    "subject",
    "project",
    "assigned_to",
    "status",
    "priority",
    "start_date",
    "due_date",
    "percent",
)


def _task_mean() -> Any:
    task = aliased(ProjectTaskRow)
    return (
        select(func.avg(case((task.status == "completed", 100), else_=task.percent_complete)))
        .where(task.project_id == BusinessProjectRow.id)
        .scalar_subquery()
    )


def project_list_spec() -> ListSpec:
    """Business projects: name, linked record, assigned to, status, priority, dates, %."""
    user = aliased(UserRow)
    table = (
        BusinessProjectRow.__table__.outerjoin(user, BusinessProjectRow.assigned_to_id == user.id)
        .outerjoin(AccountRow, BusinessProjectRow.link_account_id == AccountRow.id)
        .outerjoin(ContactRow, BusinessProjectRow.link_contact_id == ContactRow.id)
    )
    link = func.coalesce(AccountRow.name, ContactRow.full_name, "")
    percent = func.coalesce(
        BusinessProjectRow.percent_complete, cast(func.round(_task_mean()), Integer), 0
    )
    columns: dict[str, Any] = {
        "name": BusinessProjectRow.name,
        "link": link,
        "assigned_to": func.coalesce(user.name, ""),
        "status": BusinessProjectRow.status,
        "priority": BusinessProjectRow.priority,
        "start_date": BusinessProjectRow.start_date,
        "due_date": BusinessProjectRow.due_date,
        "percent": percent,
    }
    return ListSpec(
        table=table,
        id_column=BusinessProjectRow.id.expression,
        columns=columns,
        search=(link, BusinessProjectRow.name.expression),
        filters={
            "status": lambda value: BusinessProjectRow.status == str(value),
            "assigned_to": lambda value: BusinessProjectRow.assigned_to_id == int(value),
        },
    )


def task_list_spec() -> ListSpec:
    """Project tasks of every project: subject, project, assigned to, status, dates, %."""
    user = aliased(UserRow)
    table = ProjectTaskRow.__table__.join(
        BusinessProjectRow, ProjectTaskRow.project_id == BusinessProjectRow.id
    ).outerjoin(user, ProjectTaskRow.assigned_to_id == user.id)
    columns: dict[str, Any] = {
        "subject": ProjectTaskRow.subject,
        "project": BusinessProjectRow.name,
        "assigned_to": func.coalesce(user.name, ""),
        "status": ProjectTaskRow.status,
        "priority": ProjectTaskRow.priority,
        "start_date": ProjectTaskRow.start_date,
        "due_date": ProjectTaskRow.due_date,
        "percent": ProjectTaskRow.percent_complete,
    }
    return ListSpec(
        table=table,
        id_column=ProjectTaskRow.id.expression,
        columns=columns,
        search=(ProjectTaskRow.subject.expression, BusinessProjectRow.name.expression),
        filters={
            "status": lambda value: ProjectTaskRow.status == str(value),
            "assigned_to": lambda value: ProjectTaskRow.assigned_to_id == int(value),
        },
    )
