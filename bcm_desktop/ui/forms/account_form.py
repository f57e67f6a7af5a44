"""The account form: General (with its contacts and opportunities), Details and History."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...domain.contacts import MAX_PHONE, MAX_POSTAL_CODE, Account, Address, OpportunityTotals
from ...domain.errors import DomainError
from ...services.contacts import AccountService
from .. import formatting
from ..errors import show_error
from .record_form import ContactFormServices, RecordForm, group, line_edit
from .related_tables import (
    RecordHistoryPage,
    RelatedContactsModel,
    RelatedOpportunitiesModel,
    record_table,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("AccountForm", text)


FIELD_LABELS = {
    "name": "Account name",
    "phone": "Phone",
    "email": "E-mail",
    "web_page": "Web page",
    "address": "Address",
    "assigned_to_id": "Assigned to",
    "category_ids": "Categories",
    "comments": "Comments",
}


def describe_differences(mine: Account, theirs: Account) -> list[tuple[str, str, str]]:
    """(field, mine, theirs) for every field that differs."""
    rows = []
    for name, label in FIELD_LABELS.items():
        a, b = getattr(mine, name), getattr(theirs, name)
        if a != b:
            rows.append((_tr(label), _text(a), _text(b)))
    return rows


def _text(value: object) -> str:
    if isinstance(value, Address):
        return ", ".join(value.lines())
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


class AccountForm(RecordForm):
    """One account, new or saved."""

    open_contact_requested = Signal(int)
    new_contact_requested = Signal(int)  # the account's id: a new contact of this account

    GEOMETRY_KEY = "forms/accountGeometry"

    def __init__(
        self, services: ContactFormServices, account: Account, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, account, parent)
        self.setObjectName("accountForm")

    # -- pages --------------------------------------------------------------------------------

    def _general_page(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setObjectName("generalPage")
        scroll.setWidgetResizable(True)
        page = QWidget(scroll)
        grid = QGridLayout(page)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.info_box, info = group(page, "accountInformation")
        self.name_edit = line_edit(page, "accountName")
        self.phone_edit = line_edit(page, "phone", MAX_PHONE)
        self.email_edit = line_edit(page, "email")
        self.web_edit = line_edit(page, "webPage")
        self._labels: dict[str, QLabel] = {}
        for key, widget in (
            ("name", self.name_edit),
            ("phone", self.phone_edit),
            ("email", self.email_edit),
            ("web", self.web_edit),
        ):
            label = QLabel(page)
            label.setBuddy(widget)
            self._labels[key] = label
            info.addRow(label, widget)
        self._assigned_and_categories(page, info)

        self.address_box, address = group(page, "address")
        self.street_edit = line_edit(page, "street")
        self.postal_edit = line_edit(page, "postalCode", MAX_POSTAL_CODE)
        self.city_edit = line_edit(page, "city")
        self.country_edit = line_edit(page, "country")
        for key, widget in (
            ("street", self.street_edit),
            ("postal", self.postal_edit),
            ("city", self.city_edit),
            ("country", self.country_edit),
        ):
            label = QLabel(page)
            label.setBuddy(widget)
            self._labels[key] = label
            address.addRow(label, widget)

        self.contacts_box = QGroupBox(page)
        self.contacts_box.setObjectName("accountContacts")
        self.contacts_model = RelatedContactsModel(self)
        self.contacts_view = record_table(
            self.contacts_box, "contactsTable", self.contacts_model, self._open_contact_row
        )
        self.new_contact_button = QPushButton(self.contacts_box)
        self.new_contact_button.setObjectName("newContactOfAccount")
        self.new_contact_button.clicked.connect(self._new_contact)
        contacts_layout = QVBoxLayout(self.contacts_box)
        contacts_layout.addWidget(self.contacts_view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.new_contact_button)
        contacts_layout.addLayout(row)

        self.opportunities_box = QGroupBox(page)
        self.opportunities_box.setObjectName("accountOpportunities")
        self.opportunities_model = RelatedOpportunitiesModel(self)
        self.opportunities_view = record_table(
            self.opportunities_box,
            "opportunitiesTable",
            self.opportunities_model,
            self._open_opportunity_row,
        )
        self.opportunities_view.setColumnWidth(0, 200)
        self.totals_label = QLabel(self.opportunities_box)
        self.totals_label.setObjectName("opportunityTotals")
        opportunities_layout = QVBoxLayout(self.opportunities_box)
        opportunities_layout.addWidget(self.opportunities_view, 1)
        opportunities_layout.addWidget(self.totals_label)

        grid.addWidget(self.info_box, 0, 0)
        grid.addWidget(self.address_box, 0, 1)
        grid.addWidget(self.contacts_box, 1, 0, 1, 2)
        grid.addWidget(self.opportunities_box, 2, 0, 1, 2)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(2, 1)
        scroll.setWidget(page)
        self.name_edit.textChanged.connect(lambda _text: self._update_title())
        return scroll

    def _history_page(self) -> QWidget:
        return RecordHistoryPage(
            self._services.history,
            self._services.history.for_account,
            _tr("No history items are linked to this account or its opportunities yet."),
            self,
            users=self._services.lookups.all_users,
        )

    def retranslate_ui(self) -> None:
        self.info_box.setTitle(_tr("Account information"))
        self.address_box.setTitle(_tr("Address"))
        self.contacts_box.setTitle(_tr("Business contacts"))
        self.opportunities_box.setTitle(_tr("Opportunities"))
        self.new_contact_button.setText(_tr("New &Business Contact…"))
        self.new_contact_button.setToolTip(_tr("Add a business contact who works here"))
        texts = {
            "name": (_tr("Account &name:"), _tr("Account name")),
            "phone": (_tr("&Phone:"), _tr("Phone")),
            "email": (_tr("&E-mail:"), _tr("E-mail")),
            "web": (_tr("&Web page:"), _tr("Web page")),
            "street": (_tr("St&reet:"), _tr("Street")),
            "postal": (_tr("P&ostal code:"), _tr("Postal code")),
            "city": (_tr("C&ity:"), _tr("City")),
            "country": (_tr("Co&untry/Region:"), _tr("Country/Region")),
        }
        for key, (text, name) in texts.items():
            label = self._labels[key]
            label.setText(text)
            buddy = label.buddy()
            if buddy is not None:
                buddy.setAccessibleName(name)
        self.contacts_view.setAccessibleName(_tr("Business contacts of the account"))
        self.opportunities_view.setAccessibleName(_tr("Opportunities of the account"))
        self.delete_action.setToolTip(_tr("Delete this account (Ctrl+D)"))

    # -- record <-> widgets -------------------------------------------------------------------

    def _service(self) -> AccountService:
        return self._services.accounts

    def _kind(self) -> str:
        return _tr("Account")

    def display_name(self) -> str:
        return self.name_edit.text().strip()

    def _fill(self, record: Any) -> None:
        account: Account = record
        self.name_edit.setText(account.name)
        self.phone_edit.setText(account.phone)
        self.email_edit.setText(account.email)
        self.web_edit.setText(account.web_page)
        self.street_edit.setText(account.address.street)
        self.postal_edit.setText(account.address.postal_code)
        self.city_edit.setText(account.address.city)
        self.country_edit.setText(account.address.country)
        self.refresh_related()

    def _collect(self) -> Account:
        account: Account = self._record
        return replace(
            account,
            name=self.name_edit.text(),
            phone=self.phone_edit.text(),
            email=self.email_edit.text(),
            web_page=self.web_edit.text(),
            address=Address(
                self.street_edit.text(),
                self.postal_edit.text(),
                self.city_edit.text(),
                self.country_edit.text(),
            ),
            assigned_to_id=self.assigned_combo.currentData(),
            comments=self.comments_edit.toPlainText(),
            category_ids=self._category_ids,
        )

    def _field_widgets(self) -> dict[str, QWidget]:
        return {
            "name": self.name_edit,
            "phone": self.phone_edit,
            "email": self.email_edit,
            "web_page": self.web_edit,
            "street": self.street_edit,
            "postal_code": self.postal_edit,
            "city": self.city_edit,
            "country": self.country_edit,
        }

    def _differences(self, mine: Any, theirs: Any) -> list[tuple[str, str, str]]:
        return describe_differences(mine, theirs)

    # -- contacts and opportunities -----------------------------------------------------------

    def refresh_related(self) -> None:
        """Read the account's contacts and opportunities again (after one of them changed)."""
        account_id = self._record.id
        saved = account_id is not None
        self.new_contact_button.setEnabled(saved)
        if not saved:
            self.contacts_model.set_rows([])
            self.opportunities_model.set_rows([])
            self.totals_label.setText(_tr("Save the account to add contacts and opportunities."))
            return
        try:
            overview = self._services.accounts.overview(account_id)
        except DomainError as error:
            show_error(self, error)
            return
        self.contacts_model.set_rows(overview.contacts)
        self.opportunities_model.set_rows(overview.opportunities)
        self.totals_label.setText(totals_text(overview.totals))

    def _open_contact_row(self, row: int) -> None:
        contact_id = self.contacts_model.row_id(row)
        if contact_id is not None:
            self.open_contact_requested.emit(contact_id)

    def _open_opportunity_row(self, row: int) -> None:
        opportunity_id = self.opportunities_model.row_id(row)
        if opportunity_id is not None:
            self.open_opportunity_requested.emit(opportunity_id)

    def _new_contact(self) -> None:
        if self._record.id is not None:
            self.new_contact_requested.emit(self._record.id)


def totals_text(totals: OpportunityTotals, locale: QLocale | None = None) -> str:
    """“3 opportunities · Total 1,250.50 · Expected revenue 550.10”."""
    locale = locale or QLocale()
    if totals.count == 0:
        return _tr("No opportunities are linked to this account.")
    count = (
        _tr("1 opportunity")
        if totals.count == 1
        else _tr("{n} opportunities").format(n=locale.toString(totals.count))
    )
    return _tr("{count} · Total {total} · Expected revenue {expected}").format(
        count=count,
        total=formatting.money(totals.total, locale),
        expected=formatting.money(totals.expected_revenue, locale),
    )
