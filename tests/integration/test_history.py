"""History items linked to an opportunity show in its account's or contact's history (S-1.2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bcm_desktop.domain.entities import HistoryItem, Opportunity, RecordRef, User
from bcm_desktop.domain.enums import HistoryKind
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.opportunities import OpportunityService


def add_item(uow_factory: Callable[[], UnitOfWork], **links: int) -> int:
    with uow_factory() as uow:
        item_id = uow.history.add(
            HistoryItem(
                kind=HistoryKind.NOTE,
                subject=f"note {links}",
                occurred_at=datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
                **links,
            )
        )
        uow.commit()
    return item_id


def test_item_on_opportunity_follows_its_link(
    uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef, contact: RecordRef
) -> None:
    service = OpportunityService(uow_factory, owner.id)
    history = HistoryService(uow_factory)
    opp = service.create(Opportunity(title="Deal", link=account))
    on_opp = add_item(uow_factory, opportunity_id=opp.id or 0)
    on_account = add_item(uow_factory, account_id=account.id)
    on_contact = add_item(uow_factory, contact_id=contact.id)

    assert [r.id for r in history.for_opportunity(opp.id or 0)] == [on_opp]
    assert {r.id for r in history.for_account(account.id)} == {on_opp, on_account}
    assert {r.id for r in history.for_contact(contact.id)} == {on_contact}

    opp.link = contact
    service.update(opp)
    assert {r.id for r in history.for_account(account.id)} == {on_account}
    assert {r.id for r in history.for_contact(contact.id)} == {on_opp, on_contact}
    item = history.get(on_opp)
    assert (item.kind, item.opportunity_id) == (HistoryKind.NOTE, opp.id)
    assert item.occurred_at == datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
