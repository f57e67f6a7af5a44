"""Defects found using business projects and their templates, against a real SQLite file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select

from bcm_desktop.domain.contacts import Account
from bcm_desktop.domain.entities import InitiatorRef, Opportunity, RecordRef, User
from bcm_desktop.domain.enums import InitiatorKind, LinkKind
from bcm_desktop.domain.errors import ValidationError
from bcm_desktop.domain.marketing import MarketingActivity
from bcm_desktop.domain.projects import BusinessProject, ProjectTemplate, TemplateTask
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.orm import BusinessProjectRow, ProjectTaskRow
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.contacts import AccountService
from bcm_desktop.services.deleted_items import DeletedItemsService
from bcm_desktop.services.marketing import MarketingService
from bcm_desktop.services.opportunities import OpportunityService
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


@pytest.mark.parametrize("initiator", ["marketing", "account"])
def test_initiated_by_comes_back_whichever_is_restored_first(
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    database: Database,
    account: RecordRef,
    initiator: str,
) -> None:
    """Delete an opportunity, then the marketing activity (or account) that initiated it;
    restore the opportunity, then the activity: the opportunity had lost its Initiated by
    for good (it came back without one, and the activity's entry did not know about it), so
    it was missing from the activity's Tracking page."""
    opportunities = OpportunityService(uow_factory, owner.id)
    deleted = DeletedItemsService(uow_factory, owner.id)
    if initiator == "marketing":
        marketing = MarketingService(uow_factory, owner.id)
        source_id = marketing.create(MarketingActivity("Trade fair")).id or 0
        started_by = InitiatorRef(InitiatorKind.MARKETING, source_id)
    else:
        accounts = AccountService(uow_factory, owner.id)
        source_id = accounts.create(Account(name="Referrer B.V.")).id or 0
        started_by = InitiatorRef(InitiatorKind.ACCOUNT, source_id)
    ovens = opportunities.create(Opportunity("Ovens", account, initiated_by=started_by))
    opportunities.delete(ovens.id or 0, ovens.version)
    if initiator == "marketing":
        marketing.delete(source_id, marketing.get(source_id).version)
    else:
        stored = accounts.get(source_id)
        accounts.delete(source_id, stored.version, accounts.delete_impact(source_id))
    entries = {item.title: item.id for item in deleted.items()}

    deleted.restore([entries["Ovens"]])
    assert opportunities.get(ovens.id or 0).initiated_by is None  # its source is deleted
    deleted.restore([entries["Trade fair" if initiator == "marketing" else "Referrer B.V."]])
    assert opportunities.get(ovens.id or 0).initiated_by == started_by


def test_a_project_keeps_its_related_account_and_opportunity_whichever_is_restored_first(
    projects: ProjectService,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
) -> None:
    """Delete a project, then a related account of it and the opportunity it came from;
    restore the project, then the account and the opportunity: the project had lost the
    related account and where it came from for good."""
    opportunities = OpportunityService(uow_factory, owner.id)
    accounts = AccountService(uow_factory, owner.id)
    deleted = DeletedItemsService(uow_factory, owner.id)
    partner_id = accounts.create(Account(name="Partner B.V.")).id or 0
    partner = RecordRef(LinkKind.ACCOUNT, partner_id)
    origin = opportunities.create(Opportunity("Ovens", account))
    project = projects.create(BusinessProject("Shop fitting", account, opportunity_id=origin.id))
    projects.add_related(project.id or 0, partner)
    projects.delete(project.id or 0, projects.get(project.id or 0).version)
    accounts.delete(
        partner_id, accounts.get(partner_id).version, accounts.delete_impact(partner_id)
    )
    opportunities.delete(origin.id or 0, opportunities.get(origin.id or 0).version)
    entries = {item.title: item.id for item in deleted.items()}

    deleted.restore([entries["Shop fitting"]])
    assert projects.related(project.id or 0) == []
    deleted.restore([entries["Partner B.V."], entries["Ovens"]])
    assert [r.ref for r in projects.related(project.id or 0)] == [partner]
    assert projects.get(project.id or 0).opportunity_id == origin.id
