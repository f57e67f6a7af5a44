"""Deleted Items: deleted records kept with a JSON snapshot of their rows until restored.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deleted_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=511), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_by_id", sa.Integer(), nullable=True),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deleted_by_id"],
            ["users.id"],
            name=op.f("fk_deleted_items_deleted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deleted_items")),
    )
    with op.batch_alter_table("deleted_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deleted_items_deleted_at_id"), ["deleted_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("deleted_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deleted_items_deleted_at_id"))
    op.drop_table("deleted_items")
