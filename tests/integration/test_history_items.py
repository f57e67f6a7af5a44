"""Creating, changing and deleting the six kinds of history item, with their files (S-1.2, S-8)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bcm_desktop.domain.entities import HistoryItem, InitiatorRef, Opportunity, RecordRef, User
from bcm_desktop.domain.enums import (
    CallDirection,
    HistoryKind,
    InitiatorKind,
    Priority,
    TaskStatus,
)
from bcm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from bcm_desktop.domain.history import MAX_FILE_SIZE
from bcm_desktop.domain.links import LinkSearchKind
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.link_queries import LinkQueries
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.links import LinkService
from bcm_desktop.services.opportunities import OpportunityService

WHEN = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def history(uow_factory: Callable[[], UnitOfWork], owner: User) -> HistoryService:
    return HistoryService(uow_factory, owner.id)


@pytest.fixture
def opportunity_id(uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef) -> int:
    opp = OpportunityService(uow_factory, owner.id).create(Opportunity("Kassa's", link=account))
    assert opp.id is not None
    return opp.id


def count_rows(db_path: Path, table: str) -> int:
    connection = sqlite3.connect(db_path)
    try:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


def test_opportunity_item_shows_under_its_account_and_follows_the_link(
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    history: HistoryService,
    account: RecordRef,
    contact: RecordRef,
    opportunity_id: int,
) -> None:
    other = OpportunityService(uow_factory, owner.id)
    with uow_factory() as uow:
        elsewhere = uow.records.add_account("Slagerij Bos")
        uow.commit()
    note = history.create(
        HistoryItem(HistoryKind.NOTE, "Called about prices", occurred_at=WHEN,
                    opportunity_id=opportunity_id)
    )  # fmt: skip
    assert [r.id for r in history.for_account(account.id)] == [note.id]
    assert history.for_contact(contact.id) == []
    assert history.for_account(elsewhere) == []

    opp = other.get(opportunity_id)
    opp.link = contact
    other.update(opp)
    assert history.for_account(account.id) == []
    assert [r.id for r in history.for_contact(contact.id)] == [note.id]
    assert history.get(note.id or 0).opportunity_id == opportunity_id


def test_each_kind_is_saved_with_its_fields(
    history: HistoryService, opportunity_id: int, owner: User
) -> None:
    phone = history.create(
        HistoryItem(HistoryKind.PHONE_LOG, "Price call", occurred_at=WHEN, duration_seconds=185,
                    direction=CallDirection.INCOMING, body="Wants a discount",
                    opportunity_id=opportunity_id)
    )  # fmt: skip
    assert (phone.duration_seconds, phone.direction) == (185, CallDirection.INCOMING)
    assert phone.created_by_id == owner.id
    task = history.create(
        HistoryItem(HistoryKind.TASK, "Send offer", occurred_at=WHEN, due_date=date(2026, 12, 1),
                    status=TaskStatus.IN_PROGRESS, priority=Priority.HIGH, percent_complete=40,
                    reminder_at=WHEN + timedelta(days=1), assigned_to_id=owner.id,
                    opportunity_id=opportunity_id)
    )  # fmt: skip
    assert (task.status, task.priority, task.percent_complete) == (
        TaskStatus.IN_PROGRESS, Priority.HIGH, 40,
    )  # fmt: skip
    assert task.due_date == date(2026, 12, 1)
    assert task.assigned_to_id == owner.id
    mail = history.create(
        HistoryItem(HistoryKind.EMAIL, "Offerte", body="Zie bijlage", occurred_at=WHEN,
                    email_to="anna@example.nl", opportunity_id=opportunity_id)
    )  # fmt: skip
    assert (mail.email_to, mail.body) == ("anna@example.nl", "Zie bijlage")
    meeting = history.create(
        HistoryItem(HistoryKind.APPOINTMENT, "Demo", occurred_at=WHEN,
                    end_at=WHEN + timedelta(hours=1), location="Utrecht",
                    attendees="Anna <anna@example.nl>", opportunity_id=opportunity_id)
    )  # fmt: skip
    assert (meeting.location, meeting.end_at) == ("Utrecht", WHEN + timedelta(hours=1))

    kinds = [r.kind for r in history.for_opportunity(opportunity_id)]
    assert sorted(kinds) == ["appointment", "email", "phone_log", "task"]
    assert [r.id for r in history.for_opportunity(opportunity_id, HistoryKind.TASK)] == [task.id]


def test_list_sorts_by_date_both_ways(history: HistoryService, opportunity_id: int) -> None:
    ids = [
        history.create(
            HistoryItem(HistoryKind.NOTE, f"n{days}", occurred_at=WHEN + timedelta(days=days),
                        opportunity_id=opportunity_id)
        ).id
        for days in (2, 0, 1)
    ]  # fmt: skip
    assert [r.id for r in history.for_opportunity(opportunity_id)] == [ids[0], ids[2], ids[1]]
    oldest = history.for_opportunity(opportunity_id, oldest_first=True)
    assert [r.id for r in oldest] == [ids[1], ids[2], ids[0]]


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (HistoryItem(HistoryKind.NOTE, "  "), "subject"),
        (HistoryItem(HistoryKind.PHONE_LOG, "Call", duration_seconds=60), "direction"),
        (HistoryItem(HistoryKind.PHONE_LOG, "Call", direction=CallDirection.OUTGOING,
                     duration_seconds=-1), "duration"),
        (HistoryItem(HistoryKind.TASK, "Offer", percent_complete=101), "percent_complete"),
        (HistoryItem(HistoryKind.EMAIL, "Mail", email_to="x" * 4001), "email_to"),
        (HistoryItem(HistoryKind.APPOINTMENT, "Demo", end_at=WHEN - timedelta(minutes=1)),
         "end_at"),
        (HistoryItem(HistoryKind.APPOINTMENT, "Demo"), "end_at"),
        (HistoryItem(HistoryKind.FILE, "Plan", file_name=""), "file_name"),
    ],
)  # fmt: skip
def test_each_kind_refuses_bad_input_and_writes_nothing(
    history: HistoryService, opportunity_id: int, db_path: Path, item: HistoryItem, field: str
) -> None:
    item.occurred_at = WHEN
    item.opportunity_id = opportunity_id
    content = b"x" if item.kind is HistoryKind.FILE else None
    with pytest.raises(ValidationError) as caught:
        history.create(item, content)
    assert caught.value.field == field
    assert count_rows(db_path, "history_items") == 0


def test_item_needs_exactly_one_existing_link(
    history: HistoryService, opportunity_id: int, account: RecordRef, db_path: Path
) -> None:
    with pytest.raises(ValidationError, match="exactly one record"):
        history.create(
            HistoryItem(HistoryKind.NOTE, "Two", occurred_at=WHEN,
                        opportunity_id=opportunity_id, account_id=account.id)
        )  # fmt: skip
    with pytest.raises(ValidationError, match="exactly one record"):
        history.create(HistoryItem(HistoryKind.NOTE, "None", occurred_at=WHEN))
    with pytest.raises(NotFoundError):
        history.create(HistoryItem(HistoryKind.NOTE, "Gone", occurred_at=WHEN,
                                   opportunity_id=opportunity_id + 99))  # fmt: skip
    assert count_rows(db_path, "history_items") == 0


def test_completed_task_is_100_percent(history: HistoryService, opportunity_id: int) -> None:
    task = history.create(
        HistoryItem(HistoryKind.TASK, "Done", occurred_at=WHEN, status=TaskStatus.COMPLETED,
                    percent_complete=30, opportunity_id=opportunity_id)
    )  # fmt: skip
    assert task.percent_complete == 100


def test_stored_file_reads_back_identically_and_opens_as_a_copy(
    history: HistoryService, opportunity_id: int, tmp_path: Path
) -> None:
    content = bytes(range(256)) * 4000 + "€ offerte".encode()
    item = history.create(
        HistoryItem(HistoryKind.FILE, "Offerte", file_name="Offerte 2027 €.pdf",
                    opportunity_id=opportunity_id),
        content,
    )  # fmt: skip
    assert item.file_size == len(content)
    assert history.file_content(item.id or 0) == content

    copy = history.temporary_copy(item.id or 0, tmp_path / "tmp")
    assert copy.name == "Offerte 2027 €.pdf"
    assert copy.read_bytes() == content
    target = history.save_file_as(item.id or 0, tmp_path / "elsewhere.pdf")
    assert target.read_bytes() == content


def test_oversize_file_is_refused_with_both_sizes(
    history: HistoryService, opportunity_id: int, db_path: Path
) -> None:
    with pytest.raises(ValidationError) as caught:
        history.create(
            HistoryItem(HistoryKind.FILE, "Film", file_name="film.mp4",
                        opportunity_id=opportunity_id),
            b"\0" * (MAX_FILE_SIZE + 1),
        )  # fmt: skip
    assert "50.0 MB" in caught.value.message
    assert "too large" in caught.value.message
    assert count_rows(db_path, "history_items") == 0
    assert count_rows(db_path, "history_files") == 0


def test_update_and_delete_with_version_check(
    history: HistoryService, opportunity_id: int, db_path: Path
) -> None:
    item = history.create(
        HistoryItem(HistoryKind.FILE, "Plan", file_name="plan.txt", opportunity_id=opportunity_id),
        b"v1",
    )
    changed = history.update(
        HistoryItem(**{**item.__dict__, "subject": "Plan v2", "file_name": "plan2.txt"}), b"v2"
    )
    assert (changed.subject, changed.file_name, changed.file_size) == ("Plan v2", "plan2.txt", 2)
    assert history.file_content(item.id or 0) == b"v2"
    with pytest.raises(ConflictError):
        history.update(item)  # the old version
    with pytest.raises(ConflictError):
        history.delete(item.id or 0, item.version)
    history.delete(changed.id or 0, changed.version)
    assert history.for_opportunity(opportunity_id) == []
    assert count_rows(db_path, "history_files") == 0


def test_link_to_record_finds_opportunities_by_title(
    database: Database, uow_factory: Callable[[], UnitOfWork], owner: User, contact: RecordRef,
    opportunity_id: int,
) -> None:  # fmt: skip
    OpportunityService(uow_factory, owner.id).create(Opportunity("Pinautomaat", link=contact))
    links = LinkService(LinkQueries(database), uow_factory)
    found = links.search(LinkSearchKind.OPPORTUNITIES, "kas").candidates
    assert [(c.ref_kind, c.id, c.name, c.detail) for c in found] == [
        (InitiatorKind.OPPORTUNITY, opportunity_id, "Kassa's", "Bakkerij de Vries")
    ]
    assert [c.detail for c in links.search(LinkSearchKind.OPPORTUNITIES, "pin").candidates] == [
        "Anna Jansen"
    ]
    # An opportunity is no Link to of an opportunity and never its Initiated by.
    assert found[0].record_ref is None


def test_an_opportunity_cannot_initiate_an_opportunity(
    uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef, opportunity_id: int
) -> None:
    service = OpportunityService(uow_factory, owner.id)
    draft = Opportunity(
        "Follow-up",
        link=account,
        initiated_by=InitiatorRef(InitiatorKind.OPPORTUNITY, opportunity_id),
    )
    with pytest.raises(ValidationError) as caught:
        service.create(draft)
    assert caught.value.field == "initiated_by"
