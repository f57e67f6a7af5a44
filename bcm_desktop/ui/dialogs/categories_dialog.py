"""Manage Categories: add a category with a name and a colour, rename or recolour it, delete it.

The master list is a handful of names, so a plain ``QListWidget`` refilled after every change
serves it; each change is one call to the category service, which enforces the rules.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import DomainError
from ...services.categories import CategoryService
from ..errors import show_error
from ..widgets.single_line import keep_on_one_line


def _tr(text: str) -> str:
    return QCoreApplication.translate("CategoriesDialog", text)


def swatch(color: str, size: int = 14) -> QIcon:
    """A filled square of ``color`` for menus and lists; an empty icon when there is none."""
    if not color or not QColor(color).isValid():
        return QIcon()
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class CategoriesDialog(QDialog):
    def __init__(self, service: CategoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("categoriesDialog")
        self.setWindowTitle(_tr("Manage Categories"))
        self._service = service
        self._color = ""
        self.changed = False

        self.list_widget = QListWidget(self)
        self.list_widget.setObjectName("categoryList")
        self.list_widget.currentItemChanged.connect(self._on_current)
        self.name_edit = QLineEdit(self)
        keep_on_one_line(self.name_edit)
        self.name_edit.setObjectName("categoryName")
        self.name_edit.setMaxLength(255)
        self.name_edit.setAccessibleName(_tr("Category name"))
        self.color_button = QPushButton(_tr("&Colour…"), self)
        self.color_button.setObjectName("categoryColor")
        self.color_button.clicked.connect(self.choose_color)
        self.no_color_button = QPushButton(_tr("&No colour"), self)
        self.no_color_button.setObjectName("categoryNoColor")
        self.no_color_button.clicked.connect(lambda: self._set_color(""))
        self.add_button = QPushButton(_tr("&Add"), self)
        self.add_button.setObjectName("addCategory")
        self.add_button.clicked.connect(self.add)
        self.rename_button = QPushButton(_tr("&Rename / Recolour"), self)
        self.rename_button.setObjectName("renameCategory")
        self.rename_button.clicked.connect(self.rename)
        self.delete_button = QPushButton(_tr("&Delete"), self)
        self.delete_button.setObjectName("deleteCategory")
        self.delete_button.clicked.connect(self.delete)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.accept)

        name_label = QLabel(_tr("&Name:"), self)
        name_label.setBuddy(self.name_edit)
        edit = QGridLayout()
        edit.addWidget(name_label, 0, 0)
        edit.addWidget(self.name_edit, 0, 1, 1, 2)
        edit.addWidget(self.color_button, 1, 1)
        edit.addWidget(self.no_color_button, 1, 2)
        actions = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list_widget, 1)
        layout.addLayout(edit)
        layout.addLayout(actions)
        layout.addWidget(self.buttons)
        self.refresh()
        self.resize(380, 360)

    # -- state ---------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        self.list_widget.blockSignals(True)
        self.list_widget.clear()
        for category in self._service.all():
            item = QListWidgetItem(swatch(category.color), category.name, self.list_widget)
            item.setData(Qt.ItemDataRole.UserRole, category.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, category.color)
            if category.id == select_id:
                self.list_widget.setCurrentItem(item)
        self.list_widget.blockSignals(False)
        self._update_buttons()

    def _selected_id(self) -> int | None:
        item = self.list_widget.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _on_current(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self.name_edit.setText(item.text())
            self._set_color(str(item.data(Qt.ItemDataRole.UserRole + 1) or ""))
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self._selected_id() is not None
        self.rename_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    def _set_color(self, color: str) -> None:
        self._color = color
        self.color_button.setIcon(swatch(color))

    # -- actions -------------------------------------------------------------------------

    def choose_color(self) -> None:
        initial = QColor(self._color) if self._color else QColor(Qt.GlobalColor.white)
        chosen = QColorDialog.getColor(initial, self, _tr("Category colour"))
        if chosen.isValid():
            self._set_color(chosen.name())

    def add(self) -> None:
        try:
            category = self._service.add(self.name_edit.text(), self._color)
        except DomainError as error:
            show_error(self, error)
            return
        self.changed = True
        self.refresh(category.id)

    def rename(self) -> None:
        category_id = self._selected_id()
        if category_id is None:
            return
        try:
            category = self._service.update(category_id, self.name_edit.text(), self._color)
        except DomainError as error:
            show_error(self, error)
            return
        self.changed = True
        self.refresh(category.id)

    def delete(self) -> None:
        category_id = self._selected_id()
        if category_id is None:
            return
        item = self.list_widget.currentItem()
        answer = QMessageBox.question(
            self,
            _tr("Delete category"),
            _tr("Delete the category “{name}”? Records keep everything else.").format(
                name=item.text()
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._service.delete(category_id)
        except DomainError as error:
            show_error(self, error)
        self.changed = True
        self.name_edit.clear()
        self._set_color("")
        self.refresh()

    @classmethod
    def ask(cls, parent: QWidget | None, service: CategoryService) -> bool:
        """Run the dialog; True when any category was added, changed or deleted."""
        dialog = cls(service, parent)
        try:
            dialog.exec()
            return dialog.changed
        finally:
            dialog.deleteLater()
