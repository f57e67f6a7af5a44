"""(column, id) indexes for sorting the Marketing Activities list.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = (
    "type_id",
    "status",
    "start_date",
    "end_date",
    "budgeted_cost_cents",
    "actual_cost_cents",
    "campaign_code",
    "modified_at",
)


def upgrade() -> None:
    with op.batch_alter_table("marketing_activities", schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.create_index(
                batch_op.f(f"ix_marketing_activities_{column}_id"), [column, "id"], unique=False
            )


def downgrade() -> None:
    with op.batch_alter_table("marketing_activities", schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_index(batch_op.f(f"ix_marketing_activities_{column}_id"))
