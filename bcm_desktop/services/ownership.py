"""The one rule behind every owner-only action: is the acting user the database's owner?"""

from __future__ import annotations

from ..domain.errors import NotFoundError, PermissionDeniedError
from ..repository.unit_of_work import UnitOfWork


def is_acting_owner(uow: UnitOfWork, user_id: int | None) -> bool:
    """Whether ``user_id`` is an active owner of the database (never for no or an unknown id)."""
    if user_id is None:
        return False
    try:
        user = uow.users.get(user_id)
    except NotFoundError:
        return False
    return user.is_owner and user.active


def require_owner(uow: UnitOfWork, user_id: int | None, refusal: str) -> None:
    """Raise ``PermissionDeniedError(refusal)`` unless ``user_id`` is an active owner.

    Call it inside the unit of work that makes the change, so the check and the write see
    the same state of the users table.
    """
    if not is_acting_owner(uow, user_id):
        raise PermissionDeniedError(refusal)
