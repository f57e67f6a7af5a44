"""File → Share Database… (S-9): the user service on a real SQLite file, read back with SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bcm_desktop.domain.contacts import Account, BusinessContact
from bcm_desktop.domain.entities import HistoryItem, Opportunity, RecordRef, User
from bcm_desktop.domain.enums import HistoryKind
from bcm_desktop.domain.errors import PermissionDeniedError, ValidationError
from bcm_desktop.domain.marketing import MarketingActivity
from bcm_desktop.domain.projects import BusinessProject, ProjectTask
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.contacts import AccountService, ContactService
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.lookups import Lookups
from bcm_desktop.services.marketing import MarketingService
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.projects import ProjectService
from bcm_desktop.services.users import UserService, resolve_current_user
from tests.conftest import OWNER_LOGIN


@pytest.fixture
def users(uow_factory: Callable[[], UnitOfWork], owner: User) -> UserService:
    return UserService(uow_factory, owner.id)


def user_rows(db_path: Path) -> list[tuple[object, ...]]:
    """Every users row as (name, login, email, is_owner, active), by id."""
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            "SELECT name, login, email, is_owner, active FROM users ORDER BY id"
        ).fetchall()


# -- add, update, remove, reactivate -------------------------------------------------------


def test_the_owner_adds_a_colleague_who_can_then_open_the_database(
    users: UserService, uow_factory: Callable[[], UnitOfWork], db_path: Path
) -> None:
    added = users.add("  Anna Jansen ", "anna@bakkerij.nl", " anna ")

    assert (added.name, added.login, added.email, added.active) == (
        "Anna Jansen",
        "anna",
        "anna@bakkerij.nl",
        True,
    )
    assert user_rows(db_path)[-1] == ("Anna Jansen", "anna", "anna@bakkerij.nl", 0, 1)
    assert resolve_current_user(uow_factory, "ANNA").id == added.id  # logins ignore case
    assert [u.name for u in Lookups(uow_factory).users()] == ["Anna Jansen", "Olivia Owner"]


def test_an_e_mail_address_is_optional(users: UserService, db_path: Path) -> None:
    users.add("Bram", "", "bram")

    assert user_rows(db_path)[-1] == ("Bram", "bram", "", 0, 1)


def test_update_changes_name_and_e_mail_but_not_the_login(
    users: UserService, db_path: Path
) -> None:
    anna = users.add("Anna", "", "anna")

    updated = users.update(anna.id, "Anna de Vries", "anna@devries.nl")

    assert (updated.name, updated.email, updated.login) == (
        "Anna de Vries",
        "anna@devries.nl",
        "anna",
    )
    assert user_rows(db_path)[-1] == ("Anna de Vries", "anna", "anna@devries.nl", 0, 1)


def test_the_owner_may_correct_their_own_name(users: UserService, owner: User) -> None:
    assert users.update(owner.id, "Olivia de Eigenaar", "olivia@example.com").is_owner


def test_remove_keeps_the_user_and_their_opportunities_but_stops_them(
    users: UserService,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
    db_path: Path,
) -> None:
    anna = users.add("Anna Jansen", "anna@bakkerij.nl", "anna")
    opportunities = OpportunityService(uow_factory, owner.id)
    for title in ("Tills", "Ovens"):
        opportunities.create(Opportunity(title=title, link=account, assigned_to_id=anna.id))
    assert users.assigned_count(anna.id) == 2

    removed = users.remove(anna.id)

    assert removed.active is False
    assert user_rows(db_path)[-1] == ("Anna Jansen", "anna", "anna@bakkerij.nl", 0, 0)
    with sqlite3.connect(db_path) as connection:
        assigned = connection.execute(
            "SELECT count(*) FROM opportunities WHERE assigned_to_id = ?", (anna.id,)
        ).fetchone()[0]
    assert assigned == 2  # they still show who they were assigned to
    assert users.assigned_count(anna.id) == 2
    # No longer an Assigned to choice, no longer able to open the database.
    assert [u.login for u in Lookups(uow_factory).users()] == [OWNER_LOGIN]
    with pytest.raises(PermissionDeniedError, match="the database owner removed Anna Jansen"):
        resolve_current_user(uow_factory, "anna")
    # The owner's list still shows them with "include inactive".
    assert [u.login for u in users.users()] == [OWNER_LOGIN]
    assert {u.login: u.active for u in users.users(include_inactive=True)} == {
        "anna": False,
        OWNER_LOGIN: True,
    }


def test_a_removed_user_cannot_be_assigned_new_records(
    users: UserService,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
) -> None:
    anna = users.add("Anna", "", "anna")
    users.remove(anna.id)

    with pytest.raises(ValidationError, match="Anna no longer shares this database"):
        OpportunityService(uow_factory, owner.id).create(
            Opportunity(title="Tills", link=account, assigned_to_id=anna.id)
        )


def test_a_record_of_a_removed_user_stays_theirs_when_edited(
    users: UserService,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
) -> None:
    anna = users.add("Anna", "", "anna")
    opportunities = OpportunityService(uow_factory, owner.id)
    kept = opportunities.create(Opportunity(title="Tills", link=account, assigned_to_id=anna.id))
    other = opportunities.create(Opportunity(title="Ovens", link=account))
    users.remove(anna.id)

    kept.title = "Tills and scales"
    saved = opportunities.update(kept)

    assert (saved.title, saved.assigned_to_id) == ("Tills and scales", anna.id)
    other.assigned_to_id = anna.id
    with pytest.raises(ValidationError, match="Anna no longer shares this database"):
        opportunities.update(other)
    assert opportunities.get(other.id or 0).assigned_to_id is None


def test_every_kind_of_record_keeps_a_removed_assignee_but_takes_no_new_one(
    users: UserService,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
) -> None:
    anna = users.add("Anna", "", "anna")
    accounts = AccountService(uow_factory, owner.id)
    contacts = ContactService(uow_factory, owner.id)
    projects = ProjectService(uow_factory, owner.id)
    marketing = MarketingService(uow_factory)
    kept_account = accounts.create(Account(name="Bakkerij Anna", assigned_to_id=anna.id))
    kept_contact = contacts.create(BusinessContact("Piet", "Bakker", assigned_to_id=anna.id))
    kept_project = projects.create(BusinessProject("Tills", account, assigned_to_id=anna.id))
    assert kept_project.id is not None
    kept_task = projects.add_task(ProjectTask(kept_project.id, "Install", assigned_to_id=anna.id))
    kept_activity = marketing.create(MarketingActivity("Fair", assigned_to_id=anna.id))

    history = HistoryService(uow_factory, owner.id)
    kept_history_task = history.create(
        HistoryItem(HistoryKind.TASK, "Call back", assigned_to_id=anna.id, account_id=account.id)
    )
    users.remove(anna.id)

    # Edited later: each keeps showing Anna.
    edited_task = history.update(replace(kept_history_task, subject="Call back today"))
    assert edited_task.assigned_to_id == anna.id
    assert accounts.update(replace(kept_account, phone="030 123")).assigned_to_id == anna.id
    assert contacts.update(replace(kept_contact, job_title="Chef")).assigned_to_id == anna.id
    kept_project.name = "Tills and scales"
    assert projects.update(kept_project).assigned_to_id == anna.id
    kept_task.subject = "Install tills"
    assert projects.update_task(kept_task).assigned_to_id == anna.id
    assert marketing.update(replace(kept_activity, campaign_code="F26")).assigned_to_id == anna.id

    # Nothing new goes to her.
    refusals: list[Callable[[], object]] = [
        lambda: accounts.create(Account(name="New", assigned_to_id=anna.id)),
        lambda: contacts.create(BusinessContact("New", "Person", assigned_to_id=anna.id)),
        lambda: projects.create(BusinessProject("New", account, assigned_to_id=anna.id)),
        lambda: projects.add_task(ProjectTask(kept_project.id or 0, "New", assigned_to_id=anna.id)),
        lambda: marketing.create(MarketingActivity("New", assigned_to_id=anna.id)),
        lambda: history.create(
            HistoryItem(HistoryKind.TASK, "New", assigned_to_id=anna.id, account_id=account.id)
        ),
    ]
    for refused in refusals:
        with pytest.raises(ValidationError) as caught:
            refused()
        assert caught.value.field == "assigned_to"


def test_adding_a_removed_login_again_reactivates_that_user(
    users: UserService, uow_factory: Callable[[], UnitOfWork], db_path: Path
) -> None:
    anna = users.add("Anna", "", "anna")
    users.remove(anna.id)

    again = users.add("Anna Jansen", "anna@bakkerij.nl", "Anna")

    assert again.id == anna.id  # the same person: her old records are hers again
    assert again.active and again.login == "anna"
    assert user_rows(db_path)[-1] == ("Anna Jansen", "anna", "anna@bakkerij.nl", 0, 1)
    assert resolve_current_user(uow_factory, "anna").id == anna.id


def test_removing_a_removed_user_again_changes_nothing(users: UserService, db_path: Path) -> None:
    anna = users.add("Anna", "", "anna")
    users.remove(anna.id)
    before = user_rows(db_path)

    assert users.remove(anna.id).active is False
    assert user_rows(db_path) == before


# -- the owner's rules -------------------------------------------------------------------


def test_the_owner_cannot_remove_themselves(users: UserService, owner: User, db_path: Path) -> None:
    before = user_rows(db_path)

    with pytest.raises(ValidationError, match="You cannot remove yourself"):
        users.remove(owner.id)

    assert user_rows(db_path) == before


def test_another_owner_cannot_be_removed(
    users: UserService, uow_factory: Callable[[], UnitOfWork], db_path: Path
) -> None:
    with uow_factory() as uow:
        second = uow.users.add("Second Owner", "second", is_owner=True)
        uow.commit()
    before = user_rows(db_path)

    with pytest.raises(ValidationError, match="Second Owner is the database owner"):
        users.remove(second.id)

    assert user_rows(db_path) == before


def test_only_the_owner_changes_users_and_nothing_changes_after_a_refusal(
    users: UserService, uow_factory: Callable[[], UnitOfWork], owner: User, db_path: Path
) -> None:
    chris = users.add("Chris Colleague", "", "chris")
    dana = users.add("Dana", "", "dana")
    before = user_rows(db_path)
    as_colleague = UserService(uow_factory, chris.id)

    assert not as_colleague.is_owner() and users.is_owner()
    refusals: list[Callable[[], object]] = [
        lambda: as_colleague.add("Eve", "", "eve"),
        lambda: as_colleague.update(dana.id, "Dana Renamed", ""),
        lambda: as_colleague.update(chris.id, "Chris Renamed", ""),
        lambda: as_colleague.remove(dana.id),
        lambda: as_colleague.remove(owner.id),
        lambda: UserService(uow_factory, None).add("Eve", "", "eve"),
    ]
    for refused in refusals:
        with pytest.raises(PermissionDeniedError, match="Only the database owner can share"):
            refused()

    assert user_rows(db_path) == before
    # Reading is open to everyone: the list is what the Assigned to choices show.
    assert [u.login for u in as_colleague.users()] == ["chris", "dana", OWNER_LOGIN]


def test_a_removed_owner_account_is_refused_too(
    uow_factory: Callable[[], UnitOfWork], owner: User, db_path: Path
) -> None:
    """An owner row switched off (by hand, or a second owner) carries no owner rights."""
    with uow_factory() as uow:
        uow.users.update(owner.id, active=False)
        uow.commit()

    with pytest.raises(PermissionDeniedError):
        UserService(uow_factory, owner.id).add("Eve", "", "eve")
    assert [row[1] for row in user_rows(db_path)] == [OWNER_LOGIN]


# -- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "email", "login", "field", "message"),
    [
        ("", "", "anna", "name", "Name is required"),
        ("   ", "", "anna", "name", "Name is required"),
        ("A" * 256, "", "anna", "name", "Name is too long: 256 characters, at most 255"),
        ("Anna\x07", "", "anna", "name", "Name contains control characters"),
        ("Anna", "", "", "login", "Login is required"),
        ("Anna", "", "anna jansen", "login", "contains a space"),
        ("Anna", "", "anna\tjansen", "login", "Login contains control characters"),
        ("Anna", "", "a" * 256, "login", "Login is too long"),
        ("Anna", "anna", "anna", "email", "“anna” is not an e-mail address"),
        ("Anna", "anna@bakkerij", "anna", "email", "not an e-mail address"),
        ("Anna", "anna jansen@bakkerij.nl", "anna", "email", "not an e-mail address"),
        ("Anna", "a@b@c.nl", "anna", "email", "not an e-mail address"),
        ("Anna", "x" * 251 + "@b.nl", "anna", "email", "E-mail is too long"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    users: UserService,
    db_path: Path,
    name: str,
    email: str,
    login: str,
    field: str,
    message: str,
) -> None:
    before = user_rows(db_path)

    with pytest.raises(ValidationError, match=message) as caught:
        users.add(name, email, login)

    assert caught.value.field == field
    assert user_rows(db_path) == before


def test_a_login_can_be_added_once_whatever_its_case(users: UserService, db_path: Path) -> None:
    users.add("Anna", "", "anna")
    before = user_rows(db_path)

    with pytest.raises(ValidationError, match="The login “anna” already belongs to Anna") as caught:
        users.add("Another Anna", "", "ANNA")

    assert caught.value.field == "login"
    assert user_rows(db_path) == before


def test_the_owner_s_own_login_cannot_be_added_again(users: UserService, db_path: Path) -> None:
    before = user_rows(db_path)

    with pytest.raises(ValidationError, match="already belongs to Olivia Owner"):
        users.add("Impostor", "", OWNER_LOGIN.upper())

    assert user_rows(db_path) == before


def test_update_checks_its_input_and_changes_nothing_on_refusal(
    users: UserService, db_path: Path
) -> None:
    anna = users.add("Anna", "anna@bakkerij.nl", "anna")
    before = user_rows(db_path)

    with pytest.raises(ValidationError, match="Name is required"):
        users.update(anna.id, "", "anna@bakkerij.nl")
    with pytest.raises(ValidationError, match="not an e-mail address"):
        users.update(anna.id, "Anna", "anna(at)bakkerij.nl")

    assert user_rows(db_path) == before
