"""Indexes for sorting the Accounts and Business Contacts lists by each of their columns.

Each is ``(column, id)``, the order the record lists page in, so a sort reads the index
instead of sorting the table. Adding indexes only: no table is rebuilt.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = {
    "accounts": ["phone", "email", "city", "modified_at"],
    "business_contacts": ["job_title", "business_phone", "email", "city", "modified_at"],
}


def upgrade() -> None:
    for table, columns in INDEXES.items():
        for column in columns:
            op.create_index(f"ix_{table}_{column}_id", table, [column, "id"], unique=False)


def downgrade() -> None:
    for table, columns in INDEXES.items():
        for column in columns:
            op.drop_index(f"ix_{table}_{column}_id", table_name=table)
