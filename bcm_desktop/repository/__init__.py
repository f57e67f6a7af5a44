"""Persistence: SQLAlchemy tables, the unit of work, repositories, read-side queries."""
