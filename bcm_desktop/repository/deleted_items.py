"""Deleted Items: deleting a record keeps its rows as JSON; restoring puts them back.

An opportunity is one entry. An account or business contact is one entry holding its row,
category links, own history items and files, and the references its delete clears (its
contacts, project links, opportunities it initiated); each of its opportunities is an entry of
kind ``child_opportunity`` pointing at it (``$.parent_id``), not listed on its own and
restored with it.

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

import json
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
    AccountCategoryRow,
    AccountRow,
    BusinessProjectRow,
    ContactCategoryRow,
    ContactRow,
    DeletedItemRow,
    HistoryFileRow,
    HistoryItemRow,
    OpportunityActivityRow,
    OpportunityCategoryRow,
    OpportunityLineRow,
    OpportunityRow,
    ProjectAccountRow,
    ProjectContactRow,
    StageHistoryRow,
    UserRow,
)
from .record_queries import ListSpec

OPPORTUNITY_KIND = "opportunity"
ACCOUNT_KIND = "account"
CONTACT_KIND = "contact"
# An opportunity deleted with its account or business contact: not listed on its own, it
# comes back when its parent entry (``$.parent_id`` of its snapshot) is restored.
CHILD_KIND = "child_opportunity"
LISTED_KINDS = (OPPORTUNITY_KIND, ACCOUNT_KIND, CONTACT_KIND)

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
ACCOUNT_CATEGORIES = cast(Table, AccountCategoryRow.__table__)
CONTACT_CATEGORIES = cast(Table, ContactCategoryRow.__table__)
PROJECT_ACCOUNTS = cast(Table, ProjectAccountRow.__table__)
PROJECT_CONTACTS = cast(Table, ProjectContactRow.__table__)

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


def opportunity_snapshot(parent_id: int | None = None) -> ColumnElement[Any]:
    """JSON of every row that goes with the current opportunity (correlated on its id);
    ``parent_id`` is the entry of the account or contact it was deleted with."""
    parts: list[Any] = [
        literal("opportunities"),
        func.json_array(_row_object(OPPORTUNITIES)),
    ]
    if parent_id is not None:
        parts += [literal("parent_id"), literal(parent_id, Integer)]
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


@dataclass(frozen=True)
class RecordSide:
    """The tables around an account or a business contact that its entry keeps."""

    kind: str
    table: Table
    name: Column[Any]
    categories: Table
    key: str  # the column naming the record in categories, history and project links
    link: Column[Any]  # the opportunities' link to it
    initiator: Column[Any]  # the opportunities' "initiated by" it
    project_links: Table

    def history(self) -> ColumnElement[bool]:
        """The record's own history items (those of its opportunities go with them)."""
        own = HISTORY.c[self.key] == self.table.c.id
        return and_(own, HISTORY.c.opportunity_id.is_(None))


ACCOUNT_SIDE = RecordSide(
    ACCOUNT_KIND,
    ACCOUNTS,
    ACCOUNTS.c.name,
    ACCOUNT_CATEGORIES,
    "account_id",
    OPPORTUNITIES.c.link_account_id,
    OPPORTUNITIES.c.initiated_by_account_id,
    PROJECT_ACCOUNTS,
)
CONTACT_SIDE = RecordSide(
    CONTACT_KIND,
    CONTACTS,
    CONTACTS.c.full_name,
    CONTACT_CATEGORIES,
    "contact_id",
    OPPORTUNITIES.c.link_contact_id,
    OPPORTUNITIES.c.initiated_by_contact_id,
    PROJECT_CONTACTS,
)
SIDES = {side.kind: side for side in (ACCOUNT_SIDE, CONTACT_SIDE)}


def record_snapshot(side: RecordSide) -> ColumnElement[Any]:
    """JSON of the current account or contact (correlated on its id) with its category links,
    its own history items and their files, and the references to it that a delete clears:
    the contacts working for an account, the projects it is an additional party of, and the
    opportunities of other records it initiated."""
    table = side.table
    categories = side.categories
    files = _array(
        select(func.json_group_array(_row_object(FILES)))
        .select_from(FILES.join(HISTORY, HISTORY.c.id == FILES.c.history_id))
        .where(side.history())
    )
    parts: list[Any] = [
        literal(table.name),
        func.json_array(_row_object(table)),
        literal(categories.name),
        _array(
            select(func.json_group_array(_row_object(categories))).where(
                categories.c[side.key] == table.c.id
            )
        ),
        literal(HISTORY.name),
        _array(select(func.json_group_array(_row_object(HISTORY))).where(side.history())),
        literal(FILES.name),
        files,
        literal("project_ids"),
        _array(
            select(func.json_group_array(side.project_links.c.project_id)).where(
                side.project_links.c[side.key] == table.c.id
            )
        ),
        literal("initiated_ids"),
        _array(
            select(func.json_group_array(OPPORTUNITIES.c.id)).where(
                side.initiator == table.c.id, or_(side.link.is_(None), side.link != table.c.id)
            )
        ),
        literal("opportunity_count"),
        select(func.count()).where(side.link == table.c.id).scalar_subquery(),
    ]
    if side is ACCOUNT_SIDE:
        parts += [
            literal("contact_ids"),
            _array(
                select(func.json_group_array(CONTACTS.c.id)).where(
                    CONTACTS.c.account_id == table.c.id
                )
            ),
        ]
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

    def archive_record(
        self, kind: str, record_id: int, by_user_id: int | None, now: datetime
    ) -> int:
        """Copy an account or business contact (``kind``) into Deleted Items as one entry,
        and each of its opportunities as an entry of its own that points at it (so an
        account with thousands of opportunities is still a handful of statements).

        Returns the new entry's id; the caller deletes the record afterwards in the same
        transaction.
        """
        side = SIDES[kind]
        table = side.table
        entry_id = self._session.execute(
            insert(DELETED)
            .from_select(
                ["kind", "record_id", "title", "deleted_at", "deleted_by_id", "snapshot"],
                select(
                    literal(side.kind),
                    table.c.id,
                    side.name,
                    literal(now, DELETED.c.deleted_at.type),
                    literal(by_user_id, Integer),
                    record_snapshot(side),
                ).where(table.c.id == record_id),
            )
            .returning(DELETED.c.id)
        ).scalar_one()
        self._session.execute(
            insert(DELETED).from_select(
                ["kind", "record_id", "title", "deleted_at", "deleted_by_id", "snapshot"],
                select(
                    literal(CHILD_KIND),
                    OPPORTUNITIES.c.id,
                    OPPORTUNITIES.c.title,
                    literal(now, DELETED.c.deleted_at.type),
                    literal(by_user_id, Integer),
                    opportunity_snapshot(entry_id),
                ).where(side.link == record_id),
            )
        )
        return int(entry_id)

    def ids_deleted_at(self, deleted_at: datetime) -> list[int]:
        """Every listed entry archived at ``deleted_at`` (one bulk delete shares one time)."""
        return list(
            self._session.execute(
                select(DELETED.c.id).where(
                    DELETED.c.deleted_at == literal(deleted_at, DELETED.c.deleted_at.type),
                    DELETED.c.kind.in_(LISTED_KINDS),
                )
            ).scalars()
        )

    def _children(self, parent_ids: Select[Any]) -> Select[Any]:
        """The ids of the opportunity entries deleted with the entries ``parent_ids``.

        They share their parent's deletion time, so the (deleted_at, id) index finds them
        without reading the snapshots of everything else in Deleted Items.
        """
        parent = DELETED.alias("parent")
        return select(DELETED.c.id).where(
            DELETED.c.deleted_at.in_(
                select(parent.c.deleted_at).where(parent.c.id.in_(parent_ids))
            ),
            DELETED.c.kind == CHILD_KIND,
            func.json_extract(DELETED.c.snapshot, "$.parent_id").in_(parent_ids),
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
            .where(DELETED.c.kind.in_(LISTED_KINDS))
            .order_by(DELETED.c.deleted_at.desc(), DELETED.c.id.desc())
        )
        if item_id is not None:
            query = query.where(DELETED.c.id == item_id)
        return [DeletedItemRecord(*row) for row in self._session.execute(query)]

    def count(self) -> int:
        return int(
            self._session.execute(
                select(func.count()).select_from(DELETED).where(DELETED.c.kind.in_(LISTED_KINDS))
            ).scalar_one()
        )

    def kinds(self, ids: Sequence[int]) -> dict[int, str]:
        """The kind of each of the listed entries ``ids`` that still exists."""
        self._fill(ids)
        query = select(DELETED.c.id, DELETED.c.kind).where(
            DELETED.c.id.in_(select(RESTORING.c.id)), DELETED.c.kind.in_(LISTED_KINDS)
        )
        return {int(item_id): str(kind) for item_id, kind in self._session.execute(query)}

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
        linked account or business contact no longer exists.

        A record created after the opportunity was deleted is not the one it was linked to,
        even with the same number: that one was deleted and its number handed out again
        (a restored record keeps its creation time).
        """
        self._fill(ids)
        record = func.json_extract(DELETED.c.snapshot, "$.opportunities[0]")
        account = func.json_extract(record, "$.link_account_id")
        contact = func.json_extract(record, "$.link_contact_id")
        taken = exists().where(OPPORTUNITIES.c.id == DELETED.c.record_id)
        link_gone = or_(
            and_(
                account.is_not(None),
                ~exists().where(
                    ACCOUNTS.c.id == account, ACCOUNTS.c.created_at <= DELETED.c.deleted_at
                ),
            ),
            and_(
                contact.is_not(None),
                ~exists().where(
                    CONTACTS.c.id == contact, CONTACTS.c.created_at <= DELETED.c.deleted_at
                ),
            ),
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

    def restore_record(self, item_id: int, now: datetime) -> list[Blocked]:
        """Put an account or business contact entry back with its opportunities.

        The record takes its original id, or a new one when that is in use again (its
        categories, history and opportunities then follow the new id). Contacts it was
        removed from get it back if they have no account meanwhile; project and initiator
        links it lost come back where still free. Opportunities whose own number is taken
        again are not restored: they stay in Deleted Items as entries of their own, and are
        returned. Returns ``[]`` when everything came back.
        """
        found = self._session.execute(
            select(DELETED.c.kind, DELETED.c.record_id, DELETED.c.deleted_at).where(
                DELETED.c.id == item_id
            )
        ).first()
        if found is None or found[0] not in SIDES:
            raise ValueError(f"deleted item {item_id} is not an account or contact entry")
        side = SIDES[str(found[0])]
        old_id = int(found[1])
        self._fill([item_id])
        new_id = self._insert_record(side, item_id, old_id, found[2])
        record = literal(new_id, Integer)
        overrides: dict[str, ColumnElement[Any]] = {side.key: record}
        self._insert_rows(side.categories, overrides=overrides)
        moved = self._insert_rows(HISTORY, renumber=False, overrides=overrides)
        self._insert_files(moved)
        self._relink(side, new_id, found[2], now)

        children = self._children(select(literal(item_id, Integer)))
        if new_id != old_id:
            self._follow_new_id(side, children, old_id, new_id)
            # Opportunities deleted on their own while the record existed belong to it too.
            created = select(side.table.c.created_at).where(side.table.c.id == new_id)
            earlier = select(DELETED.c.id).where(
                DELETED.c.kind == OPPORTUNITY_KIND,
                DELETED.c.deleted_at <= found[2],
                DELETED.c.deleted_at >= created.scalar_subquery(),
            )
            self._follow_new_id(side, earlier, old_id, new_id)
        child_ids = list(self._session.execute(children).scalars())
        blocked = self.blocked(child_ids)
        refused = {item.id for item in blocked}
        self.restore([child for child in child_ids if child not in refused])
        if refused:
            self._session.execute(
                update(DELETED)
                .where(DELETED.c.id.in_(refused))
                .values(
                    kind=OPPORTUNITY_KIND,
                    snapshot=func.json_remove(DELETED.c.snapshot, "$.parent_id"),
                )
            )
        self._session.execute(delete(DELETED).where(DELETED.c.id == item_id))
        return blocked

    def _insert_record(
        self, side: RecordSide, item_id: int, old_id: int, deleted_at: datetime
    ) -> int:
        """Insert the account or contact row of the entry; returns its id.

        A reference to a row created after the delete is cleared: that row only took the
        number of the one referred to.
        """
        text = self._session.execute(
            select(func.json_extract(DELETED.c.snapshot, f"$.{side.table.name}[0]")).where(
                DELETED.c.id == item_id
            )
        ).scalar_one()
        row: dict[str, Any] = json.loads(text)
        taken = self._session.execute(
            select(exists().where(side.table.c.id == old_id))
        ).scalar_one()
        if taken:
            del row["id"]
        for column in side.table.columns:
            value = row.get(column.name)
            if value is None:
                continue
            for key in column.foreign_keys:
                # Every reference of an account or contact row is ON DELETE SET NULL.
                parent = key.column.table
                if not self._session.execute(
                    select(exists().where(key.column == value, parent.c.created_at <= deleted_at))
                ).scalar_one():
                    row[column.name] = None
        return int(
            self._session.execute(
                insert(side.table).values(**_raw(side.table, row)).returning(side.table.c.id)
            ).scalar_one()
        )

    def _relink(
        self, side: RecordSide, record_id: int, deleted_at: datetime, now: datetime
    ) -> None:
        """Give the record back the references its delete cleared, where still free.

        A row created after the delete is not the one that referred to the record, even if
        it took that row's number.
        """
        session = self._session
        if side is ACCOUNT_SIDE:
            rows, source = self._items("contact_ids")
            session.execute(
                update(CONTACTS)
                .where(
                    CONTACTS.c.id.in_(select(rows.c.value).select_from(source)),
                    CONTACTS.c.account_id.is_(None),
                    CONTACTS.c.created_at <= deleted_at,
                )
                .values(
                    account_id=record_id,
                    version=CONTACTS.c.version + 1,
                    modified_at=literal(now, CONTACTS.c.modified_at.type),
                )
            )
        rows, source = self._items("project_ids")
        links = side.project_links
        session.execute(
            insert(links).from_select(
                ["project_id", side.key],
                select(rows.c.value, literal(record_id, Integer))
                .select_from(source)
                .where(
                    exists().where(
                        PROJECTS.c.id == rows.c.value, PROJECTS.c.created_at <= deleted_at
                    ),
                    ~exists().where(
                        links.c.project_id == rows.c.value, links.c[side.key] == record_id
                    ),
                ),
            )
        )
        rows, source = self._items("initiated_ids")
        opp = OPPORTUNITIES.c
        session.execute(
            update(OPPORTUNITIES)
            .where(
                opp.id.in_(select(rows.c.value).select_from(source)),
                opp.initiated_by_account_id.is_(None),
                opp.initiated_by_contact_id.is_(None),
                opp.initiated_by_marketing_id.is_(None),
                opp.created_at <= deleted_at,
            )
            .values({side.initiator.name: record_id, "modified_at": opp.modified_at})
        )

    def _follow_new_id(
        self, side: RecordSide, entries: Select[Any], old_id: int, new_id: int
    ) -> None:
        """Point the opportunity entries ``entries`` of a record restored under a new id at
        that id."""
        for column in (side.link, side.initiator):
            path = f"$.opportunities[0].{column.name}"
            stored = func.json_extract(DELETED.c.snapshot, path)
            self._session.execute(
                update(DELETED)
                .where(DELETED.c.id.in_(entries), stored == old_id)
                .values(snapshot=func.json_set(DELETED.c.snapshot, path, new_id))
            )

    def _items(self, key: str) -> tuple[Any, Any]:
        rows = func.json_each(DELETED.c.snapshot, f"$.{key}").table_valued("value").alias("j")
        return rows, DELETED.join(rows, literal(True)).join(
            RESTORING, RESTORING.c.id == DELETED.c.id
        )

    def _insert_rows(
        self,
        table: Table,
        *,
        keep_taken: bool = True,
        renumber: bool = True,
        overrides: dict[str, ColumnElement[Any]] | None = None,
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
            if overrides and column.name in overrides:
                value = overrides[column.name]
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
        self._session.execute(
            delete(DELETED).where(DELETED.c.id.in_(self._children(select(RESTORING.c.id))))
        )
        result = self._session.execute(
            delete(DELETED).where(
                DELETED.c.id.in_(select(RESTORING.c.id)), DELETED.c.kind.in_(LISTED_KINDS)
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def purge_all(self) -> int:
        """Empty Deleted Items; returns how many listed entries there were."""
        listed = self.count()
        self._session.execute(delete(DELETED))
        return listed


def _raw(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """Values as SQLite stored them (read back from JSON), bound without type conversion."""
    return {
        name: null() if value is None else literal(value)
        for name, value in row.items()
        if name in table.c
    }


def deleted_items_spec() -> ListSpec:
    """The Deleted Items list for :class:`~.record_queries.RecordQueries`: kind, title,
    deleted on, deleted by, and how many opportunities an account or contact took with it;
    searchable by title and by who deleted it. Opportunities deleted with their account or
    contact are part of that entry, not listed on their own."""
    users = cast(Table, UserRow.__table__)
    deleted_by = func.coalesce(users.c.name, "")
    # Read from the snapshot only for account and contact entries (and only for the rows of
    # a page, unless the list is sorted on it).
    opportunities = case(
        (
            DELETED.c.kind.in_(tuple(SIDES)),
            func.json_extract(DELETED.c.snapshot, "$.opportunity_count"),
        ),
        else_=null(),
    )
    return ListSpec(
        table=DELETED.outerjoin(users, users.c.id == DELETED.c.deleted_by_id),
        id_column=DELETED.c.id,
        columns={
            "kind": DELETED.c.kind,
            "title": DELETED.c.title,
            "deleted_at": DELETED.c.deleted_at,
            "deleted_by": deleted_by,
            "opportunities": opportunities,
        },
        search=(DELETED.c.title, users.c.name),
        base_where=(DELETED.c.kind.in_(LISTED_KINDS),),
    )
