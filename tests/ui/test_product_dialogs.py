"""The amount fields, the "Add product or service" dialog and the catalog dialog, driven with
real keys and clicks against a real catalog in a database file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from bcm_desktop.domain.entities import OpportunityLine, Product
from bcm_desktop.domain.money import MAX_AMOUNT
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.catalog import CatalogService
from bcm_desktop.ui.dialogs.catalog_dialog import (
    CatalogDialog,
    ProductFormDialog,
    ProductTableModel,
)
from bcm_desktop.ui.dialogs.product_dialog import ProductLineDialog
from bcm_desktop.ui.widgets.money_edit import DecimalEdit, MoneyEdit, parse_decimal

# Typing into the item box opens the completer's list, a pop-up window; the offscreen platform
# warns that it cannot raise it or grab the keyboard for it. Those are limits of the test
# platform, not of the dialog.
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (raise\(\)|grabbing the keyboard)"
)

DUTCH = QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands)
ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
FRENCH = QLocale(QLocale.Language.French, QLocale.Country.France)
SWISS = QLocale(QLocale.Language.German, QLocale.Country.Switzerland)


@pytest.fixture
def dutch() -> Iterator[QLocale]:
    """The user's locale is Dutch (decimal comma, group dot) for widgets made in the test."""
    previous = QLocale()
    QLocale.setDefault(DUTCH)
    yield DUTCH
    QLocale.setDefault(previous)


@pytest.fixture
def catalog(uow_factory: Callable[[], UnitOfWork]) -> CatalogService:
    service = CatalogService(uow_factory)
    service.add(
        Product(
            None,
            "Till system",
            Decimal("1499.00"),
            Decimal("900.00"),
            "Touch screen till with scanner",
            taxable=True,
        )
    )
    service.add(Product(None, "Installation", Decimal("99.99"), description="Per hour"))
    printer = service.add(Product(None, "Receipt printer", Decimal("249.50"), Decimal("120")))
    service.add(Product(None, "Old scale", Decimal("10")))
    old = next(p for p in service.items() if p.name == "Old scale")
    service.deactivate(old.id or 0, old.version)
    assert printer.id is not None
    return service


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the dialogs show with ``QMessageBox.warning`` (not shown: recorded)."""
    seen: list[str] = []

    def warning(_parent: QWidget, _title: str, text: str, *args: object) -> int:
        seen.append(text)
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "warning", warning)
    return seen


def stored_products(db_path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            "SELECT name, unit_price_cents, unit_cost_cents, taxable, active, description "
            "FROM products ORDER BY id"
        ).fetchall()


def click_ok(qtbot: QtBot, dialog: QDialog) -> None:
    box = dialog.findChild(QDialogButtonBox, "buttons")
    assert box is not None
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def type_into(qtbot: QtBot, edit: QWidget, text: str) -> None:
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def open_line_dialog(
    qtbot: QtBot, catalog: CatalogService, line: OpportunityLine | None = None
) -> ProductLineDialog:
    dialog = ProductLineDialog(catalog, line)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


# -- the amount fields ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        (DUTCH, "1.234,56", Decimal("1234.56")),
        (DUTCH, "1234,5", Decimal("1234.5")),
        (DUTCH, ",5", Decimal("0.5")),
        (DUTCH, "0,10", Decimal("0.10")),
        (ENGLISH, "99.99", Decimal("99.99")),
        (ENGLISH, "1,234.5", Decimal("1234.5")),
        (FRENCH, "1 234,50", Decimal("1234.50")),
        (FRENCH, "1\u202f234,50", Decimal("1234.50")),
        (SWISS, "1'234.50", Decimal("1234.50")),
    ],
)
def test_amounts_are_read_exactly_in_the_locale(
    locale: QLocale, text: str, expected: Decimal
) -> None:
    state, value = parse_decimal(text, locale, 2, MAX_AMOUNT)
    assert state is QValidator.State.Acceptable
    assert value == expected
    assert isinstance(value, Decimal)
    assert str(value) == str(expected)  # the digits as typed, not a float's approximation


@pytest.mark.parametrize(
    ("locale", "text", "state"),
    [
        (DUTCH, "12a", QValidator.State.Invalid),
        (DUTCH, "1,234", QValidator.State.Invalid),  # a third decimal
        (DUTCH, "-5", QValidator.State.Invalid),  # amounts are never negative
        (DUTCH, "1e5", QValidator.State.Invalid),
        (DUTCH, "9999999999999", QValidator.State.Invalid),  # more digits than any amount
        (DUTCH, "1.23", QValidator.State.Intermediate),  # on its way to 1.234
        (DUTCH, ",", QValidator.State.Intermediate),
        (DUTCH, "", QValidator.State.Intermediate),
        # "1,5" in an English locale is not fifteen: wrongly grouped, so not a number.
        (ENGLISH, "1,5", QValidator.State.Intermediate),
    ],
)
def test_bad_amount_text_is_not_a_number(locale: QLocale, text: str, state: object) -> None:
    got, value = parse_decimal(text, locale, 2, MAX_AMOUNT)
    assert got is state
    assert value is None


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cents=st.integers(min_value=0, max_value=int(MAX_AMOUNT * 100)),
    locale=st.sampled_from([DUTCH, ENGLISH, FRENCH, SWISS]),
)
def test_money_edit_round_trips_every_amount(qtbot: QtBot, cents: int, locale: QLocale) -> None:
    edit = MoneyEdit()
    edit.setLocale(locale)
    amount = Decimal(cents) / 100
    edit.set_value(amount)
    assert edit.hasAcceptableInput(), edit.text()
    assert edit.value() == amount
    edit.deleteLater()


def test_money_edit_shows_bad_text_as_invalid(qtbot: QtBot, dutch: QLocale) -> None:
    edit = MoneyEdit()
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "12,345")  # the third decimal is refused as it is typed
    assert edit.text() == "12,34"
    assert edit.value() == Decimal("12.34")
    assert not edit.is_invalid()
    type_into(qtbot, edit, "1.23")
    assert edit.value() is None
    assert edit.is_invalid()
    assert edit.property("invalid") is True
    assert "1.234,56" in edit.accessibleDescription()
    type_into(qtbot, edit, "1.234")
    assert edit.value() == Decimal("1234")
    assert not edit.is_invalid()


def test_money_edit_reformats_when_editing_finishes(qtbot: QtBot, dutch: QLocale) -> None:
    edit = MoneyEdit()
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "1234,5")
    edit.editingFinished.emit()
    assert edit.text() == "1.234,50"
    assert edit.value() == Decimal("1234.50")


def test_percent_edit_keeps_a_number_above_100_for_the_domain_to_refuse(
    qtbot: QtBot, dutch: QLocale
) -> None:
    edit = DecimalEdit.percent()
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "1500")  # a fourth digit can never make a percentage
    assert edit.text() == "150"
    assert edit.value() == Decimal(150)
    assert edit.is_invalid()


def test_quantity_edit_takes_three_decimals(qtbot: QtBot, dutch: QLocale) -> None:
    edit = DecimalEdit.quantity()
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "2,1255")
    assert edit.value() == Decimal("2.125")
    edit.set_value(Decimal("2.500"))
    assert edit.text() == "2,5"


# -- the "Add product or service" dialog ---------------------------------------------------


def test_only_active_catalog_items_are_offered(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService
) -> None:
    dialog = open_line_dialog(qtbot, catalog)
    names = [dialog.item_combo.itemText(n) for n in range(dialog.item_combo.count())]
    assert names == ["Installation", "Receipt printer", "Till system"]
    assert dialog.windowTitle() == "Add product or service"
    assert dialog.item_combo.currentText() == ""
    assert dialog.quantity_edit.value() == Decimal(1)


def test_choosing_a_catalog_item_fills_the_line(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService
) -> None:
    dialog = open_line_dialog(qtbot, catalog)
    till = next(p for p in catalog.items() if p.name == "Till system")
    qtbot.keyClicks(dialog.item_combo.lineEdit(), "till system")
    qtbot.keyClick(dialog.item_combo.lineEdit(), Qt.Key.Key_Return)
    assert dialog.isVisible(), "Enter in the item box chooses the item; it does not press OK"
    assert dialog.item_combo.currentText() == "Till system"
    assert dialog.unit_price_edit.text() == "1.499,00"
    assert dialog.unit_cost_edit.value() == Decimal("900.00")
    assert dialog.description_edit.toPlainText() == "Touch screen till with scanner"
    assert dialog.taxable_check.isChecked()
    assert dialog.focusWidget() is dialog.quantity_edit
    assert dialog.total_value.text() == "1.499,00"
    assert dialog.markup_value.text() == "66,56 %"
    click_ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    line = dialog.result_line
    assert line is not None
    assert line.product_id == till.id
    assert (line.item_name, line.unit_price, line.quantity) == (
        "Till system",
        Decimal("1499.00"),
        Decimal(1),
    )


def test_choosing_from_the_list_fills_the_price(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService
) -> None:
    dialog = open_line_dialog(qtbot, catalog)
    combo = dialog.item_combo
    index = combo.findText("Receipt printer")
    combo.activated.emit(index)  # what the list does when the user clicks an item
    assert dialog.unit_price_edit.value() == Decimal("249.50")
    assert dialog.unit_cost_edit.value() == Decimal("120.00")
    assert not dialog.taxable_check.isChecked()


@pytest.mark.parametrize("locale", [DUTCH, ENGLISH], ids=["nl", "en"])
def test_typed_quantity_price_and_discount_give_the_exact_total(
    qtbot: QtBot, catalog: CatalogService, locale: QLocale
) -> None:
    previous = QLocale()
    QLocale.setDefault(locale)
    try:
        dialog = open_line_dialog(qtbot, catalog)
        point = locale.decimalPoint()
        qtbot.keyClicks(dialog.item_combo.lineEdit(), "Consulting day")
        type_into(qtbot, dialog.quantity_edit, f"2{point}5")
        qtbot.keyClicks(dialog.unit_price_edit, f"99{point}99")
        qtbot.keyClicks(dialog.percent_edit, "10")
        # What the entity itself computes is what the dialog must show, to the cent.
        expected = OpportunityLine(
            "Consulting day",
            Decimal("99.99"),
            Decimal("2.5"),
            discount_percent=Decimal(10),
        )
        assert (expected.gross, expected.discount, expected.line_total) == (
            Decimal("249.98"),  # 249.975 rounded half up
            Decimal("25.00"),
            Decimal("224.98"),
        )
        assert dialog.gross_value.text() == f"249{point}98"
        assert dialog.discount_value.text() == f"25{point}00"
        assert dialog.total_value.text() == f"224{point}98"
        click_ok(qtbot, dialog)
        line = dialog.result_line
        assert line is not None
        assert line.line_total == Decimal("224.98")
        assert line.quantity == Decimal("2.5")
        assert line.unit_price == Decimal("99.99")
        assert line.discount_percent == Decimal(10)
        assert line.discount_amount == Decimal("25.00")
        assert line.product_id is None  # a write-in item
        assert not dialog.isVisible()
    finally:
        QLocale.setDefault(previous)


def test_discount_as_an_amount(qtbot: QtBot, dutch: QLocale, catalog: CatalogService) -> None:
    dialog = open_line_dialog(qtbot, catalog)
    qtbot.keyClicks(dialog.item_combo.lineEdit(), "Support")
    qtbot.keyClicks(dialog.unit_price_edit, "100")
    assert not dialog.amount_edit.isEnabled()
    qtbot.mouseClick(dialog.amount_radio, Qt.MouseButton.LeftButton)
    assert dialog.amount_edit.isEnabled()
    assert not dialog.percent_edit.isEnabled()
    qtbot.keyClicks(dialog.amount_edit, "12,50")
    assert dialog.discount_value.text() == "12,50"
    assert dialog.total_value.text() == "87,50"
    click_ok(qtbot, dialog)
    line = dialog.result_line
    assert line is not None
    assert (line.discount_percent, line.discount_amount) == (Decimal(0), Decimal("12.50"))


def test_a_discount_over_100_percent_is_refused_and_the_dialog_stays_open(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService, warnings: list[str]
) -> None:
    dialog = open_line_dialog(qtbot, catalog)
    qtbot.keyClicks(dialog.item_combo.lineEdit(), "Support")
    qtbot.keyClicks(dialog.unit_price_edit, "100")
    qtbot.keyClicks(dialog.percent_edit, "150")
    assert dialog.percent_edit.is_invalid()
    click_ok(qtbot, dialog)
    assert warnings == ["Discount must be from 0 to 100 %."]
    assert dialog.isVisible()
    assert dialog.result_line is None
    assert dialog.focusWidget() is dialog.percent_edit


def test_a_discount_larger_than_the_line_is_refused(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService, warnings: list[str]
) -> None:
    dialog = open_line_dialog(qtbot, catalog)
    qtbot.keyClicks(dialog.item_combo.lineEdit(), "Support")
    qtbot.keyClicks(dialog.unit_price_edit, "10")
    dialog.amount_radio.setChecked(True)
    qtbot.keyClicks(dialog.amount_edit, "11")
    assert dialog.total_value.text() == "-1,00"
    click_ok(qtbot, dialog)
    assert warnings == ["The discount is larger than the line amount."]
    assert dialog.isVisible()
    assert dialog.focusWidget() is dialog.amount_edit


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("unit_price_edit", "1.23", "Unit price: “1.23” is not a number"),
        ("unit_price_edit", "", "Unit price is required"),
        ("quantity_edit", "", "Quantity is required"),
    ],
)
def test_a_field_that_is_not_a_number_is_named(
    qtbot: QtBot,
    dutch: QLocale,
    catalog: CatalogService,
    warnings: list[str],
    field: str,
    text: str,
    message: str,
) -> None:
    dialog = open_line_dialog(qtbot, catalog)
    qtbot.keyClicks(dialog.item_combo.lineEdit(), "Support")
    qtbot.keyClicks(dialog.unit_price_edit, "10")
    edit = getattr(dialog, field)
    type_into(qtbot, edit, text)
    assert dialog.total_value.text() == "—"
    click_ok(qtbot, dialog)
    assert len(warnings) == 1
    assert warnings[0].startswith(message)
    assert dialog.isVisible()
    assert dialog.focusWidget() is edit


def test_an_item_name_is_required(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService, warnings: list[str]
) -> None:
    dialog = open_line_dialog(qtbot, catalog)
    qtbot.keyClicks(dialog.unit_price_edit, "10")
    click_ok(qtbot, dialog)
    assert len(warnings) == 1
    assert warnings[0].startswith("Item name is required")
    assert dialog.isVisible()
    assert dialog.focusWidget() is dialog.item_combo


def test_renaming_a_chosen_item_makes_it_a_write_in(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService
) -> None:
    dialog = open_line_dialog(qtbot, catalog)
    dialog.item_combo.activated.emit(dialog.item_combo.findText("Installation"))
    assert dialog.product_id() is not None
    qtbot.keyClicks(dialog.item_combo.lineEdit(), " on site")
    assert dialog.item_combo.currentText() == "Installation on site"
    assert dialog.product_id() is None
    assert dialog.unit_price_edit.value() == Decimal("99.99")  # what was filled stays


def test_editing_a_line_starts_from_it_and_keeps_its_identity(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService
) -> None:
    till = next(p for p in catalog.items() if p.name == "Till system")
    line = OpportunityLine(
        "Till system",
        Decimal("1400.00"),
        Decimal(2),
        description="Two tills",
        discount_percent=Decimal("5.5"),
        taxable=True,
        product_id=till.id,
        id=41,
    )
    dialog = open_line_dialog(qtbot, catalog, line)
    assert dialog.windowTitle() == "Edit product or service"
    assert dialog.item_combo.currentText() == "Till system"
    assert dialog.unit_price_edit.text() == "1.400,00"
    assert dialog.quantity_edit.text() == "2"
    assert dialog.percent_radio.isChecked()
    assert dialog.percent_edit.text() == "5,5"
    assert dialog.total_value.text() == "2.646,00"
    type_into(qtbot, dialog.quantity_edit, "3")
    click_ok(qtbot, dialog)
    edited = dialog.result_line
    assert edited is not None
    assert (edited.id, edited.product_id, edited.quantity) == (41, till.id, Decimal(3))
    assert edited.description == "Two tills"
    assert edited.line_total == Decimal("3969.00")


def test_editing_a_line_with_an_amount_discount_selects_amount(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService
) -> None:
    line = OpportunityLine("Support", Decimal("80"), discount_amount=Decimal("5"))
    dialog = open_line_dialog(qtbot, catalog, line)
    assert dialog.amount_radio.isChecked()
    assert dialog.amount_edit.text() == "5,00"
    assert dialog.total_value.text() == "75,00"


def test_ask_returns_the_line_or_none(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill_and_accept(dialog: ProductLineDialog) -> int:
        qtbot.keyClicks(dialog.item_combo.lineEdit(), "Installation")
        qtbot.keyClick(dialog.item_combo.lineEdit(), Qt.Key.Key_Return)
        type_into(qtbot, dialog.quantity_edit, "3")
        click_ok(qtbot, dialog)
        return dialog.result()

    monkeypatch.setattr(ProductLineDialog, "exec", fill_and_accept)
    line = ProductLineDialog.ask(None, catalog)
    assert line is not None
    assert (line.item_name, line.quantity, line.line_total) == (
        "Installation",
        Decimal(3),
        Decimal("299.97"),
    )

    monkeypatch.setattr(
        ProductLineDialog, "exec", lambda dialog: int(QDialog.DialogCode.Rejected.value)
    )
    assert ProductLineDialog.ask(None, catalog) is None


def test_every_field_has_a_name_for_assistive_technology(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService
) -> None:
    dialog = open_line_dialog(qtbot, catalog)
    for edit in (
        dialog.item_combo,
        dialog.description_edit,
        dialog.quantity_edit,
        dialog.unit_price_edit,
        dialog.unit_cost_edit,
        dialog.percent_edit,
        dialog.amount_edit,
        dialog.taxable_check,
        dialog.total_value,
    ):
        assert edit.accessibleName(), edit.objectName()
        assert edit.objectName()


# -- the catalog ---------------------------------------------------------------------------


def test_product_model_passes_qt_model_tester(
    qtmodeltester, dutch: QLocale, catalog: CatalogService
) -> None:
    model = ProductTableModel()
    model.set_products(catalog.items(active_only=False))
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    assert model.index(0, 1).data() == "99,99"
    model.set_products([])
    assert model.rowCount() == 0


def open_catalog(qtbot: QtBot, catalog: CatalogService) -> CatalogDialog:
    dialog = CatalogDialog(catalog)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def select_row(qtbot: QtBot, dialog: CatalogDialog, name: str) -> None:
    row = next(n for n in range(dialog.model.rowCount()) if dialog.model.index(n, 0).data() == name)
    rect = dialog.view.visualRect(dialog.model.index(row, 0))
    qtbot.mouseClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def names(dialog: CatalogDialog) -> list[str]:
    return [dialog.model.index(n, 0).data() for n in range(dialog.model.rowCount())]


def test_catalog_lists_active_items_and_shows_inactive_on_request(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService
) -> None:
    dialog = open_catalog(qtbot, catalog)
    assert names(dialog) == ["Installation", "Receipt printer", "Till system"]
    assert not dialog.edit_button.isEnabled()
    qtbot.mouseClick(dialog.show_inactive_check, Qt.MouseButton.LeftButton)
    assert names(dialog) == ["Installation", "Old scale", "Receipt printer", "Till system"]
    assert dialog.model.index(1, 4).data() == "Inactive"
    qtbot.keyClicks(dialog.search_edit, "print")
    assert names(dialog) == ["Receipt printer"]


def test_catalog_deactivates_and_activates(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService, db_path: Path
) -> None:
    dialog = open_catalog(qtbot, catalog)
    select_row(qtbot, dialog, "Receipt printer")
    assert dialog.active_button.text().replace("&", "") == "Deactivate"
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert names(dialog) == ["Installation", "Till system"]
    assert ("Receipt printer", 24950, 12000, 0, 0, "") in stored_products(db_path)
    dialog.show_inactive_check.setChecked(True)
    select_row(qtbot, dialog, "Receipt printer")
    assert dialog.active_button.text().replace("&", "") == "Activate"
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert ("Receipt printer", 24950, 12000, 0, 1, "") in stored_products(db_path)
    assert dialog.current_product() is not None
    assert dialog.changed


def test_catalog_reports_a_stale_item_instead_of_overwriting(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService, warnings: list[str]
) -> None:
    dialog = open_catalog(qtbot, catalog)
    select_row(qtbot, dialog, "Installation")
    stale = dialog.current_product()
    assert stale is not None
    catalog.update(Product(**{**stale.__dict__, "unit_price": Decimal("120")}))  # a colleague
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert len(warnings) == 1
    assert "changed by someone else" in warnings[0]
    assert "Installation" in names(dialog)
    assert dialog.model.index(0, 1).data() == "120,00"  # reloaded


def test_product_form_adds_an_item(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService, db_path: Path
) -> None:
    form = ProductFormDialog(catalog)
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClicks(form.name_edit, "Cash drawer")
    qtbot.keyClicks(form.description_edit, "Steel, five notes")
    qtbot.keyClicks(form.unit_price_edit, "1.250,75")
    qtbot.keyClicks(form.unit_cost_edit, "600")
    # On the box itself: the check box may be wider than its box and label.
    check = form.taxable_check
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))
    click_ok(qtbot, form)
    assert form.result() == QDialog.DialogCode.Accepted
    assert form.saved is not None
    assert ("Cash drawer", 125075, 60000, 1, 1, "Steel, five notes") in stored_products(db_path)


def test_product_form_refuses_a_duplicate_name_and_stays_open(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService, db_path: Path, warnings: list[str]
) -> None:
    before = stored_products(db_path)
    form = ProductFormDialog(catalog)
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClicks(form.name_edit, "TILL SYSTEM")
    qtbot.keyClicks(form.unit_price_edit, "1")
    click_ok(qtbot, form)
    assert len(warnings) == 1
    assert "already has an item named “Till system”" in warnings[0]
    assert form.isVisible()
    assert form.focusWidget() is form.name_edit
    assert stored_products(db_path) == before


def test_product_form_refuses_a_bad_price(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService, db_path: Path, warnings: list[str]
) -> None:
    before = stored_products(db_path)
    form = ProductFormDialog(catalog)
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClicks(form.name_edit, "Cash drawer")
    qtbot.keyClicks(form.unit_price_edit, "12.5")
    click_ok(qtbot, form)
    assert len(warnings) == 1
    assert warnings[0].startswith("Unit price: “12.5” is not a number")
    assert form.focusWidget() is form.unit_price_edit
    assert stored_products(db_path) == before


def test_catalog_edit_goes_through_the_item_form(
    qtbot: QtBot,
    dutch: QLocale,
    catalog: CatalogService,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def change_price(form: ProductFormDialog) -> int:
        assert form.name_edit.text() == "Till system"
        type_into(qtbot, form.unit_price_edit, "1.399")
        click_ok(qtbot, form)
        return form.result()

    monkeypatch.setattr(ProductFormDialog, "exec", change_price)
    dialog = open_catalog(qtbot, catalog)
    select_row(qtbot, dialog, "Till system")
    rect = dialog.view.visualRect(dialog.model.index(2, 0))
    qtbot.mouseDClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.model.index(2, 1).data() == "1.399,00"
    assert dialog.current_product() is not None
    assert ("Till system", 139900, 90000, 1, 1, "Touch screen till with scanner") in (
        stored_products(db_path)
    )


def test_catalog_add_button_opens_the_item_form(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService, monkeypatch: pytest.MonkeyPatch
) -> None:
    def add(form: ProductFormDialog) -> int:
        qtbot.keyClicks(form.name_edit, "Barcode scanner")
        qtbot.keyClicks(form.unit_price_edit, "89")
        click_ok(qtbot, form)
        return form.result()

    monkeypatch.setattr(ProductFormDialog, "exec", add)
    dialog = open_catalog(qtbot, catalog)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert names(dialog)[0] == "Barcode scanner"
    current = dialog.current_product()
    assert current is not None and current.name == "Barcode scanner"


def test_leaving_the_item_box_keeps_the_lines_own_price_and_description(
    qtbot: QtBot, dutch: QLocale, catalog: CatalogService
) -> None:
    """An edited line starts in the item box; clicking into Quantity must not refill the
    negotiated price and the line's description from the catalog (the combo reports its
    item again when it loses focus)."""
    till = next(p for p in catalog.items() if p.name == "Till system")
    line = OpportunityLine(
        "Till system",
        Decimal("1400.00"),
        Decimal(2),
        description="Two tills",
        product_id=till.id,
        id=7,
    )
    dialog = open_line_dialog(qtbot, catalog, line)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.item_combo.setFocus()
    qtbot.mouseClick(dialog.quantity_edit, Qt.MouseButton.LeftButton)
    assert dialog.quantity_edit.hasFocus()
    assert dialog.unit_price_edit.text() == "1.400,00"
    assert dialog.description_edit.toPlainText() == "Two tills"
    # Choosing another item still fills the line from the catalog.
    index = dialog.item_combo.findText("Receipt printer")
    dialog.item_combo.activated.emit(index)
    assert dialog.description_edit.toPlainText() != "Two tills"
    assert dialog.product_id() != till.id
