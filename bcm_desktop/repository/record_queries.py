"""The read side of the smaller record lists: one query shape for every table but opportunities.

Accounts, business contacts, projects, tasks and marketing activities are listed through a
:class:`ListSpec`: the FROM clause, the columns to show (key → SQL expression), the columns a
search looks in, and named filters. :class:`RecordQueries` turns a
:class:`~bcm_desktop.domain.listing.RecordFilter` and
:class:`~bcm_desktop.domain.listing.RecordOrder` into a count and pages of rows, sorted in SQL by
``(column, id)`` so an index on that pair serves the sort. These tables hold thousands to some
hundred thousands of rows, where plain OFFSET paging is fast enough; the opportunities list, with
a million rows, has its own tuned queries in :mod:`.queries`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, FromClause, func, or_, select
from sqlalchemy.sql import Select

from ..domain.listing import RecordFilter, RecordOrder, RecordRow
from .database import Database
from .queries import escape_like

FilterFactory = Callable[[Any], ColumnElement[bool]]

# Below this OFFSET a page reads its display columns directly; from here on it picks its ids
# first (the rows OFFSET skips then carry only an id and a sort key).
_DIRECT_OFFSET = 512


@dataclass(frozen=True)
class ListSpec:
    """How one record list reads: FROM clause, columns in display order, search and filters."""

    table: FromClause
    id_column: ColumnElement[int]
    columns: Mapping[str, ColumnElement[Any]]
    search: tuple[ColumnElement[Any], ...] = ()
    filters: Mapping[str, FilterFactory] = field(default_factory=dict)
    base_where: tuple[ColumnElement[bool], ...] = ()


class RecordQueries:
    """Count and page the rows of a :class:`ListSpec` (satisfies the UI's ``PageSource``)."""

    def __init__(self, database: Database, spec: ListSpec) -> None:
        self._db = database
        self._spec = spec
        self._keys = list(spec.columns)

    @property
    def keys(self) -> list[str]:
        """The column keys in display order (the order of ``RecordRow.values``)."""
        return list(self._keys)

    def count(self, flt: RecordFilter) -> int:
        query = self._filtered(select(func.count()).select_from(self._spec.table), flt)
        with self._db.read_connection() as connection:
            return int(connection.execute(query).scalar_one())

    def page(
        self, flt: RecordFilter, order: RecordOrder, offset: int, limit: int, total: int
    ) -> list[RecordRow]:
        """``limit`` rows from ``offset`` in ``order``; ``total`` is the caller's count.

        A page in the far half is read from the other end (the reverse order with a small
        OFFSET), so jumping to the last row costs what the first page costs. A deep page
        first picks its ids with only the id and the sort key in the query, then reads the
        display columns of those rows alone, so the rows OFFSET skips are never built.
        """
        spec = self._spec
        if offset >= total or limit <= 0:
            return []
        sort_column = spec.columns.get(order.column)
        if sort_column is None:
            raise KeyError(f"unknown sort column {order.column!r}")
        count = min(limit, total - offset)
        reverse = offset > total - offset - count
        start = total - offset - count if reverse else offset
        descending = order.descending != reverse
        if descending:
            ordering = (sort_column.desc(), spec.id_column.desc())
        else:
            ordering = (sort_column.asc(), spec.id_column.asc())
        columns = [spec.id_column, *spec.columns.values()]
        with self._db.read_connection() as connection:
            if start < _DIRECT_OFFSET:
                query = self._filtered(select(*columns).select_from(spec.table), flt)
                rows = connection.execute(
                    query.order_by(*ordering).offset(start).limit(count)
                ).all()
            else:
                ids_query = self._filtered(select(spec.id_column).select_from(spec.table), flt)
                ids = list(
                    connection.execute(
                        ids_query.order_by(*ordering).offset(start).limit(count)
                    ).scalars()
                )
                found = connection.execute(
                    select(*columns).select_from(spec.table).where(spec.id_column.in_(ids))
                ).all()
                by_id = {row[0]: row for row in found}
                rows = [by_id[row_id] for row_id in ids if row_id in by_id]
        if reverse:
            rows.reverse()
        return [RecordRow(int(row[0]), tuple(row[1:])) for row in rows]

    def _filtered(self, query: Select[Any], flt: RecordFilter) -> Select[Any]:
        spec = self._spec
        conditions: list[ColumnElement[bool]] = list(spec.base_where)
        text = flt.search.strip()
        if text and spec.search:
            pattern = f"%{escape_like(text)}%"
            conditions.append(or_(*(column.ilike(pattern, escape="\\") for column in spec.search)))
        for key, value in flt.equals:
            factory = spec.filters.get(key)
            if factory is None:
                raise KeyError(f"unknown filter {key!r}")
            conditions.append(factory(value))
        return query.where(*conditions) if conditions else query
