"""Account and business contact use cases (S-1.2, S-7): read, create, update and delete.

Every method is one transaction and refuses with a ``DomainError`` a user can read. Renaming a
record renames the ``link_name`` its opportunities copy, in the same transaction. Deleting
moves the record to Deleted Items with its opportunities and history (an opportunity is always
linked to exactly one record, S-1.1), from where it can be restored: the caller first asks
:meth:`AccountService.delete_impact` what that means, shows it, and passes the confirmed
impact back to ``delete``, which refuses if it changed in between (a colleague added an
opportunity meanwhile).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from ..domain.contacts import (
    Account,
    BusinessContact,
    DeleteImpact,
    OpportunityTotals,
    RelatedContact,
    RelatedOpportunity,
)
from ..domain.errors import ConflictError, NotFoundError, ValidationError
from ..repository.deleted_items import ACCOUNT_KIND, CONTACT_KIND
from ..repository.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class AccountOverview:
    """What the account form and the reading pane show beside the account's own fields."""

    contacts: tuple[RelatedContact, ...]
    opportunities: tuple[RelatedOpportunity, ...]
    totals: OpportunityTotals


def _now() -> datetime:
    return datetime.now(UTC)


def _check_user(uow: UnitOfWork, user_id: int | None, stored: int | None = None) -> None:
    """A new assignee must share the database; the ``stored`` one is kept even if removed
    (the record keeps showing who it was assigned to)."""
    if user_id is None or user_id == stored:
        return
    user = uow.users.get(user_id)
    if not user.active:
        raise ValidationError(
            f"{user.name} no longer shares this database; assign it to someone else.",
            "assigned_to",
        )


def _check_categories(uow: UnitOfWork, category_ids: tuple[int, ...]) -> None:
    for category_id in category_ids:
        try:
            uow.categories.get(category_id)
        except NotFoundError as error:
            raise ValidationError(
                "One of the chosen categories no longer exists. Choose the categories again.",
                "categories",
            ) from error


def _check_impact(stored: DeleteImpact, confirmed: DeleteImpact) -> None:
    if stored != confirmed:
        raise ConflictError(
            f"“{stored.name}” changed since you confirmed (it now has {stored.opportunities} "
            f"opportunities and {stored.history_items} history items). Nothing was deleted; "
            "delete it again to see what would go with it."
        )


def _check_projects(impact: DeleteImpact) -> None:
    if impact.projects:
        raise ValidationError(
            f"“{impact.name}” is the link of {impact.projects} business project(s). "
            "Link those projects to another account or contact first; nothing was deleted.",
            "projects",
        )


class AccountService:
    """Use cases on accounts, performed on behalf of ``user_id``."""

    def __init__(self, uow_factory: UowFactory, user_id: int | None = None) -> None:
        self._uow = uow_factory
        self._user_id = user_id

    def new(self) -> Account:
        """An unsaved account with the defaults a new form shows."""
        return Account(name="", assigned_to_id=self._user_id)

    def get(self, account_id: int) -> Account:
        with self._uow() as uow:
            return uow.accounts.get(account_id)

    def overview(self, account_id: int) -> AccountOverview:
        """Its contacts and its opportunities with their count, total and expected revenue."""
        with self._uow() as uow:
            opportunities = uow.accounts.opportunities(account_id)
            return AccountOverview(
                contacts=tuple(uow.accounts.contacts(account_id)),
                opportunities=tuple(opportunities),
                totals=OpportunityTotals.of(opportunities),
            )

    def create(self, draft: Account) -> Account:
        """Save a new account; returns it as stored. Raises ``ValidationError``."""
        account = replace(draft.validated(), id=None, version=0)
        with self._uow() as uow:
            _check_user(uow, account.assigned_to_id)
            _check_categories(uow, account.category_ids)
            new_id = uow.accounts.add(account)
            uow.commit()
            return uow.accounts.get(new_id)

    def update(self, changed: Account) -> Account:
        """Save ``changed`` over the stored account and rename its opportunities' link.

        Raises ``ConflictError`` when someone else saved it after ``changed.version``.
        """
        if changed.id is None:
            raise NotFoundError("This account has not been saved yet.")
        account = changed.validated()
        with self._uow() as uow:
            stored = uow.accounts.get(changed.id).assigned_to_id
            _check_user(uow, account.assigned_to_id, stored)
            _check_categories(uow, account.category_ids)
            uow.accounts.update(account)
            uow.commit()
            return uow.accounts.get(changed.id)

    def delete_impact(self, account_id: int) -> DeleteImpact:
        """What deleting the account would take with it (ask the user with this)."""
        with self._uow() as uow:
            return uow.accounts.impact(account_id)

    def delete(self, account_id: int, expected_version: int, confirmed: DeleteImpact) -> None:
        """Move the account, its opportunities and its history to Deleted Items; its
        contacts are kept without an account (Restore gives it back to them). Refuses when
        the account is a business project's link, changed since ``expected_version``, or no
        longer matches what the user ``confirmed``."""
        self.delete_all([(account_id, expected_version, confirmed)])

    def delete_all(self, confirmed: list[tuple[int, int, DeleteImpact]]) -> None:
        """Delete several accounts, each given as (id, expected version, confirmed impact),
        as one action: all of them, or none when one is refused."""
        with self._uow() as uow:
            for account_id, expected_version, impact_seen in confirmed:
                impact = uow.accounts.impact(account_id)
                _check_projects(impact)
                _check_impact(impact, impact_seen)
                uow.deleted.archive_record(ACCOUNT_KIND, account_id, self._user_id, _now())
                uow.accounts.delete(account_id, expected_version)
            uow.commit()


class ContactService:
    """Use cases on business contacts, performed on behalf of ``user_id``."""

    def __init__(self, uow_factory: UowFactory, user_id: int | None = None) -> None:
        self._uow = uow_factory
        self._user_id = user_id

    def new(self, account_id: int | None = None) -> BusinessContact:
        """An unsaved contact (of ``account_id``, when given) with the form's defaults."""
        return BusinessContact(
            first_name="", last_name="", account_id=account_id, assigned_to_id=self._user_id
        )

    def get(self, contact_id: int) -> BusinessContact:
        with self._uow() as uow:
            return uow.contacts.get(contact_id)

    def account_name(self, account_id: int | None) -> str:
        """The name of the contact's account ("" for none or a deleted one)."""
        with self._uow() as uow:
            return uow.contacts.account_name(account_id)

    def opportunities(self, contact_id: int) -> list[RelatedOpportunity]:
        with self._uow() as uow:
            return uow.contacts.opportunities(contact_id)

    def _check(
        self, uow: UnitOfWork, contact: BusinessContact, stored_assignee: int | None = None
    ) -> None:
        if contact.account_id is not None and not uow.contacts.account_exists(contact.account_id):
            raise ValidationError(
                "The chosen account no longer exists. Choose another account, or none.",
                "account",
            )
        _check_user(uow, contact.assigned_to_id, stored_assignee)
        _check_categories(uow, contact.category_ids)

    def create(self, draft: BusinessContact) -> BusinessContact:
        contact = replace(draft.validated(), id=None, version=0)
        with self._uow() as uow:
            self._check(uow, contact)
            new_id = uow.contacts.add(contact)
            uow.commit()
            return uow.contacts.get(new_id)

    def update(self, changed: BusinessContact) -> BusinessContact:
        """Save ``changed``; a new full name becomes its opportunities' link name too."""
        if changed.id is None:
            raise NotFoundError("This business contact has not been saved yet.")
        contact = changed.validated()
        with self._uow() as uow:
            self._check(uow, contact, uow.contacts.get(changed.id).assigned_to_id)
            uow.contacts.update(contact)
            uow.commit()
            return uow.contacts.get(changed.id)

    def delete_impact(self, contact_id: int) -> DeleteImpact:
        with self._uow() as uow:
            return uow.contacts.impact(contact_id)

    def delete(self, contact_id: int, expected_version: int, confirmed: DeleteImpact) -> None:
        """Move the contact with its opportunities and its history to Deleted Items."""
        self.delete_all([(contact_id, expected_version, confirmed)])

    def delete_all(self, confirmed: list[tuple[int, int, DeleteImpact]]) -> None:
        """Delete several contacts, each given as (id, expected version, confirmed impact),
        as one action: all of them, or none when one is refused."""
        with self._uow() as uow:
            for contact_id, expected_version, impact_seen in confirmed:
                impact = uow.contacts.impact(contact_id)
                _check_projects(impact)
                _check_impact(impact, impact_seen)
                uow.deleted.archive_record(CONTACT_KIND, contact_id, self._user_id, _now())
                uow.contacts.delete(contact_id, expected_version)
            uow.commit()
