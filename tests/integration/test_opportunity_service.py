"""The rules of S-1, S-3 and S-10 as the opportunity service enforces them, on a real file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bcm_desktop.domain.entities import (
    InitiatorRef,
    Opportunity,
    OpportunityLine,
    RecordRef,
    User,
)
from bcm_desktop.domain.enums import InitiatorKind, LinkKind, ListKind, StageKind
from bcm_desktop.domain.errors import (
    ClosedRecordError,
    ConflictError,
    NotFoundError,
    ValidationError,
)
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.opportunities import OpportunityService

TODAY = date(2026, 11, 28)


@pytest.fixture
def service(uow_factory: Callable[[], UnitOfWork], owner: User) -> OpportunityService:
    return OpportunityService(uow_factory, owner.id, today=lambda: TODAY)


def stage_id(uow_factory: Callable[[], UnitOfWork], name: str) -> int:
    with uow_factory() as uow:
        return next(s.id for s in uow.stages.all() if s.name == name)


def snapshot(db_path: Path) -> list[tuple[object, ...]]:
    """Every row of the tables a save touches, to prove a refusal changed nothing."""
    with sqlite3.connect(db_path) as connection:
        rows: list[tuple[object, ...]] = []
        for table in ("opportunities", "opportunity_lines", "stage_history"):
            rows.extend(connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall())
        return rows


def new_opp(service: OpportunityService, link: RecordRef, **fields: object) -> Opportunity:
    draft = service.new()
    draft.title = "New tills for the bakery"
    draft.link = link
    for name, value in fields.items():
        setattr(draft, name, value)
    return service.create(draft)


TWO_LINES = [
    OpportunityLine("Till", Decimal("1250.00"), Decimal(2)),
    OpportunityLine(
        "Installation", Decimal("99.99"), Decimal("3.5"), discount_percent=Decimal("10")
    ),
]


def test_new_opportunity_gets_default_stage_and_current_user(
    service: OpportunityService, owner: User, account: RecordRef
) -> None:
    opp = new_opp(service, account)
    assert opp.id is not None and opp.version == 1
    assert opp.assigned_to_id == owner.id
    assert opp.status is StageKind.OPEN
    assert opp.probability == 10  # Prospecting's default


@pytest.mark.parametrize("title", ["", "   "])
def test_title_is_required_and_nothing_is_written(
    service: OpportunityService, account: RecordRef, db_path: Path, title: str
) -> None:
    before = snapshot(db_path)
    with pytest.raises(ValidationError) as info:
        new_opp(service, account, title=title)
    assert info.value.field == "title"
    assert "Title is required" in info.value.message
    assert snapshot(db_path) == before


def test_link_is_required(service: OpportunityService, db_path: Path) -> None:
    draft = service.new()
    draft.title = "No link"
    with pytest.raises(ValidationError) as info:
        service.create(draft)
    assert info.value.field == "link"
    assert snapshot(db_path) == []


def test_link_to_a_missing_record_is_refused(service: OpportunityService) -> None:
    with pytest.raises(NotFoundError, match="linked account"):
        new_opp(service, RecordRef(LinkKind.ACCOUNT, 999))


def test_link_to_contact_stores_its_name(
    service: OpportunityService, contact: RecordRef, db_path: Path
) -> None:
    opp = new_opp(service, contact)
    assert opp.link == contact
    with sqlite3.connect(db_path) as connection:
        row = connection.execute(
            "SELECT link_account_id, link_contact_id, link_name FROM opportunities"
        ).fetchone()
    assert row == (None, contact.id, "Anna Jansen")


@pytest.mark.parametrize("probability", [-1, 101, 1000])
def test_probability_outside_0_to_100_is_refused(
    service: OpportunityService, account: RecordRef, probability: int
) -> None:
    with pytest.raises(ValidationError, match="0 to 100") as info:
        new_opp(service, account, probability=probability)
    assert info.value.field == "probability"


def test_expected_revenue_is_probability_times_total_and_stored(
    service: OpportunityService, account: RecordRef, db_path: Path
) -> None:
    opp = new_opp(service, account, probability=35, lines=list(TWO_LINES))
    # 2 × 1250.00 + (3.5 × 99.99 = 349.965 → 349.97, less 10 % = 35.00) = 2814.97
    assert opp.products_total == Decimal("2814.97")
    assert opp.expected_revenue == Decimal("985.24")  # 35 % of 2814.97 = 985.2395
    with sqlite3.connect(db_path) as connection:
        stored = connection.execute(
            "SELECT products_total_cents, expected_revenue_cents FROM opportunities"
        ).fetchone()
    assert stored == (281497, 98524)


def test_expected_revenue_is_recomputed_on_every_change(
    service: OpportunityService, account: RecordRef, db_path: Path
) -> None:
    opp = new_opp(service, account, probability=50, lines=list(TWO_LINES))
    opp.lines = opp.lines[:1]
    opp = service.update(opp)
    assert (opp.products_total, opp.expected_revenue) == (Decimal("2500.00"), Decimal("1250.00"))
    opp.probability = 80
    opp = service.update(opp)
    with sqlite3.connect(db_path) as connection:
        stored = connection.execute(
            "SELECT products_total_cents, expected_revenue_cents FROM opportunities"
        ).fetchone()
    assert stored == (250000, 200000)


@pytest.mark.parametrize(
    ("stage", "probability", "status"),
    [("Closed Won", 100, StageKind.WON), ("Closed Lost", 0, StageKind.LOST)],
)
def test_choosing_a_closed_stage_sets_probability_and_locks(
    service: OpportunityService,
    uow_factory: Callable[[], UnitOfWork],
    account: RecordRef,
    stage: str,
    probability: int,
    status: StageKind,
) -> None:
    opp = new_opp(service, account, probability=40, lines=list(TWO_LINES))
    opp.stage_id = stage_id(uow_factory, stage)
    closed = service.update(opp)
    assert closed.probability == probability
    assert closed.status is status
    assert closed.actual_close_date == TODAY
    assert closed.expected_revenue == closed.products_total * probability / 100
    closed.title = "Sneaky edit"
    with pytest.raises(ClosedRecordError, match="read-only"):
        service.update(closed)
    assert service.get(opp.id or 0).title == "New tills for the bakery"


def test_close_with_actual_close_date_then_reopen_is_recorded(
    service: OpportunityService,
    uow_factory: Callable[[], UnitOfWork],
    account: RecordRef,
    owner: User,
) -> None:
    opp = new_opp(service, account, probability=30)
    proposal = stage_id(uow_factory, "Proposal")
    opp.stage_id = proposal
    opp = service.update(opp)
    closed = service.close(opp.id or 0, StageKind.LOST, opp.version, date(2026, 11, 1))
    assert (closed.status, closed.probability) == (StageKind.LOST, 0)
    assert closed.actual_close_date == date(2026, 11, 1)
    with pytest.raises(ClosedRecordError):
        service.close(closed.id or 0, StageKind.WON, closed.version)

    reopened = service.reopen(closed.id or 0, closed.version)
    assert reopened.status is StageKind.OPEN
    assert reopened.stage_id == proposal  # back where it was before it closed
    assert reopened.actual_close_date is None
    reopened.title = "Editable again"
    assert service.update(reopened).title == "Editable again"

    history = service.stage_history(opp.id or 0)
    assert [(h.from_stage_name, h.to_stage_name, h.note) for h in history] == [
        ("", "Prospecting", "created"),
        ("Prospecting", "Proposal", ""),
        ("Proposal", "Closed Lost", ""),
        ("Closed Lost", "Proposal", "reopened"),
    ]
    assert {h.changed_by_id for h in history} == {owner.id}


def test_close_requires_a_closed_kind(service: OpportunityService, account: RecordRef) -> None:
    opp = new_opp(service, account)
    with pytest.raises(ValidationError, match="Closed Won or Closed Lost"):
        service.close(opp.id or 0, StageKind.OPEN, opp.version)


def test_stale_version_is_a_conflict_not_an_overwrite(
    service: OpportunityService, account: RecordRef, db_path: Path
) -> None:
    opp = new_opp(service, account)
    mine = service.get(opp.id or 0)
    theirs = service.get(opp.id or 0)
    theirs.title = "Their title"
    service.update(theirs)
    before = snapshot(db_path)
    mine.title = "My title"
    with pytest.raises(ConflictError, match="changed by someone else"):
        service.update(mine)
    with pytest.raises(ConflictError):
        service.delete(mine.id or 0, mine.version)
    with pytest.raises(ConflictError):
        service.close(mine.id or 0, StageKind.WON, mine.version)
    assert snapshot(db_path) == before
    assert service.get(opp.id or 0).title == "Their title"


def test_failed_save_leaves_database_unchanged(
    service: OpportunityService,
    uow_factory: Callable[[], UnitOfWork],
    account: RecordRef,
    db_path: Path,
) -> None:
    opp = new_opp(service, account, lines=list(TWO_LINES))
    before = snapshot(db_path)
    changed = replace(opp, title="Changed", lines=opp.lines[:1], stage_id=999)
    with pytest.raises(NotFoundError, match="stage"):
        service.update(changed)
    with uow_factory() as uow:
        payment_terms = uow.lists.items(ListKind.PAYMENT_TERMS)[0].id
    with pytest.raises(ValidationError, match="type"):
        service.update(replace(opp, title="Changed", type_id=payment_terms))
    bad_line = OpportunityLine("Gift", Decimal("10"), Decimal(-1))
    with pytest.raises(ValidationError, match="Quantity cannot be negative"):
        service.update(replace(opp, lines=[bad_line]))
    assert snapshot(db_path) == before


def test_initiated_by_must_exist(
    service: OpportunityService, uow_factory: Callable[[], UnitOfWork], account: RecordRef
) -> None:
    with pytest.raises(ValidationError, match="Initiated by"):
        new_opp(service, account, initiated_by=InitiatorRef(InitiatorKind.MARKETING, 42))
    with uow_factory() as uow:
        campaign = uow.records.add_marketing_activity("Spring mailing")
        uow.commit()
    opp = new_opp(service, account, initiated_by=InitiatorRef(InitiatorKind.MARKETING, campaign))
    assert opp.initiated_by == InitiatorRef(InitiatorKind.MARKETING, campaign)


def test_delete_removes_the_record_and_its_lines(
    service: OpportunityService, account: RecordRef, db_path: Path
) -> None:
    opp = new_opp(service, account, lines=list(TWO_LINES))
    service.delete(opp.id or 0, opp.version)
    assert snapshot(db_path) == []
    with pytest.raises(NotFoundError):
        service.get(opp.id or 0)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (OpportunityLine("", Decimal(1)), "Item name is required"),
        (OpportunityLine("X", Decimal(-1)), "Unit price cannot be negative"),
        (OpportunityLine("X", Decimal(1), discount_percent=Decimal(101)), "0 to 100"),
        (OpportunityLine("X", Decimal(10), discount_amount=Decimal(11)), "larger than"),
        (OpportunityLine("X", Decimal("1e15")), "too large"),
        (OpportunityLine("X", Decimal(1), Decimal("0.0001")), "three decimals"),
    ],
)
def test_bad_lines_are_refused_with_a_clear_message(
    service: OpportunityService, account: RecordRef, line: OpportunityLine, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        new_opp(service, account, lines=[line])


def test_control_characters_and_overlong_titles_are_refused(
    service: OpportunityService, account: RecordRef
) -> None:
    with pytest.raises(ValidationError, match="control characters"):
        new_opp(service, account, title="Bell\x07")
    with pytest.raises(ValidationError, match="too long"):
        new_opp(service, account, title="x" * 256)


def test_an_open_record_keeps_no_actual_close_date(
    service: OpportunityService, account: RecordRef
) -> None:
    """A client that sends an actual close date without closing the record stores none
    (the reading pane and the printout would show an open deal as closed on that day)."""
    saved = new_opp(service, account)
    saved.actual_close_date = date(2026, 11, 27)
    saved.title = "Renamed"
    stored = service.update(saved)
    assert (stored.title, stored.actual_close_date) == ("Renamed", None)


def test_saving_a_copy_read_before_a_colleague_closed_it_is_a_conflict(
    service: OpportunityService, account: RecordRef
) -> None:
    """The form meets "changed elsewhere" (compare, reload) rather than a read-only refusal
    for a record it still shows open."""
    mine = new_opp(service, account)
    service.close(mine.id or 0, StageKind.WON, mine.version)
    mine.title = "Mine"
    with pytest.raises(ConflictError):
        service.update(mine)
    assert service.get(mine.id or 0).title == "New tills for the bakery"
