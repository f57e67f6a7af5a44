"""Row records and query specs of the record lists (the read side the workspace shows)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from .enums import StageKind


class OpportunityColumn(StrEnum):
    """The columns of the Opportunities table, in their default order."""

    TITLE = "title"
    LINK = "link"
    ASSIGNED_TO = "assigned_to"
    STAGE = "stage"
    PROBABILITY = "probability"
    EXPECTED_REVENUE = "expected_revenue"
    CLOSE_DATE = "close_date"
    TYPE = "type"
    SOURCE = "source"
    MODIFIED = "modified"


@dataclass(frozen=True)
class OpportunityFilter:
    """What the workspace shows: a search text and filters; empty means everything."""

    search: str = ""
    stage_ids: tuple[int, ...] = ()
    assigned_to_ids: tuple[int | None, ...] = ()
    statuses: tuple[StageKind, ...] = ()
    close_from: date | None = None
    close_to: date | None = None

    @property
    def is_empty(self) -> bool:
        return self == OpportunityFilter()


@dataclass(frozen=True)
class SortOrder:
    column: OpportunityColumn = OpportunityColumn.MODIFIED
    descending: bool = True


@dataclass(frozen=True, slots=True)
class OpportunityListRow:
    """One row of the Opportunities table, as the list query returns it."""

    id: int
    title: str
    link_name: str
    assigned_to: str
    stage: str
    probability: int
    expected_revenue: Decimal
    products_total: Decimal
    close_date: date | None
    type: str
    source: str
    modified_at: datetime
    status: StageKind


@dataclass(frozen=True)
class ListTotals:
    """Counts and sums over every row matching a filter (shown in the status bar)."""

    count: int
    products_total: Decimal
    expected_revenue: Decimal


@dataclass(frozen=True)
class RecordSelection:
    """What a bulk action acts on: chosen ids, or every row matching a filter minus exclusions.

    "All matching rows" is held as the filter itself, never as a million ids.
    """

    ids: frozenset[int] = frozenset()
    all_matching: OpportunityFilter | None = None
    excluded: frozenset[int] = frozenset()

    @classmethod
    def of(cls, ids: Iterable[int]) -> RecordSelection:
        return cls(ids=frozenset(ids))

    @classmethod
    def matching(cls, flt: OpportunityFilter, excluded: Iterable[int] = ()) -> RecordSelection:
        return cls(all_matching=flt, excluded=frozenset(excluded))

    @property
    def is_empty(self) -> bool:
        return self.all_matching is None and not self.ids


@dataclass(frozen=True)
class BulkResult:
    """What a bulk action did: how many records changed and how many it left alone, and why."""

    changed: int
    skipped_closed: int = 0
    skipped_unchanged: int = 0
    skipped_conflict: int = 0


@dataclass(frozen=True)
class HistoryListRow:
    """One communication history item as lists show it."""

    id: int
    kind: str
    subject: str
    occurred_at: datetime


@dataclass(frozen=True)
class OpportunityDetails:
    """What the reading pane shows of one opportunity, names already resolved."""

    row: OpportunityListRow
    payment_terms: str
    initiated_by: str
    competitors: str
    expiration_date: date | None
    delivery_date: date | None
    actual_close_date: date | None
    comments: str
    lines: tuple[tuple[str, Decimal, Decimal, Decimal], ...]  # item, quantity, price, total
    categories: tuple[str, ...]
    latest_history: tuple[HistoryListRow, ...]


# -- generic record lists (accounts, contacts, projects, marketing activities, ...) ----------


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One row of a record list: the record's id and its column values in column order."""

    id: int
    values: tuple[object, ...]


@dataclass(frozen=True)
class RecordFilter:
    """What a record list shows: free text searched in the list's search columns, and
    ``equals`` pairs of (filter key, value) that all must hold."""

    search: str = ""
    equals: tuple[tuple[str, object], ...] = ()

    def with_equals(self, key: str, value: object | None) -> RecordFilter:
        """This filter with ``key`` set to ``value`` (or removed when ``value`` is None)."""
        kept = tuple(pair for pair in self.equals if pair[0] != key)
        pairs = kept if value is None else (*kept, (key, value))
        return RecordFilter(self.search, tuple(sorted(pairs, key=lambda pair: pair[0])))

    def with_search(self, search: str) -> RecordFilter:
        return RecordFilter(search, self.equals)


@dataclass(frozen=True)
class RecordOrder:
    """Sort a record list by one column key, ties broken by id."""

    column: str
    descending: bool = False
