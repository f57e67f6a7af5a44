"""Repositories: load and save domain entities; the only code that maps rows to entities."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    String,
    Table,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from ..domain.entities import (
    Category,
    InitiatorRef,
    ListItem,
    Opportunity,
    OpportunityLine,
    RecordRef,
    SalesStage,
    StageChange,
    User,
)
from ..domain.enums import InitiatorKind, LinkKind, ListKind, StageKind
from ..domain.errors import ConflictError, NotFoundError
from ..domain.lists import ListItemUsage
from ..domain.money import from_cents, to_cents
from .opportunity_activities import entered_day, save_activities, stage_activities
from .orm import (
    AccountRow,
    Base,
    CategoryRow,
    ContactRow,
    ListItemRow,
    MarketingActivityRow,
    OpportunityCategoryRow,
    OpportunityLineRow,
    OpportunityRow,
    SalesStageRow,
    SettingRow,
    StageActivityRow,
    StageHistoryRow,
    UserRow,
    utcnow,
)

CHANGED_ELSEWHERE = (
    "“{title}” was changed by someone else after you opened it. "
    "Reload it to see their changes; what you typed is still in the form."
)


def check_version(title: str, stored: int, expected: int) -> None:
    """Refuse to write over a record that changed since the caller read ``expected``."""
    if stored != expected:
        raise ConflictError(CHANGED_ELSEWHERE.format(title=title))


def _user(row: UserRow) -> User:
    return User(
        id=row.id,
        name=row.name,
        login=row.login,
        email=row.email,
        is_owner=row.is_owner,
        active=row.active,
    )


def _stage(row: SalesStageRow) -> SalesStage:
    return SalesStage(
        id=row.id,
        name=row.name,
        position=row.position,
        kind=StageKind(row.kind),
        is_default=row.is_default,
        default_probability=row.default_probability,
        close_date_offset_days=row.close_date_offset_days,
    )


class UserRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self, *, active_only: bool = True) -> list[User]:
        query = select(UserRow).order_by(UserRow.name)
        if active_only:
            query = query.where(UserRow.active.is_(True))
        return [_user(row) for row in self._session.scalars(query)]

    def get(self, user_id: int) -> User:
        row = self._session.get(UserRow, user_id)
        if row is None:
            raise NotFoundError("That user is no longer a user of this database.")
        return _user(row)

    def by_login(self, login: str) -> User | None:
        row = self._session.scalars(
            select(UserRow).where(func.lower(UserRow.login) == login.lower())
        ).first()
        return None if row is None else _user(row)

    def add(self, name: str, login: str, email: str = "", *, is_owner: bool = False) -> User:
        row = UserRow(name=name, login=login, email=email, is_owner=is_owner, active=True)
        self._session.add(row)
        self._session.flush()
        return _user(row)

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(UserRow)) or 0)

    def update(
        self,
        user_id: int,
        *,
        name: str | None = None,
        email: str | None = None,
        active: bool | None = None,
    ) -> User:
        """Change the given fields of a user (a removed user is one with ``active`` off)."""
        row = self._session.get(UserRow, user_id)
        if row is None:
            raise NotFoundError("That user is no longer a user of this database.")
        if name is not None:
            row.name = name
        if email is not None:
            row.email = email
        if active is not None:
            row.active = active
        self._session.flush()
        return _user(row)

    def assigned_opportunities(self, user_id: int) -> int:
        """How many opportunities are assigned to ``user_id`` (Deleted Items not counted)."""
        query = (
            select(func.count())
            .select_from(OpportunityRow)
            .where(OpportunityRow.assigned_to_id == user_id)
        )
        return int(self._session.scalar(query) or 0)


class StageRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self) -> list[SalesStage]:
        rows = self._session.scalars(select(SalesStageRow).order_by(SalesStageRow.position))
        return [_stage(row) for row in rows]

    def get(self, stage_id: int) -> SalesStage:
        row = self._session.get(SalesStageRow, stage_id)
        if row is None:
            raise NotFoundError("That sales stage no longer exists. Choose another stage.")
        return _stage(row)

    def default(self) -> SalesStage | None:
        row = self._session.scalars(
            select(SalesStageRow).where(SalesStageRow.is_default.is_(True))
        ).first()
        return None if row is None else _stage(row)

    def of_kind(self, kind: StageKind) -> SalesStage | None:
        row = self._session.scalars(
            select(SalesStageRow)
            .where(SalesStageRow.kind == kind.value)
            .order_by(SalesStageRow.position)
        ).first()
        return None if row is None else _stage(row)

    def add(
        self,
        name: str,
        *,
        kind: StageKind = StageKind.OPEN,
        is_default: bool = False,
        default_probability: int | None = None,
        activities: list[tuple[str, int | None]] | None = None,
    ) -> SalesStage:
        position = (
            self._session.scalar(select(func.coalesce(func.max(SalesStageRow.position), 0))) or 0
        ) + 1
        row = SalesStageRow(
            name=name,
            kind=kind.value,
            position=position,
            is_default=is_default,
            default_probability=default_probability,
        )
        for index, (activity, duration) in enumerate(activities or [], start=1):
            row.activities.append(
                StageActivityRow(name=activity, position=index, duration_days=duration)
            )
        self._session.add(row)
        self._session.flush()
        return _stage(row)


class ListRepository:
    """Customizable list items (S-4)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def items(self, kind: ListKind) -> list[ListItem]:
        rows = self._session.scalars(
            select(ListItemRow)
            .where(ListItemRow.kind == kind.value, ListItemRow.active.is_(True))
            .order_by(ListItemRow.position)
        )
        return [ListItem(id=row.id, name=row.name, position=row.position) for row in rows]

    def add(self, kind: ListKind, name: str) -> ListItem:
        position = (
            self._session.scalar(
                select(func.coalesce(func.max(ListItemRow.position), 0)).where(
                    ListItemRow.kind == kind.value
                )
            )
            or 0
        ) + 1
        row = ListItemRow(kind=kind.value, name=name, position=position)
        self._session.add(row)
        self._session.flush()
        return ListItem(id=row.id, name=row.name, position=row.position)

    def kind_of(self, item_id: int) -> ListKind | None:
        kind = self._session.scalar(select(ListItemRow.kind).where(ListItemRow.id == item_id))
        return None if kind is None else ListKind(kind)

    # -- editing (S-4): the list editor's writes -------------------------------------------

    def get(self, item_id: int) -> tuple[ListKind, ListItem] | None:
        """The entry with its list, or ``None`` when there is no such entry."""
        row = self._session.get(ListItemRow, item_id)
        if row is None:
            return None
        return ListKind(row.kind), ListItem(id=row.id, name=row.name, position=row.position)

    def named(self, kind: ListKind, name: str) -> ListItem | None:
        """The entry of ``kind`` called ``name``, ignoring case (hidden entries too: the
        table's unique key covers them)."""
        folded = name.casefold()
        rows = self._session.scalars(select(ListItemRow).where(ListItemRow.kind == kind.value))
        row = next((r for r in rows if r.name.casefold() == folded), None)
        return None if row is None else ListItem(id=row.id, name=row.name, position=row.position)

    def rename(self, item_id: int, name: str) -> ListItem:
        row = self._row(item_id)
        row.name = name
        self._session.flush()
        return ListItem(id=row.id, name=row.name, position=row.position)

    def move(self, item_id: int, delta: int) -> bool:
        """Swap an entry with its neighbour in its list; False at either end."""
        row = self._row(item_id)
        rows = self._ordered(row.kind)
        index = next(i for i, r in enumerate(rows) if r.id == item_id)
        target = index + delta
        if delta == 0 or not 0 <= target < len(rows):
            return False
        rows.insert(target, rows.pop(index))
        self._renumber(rows)
        return True

    def usage(self, item_id: int) -> ListItemUsage:
        """How many records of each type use the entry, in any field that refers to lists."""
        counts: dict[str, int] = {}
        for table, columns in list_item_references():
            count = self._session.scalar(
                select(func.count()).select_from(table).where(or_(*(c == item_id for c in columns)))
            )
            if count:
                counts[table.name] = int(count)
        return ListItemUsage(counts)

    def remove(self, item_id: int, replacement_id: int | None, now: datetime) -> int:
        """Give every record using the entry ``replacement_id`` (or blank), then delete it.

        One UPDATE per referencing table, so a million records never pass through Python;
        each changed record gets a new version and modification time, so a form holding the
        old values meets "changed elsewhere" instead of writing the removed entry back.
        Returns the number of records changed.
        """
        row = self._row(item_id)
        kind = row.kind
        changed = 0
        for table, columns in list_item_references():
            values: dict[str, Any] = {
                c.name: case((c == item_id, literal(replacement_id, Integer)), else_=c)
                for c in columns
            }
            if "version" in table.c:
                values["version"] = table.c.version + 1
            if "modified_at" in table.c:
                values["modified_at"] = now
            result = self._session.execute(
                update(table)
                .where(or_(*(c == item_id for c in columns)))
                .values(values)
                .execution_options(synchronize_session=False)
            )
            changed += int(getattr(result, "rowcount", 0) or 0)
        self._session.delete(row)
        self._session.flush()
        self._renumber(self._ordered(kind))
        return changed

    def _row(self, item_id: int) -> ListItemRow:
        row = self._session.get(ListItemRow, item_id)
        if row is None:
            raise NotFoundError(LIST_ITEM_GONE)
        return row

    def _ordered(self, kind: str) -> list[ListItemRow]:
        return list(
            self._session.scalars(
                select(ListItemRow)
                .where(ListItemRow.kind == kind, ListItemRow.active.is_(True))
                .order_by(ListItemRow.position, ListItemRow.id)
            )
        )

    def _renumber(self, rows: list[ListItemRow]) -> None:
        """Dense positions 1..n in the given order (only rows whose position changes)."""
        for position, row in enumerate(rows, start=1):
            if row.position != position:
                row.position = position
        self._session.flush()


LIST_ITEM_GONE = "That list entry no longer exists. Close the list editor and open it again."
_NAME_TYPE = ListItemRow.__table__.c.name.type
assert isinstance(_NAME_TYPE, String) and _NAME_TYPE.length is not None
LIST_ITEM_NAME_LENGTH: int = _NAME_TYPE.length  # the editor refuses longer names up front


def list_item_references() -> list[tuple[Table, list[Column[Any]]]]:
    """Every table with columns referring to ``list_items.id``, found from the schema, so a
    table added later is covered without touching the list editor."""
    target = ListItemRow.__table__.c.id
    found: list[tuple[Table, list[Column[Any]]]] = []
    for table in Base.metadata.sorted_tables:
        columns = [
            column
            for column in table.columns
            if any(key.column is target for key in column.foreign_keys)
        ]
        if columns:
            found.append((table, columns))
    return found


class CategoryRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self) -> list[Category]:
        rows = self._session.scalars(select(CategoryRow).order_by(func.lower(CategoryRow.name)))
        return [Category(row.id, row.name, row.color) for row in rows]

    def get(self, category_id: int) -> Category:
        row = self._session.get(CategoryRow, category_id)
        if row is None:
            raise NotFoundError("That category no longer exists.")
        return Category(row.id, row.name, row.color)

    def by_name(self, name: str) -> Category | None:
        row = self._session.scalars(
            select(CategoryRow).where(func.lower(CategoryRow.name) == name.lower())
        ).first()
        return None if row is None else Category(row.id, row.name, row.color)

    def add(self, name: str, color: str = "") -> Category:
        row = CategoryRow(name=name, color=color)
        self._session.add(row)
        self._session.flush()
        return Category(row.id, row.name, row.color)

    def update(self, category_id: int, name: str, color: str) -> Category:
        """Rename a category and/or change its colour."""
        row = self._session.get(CategoryRow, category_id)
        if row is None:
            raise NotFoundError("That category no longer exists.")
        row.name, row.color = name, color
        self._session.flush()
        return Category(row.id, row.name, row.color)

    def remove(self, category_id: int) -> None:
        """Delete a category; the records keep everything else (the links cascade)."""
        self._session.execute(
            delete(OpportunityCategoryRow).where(OpportunityCategoryRow.category_id == category_id)
        )
        row = self._session.get(CategoryRow, category_id)
        if row is None:
            raise NotFoundError("That category no longer exists.")
        self._session.delete(row)
        self._session.flush()

    def of_opportunity(self, opportunity_id: int) -> list[Category]:
        rows = self._session.scalars(
            select(CategoryRow)
            .join(OpportunityCategoryRow, OpportunityCategoryRow.category_id == CategoryRow.id)
            .where(OpportunityCategoryRow.opportunity_id == opportunity_id)
            .order_by(func.lower(CategoryRow.name))
        )
        return [Category(row.id, row.name, row.color) for row in rows]

    def set_for_opportunity(self, opportunity_id: int, category_ids: list[int]) -> None:
        self._session.execute(
            delete(OpportunityCategoryRow).where(
                OpportunityCategoryRow.opportunity_id == opportunity_id
            )
        )
        for category_id in dict.fromkeys(category_ids):
            self._session.add(
                OpportunityCategoryRow(opportunity_id=opportunity_id, category_id=category_id)
            )
        self._session.flush()


class SettingsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, key: str, default: str = "") -> str:
        row = self._session.get(SettingRow, key)
        return default if row is None else row.value

    def set(self, key: str, value: str) -> None:
        self._session.merge(SettingRow(key=key, value=value))


class RecordNames:
    """Display names of linkable records, and whether they exist."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def link_name(self, ref: RecordRef) -> str:
        if ref.kind is LinkKind.ACCOUNT:
            name = self._session.scalar(select(AccountRow.name).where(AccountRow.id == ref.id))
            what = "account"
        else:
            name = self._session.scalar(select(ContactRow.full_name).where(ContactRow.id == ref.id))
            what = "business contact"
        if name is None:
            raise NotFoundError(f"The linked {what} no longer exists. Choose another link.")
        return name

    def initiator_exists(self, ref: InitiatorRef) -> bool:
        table: type[Base] | None = {
            InitiatorKind.ACCOUNT: AccountRow,
            InitiatorKind.CONTACT: ContactRow,
            InitiatorKind.MARKETING: MarketingActivityRow,
        }.get(ref.kind)
        if table is None:  # an opportunity cannot initiate an opportunity
            return False
        return self._session.get(table, ref.id) is not None

    def add_account(self, name: str, **fields: str) -> int:
        row = AccountRow(name=name, **fields)
        self._session.add(row)
        self._session.flush()
        return row.id

    def add_contact(
        self, first_name: str, last_name: str, account_id: int | None = None, **fields: str
    ) -> int:
        full_name = f"{first_name} {last_name}".strip()
        row = ContactRow(
            first_name=first_name,
            last_name=last_name,
            full_name=full_name,
            account_id=account_id,
            **fields,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def add_marketing_activity(self, name: str) -> int:
        row = MarketingActivityRow(name=name)
        self._session.add(row)
        self._session.flush()
        return row.id


def _line_from_row(row: OpportunityLineRow) -> OpportunityLine:
    return OpportunityLine(
        id=row.id,
        product_id=row.product_id,
        item_name=row.item_name,
        description=row.description,
        unit_cost=from_cents(row.unit_cost_cents),
        unit_price=from_cents(row.unit_price_cents),
        quantity=Decimal(row.quantity_milli).scaleb(-3),
        discount_percent=(Decimal(row.discount_percent_bp) / 100).quantize(Decimal("0.01")),
        discount_amount=from_cents(row.discount_amount_cents),
        taxable=row.taxable,
    )


def _line_to_row(line: OpportunityLine, position: int) -> OpportunityLineRow:
    markup = line.markup_percent
    return OpportunityLineRow(
        position=position,
        product_id=line.product_id,
        item_name=line.item_name,
        description=line.description,
        unit_cost_cents=to_cents(line.unit_cost),
        unit_price_cents=to_cents(line.unit_price),
        quantity_milli=int(line.quantity * 1000),
        discount_percent_bp=int(line.discount_percent * 100),
        discount_amount_cents=to_cents(line.discount),
        markup_percent_bp=None if markup is None else int(markup * 100),
        taxable=line.taxable,
        line_total_cents=to_cents(line.line_total),
    )


def _initiator(row: OpportunityRow) -> InitiatorRef | None:
    if row.initiated_by_account_id is not None:
        return InitiatorRef(InitiatorKind.ACCOUNT, row.initiated_by_account_id)
    if row.initiated_by_contact_id is not None:
        return InitiatorRef(InitiatorKind.CONTACT, row.initiated_by_contact_id)
    if row.initiated_by_marketing_id is not None:
        return InitiatorRef(InitiatorKind.MARKETING, row.initiated_by_marketing_id)
    return None


class OpportunityRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, opportunity_id: int) -> OpportunityRow:
        row = self._session.get(OpportunityRow, opportunity_id)
        if row is None:
            raise NotFoundError("This opportunity no longer exists: it was deleted.")
        return row

    def get(self, opportunity_id: int) -> Opportunity:
        row = self._row(opportunity_id)
        link = (
            RecordRef(LinkKind.ACCOUNT, row.link_account_id)
            if row.link_account_id is not None
            else RecordRef(LinkKind.CONTACT, row.link_contact_id)
            if row.link_contact_id is not None
            else None
        )
        return Opportunity(
            id=row.id,
            version=row.version,
            title=row.title,
            link=link,
            probability=row.probability,
            assigned_to_id=row.assigned_to_id,
            type_id=row.type_id,
            payment_terms_id=row.payment_terms_id,
            source_id=row.source_id,
            close_date=row.close_date,
            expiration_date=row.expiration_date,
            delivery_date=row.delivery_date,
            initiated_by=_initiator(row),
            competitors=row.competitors,
            stage_id=row.stage_id,
            stage_entered_at=row.stage_entered_at,
            status=StageKind(row.status),
            actual_close_date=row.actual_close_date,
            reminder_at=row.reminder_at,
            comments=row.comments,
            lines=[_line_from_row(line) for line in row.lines],
            created_at=row.created_at,
            modified_at=row.modified_at,
            activities=stage_activities(
                self._session, row.id, row.stage_id, entered_day(row.stage_entered_at)
            ),
        )

    def _write(self, row: OpportunityRow, opp: Opportunity, link_name: str) -> None:
        assert opp.link is not None
        row.title = opp.title
        row.assigned_to_id = opp.assigned_to_id
        row.type_id = opp.type_id
        row.payment_terms_id = opp.payment_terms_id
        row.source_id = opp.source_id
        row.link_account_id = opp.link.id if opp.link.kind is LinkKind.ACCOUNT else None
        row.link_contact_id = opp.link.id if opp.link.kind is LinkKind.CONTACT else None
        row.link_name = link_name
        row.probability = opp.probability
        row.products_total_cents = to_cents(opp.products_total)
        row.expected_revenue_cents = to_cents(opp.expected_revenue)
        row.close_date = opp.close_date
        row.expiration_date = opp.expiration_date
        row.delivery_date = opp.delivery_date
        initiator = opp.initiated_by
        row.initiated_by_account_id = (
            initiator.id if initiator and initiator.kind is InitiatorKind.ACCOUNT else None
        )
        row.initiated_by_contact_id = (
            initiator.id if initiator and initiator.kind is InitiatorKind.CONTACT else None
        )
        row.initiated_by_marketing_id = (
            initiator.id if initiator and initiator.kind is InitiatorKind.MARKETING else None
        )
        row.competitors = opp.competitors
        row.stage_id = opp.stage_id
        row.stage_entered_at = opp.stage_entered_at
        row.status = opp.status.value
        row.actual_close_date = opp.actual_close_date
        row.reminder_at = opp.reminder_at
        row.comments = opp.comments
        row.lines = [_line_to_row(line, index) for index, line in enumerate(opp.lines, 1)]

    def add(self, opp: Opportunity, link_name: str) -> int:
        row = OpportunityRow()
        self._write(row, opp, link_name)
        self._session.add(row)
        self._session.flush()
        save_activities(self._session, row.id, opp)
        return row.id

    def update(self, opp: Opportunity, link_name: str) -> None:
        """Write ``opp`` over the stored row, unless the row changed since ``opp.version``."""
        assert opp.id is not None
        row = self._row(opp.id)
        check_version(row.title, row.version, opp.version)
        with self._session.no_autoflush:  # one UPDATE, one version step
            self._write(row, opp, link_name)
            row.modified_at = utcnow()  # lines-only edits must still bump the version
        self._session.flush()
        save_activities(self._session, row.id, opp)

    def delete(self, opportunity_id: int, expected_version: int) -> None:
        row = self._row(opportunity_id)
        check_version(row.title, row.version, expected_version)
        self._session.delete(row)
        self._session.flush()


class StageHistoryRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        opportunity_id: int,
        from_stage: SalesStage | None,
        to_stage: SalesStage | None,
        by_user_id: int | None,
        note: str = "",
        when: datetime | None = None,
    ) -> None:
        self._session.add(
            StageHistoryRow(
                opportunity_id=opportunity_id,
                from_stage_id=from_stage.id if from_stage else None,
                to_stage_id=to_stage.id if to_stage else None,
                from_stage_name=from_stage.name if from_stage else "",
                to_stage_name=to_stage.name if to_stage else "",
                changed_by_id=by_user_id,
                changed_at=when or utcnow(),
                note=note,
            )
        )
        self._session.flush()

    def for_opportunity(self, opportunity_id: int) -> list[StageChange]:
        rows = self._session.scalars(
            select(StageHistoryRow)
            .where(StageHistoryRow.opportunity_id == opportunity_id)
            .order_by(StageHistoryRow.changed_at, StageHistoryRow.id)
        )
        return [
            StageChange(
                from_stage_id=row.from_stage_id,
                to_stage_id=row.to_stage_id,
                from_stage_name=row.from_stage_name,
                to_stage_name=row.to_stage_name,
                changed_at=row.changed_at,
                changed_by_id=row.changed_by_id,
                note=row.note,
            )
            for row in rows
        ]
