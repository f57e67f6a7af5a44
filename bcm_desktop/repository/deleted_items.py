"""Deleted Items: deleting an opportunity keeps its rows as JSON; restoring puts them back.

Both directions are set-based SQL (SQLite's JSON functions), so deleting or restoring a
hundred thousand records is a handful of statements, not a loop over rows:

* archive: ``INSERT INTO deleted_items … SELECT json_object(…)`` over the records to delete,
  with ``json_group_array`` subqueries for the rows that go with each one (lines, activities,
  category links, stage history, history items and their files, project links);
* restore: ``INSERT INTO <table> … SELECT json_extract(…) FROM deleted_items, json_each(…)``
  per table, in foreign-key order, with the original ids.

What a restored row pointed at may have gone in the meantime. References that the schema would
have cleared (``ON DELETE SET NULL``: assigned user, lists, stage, product, initiator) are
cleared; rows that the schema would have removed (``ON DELETE CASCADE``: a link to a deleted
category, an activity of a deleted stage activity) are left out; a record whose required Link
to (``RESTRICT``) no longer exists is not restored — an opportunity must keep one link (S-1).
A child row whose id has been reused since is put back under a new id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
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
    null,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from .orm import (
    AccountRow,
    BusinessProjectRow,
    ContactRow,
    DeletedItemRow,
    HistoryFileRow,
    HistoryItemRow,
    OpportunityActivityRow,
    OpportunityCategoryRow,
    OpportunityLineRow,
    OpportunityRow,
    StageHistoryRow,
    UserRow,
)
from .record_queries import ListSpec

OPPORTUNITY_KIND = "opportunity"

DELETED = cast(Table, DeletedItemRow.__table__)
OPPORTUNITIES = cast(Table, OpportunityRow.__table__)
LINES = cast(Table, OpportunityLineRow.__table__)
ACTIVITIES = cast(Table, OpportunityActivityRow.__table__)
CATEGORY_LINKS = cast(Table, OpportunityCategoryRow.__table__)
STAGE_HISTORY = cast(Table, StageHistoryRow.__table__)
HISTORY = cast(Table, HistoryItemRow.__table__)
FILES = cast(Table, HistoryFileRow.__table__)
PROJECTS = cast(Table, BusinessProjectRow.__table__)
ACCOUNTS = cast(Table, AccountRow.__table__)
CONTACTS = cast(Table, ContactRow.__table__)

# The tables of one deleted opportunity, parents before children (the restore order).
CHILD_TABLES: tuple[Table, ...] = (LINES, ACTIVITIES, CATEGORY_LINKS, STAGE_HISTORY, HISTORY)
CHUNK = 50_000

_temp = MetaData()
RESTORING = Table(
    "deleted_restoring", _temp, Column("id", Integer, primary_key=True), prefixes=["TEMPORARY"]
)


@dataclass(frozen=True)
class DeletedItemRecord:
    """One entry of Deleted Items as the list and the services see it."""

    id: int
    kind: str
    record_id: int
    title: str
    deleted_at: datetime
    deleted_by: str


@dataclass(frozen=True)
class Blocked:
    """A deleted item that cannot be restored, and why (``taken`` or ``link``)."""

    id: int
    title: str
    reason: str


def _json_value(column: Column[Any]) -> ColumnElement[Any]:
    # JSON has no bytes: file contents travel as hex text.
    if column.type.python_type is bytes:
        return func.hex(column)
    return column


def _row_object(table: Table) -> ColumnElement[Any]:
    arguments: list[Any] = []
    for column in table.columns:
        arguments += [literal(column.name), _json_value(column)]
    return func.json_object(*arguments)


def _array(query: Select[Any]) -> ColumnElement[Any]:
    # json() restores the JSON subtype a value loses when it leaves a subquery, so the array
    # nests as an array and not as a string.
    return func.json(func.coalesce(query.scalar_subquery(), "[]"))


def _children(table: Table) -> ColumnElement[Any]:
    return _array(
        select(func.json_group_array(_row_object(table))).where(
            table.c.opportunity_id == OPPORTUNITIES.c.id
        )
    )


def opportunity_snapshot() -> ColumnElement[Any]:
    """JSON of every row that goes with the current opportunity (correlated on its id)."""
    parts: list[Any] = [
        literal("opportunities"),
        func.json_array(_row_object(OPPORTUNITIES)),
    ]
    for table in CHILD_TABLES:
        parts += [literal(table.name), _children(table)]
    files = _array(
        select(func.json_group_array(_row_object(FILES)))
        .select_from(FILES.join(HISTORY, HISTORY.c.id == FILES.c.history_id))
        .where(HISTORY.c.opportunity_id == OPPORTUNITIES.c.id)
    )
    projects = _array(
        select(func.json_group_array(PROJECTS.c.id)).where(
            PROJECTS.c.opportunity_id == OPPORTUNITIES.c.id
        )
    )
    parts += [literal(FILES.name), files, literal("project_ids"), projects]
    return func.json_object(*parts)


class DeletedItemsRepository:
    """Archive, list, restore and purge Deleted Items, inside the caller's unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- archiving -------------------------------------------------------------------------

    def archive_opportunities(
        self, target: ColumnElement[bool], by_user_id: int | None, now: datetime
    ) -> int:
        """Copy the opportunities matching ``target`` with their rows into Deleted Items.

        The caller deletes them afterwards in the same transaction.
        """
        result = self._session.execute(
            insert(DELETED).from_select(
                ["kind", "record_id", "title", "deleted_at", "deleted_by_id", "snapshot"],
                select(
                    literal(OPPORTUNITY_KIND),
                    OPPORTUNITIES.c.id,
                    OPPORTUNITIES.c.title,
                    literal(now, DELETED.c.deleted_at.type),
                    literal(by_user_id, Integer),
                    opportunity_snapshot(),
                ).where(target),
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def archive_opportunity(
        self, opportunity_id: int, by_user_id: int | None, now: datetime
    ) -> None:
        self.archive_opportunities(OPPORTUNITIES.c.id == opportunity_id, by_user_id, now)

    def ids_deleted_at(self, deleted_at: datetime) -> list[int]:
        """Every entry archived at ``deleted_at`` (one bulk delete shares one time)."""
        return list(
            self._session.execute(
                select(DELETED.c.id).where(
                    DELETED.c.deleted_at == literal(deleted_at, DELETED.c.deleted_at.type)
                )
            ).scalars()
        )

    # -- reading ---------------------------------------------------------------------------

    def get(self, item_id: int) -> DeletedItemRecord | None:
        rows = self.all(item_id)
        return rows[0] if rows else None

    def all(self, item_id: int | None = None) -> list[DeletedItemRecord]:
        query = (
            select(
                DELETED.c.id,
                DELETED.c.kind,
                DELETED.c.record_id,
                DELETED.c.title,
                DELETED.c.deleted_at,
                func.coalesce(UserRow.name, ""),
            )
            .select_from(DELETED.outerjoin(UserRow, UserRow.id == DELETED.c.deleted_by_id))
            .order_by(DELETED.c.deleted_at.desc(), DELETED.c.id.desc())
        )
        if item_id is not None:
            query = query.where(DELETED.c.id == item_id)
        return [DeletedItemRecord(*row) for row in self._session.execute(query)]

    def count(self) -> int:
        return int(self._session.execute(select(func.count()).select_from(DELETED)).scalar_one())

    # -- restoring -------------------------------------------------------------------------

    def _fill(self, ids: Iterable[int]) -> None:
        connection = self._session.connection()
        RESTORING.create(connection, checkfirst=True)
        connection.execute(delete(RESTORING))
        batch = [{"id": item_id} for item_id in ids]
        for start in range(0, len(batch), CHUNK):
            connection.execute(insert(RESTORING), batch[start : start + CHUNK])

    def blocked(self, ids: Sequence[int]) -> list[Blocked]:
        """The items of ``ids`` that cannot be restored: their id is in use again, or their
        linked account or business contact no longer exists."""
        self._fill(ids)
        record = func.json_extract(DELETED.c.snapshot, "$.opportunities[0]")
        account = func.json_extract(record, "$.link_account_id")
        contact = func.json_extract(record, "$.link_contact_id")
        taken = exists().where(OPPORTUNITIES.c.id == DELETED.c.record_id)
        link_gone = or_(
            and_(account.is_not(None), ~exists().where(ACCOUNTS.c.id == account)),
            and_(contact.is_not(None), ~exists().where(CONTACTS.c.id == contact)),
        )
        query = select(DELETED.c.id, DELETED.c.title, taken, link_gone).where(
            DELETED.c.id.in_(select(RESTORING.c.id)), or_(taken, link_gone)
        )
        return [
            Blocked(int(item_id), str(title), "taken" if is_taken else "link")
            for item_id, title, is_taken, _gone in self._session.execute(query)
        ]

    def restore(self, ids: Sequence[int]) -> int:
        """Put the rows of ``ids`` back with their original ids and remove the entries.

        The caller has checked :meth:`blocked` and passes only restorable items.
        """
        if not ids:
            return 0
        self._fill(ids)
        self._insert_rows(OPPORTUNITIES, keep_taken=False)
        for table in (LINES, ACTIVITIES, CATEGORY_LINKS, STAGE_HISTORY):
            self._insert_rows(table)
        moved = self._insert_rows(HISTORY, renumber=False)
        self._insert_files(moved)
        self._relink_projects()
        result = self._session.execute(
            delete(DELETED).where(DELETED.c.id.in_(select(RESTORING.c.id)))
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def _items(self, key: str) -> tuple[Any, Any]:
        rows = func.json_each(DELETED.c.snapshot, f"$.{key}").table_valued("value").alias("j")
        return rows, DELETED.join(rows, literal(True)).join(
            RESTORING, RESTORING.c.id == DELETED.c.id
        )

    def _insert_rows(
        self, table: Table, *, keep_taken: bool = True, renumber: bool = True
    ) -> list[tuple[int, dict[str, Any]]]:
        """Insert ``table``'s rows of the items being restored.

        References to rows that are gone are cleared or the row is left out, as the schema's
        ``ON DELETE`` rule would have done. Rows whose id is in use again are inserted under a
        new id by SQL when ``renumber``; otherwise they are returned as ``(old id, values)``
        for the caller to insert.
        """
        rows, source = self._items(table.name)
        values: dict[str, ColumnElement[Any]] = {}
        keep: list[ColumnElement[bool]] = []
        for column in table.columns:
            value: ColumnElement[Any] = func.json_extract(rows.c.value, f"$.{column.name}")
            for key in column.foreign_keys:
                if key.column.table is OPPORTUNITIES or key.column.table is HISTORY:
                    continue  # the parent is restored first, in this same transaction
                parent = key.column
                present = exists().where(parent == value)
                if key.ondelete == "SET NULL":
                    value = case((present, value), else_=None)
                elif key.ondelete == "CASCADE":
                    keep.append(or_(value.is_(None), present))
            values[column.name] = value
        names = list(values)
        has_id = "id" in table.c and table.c.id.primary_key
        taken: list[int] = []
        if has_id and keep_taken:
            # Read before inserting: afterwards every restored row would count as taken.
            in_use = exists().where(table.c.id == values["id"])
            taken = [
                int(row_id)
                for row_id in self._session.execute(
                    select(values["id"]).select_from(source).where(*keep, in_use)
                ).scalars()
            ]
        free = values["id"].not_in(taken) if taken else literal(True)
        self._session.execute(
            insert(table).from_select(
                names, select(*values.values()).select_from(source).where(*keep, free)
            )
        )
        if not taken:
            return []
        again = values["id"].in_(taken)
        if renumber:
            without_id = [name for name in names if name != "id"]
            self._session.execute(
                insert(table).from_select(
                    without_id,
                    select(*(values[name] for name in without_id))
                    .select_from(source)
                    .where(*keep, again),
                )
            )
            return []
        return [
            (int(row[0]), dict(zip(names, row, strict=True)))
            for row in self._session.execute(
                select(*values.values()).select_from(source).where(*keep, again)
            )
        ]

    def _insert_files(self, moved: list[tuple[int, dict[str, Any]]]) -> None:
        """Put history files back, after their items; items given a new id take their file."""
        new_ids: dict[int, int] = {}
        for old_id, row in moved:
            values = _raw(HISTORY, {name: value for name, value in row.items() if name != "id"})
            new_ids[old_id] = int(
                self._session.execute(
                    insert(HISTORY).values(**values).returning(HISTORY.c.id)
                ).scalar_one()
            )
        rows, source = self._items(FILES.name)
        history_id = func.json_extract(rows.c.value, "$.history_id")
        data = func.json_extract(rows.c.value, "$.data")
        for old_id, hex_data in self._session.execute(select(history_id, data).select_from(source)):
            target = new_ids.get(int(old_id), int(old_id))
            if (
                self._session.execute(select(exists().where(HISTORY.c.id == target))).scalar_one()
                and not self._session.execute(
                    select(exists().where(FILES.c.history_id == target))
                ).scalar_one()
            ):
                self._session.execute(
                    insert(FILES).values(history_id=target, data=bytes.fromhex(hex_data))
                )

    def _relink_projects(self) -> None:
        rows, source = self._items("project_ids")
        owner = (
            select(DELETED.c.record_id)
            .select_from(source)
            .where(rows.c.value == PROJECTS.c.id)
            .limit(1)
            .scalar_subquery()
        )
        self._session.execute(
            update(PROJECTS)
            .where(PROJECTS.c.opportunity_id.is_(None), owner.is_not(None))
            .values(opportunity_id=owner, modified_at=PROJECTS.c.modified_at)
        )

    # -- purging ---------------------------------------------------------------------------

    def purge(self, ids: Sequence[int]) -> int:
        """Delete entries for good; returns how many there were."""
        self._fill(ids)
        result = self._session.execute(
            delete(DELETED).where(DELETED.c.id.in_(select(RESTORING.c.id)))
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def purge_all(self) -> int:
        result = self._session.execute(delete(DELETED))
        return int(getattr(result, "rowcount", 0) or 0)


def _raw(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """Values as SQLite stored them (read back from JSON), bound without type conversion."""
    return {
        name: null() if value is None else literal(value)
        for name, value in row.items()
        if name in table.c
    }


def deleted_items_spec() -> ListSpec:
    """The Deleted Items list for :class:`~.record_queries.RecordQueries`: kind, title,
    deleted on, deleted by; searchable by title and by who deleted it."""
    users = cast(Table, UserRow.__table__)
    deleted_by = func.coalesce(users.c.name, "")
    return ListSpec(
        table=DELETED.outerjoin(users, users.c.id == DELETED.c.deleted_by_id),
        id_column=DELETED.c.id,
        columns={
            "kind": DELETED.c.kind,
            "title": DELETED.c.title,
            "deleted_at": DELETED.c.deleted_at,
            "deleted_by": deleted_by,
        },
        search=(DELETED.c.title, users.c.name),
    )
