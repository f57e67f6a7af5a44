"""The small "New account" / "New business contact" form the Link to dialog's New opens.

It asks only for what identifies the record (the full record forms edit the rest later),
creates it through :class:`~bcm_desktop.services.links.LinkService` and returns it as a search
row. A refused value keeps the form open with that field focused.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import InitiatorKind
from ...domain.errors import DomainError, ValidationError
from ...domain.links import LinkCandidate, LinkSearchKind
from ...services.links import LinkService

# The longest text each field takes (the service checks it too; this just stops typing).
MAX_NAME = 255
MAX_PHONE = 64


def _tr(text: str) -> str:
    return QCoreApplication.translate("NewRecordDialog", text)


def _line_edit(parent: QWidget, name: str, max_length: int = MAX_NAME) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setMaxLength(max_length)
    return edit


class NewRecordDialog(QDialog):
    """Create an account or a business contact. Run it with :meth:`ask`."""

    def __init__(
        self,
        service: LinkService,
        parent: QWidget | None = None,
        *,
        kind: InitiatorKind = InitiatorKind.ACCOUNT,
        allow_kind_choice: bool = False,
        initial_text: str = "",
    ) -> None:
        super().__init__(parent)
        if kind is InitiatorKind.MARKETING:
            raise ValueError("marketing activities are not created here")
        self.setObjectName("newRecordDialog")
        self._service = service
        self._created: LinkCandidate | None = None
        self._account: LinkCandidate | None = None

        self.kind_label = QLabel(self)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("newRecordKind")
        self.kind_combo.addItem("", InitiatorKind.ACCOUNT.value)
        self.kind_combo.addItem("", InitiatorKind.CONTACT.value)
        self.kind_label.setBuddy(self.kind_combo)

        # Account page.
        self.account_page = QWidget(self)
        self.account_page.setObjectName("newAccountPage")
        self.account_name = _line_edit(self.account_page, "newAccountName")
        self.account_phone = _line_edit(self.account_page, "newAccountPhone", MAX_PHONE)
        self.account_email = _line_edit(self.account_page, "newAccountEmail")
        self.account_city = _line_edit(self.account_page, "newAccountCity")
        self.account_form = QFormLayout(self.account_page)
        self.account_form.setContentsMargins(0, 0, 0, 0)
        self.account_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.account_labels: list[QLabel] = []
        for edit in (self.account_name, self.account_phone, self.account_email, self.account_city):
            label = QLabel(self.account_page)
            label.setBuddy(edit)
            self.account_labels.append(label)
            self.account_form.addRow(label, edit)

        # Business contact page.
        self.contact_page = QWidget(self)
        self.contact_page.setObjectName("newContactPage")
        self.first_name = _line_edit(self.contact_page, "newContactFirstName")
        self.last_name = _line_edit(self.contact_page, "newContactLastName")
        self.contact_account = _line_edit(self.contact_page, "newContactAccount")
        self.contact_account.setReadOnly(True)
        self.choose_account = QPushButton(self.contact_page)
        self.choose_account.setObjectName("newContactChooseAccount")
        self.choose_account.setAutoDefault(False)
        self.clear_account = QToolButton(self.contact_page)
        self.clear_account.setObjectName("newContactClearAccount")
        self.clear_account.setText("×")
        self.clear_account.setEnabled(False)
        account_row = QWidget(self.contact_page)
        account_row.setObjectName("newContactAccountRow")
        account_layout = QHBoxLayout(account_row)
        account_layout.setContentsMargins(0, 0, 0, 0)
        account_layout.addWidget(self.contact_account, 1)
        account_layout.addWidget(self.choose_account)
        account_layout.addWidget(self.clear_account)
        self.contact_email = _line_edit(self.contact_page, "newContactEmail")
        self.contact_phone = _line_edit(self.contact_page, "newContactPhone", MAX_PHONE)
        self.contact_form = QFormLayout(self.contact_page)
        self.contact_form.setContentsMargins(0, 0, 0, 0)
        self.contact_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.contact_labels: list[QLabel] = []
        for field, buddy in (
            (self.first_name, self.first_name),
            (self.last_name, self.last_name),
            (account_row, self.choose_account),  # the read-only name cannot be edited
            (self.contact_email, self.contact_email),
            (self.contact_phone, self.contact_phone),
        ):
            label = QLabel(self.contact_page)
            label.setBuddy(buddy)
            self.contact_labels.append(label)
            self.contact_form.addRow(label, field)

        self.pages = QStackedWidget(self)
        self.pages.setObjectName("newRecordPages")
        self.pages.addWidget(self.account_page)
        self.pages.addWidget(self.contact_page)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("newRecordButtons")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.ok_button.setObjectName("newRecordOk")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("newRecordCancel")

        top = QFormLayout()
        top.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        top.addRow(self.kind_label, self.kind_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages)
        layout.addStretch(1)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        self.kind_label.setVisible(allow_kind_choice)
        self.kind_combo.setVisible(allow_kind_choice)

        self.retranslate_ui()
        self.setMinimumWidth(420)

        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.choose_account.clicked.connect(self.pick_account)
        self.clear_account.clicked.connect(lambda: self.set_account(None))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.set_kind(kind)
        self._prefill(initial_text)
        self.first_field().setFocus()

    def retranslate_ui(self) -> None:
        """Set every visible text (again, after a language change)."""
        self.setWindowTitle(
            _tr("New Business Contact")
            if self.record_kind() is InitiatorKind.CONTACT
            else _tr("New Account")
        )
        self.kind_label.setText(_tr("&Record type:"))
        self.kind_combo.setItemText(0, _tr("Account"))
        self.kind_combo.setItemText(1, _tr("Business contact"))
        account_texts = (_tr("&Name:"), _tr("&Phone:"), _tr("&E-mail:"), _tr("&City:"))
        contact_texts = (
            _tr("&First name:"),
            _tr("&Last name:"),
            _tr("&Account:"),
            _tr("&E-mail:"),
            _tr("&Phone:"),
        )
        for label, text in (
            *zip(self.account_labels, account_texts, strict=True),
            *zip(self.contact_labels, contact_texts, strict=True),
        ):
            label.setText(text)
        self.account_name.setPlaceholderText(_tr("Required"))
        self.first_name.setPlaceholderText(_tr("A first or a last name is required"))
        self.contact_account.setPlaceholderText(_tr("None"))
        self.account_email.setPlaceholderText(_tr("name@example.com"))
        self.contact_email.setPlaceholderText(_tr("name@example.com"))
        self.choose_account.setText(_tr("Choose…"))
        self.choose_account.setToolTip(_tr("Search for the account this contact works for"))
        self.clear_account.setToolTip(_tr("No account"))
        self.clear_account.setAccessibleName(_tr("No account"))
        self.ok_button.setText(_tr("&Save"))
        self.cancel_button.setText(_tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- state ---------------------------------------------------------------------------

    def record_kind(self) -> InitiatorKind:
        return InitiatorKind(self.kind_combo.currentData())

    def set_kind(self, kind: InitiatorKind) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))
        self._on_kind_changed()

    def _on_kind_changed(self, _row: int = 0) -> None:
        contact = self.record_kind() is InitiatorKind.CONTACT
        current = self.contact_page if contact else self.account_page
        # A stack is as tall as its tallest page; let only the shown page count, so the
        # short account form has no gap under it.
        for page in (self.account_page, self.contact_page):
            policy = QSizePolicy.Policy.Preferred if page is current else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.pages.setCurrentWidget(current)
        self.adjustSize()
        self.setWindowTitle(_tr("New Business Contact") if contact else _tr("New Account"))

    def first_field(self) -> QLineEdit:
        if self.record_kind() is InitiatorKind.CONTACT:
            return self.first_name
        return self.account_name

    def _prefill(self, text: str) -> None:
        """Start from what the user searched for: it is usually the name they want."""
        if not text:
            return
        self.account_name.setText(text)
        first, _, last = text.partition(" ")
        self.first_name.setText(first)
        self.last_name.setText(last.strip())

    def account(self) -> LinkCandidate | None:
        """The contact's account, if one is chosen."""
        return self._account

    def set_account(self, account: LinkCandidate | None) -> None:
        self._account = account
        self.contact_account.setText(account.name if account else "")
        self.clear_account.setEnabled(account is not None)

    def pick_account(self) -> None:
        """Choose…: find the contact's account with the same search as Link to."""
        from .link_dialog import LinkDialog  # noqa: PLC0415 - the two dialogs open each other

        current = self._account.initiator_ref if self._account else None
        chosen = LinkDialog.ask(
            self,
            self._service,
            kinds=(LinkSearchKind.ACCOUNTS,),
            current=current,
            title=_tr("Choose an Account"),
        )
        if chosen is not None:
            self.set_account(chosen)

    def created(self) -> LinkCandidate | None:
        """The record Save created."""
        return self._created

    # -- saving --------------------------------------------------------------------------

    def _field_widget(self, field: str | None) -> QWidget:
        if self.record_kind() is InitiatorKind.CONTACT:
            widgets: dict[str, QWidget] = {
                "first_name": self.first_name,
                "last_name": self.last_name,
                "account": self.choose_account,
                "email": self.contact_email,
                "phone": self.contact_phone,
            }
        else:
            widgets = {
                "name": self.account_name,
                "phone": self.account_phone,
                "email": self.account_email,
                "city": self.account_city,
            }
        return widgets.get(field or "", self.first_field())

    def _save(self) -> LinkCandidate:
        if self.record_kind() is InitiatorKind.CONTACT:
            return self._service.create_contact(
                self.first_name.text(),
                self.last_name.text(),
                account_id=self._account.id if self._account else None,
                email=self.contact_email.text(),
                phone=self.contact_phone.text(),
            )
        return self._service.create_account(
            self.account_name.text(),
            phone=self.account_phone.text(),
            email=self.account_email.text(),
            city=self.account_city.text(),
        )

    def accept(self) -> None:
        """Save: create the record, or say what is wrong and keep the form open."""
        if self._created is not None:  # already saved (a double click on Save)
            super().accept()
            return
        try:
            self._created = self._save()
        except ValidationError as error:
            QMessageBox.warning(self, self.windowTitle(), error.message)
            widget = self._field_widget(error.field)
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()
            return
        except DomainError as error:
            from ..errors import show_error  # noqa: PLC0415 - the one error presenter

            show_error(self, error)
            return
        super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        service: LinkService,
        *,
        kind: InitiatorKind = InitiatorKind.ACCOUNT,
        allow_kind_choice: bool = False,
        initial_text: str = "",
    ) -> LinkCandidate | None:
        """Run the form; the created record, or ``None`` when cancelled."""
        dialog = cls(
            service,
            parent,
            kind=kind,
            allow_kind_choice=allow_kind_choice,
            initial_text=initial_text,
        )
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.created()
            return None
        finally:
            dialog.deleteLater()
