"""Read side of the Opportunities list: counts, sums and pages straight from SQL to row records.

Sorting always runs in SQL on an index. Columns stored on the opportunity row (title, linked
name, probability, money, dates) are read through their ``(column, id)`` index with OFFSET
paging; a page in the far half of the list is read in the reverse order from the other end,
so no OFFSET is ever longer than half the list. Columns that name another record (assigned
to, stage, type, source) are sorted as groups: one indexed GROUP BY gives the size of each
group, the groups are ordered by name (stages by their position in the pipeline), and a page
reads each group it touches through the ``(foreign key, id)`` index.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.orm import aliased

from ..domain.enums import StageKind
from ..domain.listing import (
    HistoryListRow,
    ListTotals,
    OpportunityColumn,
    OpportunityDetails,
    OpportunityFilter,
    OpportunityListRow,
    SortOrder,
)
from ..domain.money import from_cents
from .database import Database
from .orm import (
    AccountRow,
    CategoryRow,
    ContactRow,
    HistoryItemRow,
    ListItemRow,
    MarketingActivityRow,
    OpportunityCategoryRow,
    OpportunityLineRow,
    OpportunityRow,
    SalesStageRow,
    UserRow,
)

OPP = OpportunityRow.__table__.c
TypeItem = aliased(ListItemRow, name="type_item")
SourceItem = aliased(ListItemRow, name="source_item")

DIRECT_SORT: dict[OpportunityColumn, Any] = {
    OpportunityColumn.TITLE: OPP.title,
    OpportunityColumn.LINK: OPP.link_name,
    OpportunityColumn.PROBABILITY: OPP.probability,
    OpportunityColumn.EXPECTED_REVENUE: OPP.expected_revenue_cents,
    OpportunityColumn.CLOSE_DATE: OPP.close_date,
    OpportunityColumn.MODIFIED: OPP.modified_at,
}
GROUP_SORT: dict[OpportunityColumn, Any] = {
    OpportunityColumn.ASSIGNED_TO: OPP.assigned_to_id,
    OpportunityColumn.STAGE: OPP.stage_id,
    OpportunityColumn.TYPE: OPP.type_id,
    OpportunityColumn.SOURCE: OPP.source_id,
}


_WORD = re.compile(r"\w+", re.UNICODE)


def escape_like(text: str) -> str:
    """Make user text literal inside a LIKE pattern (search text is data, never syntax)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_query(search: str) -> str | None:
    """An FTS5 query matching every word of ``search`` as a word prefix, or ``None``.

    Each word is quoted, so nothing the user types is FTS syntax: "o'brien 2027" becomes
    ``"o"* "brien"* "2027"*``.
    """
    words = _WORD.findall(search)
    return " ".join(f'"{word}"*' for word in words) if words else None


def _search_condition(search: str, fts: bool, dense: bool) -> ColumnElement[bool]:
    query = fts_query(search) if fts else None
    if query is not None:
        matches: Select[Any] = (
            select(literal_column("rowid"))
            .select_from(text("opportunities_fts"))
            .where(text("opportunities_fts MATCH :fts_query").bindparams(fts_query=query))
        )
        if dense:
            # SQLite's unary + keeps the planner from driving the query by the matches:
            # it walks the sort index and tests each row instead, which for a search that
            # matches many rows beats sorting them all (one letter at 1M: 100 ms vs 670 ms).
            return literal_column("+opportunities.id").in_(matches)
        return OPP.id.in_(matches)
    pattern = f"%{escape_like(search)}%"
    return or_(
        OPP.title.ilike(pattern, escape="\\"),
        OPP.link_name.ilike(pattern, escape="\\"),
        OPP.competitors.ilike(pattern, escape="\\"),
    )


def where_clause(flt: OpportunityFilter, *, fts: bool, dense: bool = False) -> ColumnElement[bool]:
    """The SQL condition for a filter; every value is a bound parameter.

    ``fts`` says whether the database has the FTS5 search index (SQLite); elsewhere the
    search runs as a portable case-insensitive LIKE. ``dense`` says the search matches so
    many rows that walking the sort index beats sorting the matches.
    """
    conditions: list[ColumnElement[bool]] = []
    search = flt.search.strip()
    if search:
        conditions.append(_search_condition(search, fts, dense))
    if flt.stage_ids:
        conditions.append(OPP.stage_id.in_(flt.stage_ids))
    if flt.assigned_to_ids:
        ids = [i for i in flt.assigned_to_ids if i is not None]
        parts: list[ColumnElement[bool]] = [OPP.assigned_to_id.in_(ids)] if ids else []
        if None in flt.assigned_to_ids:
            parts.append(OPP.assigned_to_id.is_(None))
        conditions.append(or_(*parts) if parts else false())
    if flt.statuses:
        conditions.append(OPP.status.in_([s.value for s in flt.statuses]))
    if flt.close_from is not None:
        conditions.append(OPP.close_date >= flt.close_from)
    if flt.close_to is not None:
        conditions.append(OPP.close_date <= flt.close_to)
    return and_(true(), *conditions)


def _row_select() -> Select[Any]:
    return (
        select(
            OPP.id,
            OPP.title,
            OPP.link_name,
            UserRow.name,
            SalesStageRow.name,
            OPP.probability,
            OPP.expected_revenue_cents,
            OPP.products_total_cents,
            OPP.close_date,
            TypeItem.name,
            SourceItem.name,
            OPP.modified_at,
            OPP.status,
        )
        .select_from(OpportunityRow.__table__)
        .outerjoin(UserRow, UserRow.id == OPP.assigned_to_id)
        .outerjoin(SalesStageRow, SalesStageRow.id == OPP.stage_id)
        .outerjoin(TypeItem, TypeItem.id == OPP.type_id)
        .outerjoin(SourceItem, SourceItem.id == OPP.source_id)
    )


def _to_row(values: Sequence[Any]) -> OpportunityListRow:
    modified = values[11]
    return OpportunityListRow(
        id=values[0],
        title=values[1],
        link_name=values[2],
        assigned_to=values[3] or "",
        stage=values[4] or "",
        probability=values[5],
        expected_revenue=from_cents(values[6]),
        products_total=from_cents(values[7]),
        close_date=values[8],
        type=values[9] or "",
        source=values[10] or "",
        modified_at=modified,
        status=StageKind(values[12]),
    )


# Beyond this offset a page first picks its ids from the covering sort index alone, then
# joins only those rows: OFFSET then skips index entries instead of joined rows (a drag of
# the scroll bar to the middle of a million rows: about 20 ms instead of about 2 s).
DEEP_OFFSET = 1_000
# A search matching at least 1/DENSE_SHARE of all rows pages by walking the sort index.
DENSE_SHARE = 500
# Pages this close to either end of a grouped sort are read without sizing the groups.
EDGE_ROWS = 512


def _window_query(
    base: Select[Any],
    condition: ColumnElement[bool] | None,
    keys: tuple[Any, ...],
    offset: int,
    limit: int,
) -> Select[Any]:
    if offset < DEEP_OFFSET:
        query = base.order_by(*keys).limit(limit).offset(offset)
        return query if condition is None else query.where(condition)
    ids = select(OPP.id).select_from(OpportunityRow.__table__)
    if condition is not None:
        ids = ids.where(condition)
    ids = ids.order_by(*keys).limit(limit).offset(offset)
    return base.where(OPP.id.in_(ids)).order_by(*keys)


@dataclass(frozen=True)
class _Group:
    key: int | None
    start: int
    size: int


class OpportunityQueries:
    """List queries over the opportunities table, each in its own short read transaction."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._fts = database.is_sqlite
        self._group_cache: dict[tuple[OpportunityFilter, SortOrder], list[_Group]] = {}
        self._rows: int | None = None

    def invalidate(self) -> None:
        """Forget cached group sizes and the row count (after any write)."""
        self._group_cache.clear()
        self._rows = None

    def _table_rows(self, connection: Any) -> int:
        if self._rows is None:
            query = select(func.count()).select_from(OpportunityRow.__table__)
            self._rows = int(connection.execute(query).scalar_one())
        return self._rows

    def count(self, flt: OpportunityFilter) -> int:
        query = select(func.count()).select_from(OpportunityRow.__table__)
        search_only = self._fts and flt == OpportunityFilter(search=flt.search)
        fts = fts_query(flt.search) if search_only else None
        if fts is not None:
            # The triggers keep the index row for row with the table: count it alone.
            query = (
                select(func.count())
                .select_from(text("opportunities_fts"))
                .where(text("opportunities_fts MATCH :fts_query").bindparams(fts_query=fts))
            )
        elif not flt.is_empty:
            query = query.where(where_clause(flt, fts=self._fts))
        with self._db.read_connection() as connection:
            return int(connection.execute(query).scalar_one())

    def totals(self, flt: OpportunityFilter) -> ListTotals:
        query = select(
            func.count(), func.sum(OPP.products_total_cents), func.sum(OPP.expected_revenue_cents)
        ).where(where_clause(flt, fts=self._fts))
        with self._db.read_connection() as connection:
            count, total, expected = connection.execute(query).one()
        return ListTotals(int(count), from_cents(int(total or 0)), from_cents(int(expected or 0)))

    def page(
        self,
        flt: OpportunityFilter,
        order: SortOrder,
        offset: int,
        limit: int,
        total: int,
    ) -> list[OpportunityListRow]:
        """Rows ``offset`` to ``offset + limit`` of the list sorted by ``order``.

        ``total`` is the filter's row count (the caller already knows it).
        """
        rows = self._window(_row_select(), flt, order, offset, limit, total)
        return [_to_row(values) for values in rows]

    def ids(
        self, flt: OpportunityFilter, order: SortOrder, offset: int, limit: int, total: int
    ) -> list[int]:
        """The ids of rows ``offset`` to ``offset + limit`` (to turn row ranges into ids)."""
        query = select(OPP.id).select_from(OpportunityRow.__table__)
        return [values[0] for values in self._window(query, flt, order, offset, limit, total)]

    def _window(
        self,
        base: Select[Any],
        flt: OpportunityFilter,
        order: SortOrder,
        offset: int,
        limit: int,
        total: int,
    ) -> list[Sequence[Any]]:
        if limit <= 0 or offset >= total:
            return []
        limit = min(limit, total - offset)
        with self._db.read_connection() as connection:
            if order.column in GROUP_SORT:
                if (flt, order) not in self._group_cache:
                    # The first and last screens need no group sizes: walk the groups in order.
                    if offset + limit <= EDGE_ROWS:
                        return self._walk_groups(connection, base, flt, order, offset, limit)
                    if total - offset <= EDGE_ROWS:
                        rows = self._walk_groups(
                            connection, base, flt, order, total - offset - limit, limit, True
                        )
                        return rows
                groups = self._groups(connection, flt, order)
                return self._grouped_page(connection, base, flt, order, groups, offset, limit)
            return self._direct_page(connection, base, flt, order, offset, limit, total)

    def details(self, opportunity_id: int, history_limit: int = 5) -> OpportunityDetails | None:
        """Everything the reading pane shows, in one short read transaction."""
        with self._db.read_connection() as connection:
            values = connection.execute(_row_select().where(OPP.id == opportunity_id)).first()
            if values is None:
                return None
            extra = connection.execute(
                select(
                    ListItemRow.name,
                    OPP.competitors,
                    OPP.expiration_date,
                    OPP.delivery_date,
                    OPP.actual_close_date,
                    OPP.comments,
                    AccountRow.name,
                    ContactRow.full_name,
                    MarketingActivityRow.name,
                )
                .select_from(OpportunityRow.__table__)
                .outerjoin(ListItemRow, ListItemRow.id == OPP.payment_terms_id)
                .outerjoin(AccountRow, AccountRow.id == OPP.initiated_by_account_id)
                .outerjoin(ContactRow, ContactRow.id == OPP.initiated_by_contact_id)
                .outerjoin(
                    MarketingActivityRow, MarketingActivityRow.id == OPP.initiated_by_marketing_id
                )
                .where(OPP.id == opportunity_id)
            ).one()
            lines = connection.execute(
                select(
                    OpportunityLineRow.item_name,
                    OpportunityLineRow.quantity_milli,
                    OpportunityLineRow.unit_price_cents,
                    OpportunityLineRow.line_total_cents,
                )
                .where(OpportunityLineRow.opportunity_id == opportunity_id)
                .order_by(OpportunityLineRow.position)
            ).all()
            categories = connection.execute(
                select(CategoryRow.name)
                .join(OpportunityCategoryRow, OpportunityCategoryRow.category_id == CategoryRow.id)
                .where(OpportunityCategoryRow.opportunity_id == opportunity_id)
                .order_by(CategoryRow.name)
            ).scalars()
            history = connection.execute(
                select(
                    HistoryItemRow.id,
                    HistoryItemRow.kind,
                    HistoryItemRow.subject,
                    HistoryItemRow.occurred_at,
                )
                .where(HistoryItemRow.opportunity_id == opportunity_id)
                .order_by(HistoryItemRow.occurred_at.desc(), HistoryItemRow.id.desc())
                .limit(history_limit)
            ).all()
            return OpportunityDetails(
                row=_to_row(values),
                payment_terms=extra[0] or "",
                initiated_by=extra[6] or extra[7] or extra[8] or "",
                competitors=extra[1],
                expiration_date=extra[2],
                delivery_date=extra[3],
                actual_close_date=extra[4],
                comments=extra[5],
                lines=tuple(
                    (
                        name,
                        Decimal(quantity).scaleb(-3),
                        from_cents(price),
                        from_cents(total),
                    )
                    for name, quantity, price, total in lines
                ),
                categories=tuple(categories),
                latest_history=tuple(HistoryListRow(*item) for item in history),
            )

    # -- direct columns ------------------------------------------------------------------

    def _direct_page(
        self,
        connection: Any,
        base: Select[Any],
        flt: OpportunityFilter,
        order: SortOrder,
        offset: int,
        limit: int,
        total: int,
    ) -> list[Sequence[Any]]:
        column = DIRECT_SORT[order.column]
        descending = order.descending
        reverse = offset + limit / 2 > total / 2
        if reverse:
            # Read from the other end: the last rows are near the start of the reverse order.
            descending = not descending
            offset = total - offset - limit
        keys = (column.desc(), OPP.id.desc()) if descending else (column.asc(), OPP.id.asc())
        dense = bool(flt.search.strip()) and total * DENSE_SHARE >= self._table_rows(connection)
        condition = None if flt.is_empty else where_clause(flt, fts=self._fts, dense=dense)
        rows = list(connection.execute(_window_query(base, condition, keys, offset, limit)))
        if reverse:
            rows.reverse()
        return rows

    # -- grouped columns -----------------------------------------------------------------

    def _group_order(self, connection: Any, column: OpportunityColumn) -> dict[int, int]:
        """Rank of each referenced record: stages by pipeline position, others by name."""
        if column is OpportunityColumn.STAGE:
            query = select(SalesStageRow.id).order_by(SalesStageRow.position, SalesStageRow.id)
        elif column is OpportunityColumn.ASSIGNED_TO:
            query = select(UserRow.id).order_by(func.lower(UserRow.name), UserRow.id)
        else:
            query = select(ListItemRow.id).order_by(func.lower(ListItemRow.name), ListItemRow.id)
        return {key: rank for rank, key in enumerate(connection.execute(query).scalars())}

    def _walk_groups(
        self,
        connection: Any,
        base: Select[Any],
        flt: OpportunityFilter,
        order: SortOrder,
        skip: int,
        count: int,
        from_end: bool = False,
    ) -> list[Sequence[Any]]:
        """Rows ``skip`` to ``skip + count`` from the start (or the end) of a grouped sort,
        read group by group through the ``(foreign key, id)`` index without counting the
        groups first (that count scans the whole index: about 100 ms at a million rows)."""
        column = GROUP_SORT[order.column]
        rank = self._group_order(connection, order.column)
        keys: list[int | None] = [None, *sorted(rank, key=rank.__getitem__)]
        descending = order.descending
        if descending:
            keys.reverse()
        if from_end:
            keys.reverse()
            descending = not descending
        extra = None if flt.is_empty else where_clause(flt, fts=self._fts)
        rows: list[Sequence[Any]] = []
        for key in keys:
            condition = column.is_(None) if key is None else column == key
            if extra is not None:
                condition = and_(condition, extra)
            wanted = skip + count - len(rows)
            query = base.where(condition).order_by(OPP.id.desc() if descending else OPP.id.asc())
            found = list(connection.execute(query.limit(wanted)))
            if skip >= len(found):
                skip -= len(found)
                continue
            rows.extend(found[skip:])
            skip = 0
            if len(rows) >= count:
                break
        rows = rows[:count]
        if from_end:
            rows.reverse()
        return rows

    def _groups(self, connection: Any, flt: OpportunityFilter, order: SortOrder) -> list[_Group]:
        cached = self._group_cache.get((flt, order))
        if cached is not None:
            return cached
        column = GROUP_SORT[order.column]
        query = select(column, func.count()).group_by(column)
        if not flt.is_empty:
            query = query.where(where_clause(flt, fts=self._fts))
        sizes: dict[int | None, int] = {key: size for key, size in connection.execute(query)}
        rank = self._group_order(connection, order.column)
        keys = sorted(sizes, key=lambda k: -1 if k is None else rank.get(k, len(rank)))
        if order.descending:
            keys.reverse()
        groups: list[_Group] = []
        start = 0
        for key in keys:
            groups.append(_Group(key, start, sizes[key]))
            start += sizes[key]
        if len(self._group_cache) > 16:
            self._group_cache.clear()
        self._group_cache[(flt, order)] = groups
        return groups

    def _grouped_page(
        self,
        connection: Any,
        base: Select[Any],
        flt: OpportunityFilter,
        order: SortOrder,
        groups: list[_Group],
        offset: int,
        limit: int,
    ) -> list[Sequence[Any]]:
        column = GROUP_SORT[order.column]
        rows: list[Sequence[Any]] = []
        end = offset + limit
        for group in groups:
            if group.start + group.size <= offset or group.start >= end:
                continue
            first = max(offset, group.start) - group.start
            count = min(end, group.start + group.size) - group.start - first
            condition = column.is_(None) if group.key is None else column == group.key
            if not flt.is_empty:
                condition = and_(condition, where_clause(flt, fts=self._fts))
            # Within a group rows follow their id, reversed along with the groups.
            reverse = first + count / 2 > group.size / 2
            descending = order.descending != reverse
            if reverse:
                first = group.size - first - count
            keys = (OPP.id.desc(),) if descending else (OPP.id.asc(),)
            page = list(connection.execute(_window_query(base, condition, keys, first, count)))
            if reverse:
                page.reverse()
            rows.extend(page)
        return rows
