"""The Contact Management workspace: Accounts and Business Contacts tabs, each a record list
with a search box, an Assigned to filter and a reading pane; records open in their forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QMessageBox, QStyle, QTabWidget, QVBoxLayout, QWidget

from ...domain.contacts import Address, DeleteImpact
from ...domain.errors import DomainError
from ...domain.listing import HistoryListRow, RecordOrder
from ...services.contact_listing import ASSIGNED_TO, RecordListing
from .. import formatting
from ..actions import themed_icon
from ..errors import show_error
from ..forms.account_form import totals_text
from ..forms.manager import FormManager
from ..forms.record_form import ContactFormServices, delete_question
from .reading_pane import HISTORY_KINDS
from .records import RecordListView, count_text, value_column
from .user_filter import refill_user_filter

ACCOUNTS_TAB, CONTACTS_TAB = 0, 1
LATEST_HISTORY = 5


def _tr(text: str) -> str:
    return QCoreApplication.translate("ContactManagement", text)


def _modified(value: Any) -> str:
    return formatting.short_datetime(value) if value is not None else ""


def account_columns() -> list[Any]:
    return [
        value_column(0, "name", lambda: _tr("Account name")),
        value_column(1, "phone", lambda: _tr("Phone")),
        value_column(2, "email", lambda: _tr("E-mail")),
        value_column(3, "city", lambda: _tr("City")),
        value_column(4, "assigned_to", lambda: _tr("Assigned to")),
        value_column(5, "modified", lambda: _tr("Modified"), _modified),
    ]


def contact_columns() -> list[Any]:
    return [
        value_column(0, "full_name", lambda: _tr("Full name")),
        value_column(1, "account", lambda: _tr("Account")),
        value_column(2, "job_title", lambda: _tr("Job title")),
        value_column(3, "business_phone", lambda: _tr("Business phone")),
        value_column(4, "email", lambda: _tr("E-mail")),
        value_column(5, "city", lambda: _tr("City")),
        value_column(6, "assigned_to", lambda: _tr("Assigned to")),
        value_column(7, "modified", lambda: _tr("Modified"), _modified),
    ]


def _table(fields: list[tuple[str, str]]) -> str:
    rows = "".join(
        f"<tr><td style='color:#555; padding-right:10px'>{escape(label)}</td>"
        f"<td>{escape(value)}</td></tr>"
        for label, value in fields
        if value
    )
    return f"<table cellspacing='0' cellpadding='2'>{rows}</table>"


def _history_html(rows: list[HistoryListRow]) -> str:
    parts = [f"<h3 style='margin:10px 0 4px 0'>{escape(_tr('Latest history'))}</h3>"]
    if not rows:
        parts.append(f"<p style='color:#777'>{escape(_tr('No history items.'))}</p>")
        return "".join(parts)
    parts.append("<table cellspacing='0' cellpadding='2'>")
    for item in rows[:LATEST_HISTORY]:
        kind = QCoreApplication.translate("ReadingPane", HISTORY_KINDS.get(item.kind, item.kind))
        parts.append(
            "<tr><td style='color:#555; padding-right:10px'>"
            f"{escape(formatting.short_datetime(item.occurred_at))}</td>"
            f"<td>{escape(kind)}</td><td>{escape(item.subject)}</td></tr>"
        )
    parts.append("</table>")
    return "".join(parts)


def _address(address: Address) -> str:
    return ", ".join(address.lines())


@dataclass(frozen=True)
class ContactManagementServices:
    """What the workspace needs, wired by the composition root."""

    accounts_list: RecordListing
    contacts_list: RecordListing
    forms: ContactFormServices


class ContactManagementWorkspace(QWidget):
    """Accounts and Business Contacts, each a lazily paged list sorted and searched in SQL."""

    status_changed = Signal(str)

    def __init__(
        self,
        services: ContactManagementServices,
        forms: FormManager | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contactManagement")
        self._services = services.forms
        self._forms = forms
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("contactTabs")
        self.accounts = RecordListView(
            services.accounts_list,
            account_columns(),
            RecordOrder("name"),
            self,
            object_name="accountList",
            describe=self.describe_account,
            noun=lambda n: count_text(n, _tr("1 account"), _tr("{count} accounts")),
            widths={"name": 200, "phone": 120, "email": 180, "city": 110, "assigned_to": 120},
        )
        self.contacts = RecordListView(
            services.contacts_list,
            contact_columns(),
            RecordOrder("full_name"),
            self,
            object_name="contactList",
            describe=self.describe_contact,
            noun=lambda n: count_text(
                n, _tr("1 business contact"), _tr("{count} business contacts")
            ),
            widths={
                "full_name": 150,
                "account": 150,
                "job_title": 110,
                "business_phone": 110,
                "email": 170,
                "city": 100,
                "assigned_to": 110,
            },
        )
        self.account_assigned = self._assigned_filter(self.accounts, "accountAssignedFilter")
        self.contact_assigned = self._assigned_filter(self.contacts, "contactAssignedFilter")
        self.tabs.addTab(self.accounts, "")
        self.tabs.addTab(self.contacts, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self._create_actions()
        for view in (self.accounts, self.contacts):
            view.status_changed.connect(self._on_view_status)
            view.current_changed.connect(lambda _id: self._update_actions())
            view.view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.accounts.open_requested.connect(self._open_account)
        self.contacts.open_requested.connect(self._open_contact)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        if forms is not None:
            forms.records_changed.connect(self.refresh)
        self.retranslate_ui()
        self._update_actions()

    # -- construction -----------------------------------------------------------------------

    def _assigned_filter(self, view: RecordListView, name: str) -> QComboBox:
        combo = QComboBox(view)
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.addItem("", None)
        for user in self._services.lookups.users():
            combo.addItem(user.name, user.id)
        combo.currentIndexChanged.connect(
            lambda _index: view.set_equals(ASSIGNED_TO, combo.currentData())
        )
        view.add_filter_widget(_tr("&Assigned to:"), combo)
        return combo

    def _action(
        self,
        name: str,
        slot: Callable[[], object],
        icon: tuple[str, QStyle.StandardPixmap],
        shortcut: QKeySequence | str | None = None,
    ) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        action.setIcon(themed_icon(*icon))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _create_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.new_account_action = self._action(
            "newAccount", self.new_account, ("contact-new", sp.SP_FileIcon), "Ctrl+Shift+A"
        )
        self.new_contact_action = self._action(
            "newBusinessContact",
            self.new_contact,
            ("contact-new", sp.SP_FileIcon),
            "Ctrl+Shift+C",
        )
        self.open_action = self._action(
            "openRecord", self.open_current, ("document-open", sp.SP_DialogOpenButton)
        )
        self.delete_action = self._action(
            "deleteRecords",
            self.delete_selected,
            ("edit-delete", sp.SP_TrashIcon),
            QKeySequence.StandardKey.Delete,
        )
        enabled = self._forms is not None
        for action in (self.new_account_action, self.new_contact_action, self.open_action):
            action.setEnabled(enabled)

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(ACCOUNTS_TAB, _tr("Accounts"))
        self.tabs.setTabText(CONTACTS_TAB, _tr("Business Contacts"))
        for combo in (self.account_assigned, self.contact_assigned):
            combo.setItemText(0, _tr("Anyone"))
            combo.setAccessibleName(_tr("Assigned to"))
        texts = {
            self.new_account_action: (_tr("New Account"), _tr("Open an empty account form")),
            self.new_contact_action: (
                _tr("New Business Contact"),
                _tr("Open an empty business contact form"),
            ),
            self.open_action: (_tr("Open"), _tr("Open the selected record")),
            self.delete_action: (_tr("Delete"), _tr("Delete the selected records")),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)

    @staticmethod
    def home_group_titles() -> tuple[Callable[[], str], Callable[[], str]]:
        """The titles of the two Home-tab groups: New, and Records."""
        return (lambda: _tr("New")), (lambda: _tr("Records"))

    # -- the window's workspace protocol -----------------------------------------------------

    def current_list(self) -> RecordListView:
        return self.contacts if self.tabs.currentIndex() == CONTACTS_TAB else self.accounts

    def status_text(self) -> str:
        return self.current_list().status_text()

    def refresh(self) -> None:
        self.accounts.refresh()
        self.contacts.refresh()
        self._update_actions()

    def save_state(self, settings: QSettings) -> None:
        self.accounts.save_state(settings, "contacts/accounts")
        self.contacts.save_state(settings, "contacts/contacts")
        settings.setValue("contacts/tab", self.tabs.currentIndex())

    def restore_state(self, settings: QSettings) -> None:
        self.accounts.restore_state(settings, "contacts/accounts")
        self.contacts.restore_state(settings, "contacts/contacts")
        tab = settings.value("contacts/tab", ACCOUNTS_TAB)
        self.tabs.setCurrentIndex(int(tab) if str(tab).isdigit() else ACCOUNTS_TAB)  # type: ignore[arg-type]

    def _on_view_status(self, text: str) -> None:
        if self.sender() is self.current_list():
            self.status_changed.emit(text)

    def _on_tab_changed(self, _index: int) -> None:
        self._update_actions()
        self.status_changed.emit(self.status_text())

    def _update_actions(self) -> None:
        selected = bool(self.current_list().selected_ids())
        self.open_action.setEnabled(self._forms is not None and selected)
        self.delete_action.setEnabled(selected)

    # -- commands ---------------------------------------------------------------------------

    def new_account(self) -> None:
        if self._forms is not None:
            self._forms.new_account()

    def new_contact(self) -> None:
        """A new contact; of the selected account when the Accounts tab has one selected."""
        if self._forms is None:
            return
        account_id = None
        if self.tabs.currentIndex() == ACCOUNTS_TAB:
            account_id = self.accounts.current_id()
        self._forms.new_contact(account_id)

    def open_current(self) -> None:
        record_id = self.current_list().current_id()
        if record_id is None:
            return
        if self.tabs.currentIndex() == ACCOUNTS_TAB:
            self._open_account(record_id)
        else:
            self._open_contact(record_id)

    def _open_account(self, account_id: int) -> None:
        if self._forms is not None:
            self._forms.open_account(account_id)

    def _open_contact(self, contact_id: int) -> None:
        if self._forms is not None:
            self._forms.open_contact(contact_id)

    def ask_delete(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            _tr("Delete"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def delete_selected(self) -> int:
        """Delete the selected accounts or contacts after saying what goes with them;
        returns how many were deleted."""
        accounts = self.tabs.currentIndex() == ACCOUNTS_TAB
        service: Any = self._services.accounts if accounts else self._services.contacts
        ids = self.current_list().selected_ids()
        if not ids:
            return 0
        try:
            impacts = [(record_id, service.delete_impact(record_id)) for record_id in ids]
            versions = {record_id: service.get(record_id).version for record_id in ids}
        except DomainError as error:
            show_error(self, error)
            self.refresh()
            return 0
        kind = _tr("account") if accounts else _tr("business contact")
        if len(impacts) == 1:
            question = delete_question(kind, impacts[0][1])
        else:
            total = DeleteImpact(
                name="",
                opportunities=sum(i.opportunities for _, i in impacts),
                contacts=sum(i.contacts for _, i in impacts),
                history_items=sum(i.history_items for _, i in impacts),
            )
            noun = (_tr("{n} accounts") if accounts else _tr("{n} business contacts")).format(
                n=len(impacts)
            )
            question = delete_question(noun, total)
        if not self.ask_delete(question):
            return 0
        deleted = 0
        try:
            # One action: all of them go, or none when one is refused (a project's link).
            service.delete_all([(i, versions[i], impact) for i, impact in impacts])
            deleted = len(impacts)
        except DomainError as error:
            show_error(self, error)
        self.refresh()
        if self._forms is not None and deleted:
            self._forms.records_changed.emit()
        return deleted

    # -- reading pane -------------------------------------------------------------------------

    def reload_choices(self) -> None:
        """Read the Assigned to filters' users again (after File → Share Database…)."""
        users = self._services.lookups.users()
        for combo, view in (
            (self.account_assigned, self.accounts),
            (self.contact_assigned, self.contacts),
        ):
            if refill_user_filter(combo, users):
                view.set_equals(ASSIGNED_TO, combo.currentData())

    def _user_name(self, user_id: int | None) -> str:
        # Removed users too: a record keeps showing who it was assigned to.
        users = {user.id: user.name for user in self._services.lookups.all_users()}
        return users.get(user_id, "") if user_id is not None else ""

    def _category_names(self, ids: tuple[int, ...]) -> str:
        names = {c.id: c.name for c in self._services.lookups.categories()}
        return ", ".join(names[i] for i in ids if i in names)

    def describe_account(self, account_id: int) -> str:
        services = self._services
        try:
            account = services.accounts.get(account_id)
            overview = services.accounts.overview(account_id)
            history = services.history.for_account(account_id)
        except DomainError as error:
            return f"<p style='color:#777'>{escape(error.message)}</p>"
        fields = [
            (_tr("Phone"), account.phone),
            (_tr("E-mail"), account.email),
            (_tr("Web page"), account.web_page),
            (_tr("Address"), _address(account.address)),
            (_tr("Assigned to"), self._user_name(account.assigned_to_id)),
            (_tr("Categories"), self._category_names(account.category_ids)),
            (
                _tr("Business contacts"),
                QLocale().toString(len(overview.contacts)),
            ),
        ]
        parts = [f"<h2 style='margin:4px 0'>{escape(account.name)}</h2>", _table(fields)]
        parts.append(f"<h3 style='margin:10px 0 4px 0'>{escape(_tr('Opportunities'))}</h3>")
        parts.append(f"<p>{escape(totals_text(overview.totals))}</p>")
        if overview.contacts:
            parts.append(
                f"<h3 style='margin:10px 0 4px 0'>{escape(_tr('Business contacts'))}</h3><p>"
                + "<br>".join(
                    escape(c.full_name + (f" — {c.job_title}" if c.job_title else ""))
                    for c in overview.contacts[:10]
                )
                + "</p>"
            )
        parts.append(_history_html(history))
        return "".join(parts)

    def describe_contact(self, contact_id: int) -> str:
        services = self._services
        try:
            contact = services.contacts.get(contact_id)
            opportunities = services.contacts.opportunities(contact_id)
            history = services.history.for_contact(contact_id)
            account = services.contacts.account_name(contact.account_id)
        except DomainError as error:
            return f"<p style='color:#777'>{escape(error.message)}</p>"
        fields = [
            (_tr("Job title"), contact.job_title),
            (_tr("Account"), account),
            (_tr("Business phone"), contact.business_phone),
            (_tr("Mobile phone"), contact.mobile_phone),
            (_tr("E-mail"), contact.email),
            (_tr("Web page"), contact.web_page),
            (_tr("Address"), _address(contact.address)),
            (_tr("Assigned to"), self._user_name(contact.assigned_to_id)),
            (_tr("Categories"), self._category_names(contact.category_ids)),
            (_tr("Opportunities"), QLocale().toString(len(opportunities))),
        ]
        parts = [f"<h2 style='margin:4px 0'>{escape(contact.full_name)}</h2>", _table(fields)]
        parts.append(_history_html(history))
        return "".join(parts)
