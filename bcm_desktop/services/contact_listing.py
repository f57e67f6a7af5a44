"""The Accounts and Business Contacts lists the Contact Management workspace shows."""

from __future__ import annotations

from ..domain.listing import RecordFilter, RecordOrder, RecordRow
from ..repository import contact_lists
from ..repository.database import Database
from ..repository.record_queries import RecordQueries

#: The filter key of "Assigned to" in both lists; its value is a user id.
ASSIGNED_TO = contact_lists.ASSIGNED_TO
ACCOUNT_COLUMNS = ("name", "phone", "email", "city", "assigned_to", "modified")
CONTACT_COLUMNS = (
    "full_name",
    "account",
    "job_title",
    "business_phone",
    "email",
    "city",
    "assigned_to",
    "modified",
)


class RecordListing:
    """Read-only access to one record list: the row count and pages for a filter and sort."""

    def __init__(self, queries: RecordQueries) -> None:
        self._queries = queries

    @property
    def keys(self) -> list[str]:
        """The column keys, in the order of each row's values."""
        return self._queries.keys

    def count(self, flt: RecordFilter) -> int:
        return self._queries.count(flt)

    def page(
        self, flt: RecordFilter, order: RecordOrder, offset: int, limit: int, total: int
    ) -> list[RecordRow]:
        return self._queries.page(flt, order, offset, limit, total)


def account_listing(database: Database) -> RecordListing:
    listing = RecordListing(RecordQueries(database, contact_lists.account_list_spec()))
    assert tuple(listing.keys) == ACCOUNT_COLUMNS
    return listing


def contact_listing(database: Database) -> RecordListing:
    listing = RecordListing(RecordQueries(database, contact_lists.contact_list_spec()))
    assert tuple(listing.keys) == CONTACT_COLUMNS
    return listing
