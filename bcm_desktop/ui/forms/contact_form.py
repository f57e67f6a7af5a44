"""The business contact form: General (name, account, phones, address), Details, History."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QCoreApplication
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

from ...domain.contacts import MAX_PHONE, MAX_POSTAL_CODE, Address, BusinessContact
from ...domain.entities import RecordRef
from ...domain.enums import LinkKind
from ...domain.errors import DomainError
from ...domain.links import LinkSearchKind
from ...services.contacts import ContactService
from ..dialogs.link_dialog import LinkDialog
from ..errors import show_error
from .account_form import _text
from .record_form import ContactFormServices, RecordForm, group, line_edit
from .related_tables import RecordHistoryPage, RelatedOpportunitiesModel, record_table


def _tr(text: str) -> str:
    return QCoreApplication.translate("ContactForm", text)


FIELD_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "account_id": "Account",
    "job_title": "Job title",
    "business_phone": "Business phone",
    "mobile_phone": "Mobile phone",
    "email": "E-mail",
    "web_page": "Web page",
    "address": "Address",
    "assigned_to_id": "Assigned to",
    "category_ids": "Categories",
    "comments": "Comments",
}


class ContactForm(RecordForm):
    """One business contact, new or saved."""

    GEOMETRY_KEY = "forms/contactGeometry"

    def __init__(
        self,
        services: ContactFormServices,
        contact: BusinessContact,
        parent: QWidget | None = None,
    ) -> None:
        self._account_id: int | None = contact.account_id
        super().__init__(services, contact, parent)
        self.setObjectName("contactForm")

    # -- pages --------------------------------------------------------------------------------

    def _general_page(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setObjectName("generalPage")
        scroll.setWidgetResizable(True)
        page = QWidget(scroll)
        grid = QGridLayout(page)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self._labels: dict[str, QLabel] = {}

        self.name_box, name = group(page, "contactInformation")
        self.first_name_edit = line_edit(page, "firstName")
        self.last_name_edit = line_edit(page, "lastName")
        self.job_title_edit = line_edit(page, "jobTitle")
        self.account_button = QPushButton(page)
        self.account_button.setObjectName("chooseAccount")
        self.account_button.clicked.connect(self.choose_account)
        self.account_label = QLabel(page)
        self.account_label.setObjectName("accountName")
        self.account_clear = QPushButton(page)
        self.account_clear.setObjectName("clearAccount")
        self.account_clear.clicked.connect(lambda: self._set_account(None))
        account_row = QHBoxLayout()
        account_row.addWidget(self.account_label, 1)
        account_row.addWidget(self.account_button)
        account_row.addWidget(self.account_clear)
        for key, widget in (
            ("first", self.first_name_edit),
            ("last", self.last_name_edit),
            ("job", self.job_title_edit),
        ):
            self._row(page, name, key, widget)
        self._labels["account"] = QLabel(page)
        self._labels["account"].setBuddy(self.account_button)
        name.addRow(self._labels["account"], account_row)
        self.tracking_box, tracking = group(page, "assignment")
        self._assigned_and_categories(page, tracking)

        self.phone_box, phones = group(page, "phonesAndInternet")
        self.business_phone_edit = line_edit(page, "businessPhone", MAX_PHONE)
        self.mobile_phone_edit = line_edit(page, "mobilePhone", MAX_PHONE)
        self.email_edit = line_edit(page, "email")
        self.web_edit = line_edit(page, "webPage")
        for key, widget in (
            ("business", self.business_phone_edit),
            ("mobile", self.mobile_phone_edit),
            ("email", self.email_edit),
            ("web", self.web_edit),
        ):
            self._row(page, phones, key, widget)

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
            self._row(page, address, key, widget)

        self.opportunities_box = QGroupBox(page)
        self.opportunities_box.setObjectName("contactOpportunities")
        self.opportunities_model = RelatedOpportunitiesModel(self)
        self.opportunities_view = record_table(
            self.opportunities_box,
            "opportunitiesTable",
            self.opportunities_model,
            self._open_opportunity_row,
        )
        self.opportunities_view.setColumnWidth(0, 200)
        box_layout = QVBoxLayout(self.opportunities_box)
        box_layout.addWidget(self.opportunities_view)

        grid.addWidget(self.name_box, 0, 0)
        grid.addWidget(self.phone_box, 0, 1)
        grid.addWidget(self.address_box, 1, 0)
        grid.addWidget(self.tracking_box, 1, 1)
        grid.addWidget(self.opportunities_box, 2, 0, 1, 2)
        grid.setRowStretch(2, 1)
        scroll.setWidget(page)
        for edit in (self.first_name_edit, self.last_name_edit):
            edit.textChanged.connect(lambda _text: self._update_title())
        # Tab goes down the left column, then down the right one, as the boxes read.
        chain: list[QWidget] = [
            self.first_name_edit,
            self.last_name_edit,
            self.job_title_edit,
            self.account_button,
            self.account_clear,
            self.street_edit,
            self.postal_edit,
            self.city_edit,
            self.country_edit,
            self.business_phone_edit,
            self.mobile_phone_edit,
            self.email_edit,
            self.web_edit,
            self.assigned_combo,
            self.categories_button,
            self.opportunities_view,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        return scroll

    def _row(self, page: QWidget, form: Any, key: str, widget: QWidget) -> None:
        label = QLabel(page)
        label.setBuddy(widget)
        self._labels[key] = label
        form.addRow(label, widget)

    def _history_page(self) -> QWidget:
        return RecordHistoryPage(
            self._services.history,
            self._services.history.for_contact,
            _tr("No history items are linked to this contact or its opportunities yet."),
            self,
            users=self._services.lookups.all_users,
        )

    def retranslate_ui(self) -> None:
        self.name_box.setTitle(_tr("Name and company"))
        self.phone_box.setTitle(_tr("Phone numbers and Internet"))
        self.address_box.setTitle(_tr("Address"))
        self.tracking_box.setTitle(_tr("Assignment and categories"))
        self.opportunities_box.setTitle(_tr("Opportunities"))
        self.account_button.setText(_tr("Choose…"))
        self.account_button.setToolTip(_tr("Choose the account this person works for"))
        self.account_clear.setText(_tr("Clear"))
        self.account_clear.setToolTip(_tr("This person works for no account"))
        texts = {
            "first": (_tr("&First name:"), _tr("First name")),
            "last": (_tr("&Last name:"), _tr("Last name")),
            "job": (_tr("&Job title:"), _tr("Job title")),
            "account": (_tr("Accou&nt:"), _tr("Account")),
            "business": (_tr("&Business phone:"), _tr("Business phone")),
            "mobile": (_tr("&Mobile phone:"), _tr("Mobile phone")),
            "email": (_tr("&E-mail:"), _tr("E-mail")),
            "web": (_tr("&Web page:"), _tr("Web page")),
            "street": (_tr("St&reet:"), _tr("Street")),
            "postal": (_tr("P&ostal code:"), _tr("Postal code")),
            "city": (_tr("C&ity:"), _tr("City")),
            "country": (_tr("Co&untry/Region:"), _tr("Country/Region")),
        }
        for key, (text, accessible) in texts.items():
            label = self._labels[key]
            label.setText(text)
            buddy = label.buddy()
            if buddy is not None:
                buddy.setAccessibleName(accessible)
        self.opportunities_view.setAccessibleName(_tr("Opportunities of the contact"))
        self.delete_action.setToolTip(_tr("Delete this business contact (Ctrl+D)"))

    # -- record <-> widgets -------------------------------------------------------------------

    def _service(self) -> ContactService:
        return self._services.contacts

    def _kind(self) -> str:
        return _tr("Business contact")

    def display_name(self) -> str:
        return f"{self.first_name_edit.text().strip()} {self.last_name_edit.text().strip()}".strip()

    def _fill(self, record: Any) -> None:
        contact: BusinessContact = record
        self.first_name_edit.setText(contact.first_name)
        self.last_name_edit.setText(contact.last_name)
        self.job_title_edit.setText(contact.job_title)
        self.business_phone_edit.setText(contact.business_phone)
        self.mobile_phone_edit.setText(contact.mobile_phone)
        self.email_edit.setText(contact.email)
        self.web_edit.setText(contact.web_page)
        self.street_edit.setText(contact.address.street)
        self.postal_edit.setText(contact.address.postal_code)
        self.city_edit.setText(contact.address.city)
        self.country_edit.setText(contact.address.country)
        self._set_account(contact.account_id)
        self.refresh_related()

    def _collect(self) -> BusinessContact:
        contact: BusinessContact = self._record
        return replace(
            contact,
            first_name=self.first_name_edit.text(),
            last_name=self.last_name_edit.text(),
            account_id=self._account_id,
            job_title=self.job_title_edit.text(),
            business_phone=self.business_phone_edit.text(),
            mobile_phone=self.mobile_phone_edit.text(),
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
            "first_name": self.first_name_edit,
            "last_name": self.last_name_edit,
            "account": self.account_button,
            "job_title": self.job_title_edit,
            "business_phone": self.business_phone_edit,
            "mobile_phone": self.mobile_phone_edit,
            "email": self.email_edit,
            "web_page": self.web_edit,
            "street": self.street_edit,
            "postal_code": self.postal_edit,
            "city": self.city_edit,
            "country": self.country_edit,
        }

    def _differences(self, mine: Any, theirs: Any) -> list[tuple[str, str, str]]:
        rows = []
        for name, label in FIELD_LABELS.items():
            a, b = getattr(mine, name), getattr(theirs, name)
            if a != b:
                if name == "account_id":
                    a, b = self._account_name(a), self._account_name(b)
                rows.append((_tr(label), _text(a), _text(b)))
        return rows

    # -- account ------------------------------------------------------------------------------

    def _account_name(self, account_id: int | None) -> str:
        return self._services.contacts.account_name(account_id)

    def _set_account(self, account_id: int | None) -> None:
        self._account_id = account_id
        name = self._account_name(account_id)
        if account_id is None:
            self.account_label.setText(_tr("No account"))
        else:
            self.account_label.setText(name or _tr("(deleted account)"))
        self.account_clear.setEnabled(account_id is not None)

    def choose_account(self) -> None:
        """Pick the account among the accounts (the Link to dialog, accounts only)."""
        current = (
            None if self._account_id is None else RecordRef(LinkKind.ACCOUNT, self._account_id)
        )
        chosen = LinkDialog.ask(
            self,
            self._services.links,
            current=current,
            kinds=(LinkSearchKind.ACCOUNTS,),
            title=_tr("Choose Account"),
        )
        if chosen is not None:
            self._set_account(chosen.id)

    # -- opportunities ------------------------------------------------------------------------

    def refresh_related(self) -> None:
        """Read the contact's opportunities and its account's name again (after one of them
        changed); the chosen account stays as it is."""
        if not self._loading:
            self._set_account(self._account_id)
        contact_id = self._record.id
        if contact_id is None:
            self.opportunities_model.set_rows([])
            return
        try:
            rows = self._services.contacts.opportunities(contact_id)
        except DomainError as error:
            show_error(self, error)
            return
        self.opportunities_model.set_rows(rows)

    def _open_opportunity_row(self, row: int) -> None:
        opportunity_id = self.opportunities_model.row_id(row)
        if opportunity_id is not None:
            self.open_opportunity_requested.emit(opportunity_id)
