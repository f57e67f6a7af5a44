"""Deleted Items: a deleted opportunity keeps every row that went with it, and Restore gives
back exactly those rows, for a single delete and for a bulk delete."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bcm_desktop.domain.entities import Opportunity, OpportunityLine, RecordRef, User
from bcm_desktop.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from bcm_desktop.domain.listing import RecordSelection
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.bulk import BulkActions
from bcm_desktop.services.deleted_items import DeletedItemsService
from bcm_desktop.services.opportunities import OpportunityService

RELATED = (
    "opportunities",
    "opportunity_lines",
    "opportunity_activities",
    "opportunity_categories",
    "stage_history",
    "history_items",
    "history_files",
    "business_projects",
)
FILE_BYTES = bytes(range(256)) * 40  # every byte value, so hex round trips are checked


def dump(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that goes with an opportunity."""
    with closing(sqlite3.connect(db_path)) as connection:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in RELATED
        }


def search(db_path: Path, word: str) -> list[int]:
    with closing(sqlite3.connect(db_path)) as connection:
        query = "SELECT rowid FROM opportunities_fts WHERE opportunities_fts MATCH ? ORDER BY 1"
        return [row[0] for row in connection.execute(query, (word,))]


def make_opportunity(
    service: OpportunityService, db_path: Path, account: RecordRef, title: str
) -> int:
    """An opportunity with a row in every related table, as the program would hold it."""
    saved = service.create(
        Opportunity(
            title=title,
            link=account,
            stage_id=service.new().stage_id,
            probability=40,
            comments="Ovens for the new shop",
            lines=[
                OpportunityLine("Oven", Decimal("1200.50"), Decimal(2)),
                OpportunityLine("Mixer", Decimal("99.99"), discount_percent=Decimal("12.5")),
            ],
        )
    )
    opportunity_id = saved.id or 0
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute(
            "INSERT OR IGNORE INTO categories (name, color, created_at, modified_at)"
            " VALUES ('Hot', 'red', '2026-11-01 09:00:00.000000',"
            " '2026-11-01 09:00:00.000000')"
        )
        connection.execute(
            "INSERT INTO opportunity_categories (opportunity_id, category_id)"
            " SELECT ?, id FROM categories WHERE name = 'Hot'",
            (opportunity_id,),
        )
        connection.execute(
            "INSERT INTO opportunity_activities (opportunity_id, stage_activity_id, name,"
            " position, completed, due_date, created_at, modified_at, version)"
            " SELECT ?, id, name, position, 1, '2026-12-01', '2026-11-02 10:00:00.000000',"
            " '2026-11-02 10:00:00.000000', 3 FROM stage_activities ORDER BY id LIMIT 2",
            (opportunity_id,),
        )
        for kind, subject in (("note", "Called Anna"), ("file", "Quote.pdf")):
            connection.execute(
                "INSERT INTO history_items (kind, subject, body, occurred_at, email_from,"
                " email_to, location, attendees, file_name, file_size, opportunity_id,"
                " created_at, modified_at, version) VALUES (?, ?, 'body', "
                " '2026-11-03 11:00:00.000000', '', '', '', '', ?, ?, ?,"
                " '2026-11-03 11:00:00.000000', '2026-11-03 11:00:00.000000', 1)",
                (kind, subject, subject if kind == "file" else "", len(FILE_BYTES), opportunity_id),
            )
        connection.execute(
            "INSERT INTO history_files (history_id, data) VALUES (last_insert_rowid(), ?)",
            (FILE_BYTES,),
        )
        connection.execute(
            "INSERT INTO business_projects (name, status, priority, link_account_id,"
            " opportunity_id, comments, created_at, modified_at, version)"
            " VALUES ('Install ovens', 'not_started', 'normal', ?, ?, '',"
            " '2026-11-04 12:00:00.000000', '2026-11-04 12:00:00.000000', 1)",
            (account.id, opportunity_id),
        )
    return opportunity_id


@pytest.fixture
def service(uow_factory: Callable[[], UnitOfWork], owner: User) -> OpportunityService:
    return OpportunityService(uow_factory, owner.id)


@pytest.fixture
def deleted(uow_factory: Callable[[], UnitOfWork], owner: User) -> DeletedItemsService:
    return DeletedItemsService(uow_factory, owner.id)


def test_delete_moves_every_row_to_deleted_items_and_restore_puts_them_back(
    service: OpportunityService,
    deleted: DeletedItemsService,
    db_path: Path,
    account: RecordRef,
    owner: User,
) -> None:
    opportunity_id = make_opportunity(service, db_path, account, "Bakery ovens")
    make_opportunity(service, db_path, account, "Second shop")
    before = dump(db_path)
    assert [table for table in RELATED if not before[table]] == []

    service.delete(opportunity_id, service.get(opportunity_id).version)

    after_delete = dump(db_path)
    assert opportunity_id not in [row[0] for row in after_delete["opportunities"]]
    assert len(after_delete["opportunity_lines"]) == len(before["opportunity_lines"]) - 2
    assert len(after_delete["history_files"]) == len(before["history_files"]) - 1
    assert search(db_path, "Bakery") == []
    [item] = deleted.items()
    assert (item.kind, item.record_id, item.title) == (
        "opportunity",
        opportunity_id,
        "Bakery ovens",
    )
    assert item.deleted_by == owner.name

    result = deleted.restore([item.id])

    assert result.restored == 1
    assert result.refused == []
    assert dump(db_path) == before
    assert deleted.items() == []
    assert search(db_path, "Bakery") == [opportunity_id]
    assert service.get(opportunity_id).title == "Bakery ovens"


def test_bulk_delete_archives_each_record_and_its_undo_restores_them(
    uow_factory: Callable[[], UnitOfWork],
    service: OpportunityService,
    deleted: DeletedItemsService,
    db_path: Path,
    account: RecordRef,
    owner: User,
) -> None:
    ids = [make_opportunity(service, db_path, account, f"Deal {n}") for n in range(6)]
    before = dump(db_path)
    bulk = BulkActions(uow_factory, owner.id)

    outcome = bulk.delete(RecordSelection.of(ids[1:5]))

    assert outcome.result.changed == 4
    assert sorted(item.record_id for item in deleted.items()) == ids[1:5]
    assert [row[0] for row in dump(db_path)["opportunities"]] == [ids[0], ids[5]]
    assert outcome.undo is not None
    assert outcome.undo().changed == 4
    assert dump(db_path) == before
    assert deleted.items() == []

    # Restore from the list works the same for several items at once.
    bulk.delete(RecordSelection.of(ids))
    assert deleted.restore([item.id for item in deleted.items()]).restored == 6
    assert dump(db_path) == before


def test_a_line_id_used_again_meanwhile_comes_back_under_a_new_id(
    service: OpportunityService, deleted: DeletedItemsService, db_path: Path, account: RecordRef
) -> None:
    first = make_opportunity(service, db_path, account, "First")
    service.create(Opportunity(title="Keeps the highest number", link=account))
    service.delete(first, service.get(first).version)
    other = service.create(
        Opportunity(title="Other", link=account, lines=[OpportunityLine("Taken", Decimal(5))])
    )
    [item] = deleted.items()
    with closing(sqlite3.connect(db_path)) as connection, connection:
        line_ids = connection.execute("SELECT id FROM opportunity_lines").fetchall()
        for subject in ("Their note", "Their call"):
            connection.execute(
                "INSERT INTO history_items (kind, subject, body, occurred_at, email_from,"
                " email_to, location, attendees, file_name, opportunity_id, created_at,"
                " modified_at, version) VALUES ('note', ?, '', '2026-11-05 09:00:00.000000',"
                " '', '', '', '', '', ?, '2026-11-05 09:00:00.000000',"
                " '2026-11-05 09:00:00.000000', 1)",
                (subject, other.id),
            )
    assert line_ids == [(1,)], "the new line took the number of a deleted one"
    deleted.restore([item.id])
    assert [line.item_name for line in service.get(first).lines] == ["Oven", "Mixer"]
    assert [line.item_name for line in service.get(other.id or 0).lines] == ["Taken"]
    with closing(sqlite3.connect(db_path)) as connection:
        history = connection.execute(
            "SELECT h.id, h.subject, h.opportunity_id, length(f.data) FROM history_items h"
            " LEFT JOIN history_files f ON f.history_id = h.id ORDER BY h.id"
        ).fetchall()
    assert history == [
        (1, "Their note", other.id, None),
        (2, "Their call", other.id, None),
        (3, "Called Anna", first, None),
        (4, "Quote.pdf", first, len(FILE_BYTES)),
    ]


def test_restore_is_refused_clearly_when_the_link_or_the_number_is_gone(
    service: OpportunityService, deleted: DeletedItemsService, db_path: Path, account: RecordRef
) -> None:
    opportunity_id = make_opportunity(service, db_path, account, "Linked")
    service.delete(opportunity_id, service.get(opportunity_id).version)
    [item] = deleted.items()
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute("DELETE FROM business_projects")
        connection.execute("UPDATE history_items SET account_id = NULL")
        connection.execute("DELETE FROM accounts WHERE id = ?", (account.id,))
    before = dump(db_path)
    with pytest.raises(ValidationError, match="linked to has been deleted"):
        deleted.restore([item.id])
    assert dump(db_path) == before
    assert [entry.id for entry in deleted.items()] == [item.id]


def test_restore_is_refused_when_the_number_is_taken_again(
    service: OpportunityService, deleted: DeletedItemsService, db_path: Path, account: RecordRef
) -> None:
    opportunity_id = make_opportunity(service, db_path, account, "Newest")
    service.delete(opportunity_id, service.get(opportunity_id).version)
    again = service.create(Opportunity(title="Made after", link=account))
    assert again.id == opportunity_id  # SQLite hands out the highest free number again
    [item] = deleted.items()
    with pytest.raises(ValidationError, match="a record with its number exists again"):
        deleted.restore([item.id])
    assert service.get(opportunity_id).title == "Made after"
    assert len(deleted.items()) == 1


def test_only_the_owner_deletes_permanently_or_empties_deleted_items(
    uow_factory: Callable[[], UnitOfWork],
    service: OpportunityService,
    deleted: DeletedItemsService,
    db_path: Path,
    account: RecordRef,
) -> None:
    for title in ("One", "Two", "Three"):
        opportunity_id = make_opportunity(service, db_path, account, title)
        service.delete(opportunity_id, service.get(opportunity_id).version)
    with uow_factory() as uow:
        colleague = uow.users.add("Chris Colleague", "chris")
        uow.commit()
    theirs = DeletedItemsService(uow_factory, colleague.id)
    items = deleted.items()
    assert not theirs.is_owner() and deleted.is_owner()

    with pytest.raises(PermissionDeniedError, match="Only the database owner"):
        theirs.delete_permanently([items[0].id])
    with pytest.raises(PermissionDeniedError, match="Only the database owner"):
        theirs.empty()
    assert len(deleted.items()) == 3

    assert deleted.delete_permanently([items[0].id]) == 1
    assert [item.title for item in deleted.items()] == ["Two", "One"]
    assert deleted.empty() == 2
    assert deleted.items() == []
    with pytest.raises(NotFoundError):
        deleted.get(items[1].id)


def test_a_category_removed_meanwhile_is_not_replaced_by_a_newer_one_with_its_number(
    uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef, db_path: Path
) -> None:
    """SQLite hands a removed row's number to the next new row. A restored opportunity must
    not come back in that unrelated newer category (nor with a newer stage, product or user
    that took an old number): only rows that existed at the delete count."""
    service = OpportunityService(uow_factory, owner.id)
    deleted = DeletedItemsService(uow_factory, owner.id)
    with uow_factory() as uow:
        hot = uow.categories.add("Hot")
        uow.commit()
    opp = service.create(Opportunity(title="Ovens", link=account))
    with uow_factory() as uow:
        uow.categories.set_for_opportunity(opp.id or 0, [hot.id])
        uow.commit()
    service.delete(opp.id or 0, service.get(opp.id or 0).version)
    with uow_factory() as uow:
        uow.categories.remove(hot.id)
        newer = uow.categories.add("Unrelated")
        uow.commit()
    assert newer.id == hot.id  # the number came back
    [item] = deleted.items()
    assert deleted.restore([item.id]).restored == 1
    with closing(sqlite3.connect(db_path)) as connection:
        links = connection.execute("SELECT * FROM opportunity_categories").fetchall()
    assert links == []
