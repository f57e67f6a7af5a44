"""Accounts and business contacts: load, save, delete, and what hangs off each of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, delete, func, or_, select, update
from sqlalchemy.orm import Session

from ..domain.contacts import (
    Account,
    Address,
    BusinessContact,
    DeleteImpact,
    RelatedContact,
    RelatedOpportunity,
)
from ..domain.enums import StageKind
from ..domain.errors import NotFoundError
from ..domain.money import from_cents
from .orm import (
    AccountCategoryRow,
    AccountRow,
    BusinessProjectRow,
    ContactCategoryRow,
    ContactRow,
    HistoryItemRow,
    OpportunityRow,
    SalesStageRow,
    utcnow,
)
from .repositories import check_version

OPPORTUNITIES = cast(Table, OpportunityRow.__table__)
CONTACTS = cast(Table, ContactRow.__table__)
OPP = OPPORTUNITIES.c


def _address(row: AccountRow | ContactRow) -> Address:
    return Address(row.street, row.postal_code, row.city, row.country)


def _write_address(row: AccountRow | ContactRow, address: Address) -> None:
    row.street = address.street
    row.postal_code = address.postal_code
    row.city = address.city
    row.country = address.country


def _count(session: Session, condition: ColumnElement[bool], table: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(table).where(condition)) or 0)


def _related_opportunities(
    session: Session, condition: ColumnElement[bool]
) -> list[RelatedOpportunity]:
    rows = session.execute(
        select(
            OPP.id,
            OPP.title,
            SalesStageRow.name,
            OPP.status,
            OPP.probability,
            OPP.products_total_cents,
            OPP.expected_revenue_cents,
            OPP.close_date,
        )
        .select_from(OpportunityRow.__table__)
        .outerjoin(SalesStageRow, SalesStageRow.id == OPP.stage_id)
        .where(condition)
        .order_by(OPP.title, OPP.id)
    )
    return [
        RelatedOpportunity(
            id=row[0],
            title=row[1],
            stage=row[2] or "",
            status=StageKind(row[3]),
            probability=row[4],
            products_total=from_cents(row[5]),
            expected_revenue=from_cents(row[6]),
            close_date=row[7],
        )
        for row in rows
    ]


def _history_condition(
    own: ColumnElement[bool], opportunities: ColumnElement[bool]
) -> ColumnElement[bool]:
    """Items of the record itself and of the opportunities linked to it (S-1.2)."""
    linked = select(OPP.id).where(opportunities)
    return or_(own, HistoryItemRow.opportunity_id.in_(linked))


def _set_categories(
    session: Session, table: Any, key: str, record_id: int, ids: Sequence[int]
) -> None:
    column = getattr(table, key)
    session.execute(delete(table).where(column == record_id))
    for category_id in dict.fromkeys(ids):
        session.add(table(**{key: record_id, "category_id": category_id}))


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, account_id: int) -> AccountRow:
        row = self._session.get(AccountRow, account_id)
        if row is None:
            raise NotFoundError("This account no longer exists: it was deleted.")
        return row

    def get(self, account_id: int) -> Account:
        row = self._row(account_id)
        categories = self._session.scalars(
            select(AccountCategoryRow.category_id)
            .where(AccountCategoryRow.account_id == account_id)
            .order_by(AccountCategoryRow.category_id)
        )
        return Account(
            id=row.id,
            version=row.version,
            name=row.name,
            phone=row.phone,
            email=row.email,
            web_page=row.web_page,
            address=_address(row),
            assigned_to_id=row.assigned_to_id,
            comments=row.comments,
            category_ids=tuple(categories),
            created_at=row.created_at,
            modified_at=row.modified_at,
        )

    def _write(self, row: AccountRow, account: Account) -> None:
        row.name = account.name
        row.phone = account.phone
        row.email = account.email
        row.web_page = account.web_page
        _write_address(row, account.address)
        row.assigned_to_id = account.assigned_to_id
        row.comments = account.comments

    def add(self, account: Account) -> int:
        row = AccountRow()
        self._write(row, account)
        self._session.add(row)
        self._session.flush()
        _set_categories(
            self._session, AccountCategoryRow, "account_id", row.id, account.category_ids
        )
        self._session.flush()
        return row.id

    def update(self, account: Account) -> None:
        """Write ``account`` over the stored row unless it changed since ``account.version``;
        opportunities linked to it take the new name as their link name."""
        assert account.id is not None
        row = self._row(account.id)
        check_version(row.name, row.version, account.version)
        renamed = row.name != account.name
        with self._session.no_autoflush:
            self._write(row, account)
            row.modified_at = utcnow()  # a categories-only edit still bumps the version
        self._session.flush()
        _set_categories(
            self._session, AccountCategoryRow, "account_id", row.id, account.category_ids
        )
        if renamed:
            rename_links(self._session, OPP.link_account_id == account.id, account.name)
        self._session.flush()

    def contacts(self, account_id: int) -> list[RelatedContact]:
        rows = self._session.execute(
            select(
                ContactRow.id,
                ContactRow.full_name,
                ContactRow.job_title,
                ContactRow.business_phone,
                ContactRow.email,
            )
            .where(ContactRow.account_id == account_id)
            .order_by(ContactRow.full_name, ContactRow.id)
        )
        return [RelatedContact(*row) for row in rows]

    def opportunities(self, account_id: int) -> list[RelatedOpportunity]:
        return _related_opportunities(self._session, OPP.link_account_id == account_id)

    def impact(self, account_id: int) -> DeleteImpact:
        row = self._row(account_id)
        session = self._session
        return DeleteImpact(
            name=row.name,
            opportunities=_count(session, OPP.link_account_id == account_id, OPP.id.table),
            contacts=_count(session, ContactRow.account_id == account_id, ContactRow.__table__),
            history_items=_count(
                session,
                _history_condition(
                    HistoryItemRow.account_id == account_id, OPP.link_account_id == account_id
                ),
                HistoryItemRow.__table__,
            ),
            projects=_count(
                session,
                BusinessProjectRow.link_account_id == account_id,
                BusinessProjectRow.__table__,
            ),
        )

    def delete(self, account_id: int, expected_version: int) -> None:
        """Delete the account with its opportunities and history (the service has copied
        them to Deleted Items first); its contacts stay, without an account (their version
        moves on, so an open contact form notices)."""
        row = self._row(account_id)
        check_version(row.name, row.version, expected_version)
        session = self._session
        session.execute(
            update(CONTACTS)
            .where(ContactRow.account_id == account_id)
            .values(
                account_id=None,
                version=CONTACTS.c.version + 1,
                modified_at=utcnow(),
            )
        )
        session.execute(delete(OPPORTUNITIES).where(OPP.link_account_id == account_id))
        session.delete(row)
        session.flush()


class ContactRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, contact_id: int) -> ContactRow:
        row = self._session.get(ContactRow, contact_id)
        if row is None:
            raise NotFoundError("This business contact no longer exists: it was deleted.")
        return row

    def get(self, contact_id: int) -> BusinessContact:
        row = self._row(contact_id)
        categories = self._session.scalars(
            select(ContactCategoryRow.category_id)
            .where(ContactCategoryRow.contact_id == contact_id)
            .order_by(ContactCategoryRow.category_id)
        )
        return BusinessContact(
            id=row.id,
            version=row.version,
            first_name=row.first_name,
            last_name=row.last_name,
            account_id=row.account_id,
            job_title=row.job_title,
            business_phone=row.business_phone,
            mobile_phone=row.mobile_phone,
            email=row.email,
            web_page=row.web_page,
            address=_address(row),
            assigned_to_id=row.assigned_to_id,
            comments=row.comments,
            category_ids=tuple(categories),
            created_at=row.created_at,
            modified_at=row.modified_at,
        )

    def _write(self, row: ContactRow, contact: BusinessContact) -> None:
        row.first_name = contact.first_name
        row.last_name = contact.last_name
        row.full_name = contact.full_name
        row.account_id = contact.account_id
        row.job_title = contact.job_title
        row.business_phone = contact.business_phone
        row.mobile_phone = contact.mobile_phone
        row.email = contact.email
        row.web_page = contact.web_page
        _write_address(row, contact.address)
        row.assigned_to_id = contact.assigned_to_id
        row.comments = contact.comments

    def add(self, contact: BusinessContact) -> int:
        row = ContactRow()
        self._write(row, contact)
        self._session.add(row)
        self._session.flush()
        _set_categories(
            self._session, ContactCategoryRow, "contact_id", row.id, contact.category_ids
        )
        self._session.flush()
        return row.id

    def update(self, contact: BusinessContact) -> None:
        assert contact.id is not None
        row = self._row(contact.id)
        check_version(row.full_name, row.version, contact.version)
        renamed = row.full_name != contact.full_name
        with self._session.no_autoflush:
            self._write(row, contact)
            row.modified_at = utcnow()
        self._session.flush()
        _set_categories(
            self._session, ContactCategoryRow, "contact_id", row.id, contact.category_ids
        )
        if renamed:
            rename_links(self._session, OPP.link_contact_id == contact.id, contact.full_name)
        self._session.flush()

    def account_name(self, account_id: int | None) -> str:
        if account_id is None:
            return ""
        return (
            self._session.scalar(select(AccountRow.name).where(AccountRow.id == account_id)) or ""
        )

    def account_exists(self, account_id: int) -> bool:
        return self._session.get(AccountRow, account_id) is not None

    def opportunities(self, contact_id: int) -> list[RelatedOpportunity]:
        return _related_opportunities(self._session, OPP.link_contact_id == contact_id)

    def impact(self, contact_id: int) -> DeleteImpact:
        row = self._row(contact_id)
        session = self._session
        return DeleteImpact(
            name=row.full_name,
            opportunities=_count(session, OPP.link_contact_id == contact_id, OPP.id.table),
            history_items=_count(
                session,
                _history_condition(
                    HistoryItemRow.contact_id == contact_id, OPP.link_contact_id == contact_id
                ),
                HistoryItemRow.__table__,
            ),
            projects=_count(
                session,
                BusinessProjectRow.link_contact_id == contact_id,
                BusinessProjectRow.__table__,
            ),
        )

    def delete(self, contact_id: int, expected_version: int) -> None:
        """Delete the contact with its opportunities and history (the service has copied
        them to Deleted Items first)."""
        row = self._row(contact_id)
        check_version(row.full_name, row.version, expected_version)
        self._session.execute(delete(OPPORTUNITIES).where(OPP.link_contact_id == contact_id))
        self._session.delete(row)
        self._session.flush()


def rename_links(session: Session, condition: ColumnElement[bool], name: str) -> None:
    """Copy a renamed record's name into its opportunities' ``link_name`` (the Sales workspace
    sorts and searches on it). The opportunities' own modified time and version stay: a
    rename of the linked record is not an edit of the opportunity, and an open opportunity
    form must not see a conflict because of it (it writes the current name when it saves)."""
    session.execute(
        update(OPPORTUNITIES).where(condition).values(link_name=name, modified_at=OPP.modified_at)
    )
