"""Errors a user can read: every rule the services enforce raises one of these."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal. ``str(error)`` is a sentence meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """Bad input. ``field`` names the offending field so a form can focus it."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(DomainError):
    """The record no longer exists (deleted here or by a colleague)."""


class ConflictError(DomainError):
    """The record changed elsewhere since it was read: saving would overwrite that change."""


class ClosedRecordError(DomainError):
    """A Closed Won or Closed Lost opportunity is read-only until it is reopened."""


class PermissionDeniedError(DomainError):
    """The current user may not do this (for example: only the database owner customizes)."""


class DatabaseOpenError(DomainError):
    """The database cannot be opened: wrong file, damaged, too new, or unreachable."""


class ReadOnlyDatabaseError(DomainError):
    """The database was opened read-only (read-only file or folder): nothing can be saved."""


class DatabaseBusyError(DomainError):
    """Another program held the database longer than the busy timeout: nothing was saved."""


class DiskFullError(DomainError):
    """The disk (or the database's size limit) is full: nothing was saved."""
