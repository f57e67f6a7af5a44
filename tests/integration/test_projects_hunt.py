"""Defects found using business projects and their templates, against a real SQLite file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select

from bcm_desktop.domain.entities import RecordRef, User
from bcm_desktop.domain.errors import ValidationError
from bcm_desktop.domain.projects import BusinessProject, ProjectTemplate, TemplateTask
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.orm import BusinessProjectRow, ProjectTaskRow
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.projects import ProjectService, TemplateService

TODAY = date(2026, 11, 28)


@pytest.fixture
def projects(uow_factory: Callable[[], UnitOfWork], owner: User) -> ProjectService:
    return ProjectService(uow_factory, owner.id, today=lambda: TODAY)


def _count(database: Database, table: type) -> int:
    with database.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


@pytest.mark.parametrize("start", [date(9999, 12, 31), date(9990, 6, 1)])
def test_a_template_running_past_the_last_date_is_refused_clearly(
    projects: ProjectService,
    uow_factory: Callable[[], UnitOfWork],
    database: Database,
    account: RecordRef,
    start: date,
) -> None:
    """A start date far away with a template made Create Project crash with OverflowError
    (a traceback, not a message)."""
    template = TemplateService(uow_factory).create(
        ProjectTemplate("Long", [TemplateTask("Plan", 0, 5), TemplateTask("Run", 3650, 3650)])
    )
    with pytest.raises(ValidationError) as refused:
        projects.create(BusinessProject("Far away", account, start_date=start), template.id)
    assert refused.value.field == "start_date"
    assert "9999" in refused.value.message
    assert _count(database, BusinessProjectRow) == 0
    assert _count(database, ProjectTaskRow) == 0
