"""Deleted Items: deleting a record keeps its rows as JSON; restoring puts them back.

An opportunity is one entry; so is a business project (with its tasks, related account and
contact links, history items and files), a project task, a marketing activity (with the ids of
the opportunities it initiated) and a history item (with its file). An account or business
contact is one entry holding its row, category links, own history items and files, and the
references its delete clears (its contacts, project links, opportunities it initiated); each
of its opportunities is an entry of kind ``child_opportunity`` pointing at it
(``$.parent_id``), not listed on its own and restored with it.

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
from collections.abc import Callable, Iterable, Sequence
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
    MarketingActivityRow,
    OpportunityActivityRow,
    OpportunityCategoryRow,
    OpportunityLineRow,
    OpportunityRow,
    ProjectAccountRow,
    ProjectContactRow,
    ProjectTaskRow,
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
PROJECT_KIND = "project"
TASK_KIND = "project_task"
MARKETING_KIND = "marketing_activity"
# A history item's entry names its kind: "history_note", "history_phone_log", ….
HISTORY_PREFIX = "history_"
HISTORY_KINDS = tuple(
    HISTORY_PREFIX + kind for kind in ("note", "phone_log", "task", "email", "appointment", "file")
)
# What :meth:`DeletedItemsRepository.archive` calls history items (whatever their kind).
HISTORY_ITEMS = "history"
# Entries restored one at a time by :meth:`DeletedItemsRepository.restore_single`.
SINGLE_KINDS = (PROJECT_KIND, TASK_KIND, MARKETING_KIND, *HISTORY_KINDS)
LISTED_KINDS = (OPPORTUNITY_KIND, ACCOUNT_KIND, CONTACT_KIND, *SINGLE_KINDS)

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
PROJECT_TASKS = cast(Table, ProjectTaskRow.__table__)
MARKETING = cast(Table, MarketingActivityRow.__table__)

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
    """A deleted item that cannot be restored, and why: ``taken`` (its number is in use
    again), ``link`` or ``project_link`` (the account or business contact of an opportunity
    or a project is gone), ``project`` (a project task whose project is gone) or ``record``
    (a history item whose record is gone)."""

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


def project_snapshot() -> ColumnElement[Any]:
    """JSON of the current business project (correlated on its id) with its tasks, related
    account and contact links, history items and their files, and how many tasks it has."""
    own = HISTORY.c.project_id == PROJECTS.c.id
    files = _array(
        select(func.json_group_array(_row_object(FILES)))
        .select_from(FILES.join(HISTORY, HISTORY.c.id == FILES.c.history_id))
        .where(own)
    )
    parts: list[Any] = [literal(PROJECTS.name), func.json_array(_row_object(PROJECTS))]
    for table in (PROJECT_TASKS, PROJECT_ACCOUNTS, PROJECT_CONTACTS):
        parts += [
            literal(table.name),
            _array(
                select(func.json_group_array(_row_object(table))).where(
                    table.c.project_id == PROJECTS.c.id
                )
            ),
        ]
    parts += [
        literal(HISTORY.name),
        _array(select(func.json_group_array(_row_object(HISTORY))).where(own)),
        literal(FILES.name),
        files,
        literal("task_count"),
        select(func.count()).where(PROJECT_TASKS.c.project_id == PROJECTS.c.id).scalar_subquery(),
    ]
    return func.json_object(*parts)


def marketing_snapshot() -> ColumnElement[Any]:
    """JSON of the current marketing activity and the opportunities it initiated (their
    Initiated by is cleared by the delete; Restore sets it back where still empty)."""
    return func.json_object(
        literal(MARKETING.name),
        func.json_array(_row_object(MARKETING)),
        literal("initiated_ids"),
        _array(
            select(func.json_group_array(OPPORTUNITIES.c.id)).where(
                OPPORTUNITIES.c.initiated_by_marketing_id == MARKETING.c.id
            )
        ),
        literal("opportunity_count"),
        select(func.count())
        .where(OPPORTUNITIES.c.initiated_by_marketing_id == MARKETING.c.id)
        .scalar_subquery(),
    )


def history_snapshot() -> ColumnElement[Any]:
    """JSON of the current history item and its stored file, if any."""
    return func.json_object(
        literal(HISTORY.name),
        func.json_array(_row_object(HISTORY)),
        literal(FILES.name),
        _array(
            select(func.json_group_array(_row_object(FILES))).where(
                FILES.c.history_id == HISTORY.c.id
            )
        ),
    )


@dataclass(frozen=True)
class SingleKind:
    """How an entry of one of :data:`SINGLE_KINDS` is archived: its table, title column,
    snapshot and kind (an expression, since a history item's kind names its own kind)."""

    table: Table
    title: Column[Any]
    snapshot: Callable[[], ColumnElement[Any]]
    kind: Callable[[], ColumnElement[Any]]


def _task_snapshot() -> ColumnElement[Any]:
    return func.json_object(
        literal(PROJECT_TASKS.name), func.json_array(_row_object(PROJECT_TASKS))
    )


SINGLES = {
    PROJECT_KIND: SingleKind(
        PROJECTS, PROJECTS.c.name, project_snapshot, lambda: literal(PROJECT_KIND)
    ),
    TASK_KIND: SingleKind(
        PROJECT_TASKS, PROJECT_TASKS.c.subject, _task_snapshot, lambda: literal(TASK_KIND)
    ),
    MARKETING_KIND: SingleKind(
        MARKETING, MARKETING.c.name, marketing_snapshot, lambda: literal(MARKETING_KIND)
    ),
    HISTORY_ITEMS: SingleKind(
        HISTORY,
        HISTORY.c.subject,
        history_snapshot,
        lambda: literal(HISTORY_PREFIX) + HISTORY.c.kind,
    ),
}
# The references of a history item, one of which names the record it belongs to.
HISTORY_LINKS: tuple[tuple[str, Table], ...] = (
    ("opportunity_id", OPPORTUNITIES),
    ("account_id", ACCOUNTS),
    ("contact_id", CONTACTS),
    ("project_id", PROJECTS),
)


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

    def archive(self, what: str, ids: Sequence[int], by_user_id: int | None, now: datetime) -> int:
        """Copy the business projects (with their tasks, related-record links, history and
        files), project tasks, marketing activities or history items (``what``: a key of
        :data:`SINGLES`) numbered ``ids`` into Deleted Items, one entry each; how many.

        One statement whatever the number of ids. The caller deletes them afterwards in the
        same transaction.
        """
        single = SINGLES[what]
        table = single.table
        self._fill(ids)
        result = self._session.execute(
            insert(DELETED).from_select(
                ["kind", "record_id", "title", "deleted_at", "deleted_by_id", "snapshot"],
                select(
                    single.kind(),
                    table.c.id,
                    single.title,
                    literal(now, DELETED.c.deleted_at.type),
                    literal(by_user_id, Integer),
                    single.snapshot(),
                ).where(table.c.id.in_(select(RESTORING.c.id))),
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def ids_deleted_at(self, deleted_at: datetime) -> list[int]:
        """Every opportunity entry archived at ``deleted_at`` (one bulk delete shares one
        time)."""
        return list(
            self._session.execute(
                select(DELETED.c.id).where(
                    DELETED.c.deleted_at == literal(deleted_at, DELETED.c.deleted_at.type),
                    DELETED.c.kind == OPPORTUNITY_KIND,
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
        self._remember_initiators()
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

    def _append_to_entry(
        self, kinds: tuple[str, ...], record_id: int, after: datetime, key: str, ids: list[int]
    ) -> None:
        """Add ``ids`` to the ``key`` list of the latest entry of ``kinds`` for ``record_id``
        deleted at or after ``after`` (if there is one: deleted for good, nothing restores
        it)."""
        found = self._session.execute(
            select(DELETED.c.id, func.json_extract(DELETED.c.snapshot, f"$.{key}"))
            .where(
                DELETED.c.kind.in_(kinds),
                DELETED.c.record_id == record_id,
                DELETED.c.deleted_at >= literal(after, DELETED.c.deleted_at.type),
            )
            .order_by(DELETED.c.id.desc())
            .limit(1)
        ).first()
        if found is None:
            return
        merged = sorted(set(json.loads(found[1] or "[]")) | set(ids))
        self._session.execute(
            update(DELETED)
            .where(DELETED.c.id == found[0])
            .values(
                snapshot=func.json_set(
                    DELETED.c.snapshot, f"$.{key}", func.json(json.dumps(merged))
                )
            )
        )

    def _remember_project(self, item_id: int, project_id: int, deleted_at: datetime) -> None:
        """A project coming back while its opportunity or a related account or contact is
        still in Deleted Items loses that reference; tell that entry, so restoring it later
        gives the reference back (as it does for projects it had when it was deleted)."""
        text = self._session.execute(
            select(DELETED.c.snapshot).where(DELETED.c.id == item_id)
        ).scalar_one()
        snapshot: dict[str, Any] = json.loads(text)
        wanted: list[tuple[tuple[str, ...], Table, Any]] = [
            ((OPPORTUNITY_KIND, CHILD_KIND), OPPORTUNITIES, row.get("opportunity_id"))
            for row in snapshot.get(PROJECTS.name, [])
        ]
        wanted += [
            ((ACCOUNT_KIND,), ACCOUNTS, row.get("account_id"))
            for row in snapshot.get(PROJECT_ACCOUNTS.name, [])
        ]
        wanted += [
            ((CONTACT_KIND,), CONTACTS, row.get("contact_id"))
            for row in snapshot.get(PROJECT_CONTACTS.name, [])
        ]
        for kinds, table, record_id in wanted:
            if (
                record_id is None
                or self._session.execute(
                    select(exists().where(table.c.id == record_id))
                ).scalar_one()
            ):
                continue
            self._append_to_entry(kinds, int(record_id), deleted_at, "project_ids", [project_id])

    def _remember_initiators(self) -> None:
        """Opportunities being restored whose Initiated by (a marketing activity, account or
        business contact) is itself in Deleted Items come back without one; add them to that
        entry's ``initiated_ids``, so restoring it later sets their Initiated by again, as
        it does for the opportunities it initiated when it was deleted.

        One grouped pass over the entries being restored, then a statement or two per
        initiator that is gone (there are few), so a bulk restore stays set-based.
        """
        record = func.json_extract(DELETED.c.snapshot, "$.opportunities[0]")
        for column, kind, table in (
            (OPPORTUNITIES.c.initiated_by_marketing_id, MARKETING_KIND, MARKETING),
            (ACCOUNT_SIDE.initiator, ACCOUNT_KIND, ACCOUNTS),
            (CONTACT_SIDE.initiator, CONTACT_KIND, CONTACTS),
        ):
            initiator = func.json_extract(record, f"$.{column.name}")
            groups = self._session.execute(
                select(
                    initiator,
                    func.min(DELETED.c.deleted_at),
                    func.json_group_array(func.json_extract(record, "$.id")),
                )
                .where(
                    DELETED.c.id.in_(select(RESTORING.c.id)),
                    initiator.is_not(None),
                    ~exists().where(table.c.id == initiator),
                )
                .group_by(initiator)
            ).all()
            for initiator_id, earliest, opportunity_ids in groups:
                self._append_to_entry(
                    (kind,),
                    int(initiator_id),
                    earliest,
                    "initiated_ids",
                    [int(i) for i in json.loads(opportunity_ids)],
                )

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
        new_id = self._insert_main(side.table, item_id, old_id, found[2])
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
            for column in (PROJECTS.c.link_account_id, PROJECTS.c.link_contact_id):
                self._follow_single((PROJECT_KIND,), column, side.table, old_id, new_id, found[2])
            self._follow_single(
                HISTORY_KINDS, HISTORY.c[side.key], side.table, old_id, new_id, found[2]
            )
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

    def _insert_main(self, table: Table, item_id: int, old_id: int, deleted_at: datetime) -> int:
        """Insert the main row (of ``table``) of the entry; returns its id, the original one
        unless that is in use again.

        A reference to a row created after the delete is cleared: that row only took the
        number of the one referred to. (A required reference has been checked before.)
        """
        text = self._session.execute(
            select(func.json_extract(DELETED.c.snapshot, f"$.{table.name}[0]")).where(
                DELETED.c.id == item_id
            )
        ).scalar_one()
        row: dict[str, Any] = json.loads(text)
        taken = self._session.execute(select(exists().where(table.c.id == old_id))).scalar_one()
        if taken:
            del row["id"]
        for column in table.columns:
            value = row.get(column.name)
            if value is None:
                continue
            for key in column.foreign_keys:
                parent = key.column.table
                if not self._session.execute(
                    select(exists().where(key.column == value, parent.c.created_at <= deleted_at))
                ).scalar_one():
                    row[column.name] = None
        return int(
            self._session.execute(
                insert(table).values(**_raw(table, row)).returning(table.c.id)
            ).scalar_one()
        )

    def restore_single(self, item_id: int, now: datetime) -> Blocked | None:
        """Put a business project (with its tasks, links, history and files), project task,
        marketing activity or history item entry back; ``None`` when it came back.

        The record takes its original id, or a new one when that is in use again (a project's
        rows then follow the new id). A project whose account or business contact is gone,
        a task whose project is gone, or a history item whose record is gone is not restored:
        it is returned as :class:`Blocked` and stays in Deleted Items. A marketing activity
        becomes Initiated by again of the opportunities it had, where that is still empty.
        """
        found = self._session.execute(
            select(
                DELETED.c.kind, DELETED.c.record_id, DELETED.c.title, DELETED.c.deleted_at
            ).where(DELETED.c.id == item_id)
        ).first()
        if found is None or found[0] not in SINGLE_KINDS:
            raise ValueError(f"deleted item {item_id} is not restored on its own")
        kind, old_id, title, deleted_at = str(found[0]), int(found[1]), str(found[2]), found[3]
        reason = self._missing_parent(item_id, kind, deleted_at)
        if reason is not None:
            return Blocked(item_id, title, reason)
        self._fill([item_id])
        if kind == TASK_KIND:
            self._insert_rows(PROJECT_TASKS)
        elif kind.startswith(HISTORY_PREFIX):
            self._insert_files(self._insert_rows(HISTORY, renumber=False))
        elif kind == PROJECT_KIND:
            new_id = self._insert_main(PROJECTS, item_id, old_id, deleted_at)
            self._remember_project(item_id, new_id, deleted_at)
            overrides: dict[str, ColumnElement[Any]] = {"project_id": literal(new_id, Integer)}
            for table in (PROJECT_TASKS, PROJECT_ACCOUNTS, PROJECT_CONTACTS):
                self._insert_rows(table, overrides=overrides)
            self._insert_files(self._insert_rows(HISTORY, renumber=False, overrides=overrides))
            if new_id != old_id:
                for kinds, column in (
                    ((TASK_KIND,), PROJECT_TASKS.c.project_id),
                    (HISTORY_KINDS, HISTORY.c.project_id),
                ):
                    self._follow_single(kinds, column, PROJECTS, old_id, new_id, deleted_at)
        else:
            new_id = self._insert_main(MARKETING, item_id, old_id, deleted_at)
            self._relink_marketing(new_id, deleted_at, now)
        self._session.execute(delete(DELETED).where(DELETED.c.id == item_id))
        return None

    def _follow_single(
        self,
        kinds: tuple[str, ...],
        column: Column[Any],
        parent: Table,
        old_id: int,
        new_id: int,
        deleted_at: datetime,
    ) -> None:
        """Point the entries of ``kinds`` deleted on their own while a record of ``parent``
        existed, whose ``column`` names it, at the new id it was restored under: they belonged
        to it, not to the newer record holding its old number."""
        path = f"$.{column.table.name}[0].{column.name}"
        stored = func.json_extract(DELETED.c.snapshot, path)
        created = select(parent.c.created_at).where(parent.c.id == new_id).scalar_subquery()
        self._session.execute(
            update(DELETED)
            .where(
                DELETED.c.kind.in_(kinds),
                DELETED.c.deleted_at <= literal(deleted_at, DELETED.c.deleted_at.type),
                DELETED.c.deleted_at >= created,
                stored == old_id,
            )
            .values(snapshot=func.json_set(DELETED.c.snapshot, path, new_id))
        )

    def _missing_parent(self, item_id: int, kind: str, deleted_at: datetime) -> str | None:
        """Why the entry cannot come back (see :class:`Blocked`), or ``None``.

        A record created after the delete is not the one referred to, even if it took that
        record's number (a restored record keeps its creation time).
        """
        if kind == MARKETING_KIND:
            return None
        links: tuple[tuple[str, Table], ...]
        if kind == PROJECT_KIND:
            table, reason = PROJECTS, "project_link"
            links = (("link_account_id", ACCOUNTS), ("link_contact_id", CONTACTS))
        elif kind == TASK_KIND:
            table, links, reason = PROJECT_TASKS, (("project_id", PROJECTS),), "project"
        else:
            table, links, reason = HISTORY, HISTORY_LINKS, "record"
        row = func.json_extract(DELETED.c.snapshot, f"$.{table.name}[0]")
        present: list[ColumnElement[bool]] = []
        for name, parent in links:
            value = func.json_extract(row, f"$.{name}")
            present.append(
                and_(
                    value.is_not(None),
                    exists().where(parent.c.id == value, parent.c.created_at <= deleted_at),
                )
            )
        found = self._session.execute(
            select(or_(*present)).where(DELETED.c.id == item_id)
        ).scalar_one()
        return None if found else reason

    def _relink_marketing(self, activity_id: int, deleted_at: datetime, now: datetime) -> None:
        """Make the activity Initiated by again of its opportunities that have none now."""
        self._relink_initiator(
            OPPORTUNITIES.c.initiated_by_marketing_id, activity_id, deleted_at, now
        )

    def _relink_initiator(
        self, column: Column[Any], record_id: int, deleted_at: datetime, now: datetime
    ) -> None:
        """Make ``record_id`` Initiated by (in ``column``) again of the opportunities listed
        under ``initiated_ids`` that have no initiator now and existed at the delete.

        Their version moves on, as it did when the delete cleared it, so an open form notices
        instead of saving its old value over the link.
        """
        rows, source = self._items("initiated_ids")
        opp = OPPORTUNITIES.c
        self._session.execute(
            update(OPPORTUNITIES)
            .where(
                opp.id.in_(select(rows.c.value).select_from(source)),
                opp.initiated_by_account_id.is_(None),
                opp.initiated_by_contact_id.is_(None),
                opp.initiated_by_marketing_id.is_(None),
                opp.created_at <= deleted_at,
            )
            .values(
                {
                    column.name: record_id,
                    "version": opp.version + 1,
                    "modified_at": literal(now, opp.modified_at.type),
                }
            )
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
        self._relink_initiator(side.initiator, record_id, deleted_at, now)

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
                # The row referred to must be the one that existed at the delete: SQLite may
                # have given a removed row's number to a newer, unrelated row since.
                born = parent.table.c.get("created_at")
                present = exists().where(
                    parent == value,
                    *(() if born is None else (born <= DELETED.c.deleted_at,)),
                )
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
    deleted on, deleted by, and how many opportunities an account or contact, or how many
    tasks a business project, took with it;
    searchable by title and by who deleted it. Opportunities deleted with their account or
    contact are part of that entry, not listed on their own."""
    users = cast(Table, UserRow.__table__)
    deleted_by = func.coalesce(users.c.name, "")
    # Read from the snapshot only for account, contact and project entries (and only for the rows of
    # a page, unless the list is sorted on it).
    opportunities = case(
        (
            DELETED.c.kind.in_(tuple(SIDES)),
            func.json_extract(DELETED.c.snapshot, "$.opportunity_count"),
        ),
        (DELETED.c.kind == PROJECT_KIND, func.json_extract(DELETED.c.snapshot, "$.task_count")),
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
