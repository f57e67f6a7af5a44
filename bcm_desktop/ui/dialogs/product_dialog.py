"""The "Add product or service" dialog: one line of an opportunity's Products and services.

The user picks an item from the catalog (the item box lists the active items and finds them by
any part of the name) or types a write-in item, then sets quantity, unit price and a discount —
either a percentage or an amount. The line amount, discount and line total are shown as they
are typed, computed by :class:`OpportunityLine` itself, so what the dialog shows is exactly
what the opportunity will store. OK checks the line with ``OpportunityLine.validated()``; a
refusal is shown and the offending field focused, and the dialog stays open.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import OpportunityLine, Product
from ...domain.errors import ValidationError
from ...domain.money import ZERO
from ...domain.validation import MAX_NAME
from ...services.catalog import CatalogService
from .. import formatting
from ..widgets.money_edit import DecimalEdit, MoneyEdit

_NO_VALUE = "—"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProductLineDialog", text)


class ProductLineDialog(QDialog):
    """Asks for one product or service line; :attr:`result_line` holds it after OK."""

    def __init__(
        self,
        catalog: CatalogService,
        line: OpportunityLine | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("productLineDialog")
        self._original = line
        self._products: dict[int, Product] = {p.id: p for p in catalog.items() if p.id is not None}
        # The catalog item the line refers to and the name it had when chosen: while the item
        # box shows another name, the line is a write-in item.
        self._link: tuple[int | None, str] = (
            (line.product_id, line.item_name) if line else (None, "")
        )
        self.result_line: OpportunityLine | None = None

        self._build()
        self._retranslate_ui(editing=line is not None)
        if line is not None:
            self._fill_from_line(line)
        else:
            self.quantity_edit.set_value(Decimal(1))
        self._connect()
        self._update_discount_mode()
        self._update_summary()
        self.item_combo.setFocus()

    # -- construction --------------------------------------------------------------------

    def _build(self) -> None:
        self.item_combo = QComboBox(self)
        self.item_combo.setObjectName("itemCombo")
        self.item_combo.setEditable(True)
        self.item_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.item_combo.setMinimumContentsLength(28)
        self.item_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.item_combo.setMaxVisibleItems(15)
        for product in self._products.values():
            self.item_combo.addItem(product.name, product.id)
            self.item_combo.setItemData(
                self.item_combo.count() - 1,
                self._product_tooltip(product),
                Qt.ItemDataRole.ToolTipRole,
            )
        # Find items by any part of their name; the default inline completion would rewrite a
        # write-in name that happens to start like a catalog item ("Install" → "Installation").
        completer = QCompleter(self.item_combo.model(), self.item_combo)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.item_combo.setCompleter(completer)
        self.item_combo.setCurrentIndex(-1)
        line_edit = self.item_combo.lineEdit()
        assert line_edit is not None  # an editable combo box always has one
        self.item_name_edit: QLineEdit = line_edit
        line_edit.setMaxLength(MAX_NAME)
        line_edit.setObjectName("itemNameEdit")
        line_edit.installEventFilter(self)

        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("descriptionEdit")
        self.description_edit.setTabChangesFocus(True)
        lines = self.description_edit.fontMetrics().lineSpacing()
        self.description_edit.setFixedHeight(lines * 3 + 12)

        number_width = self.fontMetrics().horizontalAdvance("0" * 16) + 16
        self.quantity_edit = DecimalEdit.quantity(self)
        self.quantity_edit.setObjectName("quantityEdit")
        self.unit_price_edit = MoneyEdit(self)
        self.unit_price_edit.setObjectName("unitPriceEdit")
        self.unit_cost_edit = MoneyEdit(self)
        self.unit_cost_edit.setObjectName("unitCostEdit")

        self.percent_radio = QRadioButton(self)
        self.percent_radio.setObjectName("discountPercentRadio")
        self.percent_edit = DecimalEdit.percent(self)
        self.percent_edit.setObjectName("discountPercentEdit")
        self.percent_sign = QLabel("%", self)
        self.amount_radio = QRadioButton(self)
        self.amount_radio.setObjectName("discountAmountRadio")
        self.amount_edit = MoneyEdit(self)
        self.amount_edit.setObjectName("discountAmountEdit")
        self.discount_group = QButtonGroup(self)
        self.discount_group.addButton(self.percent_radio)
        self.discount_group.addButton(self.amount_radio)
        self.percent_radio.setChecked(True)
        for edit in (
            self.quantity_edit,
            self.unit_price_edit,
            self.unit_cost_edit,
            self.amount_edit,
        ):
            edit.setFixedWidth(number_width)
        self.percent_edit.setFixedWidth(self.fontMetrics().horizontalAdvance("0" * 7) + 16)
        discount_row = QHBoxLayout()
        discount_row.addWidget(self.percent_radio)
        discount_row.addWidget(self.percent_edit)
        discount_row.addWidget(self.percent_sign)
        discount_row.addSpacing(16)
        discount_row.addWidget(self.amount_radio)
        discount_row.addWidget(self.amount_edit)
        discount_row.addStretch(1)

        self.taxable_check = QCheckBox(self)
        self.taxable_check.setObjectName("taxableCheck")

        self._item_label = QLabel(self)
        self._description_label = QLabel(self)
        self._quantity_label = QLabel(self)
        self._unit_price_label = QLabel(self)
        self._unit_cost_label = QLabel(self)
        self._discount_label = QLabel(self)
        for label, buddy in (
            (self._item_label, self.item_combo),
            (self._description_label, self.description_edit),
            (self._quantity_label, self.quantity_edit),
            (self._unit_price_label, self.unit_price_edit),
            (self._unit_cost_label, self.unit_cost_edit),
            (self._discount_label, self.percent_radio),
        ):
            label.setBuddy(buddy)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self._item_label, self.item_combo)
        form.addRow(self._description_label, self.description_edit)
        form.addRow(self._quantity_label, self.quantity_edit)
        form.addRow(self._unit_price_label, self.unit_price_edit)
        form.addRow(self._unit_cost_label, self.unit_cost_edit)
        form.addRow(self._discount_label, discount_row)
        form.addRow("", self.taxable_check)

        # The live summary, laid out like the foot of an invoice: a compact block at the
        # right, figures right-aligned in one column, a rule above the line total in bold.
        self.summary = QFrame(self)
        self.summary.setObjectName("lineSummary")
        self.summary.setFrameShape(QFrame.Shape.StyledPanel)
        self.gross_value = self._figure("lineAmountValue")
        self.discount_value = self._figure("discountValue")
        self.total_value = self._figure("lineTotalValue")
        self.markup_value = self._figure("markupValue")
        bold = QFont(self.total_value.font())
        bold.setBold(True)
        self.total_value.setFont(bold)
        self._gross_label = QLabel(self.summary)
        self._discount_sum_label = QLabel(self.summary)
        self._total_label = QLabel(self.summary)
        self._total_label.setFont(bold)
        self._markup_label = QLabel(self.summary)
        rule = QFrame(self.summary)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        grid = QGridLayout(self.summary)
        grid.setHorizontalSpacing(24)
        grid.addWidget(self._gross_label, 0, 0)
        grid.addWidget(self.gross_value, 0, 1)
        grid.addWidget(self._discount_sum_label, 1, 0)
        grid.addWidget(self.discount_value, 1, 1)
        grid.addWidget(rule, 2, 0, 1, 2)
        grid.addWidget(self._total_label, 3, 0)
        grid.addWidget(self.total_value, 3, 1)
        grid.addWidget(self._markup_label, 4, 0)
        grid.addWidget(self.markup_value, 4, 1)
        grid.setColumnMinimumWidth(1, self.fontMetrics().horizontalAdvance("0" * 15))
        summary_row = QHBoxLayout()
        summary_row.addStretch(1)
        summary_row.addWidget(self.summary)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("buttons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addLayout(summary_row)
        layout.addWidget(self.buttons)

    def _figure(self, name: str) -> QLabel:
        label = QLabel(_NO_VALUE, self.summary)
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _retranslate_ui(self, *, editing: bool) -> None:
        self.setWindowTitle(
            _tr("Edit product or service") if editing else _tr("Add product or service")
        )
        self._item_label.setText(_tr("&Item:"))
        self._description_label.setText(_tr("&Description:"))
        self._quantity_label.setText(_tr("&Quantity:"))
        self._unit_price_label.setText(_tr("Unit &price:"))
        self._unit_cost_label.setText(_tr("Unit c&ost:"))
        self._discount_label.setText(_tr("Dis&count:"))
        self.percent_radio.setText(_tr("Percent"))
        self.amount_radio.setText(_tr("Amount"))
        self.taxable_check.setText(_tr("&Taxable"))
        self._gross_label.setText(_tr("Line amount:"))
        self._discount_sum_label.setText(_tr("Discount:"))
        self._total_label.setText(_tr("Line total:"))
        self._markup_label.setText(_tr("Markup:"))
        self.item_combo.setToolTip(
            _tr("Choose an item of the catalog, or type the name of another item.")
        )
        self.unit_cost_edit.setToolTip(_tr("What the item costs you; used for the markup."))
        accessible = (
            (self.item_combo, _tr("Item")),
            (self.item_name_edit, _tr("Item name")),
            (self.description_edit, _tr("Description")),
            (self.quantity_edit, _tr("Quantity")),
            (self.unit_price_edit, _tr("Unit price")),
            (self.unit_cost_edit, _tr("Unit cost")),
            (self.percent_radio, _tr("Discount as a percentage")),
            (self.percent_edit, _tr("Discount percentage")),
            (self.amount_radio, _tr("Discount as an amount")),
            (self.amount_edit, _tr("Discount amount")),
            (self.taxable_check, _tr("Taxable")),
            (self.gross_value, _tr("Line amount")),
            (self.discount_value, _tr("Discount")),
            (self.total_value, _tr("Line total")),
            (self.markup_value, _tr("Markup")),
            (self.summary, _tr("Line amounts")),
        )
        for widget, name in accessible:
            widget.setAccessibleName(name)

    def _connect(self) -> None:
        # ``activated`` is the user choosing an item (list, completer or Enter on a name),
        # never the programmatic filling of an edited line.
        self.item_combo.activated.connect(self._on_item_chosen)
        for edit in (self.quantity_edit, self.unit_price_edit, self.unit_cost_edit):
            edit.textChanged.connect(self._update_summary)
        self.percent_edit.textChanged.connect(self._update_summary)
        self.amount_edit.textChanged.connect(self._update_summary)
        self.percent_radio.toggled.connect(self._update_discount_mode)

    def _fill_from_line(self, line: OpportunityLine) -> None:
        self.item_combo.setEditText(line.item_name)
        self.description_edit.setPlainText(line.description)
        self.quantity_edit.set_value(line.quantity)
        self.unit_price_edit.set_value(line.unit_price)
        self.unit_cost_edit.set_value(line.unit_cost)
        if line.discount_percent:
            self.percent_radio.setChecked(True)
            self.percent_edit.set_value(line.discount_percent)
        elif line.discount_amount:
            self.amount_radio.setChecked(True)
            self.amount_edit.set_value(line.discount_amount)
        self.taxable_check.setChecked(line.taxable)

    @staticmethod
    def _product_tooltip(product: Product) -> str:
        text = _tr("Unit price {price}").format(price=formatting.money(product.unit_price))
        if product.description:
            text += "\n" + product.description
        return text

    # -- slots ---------------------------------------------------------------------------

    def _on_item_chosen(self, index: int) -> None:
        product_id = self.item_combo.itemData(index)
        product = self._products.get(product_id) if isinstance(product_id, int) else None
        if product is None:
            return
        if product.id == self.product_id():
            # The line's own item again: the combo also reports it when it loses focus with
            # the item's name in it. The line keeps its own price, cost and description;
            # only choosing another item fills them from the catalog.
            return
        self._link = (product.id, product.name)
        self.item_combo.setEditText(product.name)
        self.description_edit.setPlainText(product.description)
        self.unit_price_edit.set_value(product.unit_price)
        self.unit_cost_edit.set_value(product.unit_cost)
        self.taxable_check.setChecked(product.taxable)
        self.quantity_edit.setFocus()
        self.quantity_edit.selectAll()

    def _update_discount_mode(self) -> None:
        percent = self.percent_radio.isChecked()
        self.percent_edit.setEnabled(percent)
        self.percent_sign.setEnabled(percent)
        self.amount_edit.setEnabled(not percent)
        self._update_summary()

    def _update_summary(self) -> None:
        locale = self.locale()
        try:
            line = self._draft()
            figures = (line.gross, line.discount, line.line_total)
            markup = line.markup_percent
        except (ValidationError, ArithmeticError, ValueError):
            for label in (self.gross_value, self.discount_value, self.total_value):
                label.setText(_NO_VALUE)
            self.markup_value.setText(_NO_VALUE)
            return
        gross, discount, total = figures
        self.gross_value.setText(formatting.money(gross, locale))
        self.discount_value.setText(formatting.money(discount, locale))
        self.total_value.setText(formatting.money(total, locale))
        self.markup_value.setText(
            _NO_VALUE if markup is None else f"{formatting.money(markup, locale)} %"
        )

    # -- Qt overrides --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the item box chooses the item typed and moves on; it does not press OK.

        (With the completer's list open, the completer takes Enter itself and chooses.)
        """
        if (
            watched is self.item_name_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            name = self.item_combo.currentText().strip()
            index = self.item_combo.findText(name, Qt.MatchFlag.MatchFixedString)
            chosen = self.item_combo.itemData(index) if index >= 0 else None
            if chosen is not None and chosen != self.product_id():
                self._on_item_chosen(index)
            else:
                self.quantity_edit.setFocus()
                self.quantity_edit.selectAll()
            return True
        return super().eventFilter(watched, event)

    # -- the answer ----------------------------------------------------------------------

    def _draft(self) -> OpportunityLine:
        """The line as typed, unchecked; ``ValidationError`` when a number does not parse."""
        # Read in the order of the fields, so the first bad one on screen is the one named.
        quantity = self.quantity_edit.checked_value(_tr("Quantity"), "quantity")
        unit_price = self.unit_price_edit.checked_value(_tr("Unit price"), "unit_price")
        unit_cost = self.unit_cost_edit.checked_value(_tr("Unit cost"), "unit_cost", default=ZERO)
        percent = amount = ZERO
        if self.percent_radio.isChecked():
            percent = self.percent_edit.checked_value(
                _tr("Discount percentage"), "discount_percent", default=ZERO
            )
        else:
            amount = self.amount_edit.checked_value(
                _tr("Discount amount"), "discount_amount", default=ZERO
            )
        return OpportunityLine(
            item_name=self.item_combo.currentText(),
            description=self.description_edit.toPlainText(),
            quantity=quantity,
            unit_price=unit_price,
            unit_cost=unit_cost,
            discount_percent=percent,
            discount_amount=amount,
            taxable=self.taxable_check.isChecked(),
            product_id=self.product_id(),
            id=self._original.id if self._original else None,
        )

    def product_id(self) -> int | None:
        """The catalog item of the line, or ``None`` for a write-in item."""
        linked_id, linked_name = self._link
        typed = self.item_combo.currentText().strip().casefold()
        return linked_id if typed == linked_name.strip().casefold() else None

    def field_widget(self, field: str | None) -> QWidget | None:
        """The widget to focus for a ``ValidationError`` about ``field``."""
        widgets: dict[str, QWidget] = {
            "item_name": self.item_combo,
            "description": self.description_edit,
            "quantity": self.quantity_edit,
            "unit_price": self.unit_price_edit,
            "unit_cost": self.unit_cost_edit,
            "discount_percent": self.percent_edit,
            "discount_amount": (
                self.percent_edit if self.percent_radio.isChecked() else self.amount_edit
            ),
        }
        return widgets.get(field or "")

    def accept(self) -> None:
        """Close only with a valid line; otherwise say what is wrong and focus that field."""
        try:
            line = self._draft().validated()
        except ValidationError as error:
            QMessageBox.warning(self, _tr("Check the line"), error.message)
            widget = self.field_widget(error.field)
            if widget is not None:
                widget.setFocus()
                if isinstance(widget, QLineEdit):
                    widget.selectAll()
            return
        self.result_line = line
        super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        catalog: CatalogService,
        line: OpportunityLine | None = None,
    ) -> OpportunityLine | None:
        """Run the dialog; the new or edited line, or ``None`` when cancelled."""
        dialog = cls(catalog, line, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.result_line
            return None
        finally:
            dialog.deleteLater()
