"""The database schema as SQLAlchemy 2 declarative tables.

Money columns hold integer cents (``*_cents``), quantities thousandths (``*_milli``) and
percentages with decimals hundredths of a percent (``*_bp``). Every editable record carries
``created_at``, ``modified_at`` (UTC) and a ``version`` counter for optimistic locking.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: SQLite keeps no time zone, PostgreSQL need not."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# Names sort and compare case-insensitively in lists. On SQLite the column's NOCASE
# collation lets the (name, id) indexes serve ORDER BY directly; other databases keep their
# default collation (a case-insensitive one can be chosen there when the server is set up).
NameText = String(511).with_variant(String(511, collation="NOCASE"), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


# The conditions of the partial indexes that serve the reminder queries (migration 0006).
# The queries repeat them word for word (see repository/reminders.py): SQLite uses a
# partial index only when the query's WHERE clause contains its condition.
OPEN_STATUS: ColumnClause[str] = literal_column("'open'", String)
TASK_KIND: ColumnClause[str] = literal_column("'task'", String)
COMPLETED_STATUS: ColumnClause[str] = literal_column("'completed'", String)
OPPORTUNITY_REMINDER_WHERE = "reminder_at IS NOT NULL AND status = 'open'"
OPEN_STAGE_WHERE = "stage_entered_at IS NOT NULL AND status = 'open'"
TASK_REMINDER_WHERE = "reminder_at IS NOT NULL AND kind = 'task' AND status <> 'completed'"


def partial_index(name: str, where: str, *columns: str) -> Index:
    """An index over the rows matching ``where`` only (SQLite and PostgreSQL alike)."""
    return Index(name, *columns, sqlite_where=text(where), postgresql_where=text(where))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: dict[Any, Any] = {datetime: UtcDateTime, date: Date}


class Audited:
    """Creation and modification times plus the optimistic-locking version."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # Every ORM UPDATE and DELETE checks the version it read (StaleDataError otherwise).
        return {"version_id_col": cls.version}


class UserRow(Base, Audited):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    login: Mapped[str] = mapped_column(String(255), unique=True)
    email: Mapped[str] = mapped_column(String(255), default="")
    is_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CategoryRow(Base, Audited):
    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    color: Mapped[str] = mapped_column(String(16), default="")


class ListItemRow(Base, Audited):
    """An entry of a customizable list (S-4): Type, Payment terms, Source and others."""

    __tablename__ = "list_items"
    __table_args__ = (UniqueConstraint("kind", "name"), Index(None, "kind", "position"))
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SettingRow(Base):
    """Database-wide settings shared by every user (e.g. activity reminders on or off)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AccountRow(Base, Audited):
    __tablename__ = "accounts"
    # The sortable columns of the Accounts list (the name index already ends in the id).
    __table_args__ = (
        Index(None, "phone", "id"),
        Index(None, "email", "id"),
        Index(None, "city", "id"),
        Index(None, "modified_at", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NameText, index=True)
    phone: Mapped[str] = mapped_column(String(64), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    web_page: Mapped[str] = mapped_column(String(255), default="")
    street: Mapped[str] = mapped_column(String(255), default="")
    postal_code: Mapped[str] = mapped_column(String(32), default="")
    city: Mapped[str] = mapped_column(String(255), default="")
    country: Mapped[str] = mapped_column(String(255), default="")
    assigned_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    comments: Mapped[str] = mapped_column(Text, default="")


class ContactRow(Base, Audited):
    """A business contact, optionally working for an account."""

    __tablename__ = "business_contacts"
    # The sortable columns of the Business Contacts list (full_name's index ends in the id).
    __table_args__ = (
        Index(None, "job_title", "id"),
        Index(None, "business_phone", "id"),
        Index(None, "email", "id"),
        Index(None, "city", "id"),
        Index(None, "modified_at", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(255), default="")
    last_name: Mapped[str] = mapped_column(String(255), default="")
    full_name: Mapped[str] = mapped_column(NameText, index=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    job_title: Mapped[str] = mapped_column(String(255), default="")
    business_phone: Mapped[str] = mapped_column(String(64), default="")
    mobile_phone: Mapped[str] = mapped_column(String(64), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    web_page: Mapped[str] = mapped_column(String(255), default="")
    street: Mapped[str] = mapped_column(String(255), default="")
    postal_code: Mapped[str] = mapped_column(String(32), default="")
    city: Mapped[str] = mapped_column(String(255), default="")
    country: Mapped[str] = mapped_column(String(255), default="")
    assigned_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    comments: Mapped[str] = mapped_column(Text, default="")


class ProductRow(Base, Audited):
    """An item of the Products and services catalog."""

    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    unit_cost_cents: Mapped[int] = mapped_column(Integer, default=0)
    unit_price_cents: Mapped[int] = mapped_column(Integer, default=0)
    taxable: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SalesStageRow(Base, Audited):
    __tablename__ = "sales_stages"
    __table_args__ = (
        CheckConstraint("kind IN ('open', 'won', 'lost')", name="kind"),
        CheckConstraint(
            "default_probability IS NULL OR default_probability BETWEEN 0 AND 100",
            name="default_probability",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    position: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(8), default="open")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    default_probability: Mapped[int | None] = mapped_column(Integer)
    close_date_offset_days: Mapped[int | None] = mapped_column(Integer)
    activities: Mapped[list[StageActivityRow]] = relationship(
        back_populates="stage",
        order_by="StageActivityRow.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class StageActivityRow(Base, Audited):
    """A sales activity template: a step of a stage (S-5)."""

    __tablename__ = "stage_activities"
    __table_args__ = (Index(None, "stage_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("sales_stages.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer)
    duration_days: Mapped[int | None] = mapped_column(Integer)
    reminder: Mapped[bool] = mapped_column(Boolean, default=False)
    stage: Mapped[SalesStageRow] = relationship(back_populates="activities")


class MarketingActivityRow(Base, Audited):
    __tablename__ = "marketing_activities"
    # (column, id) pairs: the Marketing Activities list sorts on these (migration 0004).
    __table_args__ = tuple(
        Index(None, column, "id")
        for column in (
            "type_id",
            "status",
            "start_date",
            "end_date",
            "budgeted_cost_cents",
            "actual_cost_cents",
            "campaign_code",
            "modified_at",
        )
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    type_id: Mapped[int | None] = mapped_column(ForeignKey("list_items.id", ondelete="SET NULL"))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    budgeted_cost_cents: Mapped[int] = mapped_column(Integer, default=0)
    actual_cost_cents: Mapped[int] = mapped_column(Integer, default=0)
    campaign_code: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comments: Mapped[str] = mapped_column(Text, default="")


class OpportunityRow(Base, Audited):
    """A sales opportunity.

    ``link_name`` copies the linked account's or contact's display name and ``status`` the
    stage's kind, so the workspace can sort and filter a million rows on an index; the services
    keep both in step. ``products_total_cents`` and ``expected_revenue_cents`` are stored for
    the same reason and recomputed with every line or probability change.
    """

    __tablename__ = "opportunities"
    __table_args__ = (
        CheckConstraint(
            "(link_account_id IS NULL) <> (link_contact_id IS NULL)", name="exactly_one_link"
        ),
        CheckConstraint(
            "(CASE WHEN initiated_by_account_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN initiated_by_contact_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN initiated_by_marketing_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name="at_most_one_initiator",
        ),
        CheckConstraint("probability BETWEEN 0 AND 100", name="probability"),
        CheckConstraint("status IN ('open', 'won', 'lost')", name="status"),
        Index(None, "title", "id"),
        Index(None, "link_name", "id"),
        Index(None, "assigned_to_id", "id"),
        Index(None, "stage_id", "id"),
        Index(None, "probability", "id"),
        Index(None, "expected_revenue_cents", "id"),
        Index(None, "close_date", "id"),
        Index(None, "type_id", "id"),
        Index(None, "source_id", "id"),
        Index(None, "modified_at", "id"),
        Index(None, "status", "id"),
        Index(None, "link_account_id"),
        Index(None, "link_contact_id"),
        Index(None, "initiated_by_marketing_id"),
        # Reminders (migration 0006): a user's due reminders, and open records by stage
        # entry for the reminders of activities with a duration.
        partial_index(
            "ix_opportunities_reminder_due",
            OPPORTUNITY_REMINDER_WHERE,
            "assigned_to_id",
            "reminder_at",
        ),
        partial_index(
            "ix_opportunities_open_stage_entered",
            OPEN_STAGE_WHERE,
            # Not led by assigned_to_id: every bulk reassignment would move each entry (0.25 s
            # more per 50,000 open records). The reminder check filters the assignee instead.
            "stage_id",
            "stage_entered_at",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(NameText)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    type_id: Mapped[int | None] = mapped_column(ForeignKey("list_items.id", ondelete="SET NULL"))
    link_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="RESTRICT")
    )
    link_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("business_contacts.id", ondelete="RESTRICT")
    )
    link_name: Mapped[str] = mapped_column(NameText, default="")
    probability: Mapped[int] = mapped_column(Integer, default=0)
    products_total_cents: Mapped[int] = mapped_column(Integer, default=0)
    expected_revenue_cents: Mapped[int] = mapped_column(Integer, default=0)
    close_date: Mapped[date | None]
    payment_terms_id: Mapped[int | None] = mapped_column(
        ForeignKey("list_items.id", ondelete="SET NULL")
    )
    expiration_date: Mapped[date | None]
    delivery_date: Mapped[date | None]
    source_id: Mapped[int | None] = mapped_column(ForeignKey("list_items.id", ondelete="SET NULL"))
    initiated_by_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    initiated_by_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("business_contacts.id", ondelete="SET NULL")
    )
    initiated_by_marketing_id: Mapped[int | None] = mapped_column(
        ForeignKey("marketing_activities.id", ondelete="SET NULL")
    )
    competitors: Mapped[str] = mapped_column(Text, default="")
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("sales_stages.id", ondelete="SET NULL"))
    stage_entered_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(8), default="open")
    actual_close_date: Mapped[date | None]
    reminder_at: Mapped[datetime | None]
    comments: Mapped[str] = mapped_column(Text, default="")
    lines: Mapped[list[OpportunityLineRow]] = relationship(
        order_by="OpportunityLineRow.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class OpportunityLineRow(Base):
    """A line of an opportunity's Products and services."""

    __tablename__ = "opportunity_lines"
    __table_args__ = (
        Index(None, "opportunity_id", "position"),
        CheckConstraint("quantity_milli >= 0", name="quantity"),
        CheckConstraint("discount_percent_bp BETWEEN 0 AND 10000", name="discount_percent"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    item_name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    unit_cost_cents: Mapped[int] = mapped_column(Integer, default=0)
    unit_price_cents: Mapped[int] = mapped_column(Integer, default=0)
    quantity_milli: Mapped[int] = mapped_column(Integer, default=1000)
    discount_percent_bp: Mapped[int] = mapped_column(Integer, default=0)
    discount_amount_cents: Mapped[int] = mapped_column(Integer, default=0)
    markup_percent_bp: Mapped[int | None] = mapped_column(Integer)
    taxable: Mapped[bool] = mapped_column(Boolean, default=False)
    line_total_cents: Mapped[int] = mapped_column(Integer, default=0)


class OpportunityActivityRow(Base, Audited):
    """A stage activity as it applies to one opportunity: completed or not, with a due date."""

    __tablename__ = "opportunity_activities"
    __table_args__ = (
        Index(None, "opportunity_id", "position"),
        # Whether a record completed an activity (the reminder query asks per record).
        Index(None, "opportunity_id", "stage_activity_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"))
    stage_activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("stage_activities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer)
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    due_date: Mapped[date | None]


class OpportunityCategoryRow(Base):
    __tablename__ = "opportunity_categories"
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AccountCategoryRow(Base):
    __tablename__ = "account_categories"
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ContactCategoryRow(Base):
    __tablename__ = "contact_categories"
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("business_contacts.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class StageHistoryRow(Base):
    """One stage change of an opportunity: from, to, when and by whom.

    Stage names are copied so the history still reads right after a stage is renamed or
    deleted.
    """

    __tablename__ = "stage_history"
    __table_args__ = (Index(None, "opportunity_id", "changed_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"))
    from_stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("sales_stages.id", ondelete="SET NULL")
    )
    to_stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("sales_stages.id", ondelete="SET NULL")
    )
    from_stage_name: Mapped[str] = mapped_column(String(255), default="")
    to_stage_name: Mapped[str] = mapped_column(String(255), default="")
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(255), default="")


class BusinessProjectRow(Base, Audited):
    __tablename__ = "business_projects"
    __table_args__ = (
        CheckConstraint(
            "(link_account_id IS NULL) <> (link_contact_id IS NULL)", name="exactly_one_link"
        ),
        CheckConstraint(
            "percent_complete IS NULL OR percent_complete BETWEEN 0 AND 100",
            name="percent_complete",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    assigned_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    project_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("list_items.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default="not_started", index=True)
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    start_date: Mapped[date | None]
    due_date: Mapped[date | None]
    percent_complete: Mapped[int | None] = mapped_column(Integer)
    link_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="RESTRICT"), index=True
    )
    link_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("business_contacts.id", ondelete="RESTRICT"), index=True
    )
    opportunity_id: Mapped[int | None] = mapped_column(
        ForeignKey("opportunities.id", ondelete="SET NULL"), index=True
    )
    comments: Mapped[str] = mapped_column(Text, default="")


class ProjectAccountRow(Base):
    __tablename__ = "project_accounts"
    project_id: Mapped[int] = mapped_column(
        ForeignKey("business_projects.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProjectContactRow(Base):
    __tablename__ = "project_contacts"
    project_id: Mapped[int] = mapped_column(
        ForeignKey("business_projects.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("business_contacts.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProjectTaskRow(Base, Audited):
    __tablename__ = "project_tasks"
    __table_args__ = (
        Index(None, "project_id", "position"),
        CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent_complete"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("business_projects.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer)
    assigned_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    start_date: Mapped[date | None]
    due_date: Mapped[date | None]
    percent_complete: Mapped[int] = mapped_column(Integer, default=0)
    comments: Mapped[str] = mapped_column(Text, default="")


class ProjectTemplateRow(Base, Audited):
    __tablename__ = "project_templates"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)


class ProjectTemplateTaskRow(Base):
    __tablename__ = "project_template_tasks"
    __table_args__ = (Index(None, "template_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("project_templates.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer)
    start_offset_days: Mapped[int] = mapped_column(Integer, default=0)
    duration_days: Mapped[int] = mapped_column(Integer, default=1)


class HistoryItemRow(Base, Audited):
    """A communication history item of any of the six kinds (S-8).

    An item linked to an opportunity shows in the history of the opportunity's account or
    contact through a join at read time, so changing the opportunity's link moves it too.
    """

    __tablename__ = "history_items"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('note', 'phone_log', 'task', 'email', 'appointment', 'file')", name="kind"
        ),
        Index(None, "opportunity_id", "occurred_at"),
        Index(None, "account_id", "occurred_at"),
        Index(None, "contact_id", "occurred_at"),
        Index(None, "project_id", "occurred_at"),
        partial_index(
            "ix_history_items_task_reminder_due",
            TASK_REMINDER_WHERE,
            "assigned_to_id",
            "reminder_at",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    # phone log
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    direction: Mapped[str | None] = mapped_column(String(8))
    # task
    due_date: Mapped[date | None]
    status: Mapped[str | None] = mapped_column(String(16))
    priority: Mapped[str | None] = mapped_column(String(8))
    percent_complete: Mapped[int | None] = mapped_column(Integer)
    reminder_at: Mapped[datetime | None]
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # e-mail
    email_from: Mapped[str] = mapped_column(String(1000), default="")
    email_to: Mapped[str] = mapped_column(String(4000), default="")
    # appointment
    location: Mapped[str] = mapped_column(String(255), default="")
    end_at: Mapped[datetime | None]
    attendees: Mapped[str] = mapped_column(String(4000), default="")
    # file (content in history_files so lists never load it)
    file_name: Mapped[str] = mapped_column(String(255), default="")
    file_size: Mapped[int | None] = mapped_column(Integer)
    # links
    opportunity_id: Mapped[int | None] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE")
    )
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("business_contacts.id", ondelete="CASCADE")
    )
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("business_projects.id", ondelete="CASCADE")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class HistoryFileRow(Base):
    """The stored content of a File history item."""

    __tablename__ = "history_files"
    history_id: Mapped[int] = mapped_column(
        ForeignKey("history_items.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DeletedItemRow(Base):
    """A deleted record kept in Deleted Items until it is restored or deleted permanently.

    ``snapshot`` is JSON holding every row that went with the record (for an opportunity: its
    lines, activities, category links, stage history, history items and their files), so a
    restore puts them back with their original ids.
    """

    __tablename__ = "deleted_items"
    __table_args__ = (Index(None, "deleted_at", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(511), default="")
    deleted_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    snapshot: Mapped[str] = mapped_column(Text)


class ReminderStateRow(Base):
    """A user's dismissed or snoozed reminder, kept so it survives a restart.

    The key is the reminder's source and the time it was due: a record given a new reminder
    time has a new reminder, which no old state hides. For an activity the due time is
    computed from when the record entered its stage and the activity's duration, so those two
    are kept as well (``basis_entered_at``, ``basis_days``) and matched in SQL.
    """

    __tablename__ = "reminder_states"
    __table_args__ = (
        CheckConstraint("kind IN ('opportunity', 'activity', 'task')", name="kind"),
        UniqueConstraint("user_id", "kind", "source_id", "record_id", "due_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int] = mapped_column(Integer)
    record_id: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime]
    basis_entered_at: Mapped[datetime | None]
    basis_days: Mapped[int | None] = mapped_column(Integer)
    dismissed: Mapped[bool] = mapped_column(Boolean, default=False)
    snoozed_until: Mapped[datetime | None]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
