"""Communication history (S-1.2, S-8): the items of a record, newest first."""

from __future__ import annotations

from collections.abc import Callable

from ..domain.entities import HistoryItem
from ..domain.listing import HistoryListRow
from ..repository.unit_of_work import UnitOfWork


class HistoryService:
    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow = uow_factory

    def for_opportunity(self, opportunity_id: int) -> list[HistoryListRow]:
        with self._uow() as uow:
            return uow.history.for_opportunity(opportunity_id)

    def for_account(self, account_id: int) -> list[HistoryListRow]:
        with self._uow() as uow:
            return uow.history.for_account(account_id)

    def for_contact(self, contact_id: int) -> list[HistoryListRow]:
        with self._uow() as uow:
            return uow.history.for_contact(contact_id)

    def get(self, item_id: int) -> HistoryItem:
        with self._uow() as uow:
            return uow.history.get(item_id)
