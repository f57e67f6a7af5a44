"""Small read-only lists the UI offers as choices: users, stages, list items, categories."""

from __future__ import annotations

from collections.abc import Callable

from ..domain.entities import Category, ListItem, SalesStage, User
from ..domain.enums import ListKind
from ..repository.unit_of_work import UnitOfWork


class Lookups:
    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow = uow_factory

    def users(self) -> list[User]:
        """The people the database is shared with: the Assigned to choices (S-9)."""
        with self._uow() as uow:
            return uow.users.all()

    def all_users(self) -> list[User]:
        """Every user, removed ones too: for showing who a record was assigned to."""
        with self._uow() as uow:
            return uow.users.all(active_only=False)

    def stages(self) -> list[SalesStage]:
        with self._uow() as uow:
            return uow.stages.all()

    def list_items(self, kind: ListKind) -> list[ListItem]:
        with self._uow() as uow:
            return uow.lists.items(kind)

    def categories(self) -> list[Category]:
        with self._uow() as uow:
            return uow.categories.all()
