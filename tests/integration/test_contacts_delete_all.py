"""Deleting several accounts or contacts is one action: all go to Deleted Items, or none."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bcm_desktop.domain.contacts import DeleteImpact
from bcm_desktop.domain.entities import RecordRef, User
from bcm_desktop.domain.errors import ConflictError, ValidationError
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.orm import BusinessProjectRow
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.contacts import AccountService, ContactService


def test_several_accounts_go_together_or_not_at_all(
    uow_factory: Callable[[], UnitOfWork], owner: User, database: Database
) -> None:
    accounts = AccountService(uow_factory, owner.id)
    with uow_factory() as uow:
        ids = [uow.records.add_account(name) for name in ("A", "B", "C")]
        uow.commit()
    with database.session_factory() as session:
        session.add(BusinessProjectRow(name="Dike", link_account_id=ids[2]))
        session.commit()

    def confirmed(chosen: list[int]) -> list[tuple[int, int, DeleteImpact]]:
        return [(i, accounts.get(i).version, accounts.delete_impact(i)) for i in chosen]

    with pytest.raises(ValidationError, match="business project"):
        accounts.delete_all(confirmed(ids))
    assert [accounts.get(i).name for i in ids] == ["A", "B", "C"]
    accounts.delete_all(confirmed(ids[:2]))
    with uow_factory() as uow:
        assert not uow.contacts.account_exists(ids[0])
        assert not uow.contacts.account_exists(ids[1])
        assert uow.contacts.account_exists(ids[2])


def test_a_contact_changed_meanwhile_keeps_the_others(
    uow_factory: Callable[[], UnitOfWork], owner: User, contact: RecordRef
) -> None:
    contacts = ContactService(uow_factory, owner.id)
    with uow_factory() as uow:
        other = uow.records.add_contact("Piet", "Bakker")
        uow.commit()
    stale = [
        (other, contacts.get(other).version, contacts.delete_impact(other)),
        (contact.id, contacts.get(contact.id).version - 1, contacts.delete_impact(contact.id)),
    ]
    with pytest.raises(ConflictError):
        contacts.delete_all(stale)
    assert contacts.get(other).full_name == "Piet Bakker"
