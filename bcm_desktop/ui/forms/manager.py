"""Opens record forms as separate windows, one per record: opening an open record raises it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ...domain.enums import ListKind
from ...domain.errors import DomainError
from ..dialogs.list_editor_dialog import ListEditOutcome
from ..errors import show_error
from .account_form import AccountForm
from .contact_form import ContactForm
from .marketing_form import MarketingForm, MarketingFormServices
from .opportunity_form import FormServices, OpportunityForm
from .record_form import ContactFormServices, RecordForm

F = TypeVar("F", bound=RecordForm)


class FormManager(QObject):
    """Keeps the open opportunity forms; tells the workspace when one saved or deleted."""

    records_changed = Signal()
    #: A marketing activity was saved or deleted in its form.
    marketing_changed = Signal()

    def __init__(
        self,
        services: FormServices,
        parent_widget: QWidget,
        contact_services: ContactFormServices | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self._services = services
        self._parent = parent_widget
        self._forms: list[OpportunityForm] = []
        self.contact_services = contact_services
        self._record_forms: list[RecordForm] = []
        self.records_changed.connect(self._refresh_account_forms)
        self._marketing: MarketingFormServices | None = None
        self._marketing_forms: list[MarketingForm] = []
        # A saved opportunity may have joined or left an activity's Tracking page.
        self.records_changed.connect(self._refresh_tracking)

    @property
    def forms(self) -> list[OpportunityForm]:
        return list(self._forms)

    def new_opportunity(self) -> OpportunityForm:
        """An empty form with the default stage and the current user (S-2)."""
        return self._show(OpportunityForm(self._services, self._services.opportunities.new()))

    def open_opportunity(self, opportunity_id: int) -> OpportunityForm | None:
        for form in self._forms:
            if form.record_id == opportunity_id:
                form.showNormal()
                form.raise_()
                form.activateWindow()
                return form
        try:
            record = self._services.opportunities.get(opportunity_id)
        except DomainError as error:
            show_error(self._parent, error)
            return None
        return self._show(OpportunityForm(self._services, record))

    def close_all(self) -> bool:
        """Close every form (each asks about unsaved changes); False if one stayed open."""
        return all(
            form.close() for form in [*self._forms, *self._record_forms, *self._marketing_forms]
        )

    # -- accounts and business contacts ---------------------------------------------------

    @property
    def record_forms(self) -> list[RecordForm]:
        return list(self._record_forms)

    def new_account(self) -> AccountForm | None:
        if self.contact_services is None:
            return None
        account = self.contact_services.accounts.new()
        return self._show_record(AccountForm(self.contact_services, account))

    def new_contact(self, account_id: int | None = None) -> ContactForm | None:
        if self.contact_services is None:
            return None
        contact = self.contact_services.contacts.new(account_id)
        return self._show_record(ContactForm(self.contact_services, contact))

    def open_account(self, account_id: int) -> AccountForm | None:
        services = self.contact_services
        if services is None:
            return None
        existing = self._raise_record(AccountForm, account_id)
        if isinstance(existing, AccountForm):
            return existing
        try:
            account = services.accounts.get(account_id)
        except DomainError as error:
            show_error(self._parent, error)
            return None
        return self._show_record(AccountForm(services, account))

    def open_contact(self, contact_id: int) -> ContactForm | None:
        services = self.contact_services
        if services is None:
            return None
        existing = self._raise_record(ContactForm, contact_id)
        if isinstance(existing, ContactForm):
            return existing
        try:
            contact = services.contacts.get(contact_id)
        except DomainError as error:
            show_error(self._parent, error)
            return None
        return self._show_record(ContactForm(services, contact))

    def _raise_record(self, kind: type[RecordForm], record_id: int) -> RecordForm | None:
        for form in self._record_forms:
            if isinstance(form, kind) and form.record_id == record_id:
                form.showNormal()
                form.raise_()
                form.activateWindow()
                return form
        return None

    def _show_record(self, form: F) -> F:
        self._record_forms.append(form)
        changed: Callable[..., None] = lambda *_: self.records_changed.emit()  # noqa: E731
        form.saved.connect(changed)
        form.deleted.connect(changed)
        # An item edited or deleted there: its opportunity's form and the reading pane follow.
        form.history_page.changed.connect(changed)
        form.form_closed.connect(self._forget_record)
        form.open_opportunity_requested.connect(self.open_opportunity)
        if isinstance(form, AccountForm):
            form.open_contact_requested.connect(self.open_contact)
            form.new_contact_requested.connect(self.new_contact)
        form.show()
        form.raise_()
        form.activateWindow()
        return form

    def refresh_open_forms(self) -> None:
        """Records came back from Deleted Items, or items were imported: open forms read
        their history, related records and Tracking pages again."""
        for form in self._forms:
            if form.record_id is not None:
                form.history_page.refresh()
        self._refresh_account_forms()  # account and contact forms, their history included
        self._refresh_tracking()

    def _refresh_account_forms(self) -> None:
        """A record changed: open account and contact forms list their contacts,
        opportunities and history again (a contact form also shows its account's current
        name; an item added on an opportunity shows in its account's history too, S-1.2)."""
        for form in self._record_forms:
            if isinstance(form, AccountForm | ContactForm):
                form.refresh_related()
                if form.record_id is not None:
                    form.history_page.refresh()

    def _forget_record(self, form: RecordForm) -> None:
        if form in self._record_forms:
            self._record_forms.remove(form)
        form.deleteLater()

    def _show(self, form: OpportunityForm) -> OpportunityForm:
        self._forms.append(form)
        changed: Callable[..., None] = lambda *_: self.records_changed.emit()  # noqa: E731
        form.saved.connect(changed)
        form.deleted.connect(changed)
        form.history_page.changed.connect(changed)  # the reading pane's latest history
        form.lists_changed.connect(partial(self._list_edited, form))
        form.form_closed.connect(self._forget)
        form.show()
        form.raise_()
        form.activateWindow()
        return form

    def _list_edited(
        self, source: OpportunityForm, kind: ListKind, outcome: ListEditOutcome
    ) -> None:
        """A list changed in one form's list editor (S-4): the other open forms refill that
        combo, and the workspace shows renamed or replaced entries."""
        for form in self._forms:
            if form is not source:
                form.follow_list_edit(kind, outcome)
        self.records_changed.emit()

    def _forget(self, form: OpportunityForm) -> None:
        if form in self._forms:
            self._forms.remove(form)
        form.deleteLater()

    # -- marketing activities --------------------------------------------------------------

    def set_marketing(self, services: MarketingFormServices) -> None:
        """Let this manager open marketing activity forms too."""
        self._marketing = services

    @property
    def marketing_forms(self) -> list[MarketingForm]:
        return list(self._marketing_forms)

    def new_marketing(self) -> MarketingForm | None:
        if self._marketing is None:
            return None
        return self._show_marketing(MarketingForm(self._marketing, self._marketing.marketing.new()))

    def open_marketing(self, activity_id: int) -> MarketingForm | None:
        """Open a marketing activity's form, or raise it when it is open already."""
        if self._marketing is None:
            return None
        for form in self._marketing_forms:
            if form.record_id == activity_id:
                form.showNormal()
                form.raise_()
                form.activateWindow()
                return form
        try:
            activity = self._marketing.marketing.get(activity_id)
        except DomainError as error:
            show_error(self._parent, error)
            return None
        return self._show_marketing(MarketingForm(self._marketing, activity))

    def _show_marketing(self, form: MarketingForm) -> MarketingForm:
        self._marketing_forms.append(form)
        changed: Callable[..., None] = lambda *_: self.marketing_changed.emit()  # noqa: E731
        form.saved.connect(changed)
        form.deleted.connect(changed)
        # Deleting an activity clears Initiated by on its opportunities: lists show that too.
        form.deleted.connect(lambda *_: self.records_changed.emit())
        form.open_opportunity_requested.connect(self.open_opportunity)
        form.lists_changed.connect(partial(self._marketing_list_edited, form))
        form.form_closed.connect(self._forget_marketing)
        form.show()
        form.raise_()
        form.activateWindow()
        return form

    def _marketing_list_edited(self, source: MarketingForm, outcome: ListEditOutcome) -> None:
        """The marketing Type list changed in one form: the others and the workspace follow."""
        for form in self._marketing_forms:
            if form is not source:
                form.follow_list_edit(outcome)
        self.marketing_changed.emit()

    def _forget_marketing(self, form: MarketingForm) -> None:
        if form in self._marketing_forms:
            self._marketing_forms.remove(form)
        form.deleteLater()

    def _refresh_tracking(self) -> None:
        for form in self._marketing_forms:
            if form.record_id is not None:
                form.refresh_tracking()
