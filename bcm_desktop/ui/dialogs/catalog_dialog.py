"""The Products and services catalog: the list of items, and the small form that edits one.

Items are never deleted: an opportunity line may refer to one, so an item that is no longer
sold is deactivated. It then leaves the choices of the "Add product or service" dialog and
shows here only with "Show inactive items".
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
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import Product
from ...domain.errors import DomainError, ValidationError
from ...domain.money import ZERO
from ...domain.validation import MAX_NAME
from ...services.catalog import CatalogService
from .. import formatting
from ..widgets.column_model import ColumnTableModel
from ..widgets.money_edit import MoneyEdit
from ..widgets.single_line import keep_on_one_line

ModelIndex = QModelIndex | QPersistentModelIndex

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter


def _tr(text: str) -> str:
    return QCoreApplication.translate("CatalogDialog", text)


class ProductTableModel(ColumnTableModel):
    """The catalog items as rows: name, unit price, unit cost, taxable, active."""

    NAME, UNIT_PRICE, UNIT_COST, TAXABLE, ACTIVE = range(5)
    _ALIGNMENT = (_LEFT, _RIGHT, _RIGHT, _CENTER, _CENTER)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._products: list[Product] = []

    def set_products(self, products: list[Product]) -> None:
        self.beginResetModel()
        try:
            self._products = list(products)
        finally:
            self.endResetModel()

    def product_at(self, row: int) -> Product | None:
        return self._products[row] if 0 <= row < len(self._products) else None

    def row_of(self, product_id: int | None) -> int:
        """The row of the item with ``product_id``, or -1."""
        return next((n for n, p in enumerate(self._products) if p.id == product_id), -1)

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._products)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        product = self.product_at(index.row())
        if product is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(product, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            return product.description or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._ALIGNMENT[column].value)
        if role == Qt.ItemDataRole.ForegroundRole and not product.active:
            return QBrush(
                QGuiApplication.palette().color(
                    QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
                )
            )
        if role == Qt.ItemDataRole.UserRole:
            return product.id
        return None

    @classmethod
    def _display(cls, product: Product, column: int) -> str:
        if column == cls.NAME:
            return product.name
        if column == cls.UNIT_PRICE:
            return formatting.money(product.unit_price)
        if column == cls.UNIT_COST:
            return formatting.money(product.unit_cost)
        if column == cls.TAXABLE:
            return _tr("Yes") if product.taxable else _tr("No")
        return _tr("Active") if product.active else _tr("Inactive")

    def _headers(self) -> tuple[str, ...]:
        return (
            _tr("Item name"),
            _tr("Unit price"),
            _tr("Unit cost"),
            _tr("Taxable"),
            _tr("Status"),
        )


class ProductFormDialog(QDialog):
    """Adds or edits one catalog item; OK saves it through the catalog service.

    A refusal (a missing or duplicate name, a bad price, a colleague's change) is shown and
    the dialog stays open with what was typed, the offending field focused.
    """

    def __init__(
        self, catalog: CatalogService, product: Product | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("productFormDialog")
        self._catalog = catalog
        self._original = product
        self.saved: Product | None = None

        self.name_edit = QLineEdit(self)
        keep_on_one_line(self.name_edit)
        self.name_edit.setObjectName("nameEdit")
        self.name_edit.setMaxLength(MAX_NAME)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("descriptionEdit")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        number_width = self.fontMetrics().horizontalAdvance("0" * 16) + 16
        self.unit_price_edit = MoneyEdit(self)
        self.unit_price_edit.setObjectName("unitPriceEdit")
        self.unit_price_edit.setFixedWidth(number_width)
        self.unit_cost_edit = MoneyEdit(self)
        self.unit_cost_edit.setObjectName("unitCostEdit")
        self.unit_cost_edit.setFixedWidth(number_width)
        self.taxable_check = QCheckBox(_tr("&Taxable"), self)
        self.taxable_check.setObjectName("taxableCheck")

        form = QFormLayout()
        form.addRow(_tr("&Item name:"), self.name_edit)
        form.addRow(_tr("&Description:"), self.description_edit)
        form.addRow(_tr("Unit &price:"), self.unit_price_edit)
        form.addRow(_tr("Unit c&ost:"), self.unit_cost_edit)
        form.addRow("", self.taxable_check)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("buttons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

        self.setWindowTitle(_tr("Edit catalog item") if product else _tr("New catalog item"))
        for widget, name in (
            (self.name_edit, _tr("Item name")),
            (self.description_edit, _tr("Description")),
            (self.unit_price_edit, _tr("Unit price")),
            (self.unit_cost_edit, _tr("Unit cost")),
            (self.taxable_check, _tr("Taxable")),
        ):
            widget.setAccessibleName(name)
        if product is not None:
            self.name_edit.setText(product.name)
            self.description_edit.setPlainText(product.description)
            self.unit_price_edit.set_value(product.unit_price)
            self.unit_cost_edit.set_value(product.unit_cost)
            self.taxable_check.setChecked(product.taxable)
        self.name_edit.setFocus()

    def product(self) -> Product:
        """The item as typed; ``ValidationError`` when a price is not a number."""
        original = self._original
        return Product(
            id=original.id if original else None,
            name=self.name_edit.text(),
            description=self.description_edit.toPlainText(),
            unit_price=self.unit_price_edit.checked_value(_tr("Unit price"), "unit_price"),
            unit_cost=self.unit_cost_edit.checked_value(
                _tr("Unit cost"), "unit_cost", default=ZERO
            ),
            taxable=self.taxable_check.isChecked(),
            active=original.active if original else True,
            version=original.version if original else 0,
        )

    def accept(self) -> None:
        try:
            product = self.product()
            if self._original is None:
                self.saved = self._catalog.add(product)
            else:
                self.saved = self._catalog.update(product)
        except DomainError as error:
            QMessageBox.warning(self, _tr("Cannot save the item"), error.message)
            if isinstance(error, ValidationError):
                widget = {
                    "name": self.name_edit,
                    "description": self.description_edit,
                    "unit_price": self.unit_price_edit,
                    "unit_cost": self.unit_cost_edit,
                }.get(error.field or "")
                if widget is not None:
                    widget.setFocus()
            return
        super().accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, catalog: CatalogService, product: Product | None = None
    ) -> Product | None:
        """Run the form; the item as saved, or ``None`` when cancelled."""
        dialog = cls(catalog, product, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.saved
            return None
        finally:
            dialog.deleteLater()


class CatalogDialog(QDialog):
    """The "Products and services" list with Add, Edit and Deactivate/Activate."""

    def __init__(self, catalog: CatalogService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogDialog")
        self._catalog = catalog
        self._products: list[Product] = []  # as read; the search filters these
        self.changed = False  # whether anything was saved, for callers that cache the catalog

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("catalogSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.show_inactive_check = QCheckBox(self)
        self.show_inactive_check.setObjectName("showInactiveCheck")

        self.model = ProductTableModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("catalogTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(ProductTableModel.NAME, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addItemButton")
        self.edit_button = QPushButton(self)
        self.edit_button.setObjectName("editItemButton")
        self.active_button = QPushButton(self)
        self.active_button.setObjectName("toggleActiveButton")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.setObjectName("buttons")
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.show_inactive_check)
        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addWidget(self.edit_button)
        side.addWidget(self.active_button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.view, 1)
        middle.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 420)

        self._retranslate_ui()
        self.add_button.clicked.connect(self.add_item)
        self.edit_button.clicked.connect(self.edit_item)
        self.active_button.clicked.connect(self.toggle_active)
        self.view.doubleClicked.connect(self.edit_item)
        self.show_inactive_check.toggled.connect(self._on_show_inactive_toggled)
        self.search_edit.textChanged.connect(self._on_search_changed)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()

    def _retranslate_ui(self) -> None:
        self.setWindowTitle(_tr("Products and services"))
        self.search_edit.setPlaceholderText(_tr("Search items"))
        self.search_edit.setAccessibleName(_tr("Search items"))
        self.show_inactive_check.setText(_tr("Show &inactive items"))
        self.show_inactive_check.setAccessibleName(_tr("Show inactive items"))
        self.view.setAccessibleName(_tr("Catalog items"))
        self.add_button.setText(_tr("&Add…"))
        self.edit_button.setText(_tr("&Edit…"))
        for button in (self.add_button, self.edit_button, self.active_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self._update_buttons()

    # -- state ---------------------------------------------------------------------------

    def current_product(self) -> Product | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.product_at(rows[0].row()) if rows else None

    def reload(self, select_id: int | None = None) -> None:
        """Re-read the catalog, keeping (or moving) the selection to ``select_id``."""
        if select_id is None:
            current = self.current_product()
            select_id = current.id if current else None
        try:
            self._products = self._catalog.items(
                active_only=not self.show_inactive_check.isChecked()
            )
        except DomainError as error:
            QMessageBox.warning(self, _tr("Products and services"), error.message)
            self._products = []
        self._show_products(select_id)

    def _show_products(self, select_id: int | None = None) -> None:
        """Show the items read last that match the search, selecting ``select_id``."""
        if select_id is None:
            current = self.current_product()
            select_id = current.id if current else None
        search = self.search_edit.text().strip().casefold()
        self.model.set_products(
            [p for p in self._products if search in p.name.casefold()] if search else self._products
        )
        row = self.model.row_of(select_id)
        if row >= 0:
            self.view.selectionModel().select(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.view.setCurrentIndex(self.model.index(row, 0))
            self.view.scrollTo(self.model.index(row, 0))
        self._update_buttons()

    def _on_show_inactive_toggled(self, _checked: bool) -> None:
        self.reload()

    def _on_search_changed(self, _text: str) -> None:
        self._show_products()

    def _update_buttons(self) -> None:
        product = self.current_product()
        self.edit_button.setEnabled(product is not None)
        self.active_button.setEnabled(product is not None)
        activate = product is not None and not product.active
        self.active_button.setText(_tr("Ac&tivate") if activate else _tr("&Deactivate"))
        self.active_button.setAccessibleName(_tr("Activate") if activate else _tr("Deactivate"))

    # -- actions -------------------------------------------------------------------------

    def add_item(self) -> None:
        saved = ProductFormDialog.ask(self, self._catalog)
        if saved is not None:
            self.changed = True
            self.reload(saved.id)

    def edit_item(self) -> None:
        product = self.current_product()
        if product is None:
            return
        saved = ProductFormDialog.ask(self, self._catalog, product)
        if saved is not None:
            self.changed = True
            self.reload(saved.id)

    def toggle_active(self) -> None:
        product = self.current_product()
        if product is None or product.id is None:
            return
        try:
            if product.active:
                saved = self._catalog.deactivate(product.id, product.version)
            else:
                saved = self._catalog.activate(product.id, product.version)
        except DomainError as error:
            QMessageBox.warning(self, _tr("Products and services"), error.message)
            self.reload()
            return
        self.changed = True
        self.reload(saved.id)

    @classmethod
    def ask(cls, parent: QWidget | None, catalog: CatalogService) -> bool:
        """Run the catalog dialog; whether any item was added or changed."""
        dialog = cls(catalog, parent)
        try:
            dialog.exec()
            return dialog.changed
        finally:
            dialog.deleteLater()
