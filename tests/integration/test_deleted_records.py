"""Deleted Items for accounts and business contacts: deleting one keeps it, its categories,
history, files and opportunities as one entry; Restore gives back exactly those rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bcm_desktop.domain.contacts import DeleteImpact
from bcm_desktop.domain.entities import Opportunity, OpportunityLine, RecordRef, User
from bcm_desktop.domain.enums import LinkKind
from bcm_desktop.domain.errors import PermissionDeniedError, ValidationError
from bcm_desktop.repository.contacts import AccountRepository
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.contacts import AccountService, ContactService
from bcm_desktop.services.deleted_items import DeletedItemsService
from bcm_desktop.services.opportunities import OpportunityService

TABLES = (
    "accounts",
    "account_categories",
    "business_contacts",
    "contact_categories",
    "opportunities",
    "opportunity_lines",
    "opportunity_activities",
    "opportunity_categories",
    "stage_history",
    "history_items",
    "history_files",
    "business_projects",
    "project_accounts",
    "project_contacts",
)
# A contact that loses its account moves on a version (an open form notices); Restore moves it
# on again. Everything else of every row is compared.
CONTACT_CHANGES = ("version", "modified_at")
FILE_BYTES = bytes(range(256)) * 20


def dump(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that goes with an account or contact."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with closing(sqlite3.connect(db_path)) as connection:
        for table in TABLES:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            if table in ("business_contacts", "opportunities"):
                # Restore gives contacts their account and other records' opportunities
                # their Initiated by again, with a new version so open forms notice.
                columns = [name for name in columns if name not in CONTACT_CHANGES]
            tables[table] = connection.execute(
                f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1, 2"
            ).fetchall()
    return tables


def deleted_rows(db_path: Path) -> list[tuple[str, int]]:
    with closing(sqlite3.connect(db_path)) as connection:
        query = "SELECT kind, record_id FROM deleted_items ORDER BY id"
        return connection.execute(query).fetchall()


def search(db_path: Path, word: str) -> list[int]:
    with closing(sqlite3.connect(db_path)) as connection:
        query = "SELECT rowid FROM opportunities_fts WHERE opportunities_fts MATCH ? ORDER BY 1"
        return [row[0] for row in connection.execute(query, (word,))]


def add_history(db_path: Path, link: str, record_id: int, subject: str, data: bytes = b"") -> None:
    """A history item linked to ``link`` (a column), with a stored file when ``data``."""
    with closing(sqlite3.connect(db_path)) as connection, connection:
        cursor = connection.execute(
            "INSERT INTO history_items (kind, subject, body, occurred_at, email_from, email_to,"
            f" location, attendees, file_name, file_size, {link}, created_at, modified_at,"
            " version) VALUES (?, ?, 'body', '2026-11-03 11:00:00.000000', '', '', '', '',"
            " ?, ?, ?, '2026-11-03 11:00:00.000000', '2026-11-03 11:00:00.000000', 2)",
            ("file" if data else "note", subject, subject if data else "", len(data), record_id),
        )
        if data:
            connection.execute(
                "INSERT INTO history_files (history_id, data) VALUES (?, ?)",
                (cursor.lastrowid, data),
            )


def categorize(db_path: Path, table: str, key: str, record_id: int) -> None:
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute(
            "INSERT OR IGNORE INTO categories (name, color, created_at, modified_at)"
            " VALUES ('Key customer', 'gold', '2026-11-01 09:00:00.000000',"
            " '2026-11-01 09:00:00.000000')"
        )
        connection.execute(
            f"INSERT INTO {table} ({key}, category_id)"
            " SELECT ?, id FROM categories WHERE name = 'Key customer'",
            (record_id,),
        )


def make_opportunity(
    service: OpportunityService, db_path: Path, link: RecordRef, title: str, project_of: int
) -> int:
    """An opportunity with lines, activities, a category, history with a stored file, and a
    business project (of the account ``project_of``) pointing at it."""
    saved = service.create(
        Opportunity(
            title=title,
            link=link,
            stage_id=service.new().stage_id,
            probability=30,
            lines=[
                OpportunityLine("Oven", Decimal("1200.50"), Decimal(2)),
                OpportunityLine("Mixer", Decimal("99.99"), discount_percent=Decimal("12.5")),
            ],
        )
    )
    opportunity_id = saved.id or 0
    categorize(db_path, "opportunity_categories", "opportunity_id", opportunity_id)
    add_history(db_path, "opportunity_id", opportunity_id, "Called about ovens")
    add_history(db_path, "opportunity_id", opportunity_id, "Quote.pdf", FILE_BYTES)
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute(
            "INSERT INTO opportunity_activities (opportunity_id, stage_activity_id, name,"
            " position, completed, due_date, created_at, modified_at, version)"
            " SELECT ?, id, name, position, 1, '2026-12-01', '2026-11-02 10:00:00.000000',"
            " '2026-11-02 10:00:00.000000', 3 FROM stage_activities ORDER BY id LIMIT 2",
            (opportunity_id,),
        )
        connection.execute(
            "INSERT INTO business_projects (name, status, priority, link_account_id,"
            " opportunity_id, comments, created_at, modified_at, version)"
            " VALUES (?, 'not_started', 'normal', ?, ?, '',"
            " '2026-11-04 12:00:00.000000', '2026-11-04 12:00:00.000000', 1)",
            (f"Install {title}", project_of, opportunity_id),
        )
    return opportunity_id


@pytest.fixture
def opportunities(uow_factory: Callable[[], UnitOfWork], owner: User) -> OpportunityService:
    return OpportunityService(uow_factory, owner.id)


@pytest.fixture
def accounts(uow_factory: Callable[[], UnitOfWork], owner: User) -> AccountService:
    return AccountService(uow_factory, owner.id)


@pytest.fixture
def contacts(uow_factory: Callable[[], UnitOfWork], owner: User) -> ContactService:
    return ContactService(uow_factory, owner.id)


@pytest.fixture
def deleted(uow_factory: Callable[[], UnitOfWork], owner: User) -> DeletedItemsService:
    return DeletedItemsService(uow_factory, owner.id)


@pytest.fixture
def other(uow_factory: Callable[[], UnitOfWork]) -> RecordRef:
    """An account that stays: the business projects are linked to it."""
    with uow_factory() as uow:
        account_id = uow.records.add_account("Other BV")
        uow.commit()
    return RecordRef(LinkKind.ACCOUNT, account_id)


@pytest.fixture
def bakker(
    uow_factory: Callable[[], UnitOfWork],
    opportunities: OpportunityService,
    db_path: Path,
    other: RecordRef,
) -> RecordRef:
    """An account with 3 opportunities, 2 contacts, a category, its own history with a file,
    an additional-account link on a project, and an opportunity of another account it
    initiated. Created last, so it holds the highest account number."""
    with uow_factory() as uow:
        account_id = uow.records.add_account("Bakker BV", city="Utrecht", phone="030 123 4567")
        uow.records.add_contact("Anna", "Jansen", account_id=account_id)
        uow.records.add_contact("Piet", "Bakker", account_id=account_id)
        uow.commit()
    ref = RecordRef(LinkKind.ACCOUNT, account_id)
    for title in ("Ovens", "Mixers", "Shop fitting"):
        make_opportunity(opportunities, db_path, ref, title, other.id)
    categorize(db_path, "account_categories", "account_id", account_id)
    add_history(db_path, "account_id", account_id, "Visit")
    add_history(db_path, "account_id", account_id, "Contract.pdf", FILE_BYTES[::-1])
    theirs = make_opportunity(opportunities, db_path, other, "Theirs", other.id)
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute(
            "UPDATE opportunities SET initiated_by_account_id = ? WHERE id = ?",
            (account_id, theirs),
        )
        connection.execute(
            "INSERT INTO project_accounts (project_id, account_id)"
            " SELECT id, ? FROM business_projects WHERE name = 'Install Theirs'",
            (account_id,),
        )
    return ref


def delete_account(accounts: AccountService, account_id: int) -> None:
    impact = accounts.delete_impact(account_id)
    accounts.delete(account_id, accounts.get(account_id).version, impact)


def delete_contact(contacts: ContactService, contact_id: int) -> None:
    impact = contacts.delete_impact(contact_id)
    contacts.delete(contact_id, contacts.get(contact_id).version, impact)


def test_deleting_an_account_moves_all_of_it_to_deleted_items_and_restore_puts_it_back(
    accounts: AccountService,
    deleted: DeletedItemsService,
    db_path: Path,
    bakker: RecordRef,
    owner: User,
) -> None:
    before = dump(db_path)
    contact_tables = ["contact_categories", "project_contacts"]
    assert [table for table in TABLES if not before[table]] == contact_tables
    with closing(sqlite3.connect(db_path)) as connection:
        versions = dict(connection.execute("SELECT id, version FROM business_contacts"))

    delete_account(accounts, bakker.id)

    after = dump(db_path)
    assert [row[1] for row in after["accounts"]] == ["Other BV"]
    assert [row[1] for row in after["opportunities"]] == ["Theirs"]
    assert after["account_categories"] == []
    assert [row[2] for row in after["history_items"]] == ["Called about ovens", "Quote.pdf"]
    assert len(after["history_files"]) == 1
    assert after["project_accounts"] == []
    assert [row[4] for row in after["business_contacts"]] == [None, None]
    assert search(db_path, "Ovens") == []
    [item] = deleted.items()
    assert (item.kind, item.record_id, item.title) == ("account", bakker.id, "Bakker BV")
    assert item.deleted_by == owner.name
    # One listed entry; its opportunities are kept as entries of their own behind it.
    assert [kind for kind, _ in deleted_rows(db_path)] == ["account"] + ["child_opportunity"] * 3

    result = deleted.restore([item.id])

    assert (result.restored, result.refused) == (1, [])
    assert dump(db_path) == before
    assert deleted.items() == [] and deleted_rows(db_path) == []
    assert search(db_path, "Ovens") != []
    with closing(sqlite3.connect(db_path)) as connection:
        now = dict(connection.execute("SELECT id, version FROM business_contacts"))
    assert now == {key: version + 2 for key, version in versions.items()}
    with closing(sqlite3.connect(db_path)) as connection:
        (theirs,) = connection.execute(
            "SELECT version FROM opportunities WHERE title = 'Theirs'"
        ).fetchone()
    assert theirs > 1  # its Initiated by came back: an open form must see a change
    assert [c.full_name for c in accounts.overview(bakker.id).contacts] == [
        "Anna Jansen",
        "Piet Bakker",
    ]


def test_deleting_a_business_contact_moves_it_to_deleted_items_and_restore_puts_it_back(
    contacts: ContactService,
    deleted: DeletedItemsService,
    opportunities: OpportunityService,
    db_path: Path,
    contact: RecordRef,
    other: RecordRef,
) -> None:
    make_opportunity(opportunities, db_path, contact, "Oven for Anna", other.id)
    make_opportunity(opportunities, db_path, contact, "Mixer for Anna", other.id)
    categorize(db_path, "contact_categories", "contact_id", contact.id)
    add_history(db_path, "contact_id", contact.id, "Lunch")
    add_history(db_path, "contact_id", contact.id, "Card.png", FILE_BYTES)
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute(
            "INSERT INTO project_contacts (project_id, contact_id)"
            " SELECT id, ? FROM business_projects",
            (contact.id,),
        )
    before = dump(db_path)

    delete_contact(contacts, contact.id)

    after = dump(db_path)
    assert after["business_contacts"] == []
    for table in ("opportunities", "contact_categories", "project_contacts", "history_files"):
        assert after[table] == [], table
    [item] = deleted.items()
    assert (item.kind, item.title) == ("contact", "Anna Jansen")

    assert deleted.restore([item.id]).restored == 1
    assert dump(db_path) == before
    assert deleted_rows(db_path) == []


def test_an_account_whose_number_is_taken_comes_back_under_a_new_one(
    accounts: AccountService,
    deleted: DeletedItemsService,
    opportunities: OpportunityService,
    uow_factory: Callable[[], UnitOfWork],
    db_path: Path,
    bakker: RecordRef,
) -> None:
    alone = accounts.overview(bakker.id).opportunities[0]
    opportunities.delete(alone.id, opportunities.get(alone.id).version)
    delete_account(accounts, bakker.id)
    with uow_factory() as uow:
        newcomer = uow.records.add_account("Bakker BV")  # names need not be unique
        uow.commit()
    assert newcomer == bakker.id  # SQLite hands out the highest free number again
    alone_entry, item = sorted(deleted.items(), key=lambda entry: entry.id)
    # The newcomer holds the number, but it is not the account the opportunity belonged to.
    with pytest.raises(ValidationError, match="linked to has been deleted"):
        deleted.restore([alone_entry.id])

    assert deleted.restore([item.id]).refused == []
    # Back under its new number, the account takes the opportunity deleted before it along.
    assert deleted.restore([alone_entry.id]).restored == 1

    with closing(sqlite3.connect(db_path)) as connection:
        [(restored_id,)] = connection.execute(
            "SELECT id FROM accounts WHERE phone = '030 123 4567'"
        ).fetchall()
        assert restored_id != newcomer
        links = connection.execute(
            "SELECT DISTINCT link_account_id FROM opportunities WHERE title <> 'Theirs'"
        ).fetchall()
        assert links == [(restored_id,)]
        assert connection.execute(
            "SELECT DISTINCT account_id FROM business_contacts"
        ).fetchall() == [(restored_id,)]
        history = connection.execute(
            "SELECT h.subject, length(f.data) FROM history_items h"
            " LEFT JOIN history_files f ON f.history_id = h.id"
            " WHERE h.account_id = ? ORDER BY h.id",
            (restored_id,),
        ).fetchall()
        assert history == [("Visit", None), ("Contract.pdf", len(FILE_BYTES))]
        assert connection.execute(
            "SELECT initiated_by_account_id FROM opportunities WHERE title = 'Theirs'"
        ).fetchall() == [(restored_id,)]
        assert connection.execute("SELECT account_id FROM project_accounts").fetchall() == [
            (restored_id,)
        ]
        assert connection.execute(
            "SELECT count(*) FROM account_categories WHERE account_id = ?", (restored_id,)
        ).fetchone() == (1,)
    assert accounts.get(newcomer).name == "Bakker BV"
    assert len(accounts.overview(newcomer).opportunities) == 0
    assert len(accounts.overview(restored_id).opportunities) == 3


def test_an_opportunity_whose_number_is_taken_stays_in_deleted_items_on_its_own(
    accounts: AccountService,
    deleted: DeletedItemsService,
    opportunities: OpportunityService,
    db_path: Path,
    bakker: RecordRef,
    other: RecordRef,
) -> None:
    with closing(sqlite3.connect(db_path)) as connection, connection:
        # Without "Theirs" no opportunity is left, so a new one takes number 1: "Ovens".
        connection.execute("DELETE FROM opportunities WHERE title = 'Theirs'")
    delete_account(accounts, bakker.id)
    taker = opportunities.create(Opportunity(title="Took the number", link=other))
    [item] = deleted.items()

    result = deleted.restore([item.id])

    assert result.restored == 1
    [refused] = result.refused
    assert "“Ovens” was not restored" in refused
    assert "a record with its number exists again" in refused
    assert len(accounts.overview(bakker.id).opportunities) == 2
    [left] = deleted.items()
    assert (left.kind, left.title, left.record_id) == ("opportunity", "Ovens", taker.id)
    with pytest.raises(ValidationError, match="a record with its number exists again"):
        deleted.restore([left.id])
    # Once the number is free again, it comes back on its own, linked to its account.
    opportunities.delete(taker.id or 0, opportunities.get(taker.id or 0).version)
    taken_entry = next(entry for entry in deleted.items() if entry.title == "Took the number")
    deleted.delete_permanently([taken_entry.id])
    assert deleted.restore([left.id]).restored == 1
    assert len(accounts.overview(bakker.id).opportunities) == 3


def test_an_opportunity_of_a_deleted_account_is_refused_until_the_account_is_back(
    accounts: AccountService,
    deleted: DeletedItemsService,
    opportunities: OpportunityService,
    bakker: RecordRef,
) -> None:
    first = accounts.overview(bakker.id).opportunities[0]
    opportunities.delete(first.id, opportunities.get(first.id).version)
    delete_account(accounts, bakker.id)
    alone, account_entry = sorted(deleted.items(), key=lambda entry: entry.id)
    assert (alone.kind, account_entry.kind) == ("opportunity", "account")

    with pytest.raises(ValidationError, match=r"linked to has been deleted.*restore it first"):
        deleted.restore([alone.id])
    assert len(deleted.items()) == 2

    # Both at once: the account comes back first, so its opportunity can follow it.
    assert deleted.restore([alone.id, account_entry.id]).restored == 2
    assert len(accounts.overview(bakker.id).opportunities) == 3
    assert deleted.items() == []


def test_only_the_owner_deletes_an_account_entry_permanently_with_its_opportunities(
    accounts: AccountService,
    contacts: ContactService,
    deleted: DeletedItemsService,
    uow_factory: Callable[[], UnitOfWork],
    db_path: Path,
    bakker: RecordRef,
    contact: RecordRef,
) -> None:
    delete_account(accounts, bakker.id)
    delete_contact(contacts, contact.id)
    with uow_factory() as uow:
        colleague = uow.users.add("Chris Colleague", "chris")
        uow.commit()
    theirs = DeletedItemsService(uow_factory, colleague.id)
    contact_entry, account_entry = deleted.items()
    assert (contact_entry.kind, account_entry.kind) == ("contact", "account")

    with pytest.raises(PermissionDeniedError, match="Only the database owner"):
        theirs.delete_permanently([account_entry.id])
    with pytest.raises(PermissionDeniedError, match="Only the database owner"):
        theirs.empty()
    assert len(deleted_rows(db_path)) == 5

    assert deleted.delete_permanently([account_entry.id]) == 1
    assert deleted_rows(db_path) == [("contact", contact.id)]
    assert deleted.empty() == 1
    assert deleted_rows(db_path) == []


def test_archive_and_delete_are_one_transaction(
    accounts: AccountService,
    deleted: DeletedItemsService,
    db_path: Path,
    bakker: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = dump(db_path)
    original = AccountRepository.delete

    def fails_halfway(self: AccountRepository, account_id: int, version: int) -> None:
        original(self, account_id, version)
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(AccountRepository, "delete", fails_halfway)
    with pytest.raises(RuntimeError, match="disk unplugged"):
        delete_account(accounts, bakker.id)

    assert dump(db_path) == before
    assert deleted_rows(db_path) == []


def test_an_account_that_is_a_project_link_is_still_not_deleted(
    accounts: AccountService,
    deleted: DeletedItemsService,
    db_path: Path,
    bakker: RecordRef,
    other: RecordRef,
) -> None:
    before = dump(db_path)
    impact = accounts.delete_impact(other.id)
    assert impact == DeleteImpact(name="Other BV", opportunities=1, history_items=2, projects=4)
    with pytest.raises(ValidationError, match="is the link of 4 business project"):
        accounts.delete(other.id, accounts.get(other.id).version, impact)
    assert dump(db_path) == before
    assert deleted_rows(db_path) == []


def test_a_contact_that_only_took_a_number_does_not_get_the_restored_account(
    accounts: AccountService,
    contacts: ContactService,
    deleted: DeletedItemsService,
    uow_factory: Callable[[], UnitOfWork],
    bakker: RecordRef,
) -> None:
    anna, piet = (c.id for c in accounts.overview(bakker.id).contacts)
    delete_account(accounts, bakker.id)
    delete_contact(contacts, piet)
    with uow_factory() as uow:
        newcomer = uow.records.add_contact("Nina", "Nieuw")
        uow.commit()
    assert newcomer == piet
    account_entry = next(entry for entry in deleted.items() if entry.kind == "account")

    deleted.restore([account_entry.id])

    assert contacts.get(anna).account_id == bakker.id
    assert contacts.get(newcomer).account_id is None
