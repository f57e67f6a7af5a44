"""Alembic environment: runs migrations on the connection the program hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from bcm_desktop.repository.database import is_mapped_name
from bcm_desktop.repository.orm import Base

config = context.config
connection = config.attributes.get("connection")


def _run(conn: Connection) -> None:
    context.configure(
        connection=conn,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=is_mapped_name,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    # Used by `alembic` on the command line while developing: -x url=sqlite:///file
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///dev.sqlite")
    with create_engine(url).begin() as conn:
        _run(conn)
