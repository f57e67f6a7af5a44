"""The opportunity form's Products and services lines: the model under Qt's model tester, and
the editor driven with clicks and keys — every change shows in ``lines()`` and emits
``changed``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from bcm_desktop.domain.entities import OpportunityLine, Product
from bcm_desktop.domain.errors import DomainError
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.catalog import CatalogService
from bcm_desktop.ui.dialogs.product_dialog import ProductLineDialog
from bcm_desktop.ui.forms.lines_editor import LinesEditor, LinesTableModel

TILLS = OpportunityLine("Till system", Decimal("1499.00"), Decimal(2), product_id=None, id=1)
INSTALL = OpportunityLine(
    "Installation", Decimal("99.99"), Decimal("2.5"), discount_percent=Decimal(10), id=2
)
PRINTER = OpportunityLine(
    "Receipt printer", Decimal("249.50"), discount_amount=Decimal("19.50"), id=3
)
SUPPORT = OpportunityLine("Support contract", Decimal("360.00"))


@pytest.fixture(autouse=True)
def dutch() -> Iterator[QLocale]:
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    yield QLocale()
    QLocale.setDefault(previous)


@pytest.fixture
def catalog(uow_factory: Callable[[], UnitOfWork]) -> CatalogService:
    service = CatalogService(uow_factory)
    service.add(Product(None, "Installation", Decimal("99.99")))
    return service


@pytest.fixture
def editor(qtbot: QtBot, catalog: CatalogService) -> LinesEditor:
    widget = LinesEditor(catalog)
    qtbot.addWidget(widget)
    widget.resize(640, 260)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_lines([TILLS, INSTALL, PRINTER])
    return widget


class FakeAsk:
    """Stands in for ``ProductLineDialog.ask``: records what it was asked, answers ``reply``."""

    def __init__(self) -> None:
        self.asked: list[tuple[OpportunityLine | None, CatalogService]] = []
        self.reply: OpportunityLine | None = SUPPORT

    def __call__(
        self,
        _parent: QWidget | None,
        catalog: CatalogService,
        line: OpportunityLine | None = None,
    ) -> OpportunityLine | None:
        self.asked.append((line, catalog))
        return self.reply


@pytest.fixture
def dialog(monkeypatch: pytest.MonkeyPatch) -> FakeAsk:
    fake = FakeAsk()
    monkeypatch.setattr(ProductLineDialog, "ask", fake)
    return fake


def click_row(qtbot: QtBot, editor: LinesEditor, row: int, *, double: bool = False) -> None:
    center = editor.view.visualRect(editor.model.index(row, 0)).center()
    qtbot.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    if double:
        # QTest sends only the double-click event; a real one follows a press and release.
        qtbot.mouseDClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=center)


def items(editor: LinesEditor) -> list[str]:
    return [line.item_name for line in editor.lines()]


# -- the model -----------------------------------------------------------------------------


def test_model_passes_qt_model_tester(qtmodeltester) -> None:
    model = LinesTableModel()
    model.set_lines([TILLS, INSTALL, PRINTER])
    qtmodeltester.check(model)
    # The tester stays connected: every kind of change must be well formed.
    model.insert_line(1, SUPPORT)
    model.replace_line(0, INSTALL)
    assert model.move_line(0, 3)
    assert model.move_line(3, 1)
    assert not model.move_line(0, 4)
    model.remove_line(2)
    model.set_lines([])
    assert model.rowCount() == 0


def test_model_shows_the_line_fields(qtmodeltester) -> None:
    model = LinesTableModel()
    model.set_lines([TILLS, INSTALL, PRINTER])
    qtmodeltester.check(model)
    row = [model.index(1, column).data() for column in range(model.columnCount())]
    assert row == ["Installation", "2,5", "99,99", "10 %", "224,98"]
    assert model.index(1, 3).data(Qt.ItemDataRole.ToolTipRole) == "25,00"
    assert model.index(2, 3).data() == "19,50"
    assert model.index(0, 3).data() == ""
    headers = [model.headerData(column, Qt.Orientation.Horizontal) for column in range(5)]
    assert headers == ["Item", "Quantity", "Unit price", "Discount", "Line total"]


# -- the editor ----------------------------------------------------------------------------


def test_editor_shows_the_lines_and_their_total(editor: LinesEditor) -> None:
    assert editor.lines() == [TILLS, INSTALL, PRINTER]
    # 2 × 1.499,00 + 224,98 + 230,00
    assert editor.total_label.text() == "Total: 3.452,98"
    assert editor.current_row() == 0
    assert not editor.up_button.isEnabled()
    assert editor.down_button.isEnabled()


def test_set_lines_emits_changed_and_keeps_its_own_copy(qtbot: QtBot, editor: LinesEditor) -> None:
    lines = [PRINTER]
    with qtbot.waitSignal(editor.changed):
        editor.set_lines(lines)
    lines.append(TILLS)
    assert editor.lines() == [PRINTER]
    assert editor.total_label.text() == "Total: 230,00"


def test_add_appends_the_dialogs_line(
    qtbot: QtBot, editor: LinesEditor, catalog: CatalogService, dialog: FakeAsk
) -> None:
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert dialog.asked == [(None, catalog)]
    assert editor.lines() == [TILLS, INSTALL, PRINTER, SUPPORT]
    assert editor.current_row() == 3
    assert editor.total_label.text() == "Total: 3.812,98"


def test_cancelled_add_changes_nothing(qtbot: QtBot, editor: LinesEditor, dialog: FakeAsk) -> None:
    dialog.reply = None
    with qtbot.assertNotEmitted(editor.changed):
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.lines() == [TILLS, INSTALL, PRINTER]


def test_edit_replaces_the_selected_line(
    qtbot: QtBot, editor: LinesEditor, dialog: FakeAsk
) -> None:
    edited = OpportunityLine("Installation", Decimal("99.99"), Decimal(3), id=2)
    dialog.reply = edited
    click_row(qtbot, editor, 1)
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.edit_button, Qt.MouseButton.LeftButton)
    assert [line for line, _ in dialog.asked] == [INSTALL]
    assert editor.lines() == [TILLS, edited, PRINTER]
    assert editor.current_row() == 1
    assert editor.total_label.text() == "Total: 3.527,97"


def test_double_click_edits(qtbot: QtBot, editor: LinesEditor, dialog: FakeAsk) -> None:
    edited = OpportunityLine("Printer, black", Decimal("249.50"), id=3)
    dialog.reply = edited
    with qtbot.waitSignal(editor.changed):
        click_row(qtbot, editor, 2, double=True)
    assert [line for line, _ in dialog.asked] == [PRINTER]
    assert editor.lines() == [TILLS, INSTALL, edited]


def test_remove_button_and_delete_key(qtbot: QtBot, editor: LinesEditor) -> None:
    click_row(qtbot, editor, 1)
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert items(editor) == ["Till system", "Receipt printer"]
    assert editor.current_row() == 1  # the next line is selected, ready for another Delete
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert items(editor) == ["Till system"]
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert editor.lines() == []
    assert editor.total_label.text() == "Total: 0,00"
    assert not editor.remove_button.isEnabled()
    assert not editor.edit_button.isEnabled()
    assert editor.add_button.isEnabled()


def test_move_up_and_down(qtbot: QtBot, editor: LinesEditor) -> None:
    click_row(qtbot, editor, 0)
    assert not editor.up_button.isEnabled()
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.down_button, Qt.MouseButton.LeftButton)
    assert items(editor) == ["Installation", "Till system", "Receipt printer"]
    assert editor.current_row() == 1
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.down_button, Qt.MouseButton.LeftButton)
    assert items(editor) == ["Installation", "Receipt printer", "Till system"]
    assert not editor.down_button.isEnabled()
    assert editor.up_button.isEnabled()
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    assert items(editor) == ["Installation", "Till system", "Receipt printer"]
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClick(editor.view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert items(editor) == ["Till system", "Installation", "Receipt printer"]
    assert editor.total_label.text() == "Total: 3.452,98"  # moving changes no amount


def test_buttons_need_a_selection(qtbot: QtBot, editor: LinesEditor) -> None:
    editor.view.clearSelection()
    assert editor.current_row() == -1
    for button in (
        editor.edit_button,
        editor.remove_button,
        editor.up_button,
        editor.down_button,
    ):
        assert not button.isEnabled(), button.objectName()
    with qtbot.assertNotEmitted(editor.changed):
        qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert len(editor.lines()) == 3


def test_read_only_allows_no_change(qtbot: QtBot, editor: LinesEditor, dialog: FakeAsk) -> None:
    editor.set_read_only(True)
    for button in (
        editor.add_button,
        editor.edit_button,
        editor.remove_button,
        editor.up_button,
        editor.down_button,
    ):
        assert not button.isEnabled(), button.objectName()
    with qtbot.assertNotEmitted(editor.changed):
        click_row(qtbot, editor, 1, double=True)
        qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
        qtbot.keyClick(editor.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
        editor.remove_line()
        editor.add_line()
    assert dialog.asked == []
    assert editor.lines() == [TILLS, INSTALL, PRINTER]
    assert editor.current_row() == 1  # reading and selecting still work
    editor.set_read_only(False)
    assert editor.edit_button.isEnabled()


def test_add_through_the_real_dialog(
    qtbot: QtBot, editor: LinesEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: ProductLineDialog) -> int:
        combo = dialog.item_combo
        combo.activated.emit(combo.findText("Installation"))
        dialog.quantity_edit.selectAll()
        qtbot.keyClicks(dialog.quantity_edit, "4")
        qtbot.keyClicks(dialog.percent_edit, "25")
        box = dialog.findChild(QDialogButtonBox, "buttons")
        assert box is not None
        qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ProductLineDialog, "exec", fill)
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    added = editor.lines()[-1]
    assert (added.item_name, added.quantity, added.line_total) == (
        "Installation",
        Decimal(4),
        Decimal("299.97"),  # 4 × 99,99 = 399,96 less 25 % (99,99)
    )
    assert added.product_id is not None
    assert editor.total_label.text() == "Total: 3.752,95"


def test_widgets_are_named(editor: LinesEditor) -> None:
    for widget in (
        editor,
        editor.view,
        editor.total_label,
        editor.add_button,
        editor.edit_button,
        editor.remove_button,
        editor.up_button,
        editor.down_button,
    ):
        assert widget.objectName()
        assert widget.accessibleName(), widget.objectName()


def test_a_catalog_that_cannot_be_read_is_reported(
    qtbot: QtBot, editor: LinesEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(_self: CatalogService, active_only: bool = True) -> list[Product]:
        raise DomainError("The database is busy. Nothing was saved; try again in a moment.")

    seen: list[str] = []
    monkeypatch.setattr(CatalogService, "items", fail)
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: seen.append(text))
    with qtbot.assertNotEmitted(editor.changed):
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert seen == ["The database is busy. Nothing was saved; try again in a moment."]
    assert len(editor.lines()) == 3
