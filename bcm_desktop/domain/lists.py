"""Customizable lists (S-4): what the list editor shows about an entry's use."""

from __future__ import annotations

from dataclasses import dataclass, field

from .enums import ListKind

# The list names used in messages; the UI shows its own translated names.
LIST_NAMES: dict[ListKind, str] = {
    ListKind.TYPE: "Type",
    ListKind.PAYMENT_TERMS: "Payment terms",
    ListKind.SOURCE: "Source",
    ListKind.PROJECT_TYPE: "Project type",
    ListKind.MARKETING_TYPE: "Marketing activity type",
}

# Record types (table names) that can use a list entry, in the order messages name them.
OPPORTUNITIES = "opportunities"
BUSINESS_PROJECTS = "business_projects"
MARKETING_ACTIVITIES = "marketing_activities"


@dataclass(frozen=True)
class ListItemUsage:
    """How many records of each type use one list entry (``by_table``: table → count).

    Only record types that use the entry appear; a record using it in two fields counts once.
    """

    by_table: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_table.values())
