"""The record lists the workspace shows: counts, totals and pages for a filter and a sort."""

from __future__ import annotations

from ..domain.listing import (
    ListTotals,
    OpportunityDetails,
    OpportunityFilter,
    OpportunityListRow,
    SortOrder,
)
from ..repository.queries import OpportunityQueries


class OpportunityListing:
    """Read-only access to the Opportunities list for the table model and the status bar."""

    def __init__(self, queries: OpportunityQueries) -> None:
        self._queries = queries

    def count(self, flt: OpportunityFilter) -> int:
        return self._queries.count(flt)

    def totals(self, flt: OpportunityFilter) -> ListTotals:
        return self._queries.totals(flt)

    def page(
        self, flt: OpportunityFilter, order: SortOrder, offset: int, limit: int, total: int
    ) -> list[OpportunityListRow]:
        return self._queries.page(flt, order, offset, limit, total)

    def ids(
        self, flt: OpportunityFilter, order: SortOrder, offset: int, limit: int, total: int
    ) -> list[int]:
        return self._queries.ids(flt, order, offset, limit, total)

    def details(self, opportunity_id: int) -> OpportunityDetails | None:
        """The reading pane's view of one record, or ``None`` if it was deleted."""
        return self._queries.details(opportunity_id)

    def invalidate(self) -> None:
        """Call after a write so the next page reflects it."""
        self._queries.invalidate()
