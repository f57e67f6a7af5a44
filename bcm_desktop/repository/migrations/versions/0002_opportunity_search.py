"""Full-text search over opportunity titles, linked names and competitors (SQLite FTS5).

An external-content FTS5 table indexes three columns of ``opportunities`` and is kept in step
by triggers; ``UPDATE OF`` limits the update trigger to those columns, so bulk assigning or
closing never touches the index. Other databases search with LIKE (see queries.py).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TRIGGERS = {
    "opportunities_fts_insert": """
        CREATE TRIGGER opportunities_fts_insert AFTER INSERT ON opportunities BEGIN
            INSERT INTO opportunities_fts(rowid, title, link_name, competitors)
            VALUES (new.id, new.title, new.link_name, new.competitors);
        END""",
    "opportunities_fts_delete": """
        CREATE TRIGGER opportunities_fts_delete AFTER DELETE ON opportunities BEGIN
            INSERT INTO opportunities_fts(opportunities_fts, rowid, title, link_name, competitors)
            VALUES ('delete', old.id, old.title, old.link_name, old.competitors);
        END""",
    "opportunities_fts_update": """
        CREATE TRIGGER opportunities_fts_update
        AFTER UPDATE OF title, link_name, competitors ON opportunities BEGIN
            INSERT INTO opportunities_fts(opportunities_fts, rowid, title, link_name, competitors)
            VALUES ('delete', old.id, old.title, old.link_name, old.competitors);
            INSERT INTO opportunities_fts(rowid, title, link_name, competitors)
            VALUES (new.id, new.title, new.link_name, new.competitors);
        END""",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE opportunities_fts USING fts5("
        "title, link_name, competitors, content='opportunities', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    for sql in TRIGGERS.values():
        op.execute(sql)
    op.execute("INSERT INTO opportunities_fts(opportunities_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS opportunities_fts")
