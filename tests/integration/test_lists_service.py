"""S-4 customizable lists: the list service on a real SQLite file, read back with SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.domain.enums import ListKind
from bcm_desktop.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from bcm_desktop.domain.marketing import MarketingActivity
from bcm_desktop.domain.projects import BusinessProject
from bcm_desktop.repository.repositories import LIST_ITEM_NAME_LENGTH, list_item_references
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.deleted_items import DeletedItemsService
from bcm_desktop.services.lists import ListService
from bcm_desktop.services.marketing import MarketingService
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.projects import ProjectService

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
TYPES = ["New business", "Existing business", "Renewal", "Upsell"]


@pytest.fixture
def lists(uow_factory: Callable[[], UnitOfWork], owner: User) -> ListService:
    return ListService(uow_factory, owner.id, now=lambda: NOW)


@pytest.fixture
def colleague(uow_factory: Callable[[], UnitOfWork]) -> User:
    with uow_factory() as uow:
        user = uow.users.add("Chris Colleague", "chris")
        uow.commit()
    return user


@pytest.fixture
def opportunities(uow_factory: Callable[[], UnitOfWork], owner: User) -> OpportunityService:
    return OpportunityService(uow_factory, owner.id, today=lambda: TODAY)


def rows(db_path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql, params).fetchall()


def names(db_path: Path, kind: ListKind) -> list[str]:
    return [
        str(r[0])
        for r in rows(
            db_path, "SELECT name FROM list_items WHERE kind = ? ORDER BY position", kind.value
        )
    ]


def positions(db_path: Path, kind: ListKind) -> list[int]:
    return [
        int(str(r[0]))
        for r in rows(
            db_path, "SELECT position FROM list_items WHERE kind = ? ORDER BY position", kind.value
        )
    ]


def item_id(lists: ListService, kind: ListKind, name: str) -> int:
    return next(i.id for i in lists.items(kind) if i.name == name)


def new_opp(
    service: OpportunityService, link: RecordRef, title: str, **fields: object
) -> Opportunity:
    draft = replace(service.new(), title=title, link=link, **fields)  # type: ignore[arg-type]
    return service.create(draft)


def snapshot(db_path: Path) -> list[tuple[object, ...]]:
    """Everything the list service could change."""
    return rows(db_path, "SELECT * FROM list_items ORDER BY id") + rows(
        db_path,
        "SELECT id, type_id, payment_terms_id, source_id, version, modified_at"
        " FROM opportunities ORDER BY id",
    )


# -- reading -----------------------------------------------------------------------------------


def test_items_come_in_list_order_and_everyone_may_read_them(
    uow_factory: Callable[[], UnitOfWork], colleague: User, lists: ListService
) -> None:
    assert [i.name for i in lists.items(ListKind.TYPE)] == TYPES
    theirs = ListService(uow_factory, colleague.id)
    assert [i.name for i in theirs.items(ListKind.TYPE)] == TYPES
    assert lists.is_owner()
    assert not theirs.is_owner()
    assert not ListService(uow_factory, None).is_owner()


def test_every_column_that_refers_to_list_items_is_covered() -> None:
    found = {(t.name, c.name) for t, columns in list_item_references() for c in columns}
    assert found == {
        ("opportunities", "type_id"),
        ("opportunities", "payment_terms_id"),
        ("opportunities", "source_id"),
        ("business_projects", "project_type_id"),
        ("marketing_activities", "type_id"),
    }


# -- add, rename, move -------------------------------------------------------------------------


def test_add_puts_the_entry_last_trimmed(lists: ListService, db_path: Path) -> None:
    added = lists.add(ListKind.TYPE, "  Referral deal  ")
    assert added.name == "Referral deal"
    assert names(db_path, ListKind.TYPE) == [*TYPES, "Referral deal"]
    assert positions(db_path, ListKind.TYPE) == [1, 2, 3, 4, 5]
    assert names(db_path, ListKind.SOURCE)[-1] != "Referral deal"


def test_the_same_name_may_be_on_two_different_lists(lists: ListService, db_path: Path) -> None:
    lists.add(ListKind.SOURCE, "Renewal")
    assert names(db_path, ListKind.SOURCE)[-1] == "Renewal"


def test_rename_keeps_the_records_on_the_entry(
    lists: ListService, opportunities: OpportunityService, account: RecordRef, db_path: Path
) -> None:
    renewal = item_id(lists, ListKind.TYPE, "Renewal")
    opp = new_opp(opportunities, account, "Service contract", type_id=renewal)
    lists.rename(renewal, "Contract renewal")
    assert names(db_path, ListKind.TYPE) == [
        "New business",
        "Existing business",
        "Contract renewal",
        "Upsell",
    ]
    assert opportunities.get(opp.id or 0).type_id == renewal
    lists.rename(renewal, "CONTRACT renewal")  # its own name in other case is allowed
    assert names(db_path, ListKind.TYPE)[2] == "CONTRACT renewal"


def test_move_swaps_with_the_neighbour_and_stops_at_the_ends(
    lists: ListService, db_path: Path
) -> None:
    renewal = item_id(lists, ListKind.TYPE, "Renewal")
    assert lists.move(renewal, -1)
    assert names(db_path, ListKind.TYPE) == [
        "New business",
        "Renewal",
        "Existing business",
        "Upsell",
    ]
    assert lists.move(renewal, -1)
    assert not lists.move(renewal, -1)
    upsell = item_id(lists, ListKind.TYPE, "Upsell")
    assert not lists.move(upsell, +1)
    assert lists.move(renewal, +1)
    assert names(db_path, ListKind.TYPE) == [
        "New business",
        "Renewal",
        "Existing business",
        "Upsell",
    ]
    assert positions(db_path, ListKind.TYPE) == [1, 2, 3, 4]


# -- usage and remove --------------------------------------------------------------------------


def test_usage_counts_every_record_that_uses_the_entry(
    lists: ListService,
    opportunities: OpportunityService,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
) -> None:
    renewal = item_id(lists, ListKind.TYPE, "Renewal")
    net30 = item_id(lists, ListKind.PAYMENT_TERMS, "Net 30 days")
    for title in ("One", "Two", "Three"):
        new_opp(opportunities, account, title, type_id=renewal, payment_terms_id=net30)
    new_opp(opportunities, account, "Other", payment_terms_id=net30)
    assert lists.usage_by_record_type(renewal).total == 3
    assert lists.usage_by_record_type(net30).total == 4
    assert lists.usage_by_record_type(item_id(lists, ListKind.TYPE, "Upsell")).total == 0

    consulting = item_id(lists, ListKind.PROJECT_TYPE, "Consulting")
    projects = ProjectService(uow_factory, owner.id, today=lambda: TODAY)
    projects.create(BusinessProject(name="Roll-out", link=account, project_type_id=consulting))
    event = item_id(lists, ListKind.MARKETING_TYPE, "Event")
    MarketingService(uow_factory).create(MarketingActivity(name="Fair", type_id=event))
    assert lists.usage_by_record_type(consulting).by_table == {"business_projects": 1}
    assert lists.usage_by_record_type(event).by_table == {"marketing_activities": 1}
    assert lists.usage_by_record_type(renewal).by_table == {"opportunities": 3}


def test_remove_with_a_replacement_moves_the_records_and_bumps_their_version(
    lists: ListService, opportunities: OpportunityService, account: RecordRef, db_path: Path
) -> None:
    renewal = item_id(lists, ListKind.TYPE, "Renewal")
    upsell = item_id(lists, ListKind.TYPE, "Upsell")
    using = [new_opp(opportunities, account, f"Deal {n}", type_id=renewal) for n in range(3)]
    other = new_opp(opportunities, account, "Untouched", type_id=upsell)

    assert lists.remove(renewal, upsell) == 3

    assert names(db_path, ListKind.TYPE) == ["New business", "Existing business", "Upsell"]
    assert positions(db_path, ListKind.TYPE) == [1, 2, 3]
    for opp in using:
        stored = opportunities.get(opp.id or 0)
        assert stored.type_id == upsell
        assert stored.version == opp.version + 1
        assert stored.modified_at == NOW
    assert opportunities.get(other.id or 0).version == other.version
    assert rows(db_path, "SELECT COUNT(*) FROM list_items WHERE id = ?", renewal) == [(0,)]


def test_remove_without_a_replacement_blanks_the_records(
    lists: ListService, opportunities: OpportunityService, account: RecordRef
) -> None:
    web = item_id(lists, ListKind.SOURCE, names_of(lists, ListKind.SOURCE)[0])
    net15 = item_id(lists, ListKind.PAYMENT_TERMS, "Net 15 days")
    opp = new_opp(opportunities, account, "Website lead", source_id=web, payment_terms_id=net15)
    assert lists.remove(web) == 1
    stored = opportunities.get(opp.id or 0)
    assert (stored.source_id, stored.payment_terms_id) == (None, net15)
    assert stored.version == opp.version + 1
    assert lists.remove(item_id(lists, ListKind.TYPE, "Upsell")) == 0  # unused: just removed
    assert "Upsell" not in names_of(lists, ListKind.TYPE)


def test_remove_changes_projects_and_marketing_activities_too(
    lists: ListService,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
) -> None:
    consulting = item_id(lists, ListKind.PROJECT_TYPE, "Consulting")
    training = item_id(lists, ListKind.PROJECT_TYPE, "Training")
    projects = ProjectService(uow_factory, owner.id, today=lambda: TODAY)
    project = projects.create(
        BusinessProject(name="Roll-out", link=account, project_type_id=consulting)
    )
    event = item_id(lists, ListKind.MARKETING_TYPE, "Event")
    marketing = MarketingService(uow_factory)
    fair = marketing.create(MarketingActivity(name="Fair", type_id=event))

    assert lists.remove(consulting, training) == 1
    assert lists.remove(event) == 1
    stored = projects.get(project.id or 0)
    assert (stored.project_type_id, stored.version) == (training, project.version + 1)
    assert marketing.get(fair.id or 0).type_id is None


def test_a_form_holding_the_removed_entry_gets_changed_elsewhere(
    lists: ListService, opportunities: OpportunityService, account: RecordRef, db_path: Path
) -> None:
    """The form's refilled combo no longer has the entry (it shows blank): saving the old
    version must not blank the replacement the owner chose."""
    renewal = item_id(lists, ListKind.TYPE, "Renewal")
    upsell = item_id(lists, ListKind.TYPE, "Upsell")
    opp = new_opp(opportunities, account, "Open in a form", type_id=renewal)
    lists.remove(renewal, upsell)
    with pytest.raises(ConflictError, match="changed by someone else"):
        opportunities.update(replace(opp, title="Typed meanwhile", type_id=None))
    assert rows(db_path, "SELECT title, type_id FROM opportunities WHERE id = ?", opp.id) == [
        ("Open in a form", upsell)
    ]


def test_a_restored_record_never_takes_a_newer_entry_with_a_removed_ones_id(
    lists: ListService,
    opportunities: OpportunityService,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
) -> None:
    """A record in Deleted Items keeps the removed entry's id: restoring it must find no
    entry (blank), not a new, unrelated one that got the same id."""
    added = lists.add(ListKind.TYPE, "Short-lived")
    opp = new_opp(opportunities, account, "Deleted later", type_id=added.id)
    opportunities.delete(opp.id or 0, opp.version)
    lists.remove(added.id)
    lists.add(ListKind.SOURCE, "Newcomer")  # SQLite may hand it the removed entry's id
    deleted_items = DeletedItemsService(uow_factory, owner.id)
    entry = next(item for item in deleted_items.items() if item.record_id == opp.id)
    assert deleted_items.restore([entry.id]).restored == 1
    assert opportunities.get(opp.id or 0).type_id is None


def names_of(lists: ListService, kind: ListKind) -> list[str]:
    return [i.name for i in lists.items(kind)]


# -- refusals: nothing changes -----------------------------------------------------------------


def test_a_colleague_may_change_nothing(
    uow_factory: Callable[[], UnitOfWork],
    colleague: User,
    lists: ListService,
    opportunities: OpportunityService,
    account: RecordRef,
    db_path: Path,
) -> None:
    renewal = item_id(lists, ListKind.TYPE, "Renewal")
    new_opp(opportunities, account, "Deal", type_id=renewal)
    before = snapshot(db_path)
    theirs = ListService(uow_factory, colleague.id)
    nobody = ListService(uow_factory, None)
    for service in (theirs, nobody):
        for attempt in (
            lambda s=service: s.add(ListKind.TYPE, "Mine"),
            lambda s=service: s.rename(renewal, "Mine"),
            lambda s=service: s.move(renewal, -1),
            lambda s=service: s.remove(renewal),
            lambda s=service: s.remove(renewal, item_id(lists, ListKind.TYPE, "Upsell")),
        ):
            with pytest.raises(PermissionDeniedError, match="Only the database owner"):
                attempt()
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "The name is required: it cannot be empty."),
        ("   \t ", "The name is required: it cannot be empty."),
        ("x" * (LIST_ITEM_NAME_LENGTH + 1), "The name is too long: 256 characters, at most 255"),
        ("Net\x0730", "The name contains control characters"),
        ("Two\nlines", "The name contains control characters"),
        ("renewal", "The Type list already has “Renewal”: choose another name"),
        (" UPSELL ", "The Type list already has “Upsell”"),
    ],
)
def test_bad_names_are_refused_with_a_clear_message(
    lists: ListService, db_path: Path, name: str, message: str
) -> None:
    before = snapshot(db_path)
    with pytest.raises(ValidationError, match=message) as add_error:
        lists.add(ListKind.TYPE, name)
    assert add_error.value.field == "name"
    with pytest.raises(ValidationError, match=message):
        lists.rename(item_id(lists, ListKind.TYPE, "New business"), name)
    assert snapshot(db_path) == before


def test_a_name_of_the_full_column_length_is_accepted(lists: ListService, db_path: Path) -> None:
    assert LIST_ITEM_NAME_LENGTH == 255
    lists.add(ListKind.TYPE, "y" * LIST_ITEM_NAME_LENGTH)
    assert names(db_path, ListKind.TYPE)[-1] == "y" * 255


def test_bad_replacements_are_refused_and_nothing_changes(
    lists: ListService, opportunities: OpportunityService, account: RecordRef, db_path: Path
) -> None:
    renewal = item_id(lists, ListKind.TYPE, "Renewal")
    new_opp(opportunities, account, "Deal", type_id=renewal)
    net30 = item_id(lists, ListKind.PAYMENT_TERMS, "Net 30 days")
    before = snapshot(db_path)
    with pytest.raises(ValidationError, match="An entry cannot replace itself"):
        lists.remove(renewal, renewal)
    with pytest.raises(
        ValidationError,
        match="“Net 30 days” is an entry of the Payment terms list; replace “Renewal” with an "
        "entry of the Type list, or \\(blank\\)",
    ) as error:
        lists.remove(renewal, net30)
    assert error.value.field == "replacement"
    with pytest.raises(ValidationError, match="The chosen replacement no longer exists"):
        lists.remove(renewal, 987_654)
    assert snapshot(db_path) == before


def test_unknown_ids_and_lists_are_refused(lists: ListService, db_path: Path) -> None:
    before = snapshot(db_path)
    gone = "That list entry no longer exists. Close the list editor and open it again."
    for attempt in (
        lambda: lists.rename(987_654, "Name"),
        lambda: lists.move(987_654, 1),
        lambda: lists.remove(987_654),
        lambda: lists.usage_by_record_type(987_654).total,
    ):
        with pytest.raises(ValidationError, match=gone):
            attempt()
    with pytest.raises(ValidationError, match="There is no list called “colour”"):
        lists.add("colour", "Red")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="whole number of places"):
        lists.move(item_id(lists, ListKind.TYPE, "Renewal"), 0.5)  # type: ignore[arg-type]
    assert snapshot(db_path) == before


def test_a_failed_removal_rolls_back_the_record_updates(
    lists: ListService,
    opportunities: OpportunityService,
    account: RecordRef,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The records are updated before the entry is deleted: a failure then undoes both."""
    renewal = item_id(lists, ListKind.TYPE, "Renewal")
    new_opp(opportunities, account, "Deal", type_id=renewal)
    before = snapshot(db_path)

    from bcm_desktop.repository.repositories import ListRepository

    def broken_renumber(self: ListRepository, rows: list[object]) -> None:
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(ListRepository, "_renumber", broken_renumber)
    with pytest.raises(RuntimeError):
        lists.remove(renewal, item_id(lists, ListKind.TYPE, "Upsell"))
    assert snapshot(db_path) == before
