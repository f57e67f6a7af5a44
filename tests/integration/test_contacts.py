"""Account and business contact use cases against a real SQLite file (no Qt)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from bcm_desktop.domain.contacts import Account, Address, BusinessContact, DeleteImpact
from bcm_desktop.domain.entities import (
    HistoryItem,
    Opportunity,
    OpportunityLine,
    RecordRef,
    User,
)
from bcm_desktop.domain.enums import HistoryKind
from bcm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from bcm_desktop.domain.listing import RecordFilter, RecordOrder, RecordRow
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.orm import (
    AccountRow,
    BusinessProjectRow,
    ContactRow,
    HistoryItemRow,
    OpportunityLineRow,
    OpportunityRow,
    UserRow,
)
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.categories import CategoryService
from bcm_desktop.services.contact_listing import (
    ASSIGNED_TO,
    RecordListing,
    account_listing,
    contact_listing,
)
from bcm_desktop.services.contacts import AccountService, ContactService
from bcm_desktop.services.opportunities import OpportunityService


@pytest.fixture
def accounts(uow_factory: Callable[[], UnitOfWork], owner: User) -> AccountService:
    return AccountService(uow_factory, owner.id)


@pytest.fixture
def contacts(uow_factory: Callable[[], UnitOfWork], owner: User) -> ContactService:
    return ContactService(uow_factory, owner.id)


@pytest.fixture
def opportunities(uow_factory: Callable[[], UnitOfWork], owner: User) -> OpportunityService:
    return OpportunityService(uow_factory, owner.id)


def make_opportunity(
    service: OpportunityService, title: str, link: RecordRef, price: str, probability: int
) -> Opportunity:
    return service.create(
        Opportunity(
            title=title,
            link=link,
            probability=probability,
            lines=[OpportunityLine(item_name="Oven", unit_price=Decimal(price))],
        )
    )


def add_history(uow_factory: Callable[[], UnitOfWork], **links: int) -> int:
    with uow_factory() as uow:
        item_id = uow.history.add(HistoryItem(HistoryKind.NOTE, "Called", **links))
        uow.commit()
    return item_id


# -- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (Account(name="   "), "name"),
        (Account(name="Acme", phone="call me"), "phone"),
        (Account(name="Acme", phone="1" * 65), "phone"),
        (Account(name="Acme", email="info at acme"), "email"),
        (Account(name="Acme", web_page="not a site"), "web_page"),
        (Account(name="A" * 256), "name"),
        (Account(name="Acme", address=Address(postal_code="9" * 33)), "postal_code"),
        (Account(name="Acme\x07"), "name"),
    ],
)
def test_an_invalid_account_is_refused_naming_the_field(
    accounts: AccountService, database: Database, draft: Account, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        accounts.create(draft)
    assert caught.value.field == field
    with database.session_factory() as session:
        assert session.scalars(select(AccountRow)).all() == []


def test_a_valid_account_is_stored_cleaned(accounts: AccountService) -> None:
    saved = accounts.create(
        Account(
            name="  Bakkerij de Vries ",
            phone="+31 (30) 123-4567 x12",
            email="info@devries.nl",
            web_page="www.devries.nl",
            address=Address("Markt 1", "3511 AA", "Utrecht", "Nederland"),
        )
    )
    again = accounts.get(saved.id or 0)
    assert again.name == "Bakkerij de Vries"
    assert again.phone == "+31 (30) 123-4567 x12"
    assert again.address.city == "Utrecht"
    assert again.version == 1


def test_a_contact_needs_a_first_or_last_name(contacts: ContactService) -> None:
    with pytest.raises(ValidationError) as caught:
        contacts.create(BusinessContact(first_name=" ", last_name=""))
    assert caught.value.field == "first_name"
    only_last = contacts.create(BusinessContact(first_name="", last_name="Jansen"))
    assert only_last.full_name == "Jansen"


def test_a_contact_of_a_deleted_account_is_refused(
    contacts: ContactService, account: RecordRef
) -> None:
    with pytest.raises(ValidationError) as caught:
        contacts.create(BusinessContact("Anna", "Jansen", account_id=account.id + 99))
    assert caught.value.field == "account"


def test_assigned_to_must_be_an_active_user(
    accounts: AccountService, uow_factory: Callable[[], UnitOfWork], database: Database
) -> None:
    with uow_factory() as uow:
        gone = uow.users.add("Gone Colleague", "gone")
        uow.commit()
    with database.session_factory() as session:
        session.execute(update(UserRow).where(UserRow.id == gone.id).values(active=False))
        session.commit()
    with pytest.raises(ValidationError) as caught:
        accounts.create(Account(name="Acme", assigned_to_id=gone.id))
    assert caught.value.field == "assigned_to"


def test_categories_are_saved_and_replaced(
    accounts: AccountService, uow_factory: Callable[[], UnitOfWork]
) -> None:
    categories = CategoryService(uow_factory)
    red, blue = categories.add("Red"), categories.add("Blue")
    saved = accounts.create(Account(name="Acme", category_ids=(red.id, blue.id)))
    assert set(saved.category_ids) == {red.id, blue.id}
    updated = accounts.update(replace(saved, category_ids=(blue.id,)))
    assert updated.category_ids == (blue.id,)
    assert updated.version == saved.version + 1


# -- update: link names and conflicts -----------------------------------------------------


def test_renaming_an_account_renames_the_link_of_its_opportunities(
    accounts: AccountService,
    opportunities: OpportunityService,
    account: RecordRef,
    contact: RecordRef,
    database: Database,
) -> None:
    mine = make_opportunity(opportunities, "Ovens", account, "100", 50)
    other = make_opportunity(opportunities, "Bread", contact, "100", 50)
    stored = accounts.get(account.id)

    accounts.update(replace(stored, name="De Vries Bakeries"))

    with database.session_factory() as session:
        names = dict(session.execute(select(OpportunityRow.id, OpportunityRow.link_name)).all())
        versions = dict(session.execute(select(OpportunityRow.id, OpportunityRow.version)).all())
    assert names == {mine.id: "De Vries Bakeries", other.id: "Anna Jansen"}
    # The opportunity itself was not edited: an open opportunity form saves without conflict.
    assert versions[mine.id] == mine.version
    reopened = opportunities.get(mine.id or 0)
    opportunities.update(replace(reopened, title="Ovens and mixers"))


def test_renaming_a_contact_renames_the_link_of_its_opportunities(
    contacts: ContactService,
    opportunities: OpportunityService,
    contact: RecordRef,
    database: Database,
) -> None:
    opp = make_opportunity(opportunities, "Bread", contact, "100", 50)
    stored = contacts.get(contact.id)

    contacts.update(replace(stored, first_name="Annie", last_name="de Jong"))

    with database.session_factory() as session:
        link_name = session.scalar(
            select(OpportunityRow.link_name).where(OpportunityRow.id == opp.id)
        )
    assert link_name == "Annie de Jong"
    assert contacts.get(contact.id).full_name == "Annie de Jong"


def test_saving_a_stale_account_is_a_conflict_and_changes_nothing(
    accounts: AccountService, account: RecordRef
) -> None:
    first = accounts.get(account.id)
    accounts.update(replace(first, phone="030 111"))
    with pytest.raises(ConflictError, match="changed by someone else"):
        accounts.update(replace(first, phone="030 222", name="Other name"))
    stored = accounts.get(account.id)
    assert (stored.name, stored.phone) == ("Bakkerij de Vries", "030 111")


def test_saving_a_stale_contact_is_a_conflict(contacts: ContactService, contact: RecordRef) -> None:
    first = contacts.get(contact.id)
    contacts.update(replace(first, job_title="Owner"))
    with pytest.raises(ConflictError):
        contacts.update(replace(first, job_title="Baker"))
    assert contacts.get(contact.id).job_title == "Owner"


def test_a_failed_rename_leaves_the_link_names_alone(
    accounts: AccountService,
    opportunities: OpportunityService,
    account: RecordRef,
    database: Database,
) -> None:
    opp = make_opportunity(opportunities, "Ovens", account, "100", 50)
    stale = accounts.get(account.id)
    accounts.update(replace(stale, phone="1"))
    with pytest.raises(ConflictError):
        accounts.update(replace(stale, name="Renamed"))
    assert opportunities.get(opp.id or 0).title == "Ovens"
    with database.session_factory() as session:
        assert session.scalar(select(OpportunityRow.link_name)) == "Bakkerij de Vries"


# -- account overview --------------------------------------------------------------------


def test_account_overview_lists_contacts_and_opportunities_with_totals(
    accounts: AccountService,
    opportunities: OpportunityService,
    account: RecordRef,
    contact: RecordRef,
) -> None:
    make_opportunity(opportunities, "Ovens", account, "1000.00", 50)
    make_opportunity(opportunities, "Mixers", account, "250.50", 20)
    make_opportunity(opportunities, "Via the contact", contact, "999", 90)

    overview = accounts.overview(account.id)

    assert [c.full_name for c in overview.contacts] == ["Anna Jansen"]
    assert [o.title for o in overview.opportunities] == ["Mixers", "Ovens"]
    assert overview.totals.count == 2
    assert overview.totals.total == Decimal("1250.50")
    assert overview.totals.expected_revenue == Decimal("550.10")  # 500 + 50.10


# -- delete --------------------------------------------------------------------------------


def test_delete_impact_counts_what_goes_and_what_stays(
    accounts: AccountService,
    opportunities: OpportunityService,
    uow_factory: Callable[[], UnitOfWork],
    account: RecordRef,
    contact: RecordRef,
) -> None:
    first = make_opportunity(opportunities, "Ovens", account, "100", 50)
    make_opportunity(opportunities, "Mixers", account, "100", 50)
    add_history(uow_factory, account_id=account.id)
    add_history(uow_factory, opportunity_id=first.id or 0)
    add_history(uow_factory, contact_id=contact.id)  # the contact's own: it stays

    assert accounts.delete_impact(account.id) == DeleteImpact(
        name="Bakkerij de Vries", opportunities=2, contacts=1, history_items=2
    )


def test_deleting_an_account_deletes_exactly_what_the_confirmation_states(
    accounts: AccountService,
    opportunities: OpportunityService,
    uow_factory: Callable[[], UnitOfWork],
    database: Database,
    account: RecordRef,
    contact: RecordRef,
) -> None:
    first = make_opportunity(opportunities, "Ovens", account, "100", 50)
    make_opportunity(opportunities, "Mixers", account, "100", 50)
    kept = make_opportunity(opportunities, "Via the contact", contact, "100", 50)
    add_history(uow_factory, account_id=account.id)
    add_history(uow_factory, opportunity_id=first.id or 0)
    contact_note = add_history(uow_factory, contact_id=contact.id)
    contact_version = ContactService(uow_factory).get(contact.id).version
    impact = accounts.delete_impact(account.id)

    accounts.delete(account.id, accounts.get(account.id).version, impact)

    with pytest.raises(NotFoundError):
        accounts.get(account.id)
    with database.session_factory() as session:
        assert session.scalars(select(OpportunityRow.id)).all() == [kept.id]
        assert session.scalars(select(HistoryItemRow.id)).all() == [contact_note]
        assert len(session.scalars(select(OpportunityLineRow.id)).all()) == 1
        row = session.get(ContactRow, contact.id)
        assert row is not None and row.account_id is None
        assert row.version == contact_version + 1  # an open contact form notices


def test_delete_refuses_when_more_would_go_than_was_confirmed(
    accounts: AccountService,
    opportunities: OpportunityService,
    account: RecordRef,
) -> None:
    impact = accounts.delete_impact(account.id)
    make_opportunity(opportunities, "Added meanwhile", account, "100", 50)
    with pytest.raises(ConflictError, match="changed since you confirmed"):
        accounts.delete(account.id, accounts.get(account.id).version, impact)
    assert accounts.get(account.id).name == "Bakkerij de Vries"
    assert accounts.overview(account.id).totals.count == 1


def test_delete_refuses_a_stale_version(accounts: AccountService, account: RecordRef) -> None:
    stale = accounts.get(account.id)
    accounts.update(replace(stale, phone="1"))
    with pytest.raises(ConflictError):
        accounts.delete(account.id, stale.version, accounts.delete_impact(account.id))
    assert accounts.get(account.id).phone == "1"


def test_delete_refuses_the_link_of_a_business_project(
    accounts: AccountService, database: Database, account: RecordRef
) -> None:
    with database.session_factory() as session:
        session.add(BusinessProjectRow(name="Install ovens", link_account_id=account.id))
        session.commit()
    impact = accounts.delete_impact(account.id)
    assert impact.projects == 1
    with pytest.raises(ValidationError, match="business project"):
        accounts.delete(account.id, accounts.get(account.id).version, impact)
    assert accounts.get(account.id).name == "Bakkerij de Vries"


def test_deleting_a_contact_deletes_its_opportunities_and_history(
    contacts: ContactService,
    opportunities: OpportunityService,
    uow_factory: Callable[[], UnitOfWork],
    database: Database,
    account: RecordRef,
    contact: RecordRef,
) -> None:
    gone = make_opportunity(opportunities, "Bread", contact, "100", 50)
    kept = make_opportunity(opportunities, "Ovens", account, "100", 50)
    add_history(uow_factory, contact_id=contact.id)
    add_history(uow_factory, opportunity_id=gone.id or 0)
    account_note = add_history(uow_factory, account_id=account.id)
    impact = contacts.delete_impact(contact.id)
    assert impact == DeleteImpact(name="Anna Jansen", opportunities=1, history_items=2)

    contacts.delete(contact.id, contacts.get(contact.id).version, impact)

    with database.session_factory() as session:
        assert session.scalars(select(OpportunityRow.id)).all() == [kept.id]
        assert session.scalars(select(HistoryItemRow.id)).all() == [account_note]
        assert session.get(ContactRow, contact.id) is None


def test_new_records_are_assigned_to_the_current_user(
    accounts: AccountService, contacts: ContactService, owner: User, account: RecordRef
) -> None:
    assert accounts.new().assigned_to_id == owner.id
    draft = contacts.new(account.id)
    assert (draft.assigned_to_id, draft.account_id) == (owner.id, account.id)
    assert contacts.account_name(account.id) == "Bakkerij de Vries"


# -- the list queries --------------------------------------------------------------------


def list_rows(listing: RecordListing, flt: RecordFilter, order: RecordOrder) -> list[RecordRow]:
    return listing.page(flt, order, 0, 100, listing.count(flt))


def test_account_list_sorts_searches_and_filters_in_sql(
    database: Database, accounts: AccountService, owner: User
) -> None:
    for name, city, email in (
        ("Zeeland BV", "Middelburg", "info@zeeland.nl"),
        ("alpha & co", "Utrecht", "hello@alpha.example"),
        ("Bakker 100%", "utrecht", ""),
    ):
        accounts.create(
            Account(
                name=name,
                email=email,
                address=Address(city=city),
                assigned_to_id=owner.id if name.startswith("Z") else None,
            )
        )
    listing = account_listing(database)
    by_name = list_rows(listing, RecordFilter(), RecordOrder("name"))
    assert [row.values[0] for row in by_name] == ["alpha & co", "Bakker 100%", "Zeeland BV"]
    assert by_name[2].values[4] == "Olivia Owner"
    newest = list_rows(listing, RecordFilter(), RecordOrder("modified", descending=True))
    assert newest[0].values[0] == "Bakker 100%"
    search = list_rows(listing, RecordFilter(search="UTRECHT"), RecordOrder("name"))
    assert [row.values[0] for row in search] == ["alpha & co", "Bakker 100%"]
    by_mail = list_rows(listing, RecordFilter(search="zeeland.nl"), RecordOrder("name"))
    assert [row.values[0] for row in by_mail] == ["Zeeland BV"]
    mine = RecordFilter(equals=((ASSIGNED_TO, owner.id),))
    assert [row.values[0] for row in list_rows(listing, mine, RecordOrder("city"))] == [
        "Zeeland BV"
    ]


def test_contact_list_shows_the_account_and_searches_it(
    database: Database, account: RecordRef, contact: RecordRef, contacts: ContactService
) -> None:
    contacts.create(BusinessContact("Piet", "Bakker", job_title="Inkoper"))
    listing = contact_listing(database)
    rows = list_rows(listing, RecordFilter(), RecordOrder("full_name"))
    assert [(row.values[0], row.values[1]) for row in rows] == [
        ("Anna Jansen", "Bakkerij de Vries"),
        ("Piet Bakker", None),
    ]
    found = list_rows(listing, RecordFilter(search="vries"), RecordOrder("account"))
    assert [row.values[0] for row in found] == ["Anna Jansen"]


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("accounts", ["name", "phone", "email", "city", "modified_at"]),
        (
            "business_contacts",
            ["full_name", "job_title", "business_phone", "email", "city", "modified_at"],
        ),
    ],
)
def test_every_stored_sort_column_is_read_through_an_index(
    database: Database, table: str, columns: list[str]
) -> None:
    with database.engine.connect() as connection:
        for column in columns:
            plan = " ".join(
                str(step[-1])
                for step in connection.exec_driver_sql(
                    f"EXPLAIN QUERY PLAN SELECT id FROM {table} ORDER BY {column}, id LIMIT 50"
                )
            )
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, (column, plan)
            assert "TEMP B-TREE" not in plan, (column, plan)
