"""File → Share Database…: the users of the database, and the small form that adds or edits one.

Sharing works the way BCM's did on one office network: the database file lies in a shared
folder, colleagues open that same file, and each is recognised by the login they signed in to
their computer with. The owner lists here who may do so. A removed user stays in the list,
marked "Removed", because records keep showing who they were assigned to; adding their login
again brings them back. Every rule (owner only, valid input, who can be removed) is the
service's: this dialog shows its answers.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import User
from ...domain.errors import DomainError, ValidationError
from ...domain.validation import MAX_NAME
from ...services.users import MAX_LOGIN, UserService, os_login
from ..errors import show_error
from ..widgets.column_model import ColumnTableModel
from ..widgets.single_line import keep_on_one_line

ModelIndex = QModelIndex | QPersistentModelIndex

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShareDialog", text)


class UserTableModel(ColumnTableModel):
    """The users as rows: name, e-mail, login and a mark for the owner or a removed user."""

    NAME, EMAIL, LOGIN, STATUS = range(4)
    _ALIGNMENT = (_LEFT, _LEFT, _LEFT, _LEFT)

    def __init__(self, current_user_id: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._users: list[User] = []
        self._current_user_id = current_user_id

    def set_users(self, users: list[User]) -> None:
        self.beginResetModel()
        try:
            self._users = list(users)
        finally:
            self.endResetModel()

    def user_at(self, row: int) -> User | None:
        return self._users[row] if 0 <= row < len(self._users) else None

    def row_of(self, user_id: int | None) -> int:
        """The row of the user with ``user_id``, or -1."""
        return next((n for n, u in enumerate(self._users) if u.id == user_id), -1)

    def status_text(self, user: User) -> str:
        marks = []
        if user.is_owner:
            marks.append(_tr("Owner"))
        if not user.active:
            marks.append(_tr("Removed"))
        if user.id == self._current_user_id:
            marks.append(_tr("You"))
        return ", ".join(marks)

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._users)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        user = self.user_at(index.row())
        if user is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.NAME:
                return user.name
            if column == self.EMAIL:
                return user.email
            if column == self.LOGIN:
                return user.login
            return self.status_text(user)
        if role == Qt.ItemDataRole.ToolTipRole and not user.active:
            return _tr(
                "Removed: cannot open the database or be assigned records. "
                "Add the login again to bring {name} back."
            ).format(name=user.name)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._ALIGNMENT[column].value)
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return QBrush(
                QGuiApplication.palette().color(
                    QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
                )
            )
        if role == Qt.ItemDataRole.UserRole:
            return user.id
        return None

    def _headers(self) -> tuple[str, ...]:
        return (_tr("Name"), _tr("E-mail"), _tr("Login"), _tr("Status"))


class UserFormDialog(QDialog):
    """Adds or edits one user; OK saves through the user service.

    A refusal is shown inside the form, under the fields, with the offending field focused;
    the dialog stays open with what was typed. When editing, the login is shown but fixed:
    it is how the colleague is recognised.
    """

    def __init__(
        self, users: UserService, user: User | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("userFormDialog")
        self._users = users
        self._original = user
        self.saved: User | None = None

        self.name_edit = keep_on_one_line(QLineEdit(self))
        self.name_edit.setObjectName("userNameEdit")
        self.name_edit.setMaxLength(MAX_NAME)
        self.email_edit = keep_on_one_line(QLineEdit(self))
        self.email_edit.setObjectName("userEmailEdit")
        self.email_edit.setMaxLength(MAX_NAME)
        self.login_edit = QLineEdit(self)
        self.login_edit.setObjectName("userLoginEdit")
        self.login_edit.setMaxLength(MAX_LOGIN)
        self.login_hint = QLabel(self)
        self.login_hint.setObjectName("loginHint")
        self.login_hint.setWordWrap(True)
        # Expanding, so the form gives the hint the full width of the boxes above it.
        self.login_hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        hint_font = self.login_hint.font()
        hint_font.setPointSizeF(hint_font.pointSizeF() * 0.9)
        self.login_hint.setFont(hint_font)
        self.login_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("userFormError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.hide()

        self._name_label = QLabel(self)
        self._email_label = QLabel(self)
        self._login_label = QLabel(self)
        for label, buddy in (
            (self._name_label, self.name_edit),
            (self._email_label, self.email_edit),
            (self._login_label, self.login_edit),
        ):
            label.setBuddy(buddy)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self._name_label, self.name_edit)
        form.addRow(self._email_label, self.email_edit)
        form.addRow(self._login_label, self.login_edit)
        form.addRow("", self.login_hint)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("buttons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

        if user is not None:
            self.name_edit.setText(user.name)
            self.email_edit.setText(user.email)
            self.login_edit.setText(user.login)
            self.login_edit.setReadOnly(True)
        self._retranslate_ui()
        for edit in (self.name_edit, self.email_edit, self.login_edit):
            edit.textEdited.connect(self._clear_error)
        self.name_edit.setFocus()

    def _retranslate_ui(self) -> None:
        editing = self._original is not None
        self.setWindowTitle(_tr("Edit user") if editing else _tr("Add user"))
        self._name_label.setText(_tr("&Name:"))
        self._email_label.setText(_tr("&E-mail:"))
        self._login_label.setText(_tr("Windows/OS &login:"))
        if editing:
            self.login_hint.setText(
                _tr("The login cannot be changed: it is how this colleague is recognised.")
            )
        else:
            self.login_hint.setText(
                _tr(
                    "The name your colleague signs in to their computer with, without a "
                    "domain. Yours is “{login}”."
                ).format(login=os_login())
            )
        self.name_edit.setPlaceholderText(_tr("Anna Jansen"))
        self.email_edit.setPlaceholderText(_tr("anna@example.com (optional)"))
        self.login_edit.setPlaceholderText(_tr("anna.jansen"))
        for widget, name in (
            (self.name_edit, _tr("Name")),
            (self.email_edit, _tr("E-mail")),
            (self.login_edit, _tr("Windows or OS login")),
            (self.error_label, _tr("Problem")),
        ):
            widget.setAccessibleName(name)

    def field_widget(self, field: str | None) -> QLineEdit | None:
        """The box to focus for a ``ValidationError`` about ``field``."""
        return {
            "name": self.name_edit,
            "email": self.email_edit,
            "login": self.login_edit,
        }.get(field or "")

    def show_error(self, message: str, field: str | None = None) -> None:
        """Say what is wrong under the fields and put the cursor where it is wrong."""
        self.error_label.setText(message)
        self.error_label.show()
        layout = self.layout()
        if layout is not None:
            layout.activate()  # make room for the message now, not on the next event
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        widget = self.field_widget(field)
        if widget is not None and not widget.isReadOnly():
            widget.setFocus()
            widget.selectAll()

    def _clear_error(self, _text: str = "") -> None:
        self.error_label.clear()
        self.error_label.hide()

    def accept(self) -> None:
        try:
            if self._original is None:
                self.saved = self._users.add(
                    self.name_edit.text(), self.email_edit.text(), self.login_edit.text()
                )
            else:
                self.saved = self._users.update(
                    self._original.id, self.name_edit.text(), self.email_edit.text()
                )
        except ValidationError as error:
            self.show_error(error.message, error.field)
            return
        except DomainError as error:
            self.show_error(error.message)
            return
        super().accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, users: UserService, user: User | None = None
    ) -> User | None:
        """Run the form; the user as saved, or ``None`` when cancelled."""
        dialog = cls(users, user, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.saved
            return None
        finally:
            dialog.deleteLater()


class ShareDialog(QDialog):
    """The users of the database with Add…, Edit…, Remove and Close."""

    def __init__(
        self, users: UserService, current_user_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shareDialog")
        self._users = users
        self._current_user_id = current_user_id
        self.changed = False  # whether anything was saved: callers refresh their choices

        self.intro = QLabel(self)
        self.intro.setObjectName("shareIntro")
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)

        self.model = UserTableModel(current_user_id, self)
        self.view = QTableView(self)
        self.view.setObjectName("usersTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)  # Tab moves on to the buttons
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(UserTableModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(UserTableModel.EMAIL, QHeaderView.ResizeMode.Stretch)
        for column in (UserTableModel.LOGIN, UserTableModel.STATUS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addUserButton")
        self.edit_button = QPushButton(self)
        self.edit_button.setObjectName("editUserButton")
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removeUserButton")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.setObjectName("buttons")
        self.buttons.rejected.connect(self.reject)

        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addWidget(self.edit_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.view, 1)
        middle.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(4)
        layout.addLayout(middle, 1)
        layout.addWidget(self.buttons)
        self.resize(680, 400)

        self._retranslate_ui()
        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_user)
        self.remove_button.clicked.connect(self.remove_user)
        self.view.doubleClicked.connect(self.edit_user)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()
        self.edit_button.setDefault(True)  # Enter on a user edits them
        self.view.setFocus()

    def _retranslate_ui(self) -> None:
        self.setWindowTitle(_tr("Share Database"))
        self.intro.setText(
            _tr(
                "To work together, put the database file in a shared folder or on a shared "
                "drive, and let your colleagues open that same file (File → Open Database). "
                "BCM Desktop recognises each of them by the login they use on their "
                "computer: add that login here. Only the people listed can open the database "
                "and be chosen in Assigned to."
            )
        )
        self.view.setAccessibleName(_tr("Users of the database"))
        self.add_button.setText(_tr("&Add…"))
        self.edit_button.setText(_tr("&Edit…"))
        self.remove_button.setText(_tr("&Remove"))
        self.add_button.setToolTip(_tr("Share the database with a colleague"))
        self.edit_button.setToolTip(_tr("Change the name or e-mail address of the selected user"))
        for button in (self.add_button, self.edit_button, self.remove_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self._update_buttons()

    # -- state ---------------------------------------------------------------------------

    def current_user(self) -> User | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.user_at(rows[0].row()) if rows else None

    def reload(self, select_id: int | None = None) -> None:
        """Re-read the users (removed ones included), selecting ``select_id`` if given."""
        if select_id is None:
            current = self.current_user()
            select_id = current.id if current else None
        try:
            users = self._users.users(include_inactive=True)
        except DomainError as error:
            show_error(self, error)
            users = []
        # The people who can work in the database first, then the removed ones.
        self.model.set_users(sorted(users, key=lambda u: (not u.active, u.name.casefold())))
        row = self.model.row_of(select_id)
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            index = self.model.index(row, 0)
            self.view.selectionModel().select(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
        self._update_buttons()

    def _removal_refusal(self, user: User | None) -> str | None:
        """Why the selected user cannot be removed, or ``None`` if they can."""
        if user is None:
            return _tr("Select a user to remove")
        if user.id == self._current_user_id:
            return _tr("You cannot remove yourself")
        if user.is_owner:
            return _tr("The database owner cannot be removed")
        if not user.active:
            return _tr("Already removed; Add… their login to bring them back")
        return None

    def _update_buttons(self) -> None:
        user = self.current_user()
        self.edit_button.setEnabled(user is not None)
        refusal = self._removal_refusal(user)
        self.remove_button.setEnabled(refusal is None)
        self.remove_button.setToolTip(
            refusal
            or _tr("Stop sharing the database with {name}").format(name=user.name if user else "")
        )

    # -- actions -------------------------------------------------------------------------

    def add_user(self) -> None:
        saved = UserFormDialog.ask(self, self._users)
        if saved is not None:
            self.changed = True
            self.reload(saved.id)

    def edit_user(self) -> None:
        user = self.current_user()
        if user is None:
            return
        saved = UserFormDialog.ask(self, self._users, user)
        if saved is not None:
            self.changed = True
            self.reload(saved.id)

    def remove_user(self) -> None:
        user = self.current_user()
        if user is None or self._removal_refusal(user) is not None:
            return
        try:
            count = self._users.assigned_count(user.id)
        except DomainError as error:
            show_error(self, error)
            self.reload()
            return
        if count == 1:
            kept = _tr("1 opportunity stays assigned to them")
        else:
            kept = _tr("{count} opportunities stay assigned to them").format(count=count)
        question = _tr(
            "Remove {name}? {kept}, but {name} can no longer open this database or be "
            "chosen in Assigned to. Adding the login “{login}” again brings them back."
        ).format(name=user.name, kept=kept, login=user.login)
        answer = QMessageBox.question(
            self,
            _tr("Remove user"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._users.remove(user.id)
        except DomainError as error:
            show_error(self, error)
            self.reload()
            return
        self.changed = True
        self.reload(user.id)

    @classmethod
    def ask(cls, parent: QWidget | None, users: UserService, current_user_id: int | None) -> bool:
        """Run the dialog; whether any user was added, changed or removed."""
        dialog = cls(users, current_user_id, parent)
        try:
            dialog.exec()
            return dialog.changed
        finally:
            dialog.deleteLater()
