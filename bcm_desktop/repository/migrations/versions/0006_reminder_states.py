"""Reminders: dismissed and snoozed states per user, and the partial indexes of the due queries.

The reminder queries run every 30 seconds against up to a million opportunities, so each is
served by a partial index holding only the rows that can ever remind: opportunities with a
reminder that are open, open opportunities by stage and stage-entry time (activities with a
duration), and tasks with a reminder that are not completed. Whether a record completed an
activity is looked up by (opportunity, activity).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OPPORTUNITY_REMINDER_WHERE = "reminder_at IS NOT NULL AND status = 'open'"
OPEN_STAGE_WHERE = "stage_entered_at IS NOT NULL AND status = 'open'"
TASK_REMINDER_WHERE = "reminder_at IS NOT NULL AND kind = 'task' AND status <> 'completed'"


def _where(condition: str) -> dict[str, sa.TextClause]:
    return {"sqlite_where": sa.text(condition), "postgresql_where": sa.text(condition)}


def upgrade() -> None:
    op.create_table(
        "reminder_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("basis_entered_at", sa.DateTime(), nullable=True),
        sa.Column("basis_days", sa.Integer(), nullable=True),
        sa.Column("dismissed", sa.Boolean(), nullable=False),
        sa.Column("snoozed_until", sa.DateTime(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('opportunity', 'activity', 'task')", name=op.f("ck_reminder_states_kind")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_reminder_states_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_states")),
        sa.UniqueConstraint(
            "user_id",
            "kind",
            "source_id",
            "record_id",
            "due_at",
            name=op.f("uq_reminder_states_user_id_kind_source_id_record_id_due_at"),
        ),
    )
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_opportunities_reminder_due",
            ["assigned_to_id", "reminder_at"],
            unique=False,
            **_where(OPPORTUNITY_REMINDER_WHERE),
        )
        batch_op.create_index(
            "ix_opportunities_open_stage_entered",
            ["stage_id", "stage_entered_at"],
            unique=False,
            **_where(OPEN_STAGE_WHERE),
        )
    with op.batch_alter_table("opportunity_activities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opportunity_activities_opportunity_id_stage_activity_id"),
            ["opportunity_id", "stage_activity_id"],
            unique=False,
        )
    with op.batch_alter_table("history_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_history_items_task_reminder_due",
            ["assigned_to_id", "reminder_at"],
            unique=False,
            **_where(TASK_REMINDER_WHERE),
        )


def downgrade() -> None:
    with op.batch_alter_table("history_items", schema=None) as batch_op:
        batch_op.drop_index("ix_history_items_task_reminder_due")
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_index("ix_opportunities_open_stage_entered")
        batch_op.drop_index("ix_opportunities_reminder_due")
    with op.batch_alter_table("opportunity_activities", schema=None) as batch_op:
        batch_op.drop_index(
            batch_op.f("ix_opportunity_activities_opportunity_id_stage_activity_id")
        )
    op.drop_table("reminder_states")
