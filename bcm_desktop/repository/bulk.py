"""Set-based writes for bulk actions: one SQL statement per step, never a row at a time.

A selection is either a set of ids (loaded into a temporary table) or the filter of "all
matching rows" minus exclusions. Each action first snapshots what it will change (id, the
version it will produce, the old values), so the change can be undone later — but only for
rows nobody has touched since.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Table,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    not_,
    select,
    update,
)
from sqlalchemy.orm import Session

from ..domain.enums import StageKind
from ..domain.listing import RecordSelection
from .orm import (
    OpportunityCategoryRow,
    OpportunityRow,
    SalesStageRow,
    StageHistoryRow,
)
from .queries import where_clause

OPPORTUNITIES = cast(Table, OpportunityRow.__table__)
HISTORY = cast(Table, StageHistoryRow.__table__)
CATEGORIES = cast(Table, OpportunityCategoryRow.__table__)
OPP = OPPORTUNITIES.c
_temp = MetaData()
SELECTED = Table(
    "bulk_selected", _temp, Column("id", Integer, primary_key=True), prefixes=["TEMPORARY"]
)
EXCLUDED = Table(
    "bulk_excluded", _temp, Column("id", Integer, primary_key=True), prefixes=["TEMPORARY"]
)
CHUNK = 50_000

# The columns each undoable action changes, in snapshot order.
ASSIGN_COLUMNS = ("assigned_to_id",)
CLOSE_COLUMNS = (
    "stage_id",
    "status",
    "probability",
    "expected_revenue_cents",
    "actual_close_date",
    "stage_entered_at",
)


@dataclass(frozen=True)
class Snapshot:
    """Old values of the rows a bulk action changed: ``(id, version_after, *old_values)``."""

    action: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


class OpportunityBulk:
    """Bulk statements over a selection, inside the caller's unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- selections ----------------------------------------------------------------------

    def _fill(self, table: Table, ids: Iterable[int]) -> None:
        connection = self._session.connection()
        table.create(connection, checkfirst=True)
        connection.execute(delete(table))
        batch: list[dict[str, int]] = []
        for record_id in ids:
            batch.append({"id": record_id})
            if len(batch) >= CHUNK:
                connection.execute(insert(table), batch)
                batch = []
        if batch:
            connection.execute(insert(table), batch)

    def target(self, selection: RecordSelection) -> ColumnElement[bool]:
        """The WHERE condition for ``selection`` (fills temporary tables as needed)."""
        if selection.all_matching is None:
            self._fill(SELECTED, sorted(selection.ids))
            return OPP.id.in_(select(SELECTED.c.id))
        condition = where_clause(
            selection.all_matching, fts=self._session.get_bind().dialect.name == "sqlite"
        )
        if selection.excluded:
            self._fill(EXCLUDED, sorted(selection.excluded))
            condition = and_(condition, OPP.id.not_in(select(EXCLUDED.c.id)))
        return condition

    def counts(self, target: ColumnElement[bool]) -> tuple[int, int]:
        """``(records, of which closed)`` in one pass over the target."""
        closed = func.coalesce(func.sum(case((OPP.status != StageKind.OPEN.value, 1), else_=0)), 0)
        query = select(func.count(), closed).select_from(OPPORTUNITIES).where(target)
        total, closed_count = self._session.execute(query).one()
        return int(total), int(closed_count)

    def _snapshot(
        self, action: str, target: ColumnElement[bool], columns: Sequence[str]
    ) -> Snapshot:
        query = select(OPP.id, OPP.version + 1, *(OPP[name] for name in columns)).where(target)
        rows = [tuple(row) for row in self._session.execute(query)]
        return Snapshot(action, tuple(columns), rows)

    def _touch(self, now: datetime) -> dict[str, Any]:
        return {"version": OPP.version + 1, "modified_at": now}

    # -- actions -------------------------------------------------------------------------

    def assign(self, target: ColumnElement[bool], user_id: int | None, now: datetime) -> Snapshot:
        """Assign the open records of ``target`` that are not already ``user_id``'s."""
        condition = and_(
            target,
            OPP.status == StageKind.OPEN.value,
            not_(OPP.assigned_to_id.is_not_distinct_from(user_id)),
        )
        snapshot = self._snapshot("assign", condition, ASSIGN_COLUMNS)
        if snapshot.rows:
            self._session.execute(
                update(OPPORTUNITIES)
                .where(condition)
                .values(assigned_to_id=user_id, **self._touch(now)),
            )
        return snapshot

    def close(
        self,
        target: ColumnElement[bool],
        stage_id: int,
        kind: StageKind,
        actual_close_date: date,
        by_user_id: int | None,
        now: datetime,
    ) -> Snapshot:
        """Close the open records of ``target`` as Won (100 %) or Lost (0 %)."""
        condition = and_(target, OPP.status == StageKind.OPEN.value)
        snapshot = self._snapshot("close", condition, CLOSE_COLUMNS)
        if not snapshot.rows:
            return snapshot
        self._session.execute(
            insert(HISTORY).from_select(
                [
                    "opportunity_id",
                    "from_stage_id",
                    "to_stage_id",
                    "from_stage_name",
                    "to_stage_name",
                    "changed_at",
                    "changed_by_id",
                    "note",
                ],
                select(
                    OPP.id,
                    OPP.stage_id,
                    literal(stage_id),
                    func.coalesce(
                        select(SalesStageRow.name)
                        .where(SalesStageRow.id == OPP.stage_id)
                        .scalar_subquery(),
                        "",
                    ),
                    select(SalesStageRow.name)
                    .where(SalesStageRow.id == stage_id)
                    .scalar_subquery(),
                    literal(now, OPPORTUNITIES.c.modified_at.type),
                    literal(by_user_id, Integer),
                    literal("bulk close"),
                ).where(condition),
            )
        )
        won = kind is StageKind.WON
        self._session.execute(
            update(OPPORTUNITIES)
            .where(condition)
            .values(
                stage_id=stage_id,
                status=kind.value,
                probability=100 if won else 0,
                expected_revenue_cents=OPP.products_total_cents if won else 0,
                actual_close_date=actual_close_date,
                stage_entered_at=now,
                **self._touch(now),
            )
        )
        return snapshot

    def categorize(self, target: ColumnElement[bool], category_id: int) -> list[int]:
        """Add a category to the open records of ``target``; returns the ids it added it to."""
        link = CATEGORIES.c
        condition = and_(
            target,
            OPP.status == StageKind.OPEN.value,
            ~exists().where(link.opportunity_id == OPP.id, link.category_id == category_id),
        )
        ids = list(self._session.execute(select(OPP.id).where(condition)).scalars())
        if ids:
            self._session.execute(
                insert(CATEGORIES).from_select(
                    ["opportunity_id", "category_id"],
                    select(OPP.id, literal(category_id, Integer)).where(OPP.id.in_(ids))
                    if len(ids) <= 500
                    else select(OPP.id, literal(category_id, Integer)).where(condition),
                )
            )
        return ids

    def delete(self, target: ColumnElement[bool]) -> int:
        result = self._session.execute(delete(OPPORTUNITIES).where(target))
        return int(getattr(result, "rowcount", 0) or 0)

    # -- undo ----------------------------------------------------------------------------

    def restore(self, snapshot: Snapshot, now: datetime) -> tuple[int, int]:
        """Put back the old values of rows still at the version the action produced.

        Returns ``(restored, skipped)``; skipped rows were changed again since.
        """
        if not snapshot.rows:
            return 0, 0
        connection = self._session.connection()
        columns = [Column(name, OPPORTUNITIES.c[name].type) for name in snapshot.columns]
        undo = Table(
            "bulk_undo",
            MetaData(),
            Column("id", Integer, primary_key=True),
            Column("version", Integer),
            *columns,
            prefixes=["TEMPORARY"],
        )
        undo.drop(connection, checkfirst=True)
        undo.create(connection)
        keys = ["id", "version", *snapshot.columns]
        for start in range(0, len(snapshot.rows), CHUNK):
            connection.execute(
                insert(undo),
                [dict(zip(keys, row, strict=True)) for row in snapshot.rows[start : start + CHUNK]],
            )
        still = OPP.id.in_(
            select(undo.c.id).where(undo.c.id == OPP.id, undo.c.version == OPP.version)
        )
        restorable = int(
            connection.execute(
                select(func.count()).select_from(OPPORTUNITIES).where(still)
            ).scalar_one()
        )
        if snapshot.action == "close":
            self._session.execute(
                insert(HISTORY).from_select(
                    [
                        "opportunity_id",
                        "from_stage_id",
                        "to_stage_id",
                        "from_stage_name",
                        "to_stage_name",
                        "changed_at",
                        "note",
                    ],
                    select(
                        OPP.id,
                        OPP.stage_id,
                        undo.c.stage_id,
                        func.coalesce(
                            select(SalesStageRow.name)
                            .where(SalesStageRow.id == OPP.stage_id)
                            .scalar_subquery(),
                            "",
                        ),
                        func.coalesce(
                            select(SalesStageRow.name)
                            .where(SalesStageRow.id == undo.c.stage_id)
                            .scalar_subquery(),
                            "",
                        ),
                        literal(now, OPPORTUNITIES.c.modified_at.type),
                        literal("undo bulk close"),
                    )
                    .select_from(OPPORTUNITIES.join(undo, undo.c.id == OPP.id))
                    .where(undo.c.version == OPP.version),
                )
            )
        values = {
            name: select(undo.c[name]).where(undo.c.id == OPP.id).scalar_subquery()
            for name in snapshot.columns
        }
        connection.execute(update(OPPORTUNITIES).where(still).values(**values, **self._touch(now)))
        undo.drop(connection)
        return restorable, len(snapshot.rows) - restorable

    def remove_category(self, ids: Sequence[int], category_id: int) -> None:
        link = CATEGORIES.c
        for start in range(0, len(ids), 500):
            self._session.execute(
                delete(CATEGORIES).where(
                    link.category_id == category_id,
                    link.opportunity_id.in_(ids[start : start + 500]),
                )
            )
