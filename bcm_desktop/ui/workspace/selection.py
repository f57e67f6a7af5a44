"""Turning a view's row selection into a ``RecordSelection`` without touching every row.

Qt keeps a selection as ranges. A million selected rows after Ctrl+A is one range, so the
count and the conversion work on merged row intervals: the smaller side (the chosen rows, or
the rows left out) is turned into ids with one query per interval, and a selection of more
than half the rows becomes "all matching the filter, except these".
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel

from ...domain.listing import OpportunityFilter, RecordSelection

Interval = tuple[int, int]  # first and last row, inclusive


def row_intervals(selection_model: QItemSelectionModel) -> list[Interval]:
    """The selected rows as sorted, merged, inclusive intervals."""
    spans = sorted((r.top(), r.bottom()) for r in selection_model.selection())
    merged: list[Interval] = []
    for top, bottom in spans:
        if merged and top <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


def count_rows(intervals: list[Interval]) -> int:
    return sum(bottom - top + 1 for top, bottom in intervals)


def complement(intervals: list[Interval], total: int) -> list[Interval]:
    """The rows in ``0 … total-1`` that the intervals leave out."""
    gaps: list[Interval] = []
    start = 0
    for top, bottom in intervals:
        if top > start:
            gaps.append((start, top - 1))
        start = bottom + 1
    if start < total:
        gaps.append((start, total - 1))
    return gaps


def to_record_selection(
    intervals: list[Interval],
    total: int,
    flt: OpportunityFilter,
    ids_of: Callable[[int, int], list[int]],
) -> RecordSelection:
    """Build the selection; ``ids_of(offset, limit)`` returns the ids of a run of rows."""
    selected = count_rows(intervals)
    if selected * 2 > total:
        excluded = [
            i for top, bottom in complement(intervals, total) for i in ids_of(top, bottom - top + 1)
        ]
        return RecordSelection.matching(flt, excluded)
    return RecordSelection.of(i for top, bottom in intervals for i in ids_of(top, bottom - top + 1))
