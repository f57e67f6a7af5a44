"""The Accounts and Business Contacts lists: their columns, search and filters as list specs.

Every column stored on the record's own row is sorted through a ``(column, id)`` index
(migration 0003; SQLite's single-column name indexes already end in the row id).
Assigned to and a contact's Account sort by the joined name; those joins are on indexed keys
and these tables hold thousands of rows, not the opportunities' million.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import FromClause, Table

from .orm import AccountRow, ContactRow, UserRow
from .record_queries import ListSpec

ACCOUNTS = cast(Table, AccountRow.__table__)
CONTACTS = cast(Table, ContactRow.__table__)
USERS = cast(Table, UserRow.__table__)

#: The filter key of "Assigned to"; its value is a user id.
ASSIGNED_TO = "assigned_to"


def _assigned_filter(column: Any) -> Any:
    return lambda value: column == value


def account_list_spec() -> ListSpec:
    """Accounts: name, phone, e-mail, city, assigned to, modified."""
    assigned = USERS.alias("assigned_user")
    table: FromClause = ACCOUNTS.outerjoin(assigned, assigned.c.id == ACCOUNTS.c.assigned_to_id)
    return ListSpec(
        table=table,
        id_column=ACCOUNTS.c.id,
        columns={
            "name": ACCOUNTS.c.name,
            "phone": ACCOUNTS.c.phone,
            "email": ACCOUNTS.c.email,
            "city": ACCOUNTS.c.city,
            "assigned_to": assigned.c.name,
            "modified": ACCOUNTS.c.modified_at,
        },
        search=(ACCOUNTS.c.name, ACCOUNTS.c.email, ACCOUNTS.c.city),
        filters={ASSIGNED_TO: _assigned_filter(ACCOUNTS.c.assigned_to_id)},
    )


def contact_list_spec() -> ListSpec:
    """Business contacts: full name, account, job title, business phone, e-mail, city,
    assigned to, modified."""
    assigned = USERS.alias("assigned_user")
    account = ACCOUNTS.alias("contact_account")
    table: FromClause = CONTACTS.outerjoin(
        account, account.c.id == CONTACTS.c.account_id
    ).outerjoin(assigned, assigned.c.id == CONTACTS.c.assigned_to_id)
    return ListSpec(
        table=table,
        id_column=CONTACTS.c.id,
        columns={
            "full_name": CONTACTS.c.full_name,
            "account": account.c.name,
            "job_title": CONTACTS.c.job_title,
            "business_phone": CONTACTS.c.business_phone,
            "email": CONTACTS.c.email,
            "city": CONTACTS.c.city,
            "assigned_to": assigned.c.name,
            "modified": CONTACTS.c.modified_at,
        },
        search=(CONTACTS.c.full_name, account.c.name, CONTACTS.c.email, CONTACTS.c.city),
        filters={ASSIGNED_TO: _assigned_filter(CONTACTS.c.assigned_to_id)},
    )
