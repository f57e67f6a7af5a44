"""Deleted Items for business projects, project tasks, marketing activities and communication
history items: each delete keeps one entry; Restore gives back exactly the rows it took."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bcm_desktop.domain.entities import HistoryItem, InitiatorRef, Opportunity, RecordRef, User
from bcm_desktop.domain.enums import CallDirection, HistoryKind, InitiatorKind, LinkKind
from bcm_desktop.domain.errors import PermissionDeniedError, ValidationError
from bcm_desktop.domain.marketing import MarketingActivity
from bcm_desktop.domain.projects import BusinessProject
from bcm_desktop.repository.history import HistoryRepository
from bcm_desktop.repository.marketing import MarketingRepository
from bcm_desktop.repository.projects import ProjectRepository
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.contacts import AccountService
from bcm_desktop.services.deleted_items import DeletedItemsService
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.marketing import MarketingService
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.projects import ProjectService

TABLES = (
    "business_projects",
    "project_tasks",
    "project_accounts",
    "project_contacts",
    "marketing_activities",
    "opportunities",
    "history_items",
    "history_files",
)
# An opportunity whose Initiated by is cleared moves on a version (an open form notices), and
# again when Restore sets it back; everything else of every row is compared.
OPPORTUNITY_CHANGES = ("version", "modified_at")
FILE_BYTES = bytes(range(256)) * 40


def dump(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a project, task, activity or history item touches."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with closing(sqlite3.connect(db_path)) as connection:
        for table in TABLES:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            if table == "opportunities":
                columns = [name for name in columns if name not in OPPORTUNITY_CHANGES]
            tables[table] = connection.execute(
                f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1, 2"
            ).fetchall()
    return tables


def started_by(activity: MarketingActivity) -> InitiatorRef:
    return InitiatorRef(InitiatorKind.MARKETING, activity.id or 0)


def entries(db_path: Path) -> list[tuple[str, int, str]]:
    with closing(sqlite3.connect(db_path)) as connection:
        query = "SELECT kind, record_id, title FROM deleted_items ORDER BY id"
        return connection.execute(query).fetchall()


@pytest.fixture
def projects(uow_factory: Callable[[], UnitOfWork], owner: User) -> ProjectService:
    return ProjectService(uow_factory, owner.id, today=lambda: date(2026, 11, 28))


@pytest.fixture
def history(uow_factory: Callable[[], UnitOfWork], owner: User) -> HistoryService:
    return HistoryService(uow_factory, owner.id)


@pytest.fixture
def marketing(uow_factory: Callable[[], UnitOfWork], owner: User) -> MarketingService:
    return MarketingService(uow_factory, owner.id)


@pytest.fixture
def opportunities(uow_factory: Callable[[], UnitOfWork], owner: User) -> OpportunityService:
    return OpportunityService(uow_factory, owner.id)


@pytest.fixture
def deleted(uow_factory: Callable[[], UnitOfWork], owner: User) -> DeletedItemsService:
    return DeletedItemsService(uow_factory, owner.id)


@pytest.fixture
def project(
    projects: ProjectService,
    history: HistoryService,
    account: RecordRef,
    contact: RecordRef,
    uow_factory: Callable[[], UnitOfWork],
) -> int:
    """A project of the account with 4 tasks, a related account and contact, and two history
    items, one a stored file. A second project stays, so its rows must stay untouched."""
    with uow_factory() as uow:
        other = uow.records.add_account("Other BV")
        uow.commit()
    created = projects.create(BusinessProject("Shop fitting", account, comments="Big job"))
    pid = created.id or 0
    for subject in ("Survey", "Order", "Build", "Hand over"):
        projects.add_task(replace(projects.new_task(pid), subject=subject))
    projects.add_related(pid, RecordRef(LinkKind.ACCOUNT, other))
    projects.add_related(pid, contact)
    history.create(HistoryItem(HistoryKind.NOTE, "Kick-off", body="Notes", project_id=pid))
    history.create(
        HistoryItem(HistoryKind.FILE, "Plan.pdf", file_name="Plan.pdf", project_id=pid),
        FILE_BYTES,
    )
    stays = projects.create(BusinessProject("Stays", account)).id or 0
    projects.add_task(replace(projects.new_task(stays), subject="Keep me"))
    return pid


def test_a_project_goes_to_deleted_items_with_its_tasks_and_restore_puts_it_back(
    projects: ProjectService,
    deleted: DeletedItemsService,
    db_path: Path,
    project: int,
    owner: User,
) -> None:
    before = dump(db_path)

    projects.delete(project, projects.get(project).version)

    after = dump(db_path)
    assert [row[1] for row in after["business_projects"]] == ["Stays"]
    assert [row[2] for row in after["project_tasks"]] == ["Keep me"]
    for table in ("project_accounts", "project_contacts", "history_items", "history_files"):
        assert after[table] == [], table
    [item] = deleted.items()
    assert (item.kind, item.record_id, item.title) == ("project", project, "Shop fitting")
    assert item.deleted_by == owner.name
    assert entries(db_path) == [("project", project, "Shop fitting")]

    assert deleted.restore([item.id]).restored == 1
    assert dump(db_path) == before
    assert entries(db_path) == []
    assert [task.subject for task in projects.tasks(project)] == [
        "Survey",
        "Order",
        "Build",
        "Hand over",
    ]


def test_deleting_several_projects_keeps_one_entry_each(
    projects: ProjectService, deleted: DeletedItemsService, db_path: Path, project: int
) -> None:
    before = dump(db_path)
    both = [row[0] for row in before["business_projects"]]

    assert projects.delete_many([*both, 999]) == 2

    assert dump(db_path)["business_projects"] == []
    assert sorted(entry[2] for entry in entries(db_path)) == ["Shop fitting", "Stays"]
    assert deleted.restore([item.id for item in deleted.items()]).restored == 2
    assert dump(db_path) == before


def test_a_project_whose_number_is_taken_comes_back_under_a_new_one_with_its_rows(
    projects: ProjectService,
    deleted: DeletedItemsService,
    history: HistoryService,
    db_path: Path,
    project: int,
    account: RecordRef,
) -> None:
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute("PRAGMA foreign_keys = ON")  # its task goes with it
        connection.execute("DELETE FROM business_projects WHERE name = 'Stays'")
    lone = projects.add_task(replace(projects.new_task(project), subject="Lone task"))
    projects.delete_task(lone.id or 0, lone.version)
    projects.delete(project, projects.get(project).version)
    taker = projects.create(BusinessProject("Took the number", account)).id or 0
    assert taker == project
    [item] = [entry for entry in deleted.items() if entry.kind == "project"]

    assert deleted.restore([item.id]).restored == 1

    with closing(sqlite3.connect(db_path)) as connection:
        [(new_id,)] = connection.execute(
            "SELECT id FROM business_projects WHERE name = 'Shop fitting'"
        ).fetchall()
    assert new_id != taker
    assert len(projects.tasks(new_id)) == 4 and projects.tasks(taker) == []
    # A task deleted on its own before the project went follows the project's new number.
    [lone] = [entry for entry in deleted.items() if entry.title == "Lone task"]
    assert deleted.restore([lone.id]).restored == 1
    assert [task.subject for task in projects.tasks(new_id)][-1] == "Lone task"
    assert projects.tasks(taker) == []
    assert len(projects.related(new_id)) == 2
    with closing(sqlite3.connect(db_path)) as connection:
        files = connection.execute(
            "SELECT h.subject, f.data FROM history_items h JOIN history_files f"
            " ON f.history_id = h.id WHERE h.project_id = ?",
            (new_id,),
        ).fetchall()
    assert files == [("Plan.pdf", FILE_BYTES)]


def test_a_project_task_goes_alone_and_needs_its_project_to_come_back(
    projects: ProjectService, deleted: DeletedItemsService, db_path: Path, project: int
) -> None:
    before = dump(db_path)
    survey, order, *_ = projects.tasks(project)

    projects.delete_task(survey.id or 0, survey.version)

    assert [task.subject for task in projects.tasks(project)] == ["Order", "Build", "Hand over"]
    [task_entry] = deleted.items()
    assert (task_entry.kind, task_entry.title) == ("project_task", "Survey")
    assert deleted.restore([task_entry.id]).restored == 1
    assert dump(db_path) == before

    # A task whose project went to Deleted Items after it is refused until the project is back.
    projects.delete_tasks([order.id or 0])
    projects.delete(project, projects.get(project).version)
    project_entry, task_entry = deleted.items()  # most recently deleted first
    assert (project_entry.kind, task_entry.kind) == ("project", "project_task")
    with pytest.raises(ValidationError, match=r"“Order”.*project has been deleted.*restore it"):
        deleted.restore([task_entry.id])
    assert len(deleted.items()) == 2
    assert deleted.restore([task_entry.id, project_entry.id]).restored == 2
    assert dump(db_path) == before
    assert deleted.items() == []


def test_a_task_of_a_project_deleted_for_good_is_refused(
    projects: ProjectService, deleted: DeletedItemsService, project: int
) -> None:
    survey = projects.tasks(project)[0]
    projects.delete_task(survey.id or 0, survey.version)
    projects.delete(project, projects.get(project).version)
    project_entry, task_entry = deleted.items()
    deleted.delete_permanently([project_entry.id])

    with pytest.raises(ValidationError, match="its business project has been deleted"):
        deleted.restore([task_entry.id])


def test_a_marketing_activity_comes_back_initiating_the_opportunities_still_free(
    marketing: MarketingService,
    opportunities: OpportunityService,
    deleted: DeletedItemsService,
    db_path: Path,
    account: RecordRef,
    contact: RecordRef,
) -> None:
    fair = marketing.create(MarketingActivity("Trade fair", campaign_code="TF-26"))
    mailing = marketing.create(MarketingActivity("Mailing"))
    titles = ("Ovens", "Mixers", "Fridges")
    ids = [
        opportunities.create(
            Opportunity(title=title, link=account, initiated_by=started_by(fair))
        ).id
        or 0
        for title in titles
    ]
    before = dump(db_path)

    assert marketing.delete(fair.id or 0, fair.version) == 3

    after = dump(db_path)
    assert [row[1] for row in after["marketing_activities"]] == ["Mailing"]
    with closing(sqlite3.connect(db_path)) as connection:
        assert connection.execute(
            "SELECT count(*) FROM opportunities WHERE initiated_by_marketing_id IS NOT NULL"
        ).fetchone() == (0,)
    [item] = deleted.items()
    assert (item.kind, item.title) == ("marketing_activity", "Trade fair")

    assert deleted.restore([item.id]).restored == 1
    assert dump(db_path) == before

    # Meanwhile chosen other sources keep theirs; only the still empty ones get it back.
    fair = marketing.get(fair.id or 0)
    marketing.delete(fair.id or 0, fair.version)
    ovens = opportunities.get(ids[0])
    opportunities.update(replace(ovens, initiated_by=started_by(mailing)))
    mixers = opportunities.get(ids[1])
    opportunities.update(
        replace(mixers, initiated_by=InitiatorRef(InitiatorKind.CONTACT, contact.id))
    )
    [item] = deleted.items()
    deleted.restore([item.id])
    with closing(sqlite3.connect(db_path)) as connection:
        rows = connection.execute(
            "SELECT title, initiated_by_marketing_id, initiated_by_contact_id"
            " FROM opportunities ORDER BY id"
        ).fetchall()
    assert rows == [
        ("Ovens", mailing.id, None),
        ("Mixers", None, contact.id),
        ("Fridges", fair.id, None),
    ]


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (HistoryKind.NOTE, "history_note"),
        (HistoryKind.PHONE_LOG, "history_phone_log"),
        (HistoryKind.TASK, "history_task"),
        (HistoryKind.EMAIL, "history_email"),
        (HistoryKind.APPOINTMENT, "history_appointment"),
        (HistoryKind.FILE, "history_file"),
    ],
)
def test_a_history_item_goes_with_its_file_and_comes_back(
    history: HistoryService,
    opportunities: OpportunityService,
    deleted: DeletedItemsService,
    db_path: Path,
    account: RecordRef,
    kind: HistoryKind,
    label: str,
) -> None:
    opportunity = opportunities.create(Opportunity(title="Ovens", link=account)).id or 0
    history.create(HistoryItem(HistoryKind.NOTE, "Stays", opportunity_id=opportunity))
    content = FILE_BYTES if kind is HistoryKind.FILE else None
    start = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    draft = HistoryItem(
        kind,
        "Gone for now",
        body="Talked about the ovens",
        occurred_at=start,
        direction=CallDirection.OUTGOING if kind is HistoryKind.PHONE_LOG else None,
        duration_seconds=300 if kind is HistoryKind.PHONE_LOG else None,
        end_at=start.replace(hour=11) if kind is HistoryKind.APPOINTMENT else None,
        due_date=date(2026, 12, 4) if kind is HistoryKind.TASK else None,
        email_to="anna@example.com" if kind is HistoryKind.EMAIL else "",
        file_name="a.bin" if kind is HistoryKind.FILE else "",
        opportunity_id=opportunity,
    )
    item = history.create(draft, content)
    before = dump(db_path)

    history.delete(item.id or 0, item.version)

    assert [row.subject for row in history.for_opportunity(opportunity)] == ["Stays"]
    assert dump(db_path)["history_files"] == []
    [entry] = deleted.items()
    assert (entry.kind, entry.record_id, entry.title) == (label, item.id, "Gone for now")

    assert deleted.restore([entry.id]).restored == 1
    assert dump(db_path) == before
    if content is not None:
        assert history.file_content(item.id or 0) == content


def test_a_history_item_of_a_deleted_record_waits_for_it(
    history: HistoryService,
    opportunities: OpportunityService,
    deleted: DeletedItemsService,
    db_path: Path,
    account: RecordRef,
) -> None:
    opportunity = opportunities.create(Opportunity(title="Ovens", link=account))
    item = history.create(HistoryItem(HistoryKind.NOTE, "Call", opportunity_id=opportunity.id))
    before = dump(db_path)
    history.delete(item.id or 0, item.version)
    opportunities.delete(opportunity.id or 0, opportunity.version)
    opportunity_entry, item_entry = deleted.items()

    with pytest.raises(ValidationError, match=r"“Call”.*record it belongs to.*restore it first"):
        deleted.restore([item_entry.id])
    assert deleted.restore([item_entry.id, opportunity_entry.id]).restored == 2
    assert dump(db_path) == before


def test_only_the_owner_deletes_the_new_kinds_permanently(
    projects: ProjectService,
    history: HistoryService,
    marketing: MarketingService,
    deleted: DeletedItemsService,
    uow_factory: Callable[[], UnitOfWork],
    db_path: Path,
    project: int,
) -> None:
    survey = projects.tasks(project)[0]
    projects.delete_task(survey.id or 0, survey.version)
    projects.delete(project, projects.get(project).version)
    fair = marketing.create(MarketingActivity("Trade fair"))
    marketing.delete(fair.id or 0, fair.version)
    with uow_factory() as uow:
        colleague = uow.users.add("Chris Colleague", "chris")
        uow.commit()
    theirs = DeletedItemsService(uow_factory, colleague.id)
    ids = [item.id for item in deleted.items()]
    assert len(ids) == 3

    with pytest.raises(PermissionDeniedError, match="Only the database owner"):
        theirs.delete_permanently(ids[:1])
    with pytest.raises(PermissionDeniedError, match="Only the database owner"):
        theirs.empty()
    assert len(entries(db_path)) == 3

    assert deleted.delete_permanently(ids[:2]) == 2
    assert len(entries(db_path)) == 1
    assert deleted.empty() == 1
    assert entries(db_path) == []


@pytest.mark.parametrize("what", ["project", "task", "marketing", "history"])
def test_archive_and_delete_are_one_transaction(
    projects: ProjectService,
    history: HistoryService,
    marketing: MarketingService,
    opportunities: OpportunityService,
    db_path: Path,
    project: int,
    account: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
    what: str,
) -> None:
    fair = marketing.create(MarketingActivity("Trade fair"))
    opportunities.create(Opportunity(title="Ovens", link=account, initiated_by=started_by(fair)))
    note = history.create(HistoryItem(HistoryKind.NOTE, "Call", project_id=project))
    before = dump(db_path)
    repository, method = {
        "project": (ProjectRepository, "delete"),
        "task": (ProjectRepository, "delete_task"),
        "marketing": (MarketingRepository, "delete"),
        "history": (HistoryRepository, "delete"),
    }[what]
    original = getattr(repository, method)

    def fails_halfway(self: Any, *args: Any) -> Any:
        original(self, *args)
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(repository, method, fails_halfway)
    task = projects.tasks(project)[0]
    with pytest.raises(RuntimeError, match="disk unplugged"):
        if what == "project":
            projects.delete(project, projects.get(project).version)
        elif what == "task":
            projects.delete_task(task.id or 0, task.version)
        elif what == "marketing":
            marketing.delete(fair.id or 0, fair.version)
        else:
            history.delete(note.id or 0, note.version)

    assert dump(db_path) == before
    assert entries(db_path) == []


def test_a_project_whose_account_was_deleted_after_it_waits_for_the_account(
    projects: ProjectService,
    deleted: DeletedItemsService,
    uow_factory: Callable[[], UnitOfWork],
    db_path: Path,
    project: int,
    account: RecordRef,
) -> None:
    accounts = AccountService(uow_factory)
    before = dump(db_path)
    for pid in (project, project + 1):  # the account is the link of both projects
        projects.delete(pid, projects.get(pid).version)
    impact = accounts.delete_impact(account.id)
    accounts.delete(account.id, accounts.get(account.id).version, impact)
    account_entry, *project_entries = deleted.items()
    assert account_entry.kind == "account"

    with pytest.raises(ValidationError, match=r"“Stays” cannot be restored.*restore it first"):
        deleted.restore([project_entries[0].id])
    # Together: the account comes back first, so its projects can follow it.
    restored = deleted.restore([account_entry.id, *(entry.id for entry in project_entries)])
    assert restored.restored == 3
    assert dump(db_path) == before


def test_a_project_follows_its_account_restored_under_a_new_number(
    projects: ProjectService,
    deleted: DeletedItemsService,
    uow_factory: Callable[[], UnitOfWork],
    history: HistoryService,
) -> None:
    accounts = AccountService(uow_factory)
    with uow_factory() as uow:
        zeta = uow.records.add_account("Zeta BV")  # the highest number: handed out again
        uow.commit()
    link = RecordRef(LinkKind.ACCOUNT, zeta)
    pid = projects.create(BusinessProject("Zeta fit-out", link)).id or 0
    note = history.create(HistoryItem(HistoryKind.NOTE, "Zeta call", account_id=zeta))
    history.delete(note.id or 0, note.version)
    projects.delete(pid, projects.get(pid).version)
    accounts.delete(zeta, accounts.get(zeta).version, accounts.delete_impact(zeta))
    with uow_factory() as uow:
        newcomer = uow.records.add_account("Newcomer BV")
        uow.commit()
    assert newcomer == zeta
    by_kind = {entry.kind: entry.id for entry in deleted.items()}

    assert deleted.restore([by_kind["account"]]).restored == 1
    assert deleted.restore([by_kind["project"], by_kind["history_note"]]).restored == 2

    restored = projects.get(pid)
    assert restored.link is not None and restored.link.id not in (zeta, newcomer)
    assert accounts.get(restored.link.id).name == "Zeta BV"
    assert [row.subject for row in history.for_account(restored.link.id)] == ["Zeta call"]
    assert history.for_account(newcomer) == []
