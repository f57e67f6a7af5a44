"""The errors services raise, re-exported so the UI imports them from one place."""

from ..domain.errors import (
    ClosedRecordError,
    ConflictError,
    DatabaseOpenError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

__all__ = [
    "ClosedRecordError",
    "ConflictError",
    "DatabaseOpenError",
    "DomainError",
    "NotFoundError",
    "PermissionDeniedError",
    "ValidationError",
]
