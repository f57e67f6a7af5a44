"""The shared record list (search, SQL sort, reading pane) and how workspaces join the window."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QIcon

from bcm_desktop.app import build_main_window
from bcm_desktop.domain.listing import RecordOrder
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.orm import AccountRow
from bcm_desktop.repository.record_queries import ListSpec, RecordQueries
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.ui.main_window import HomeGroup
from bcm_desktop.ui.workspace.records import RecordListView, value_column
from tests.conftest import OWNER_LOGIN

NAMES = ["Coster", "aarts", "Bloem", "Dekker", "Evers"]


@pytest.fixture
def source(database: Database, uow_factory: Callable[[], UnitOfWork]) -> RecordQueries:
    with uow_factory() as uow:
        for index, name in enumerate(NAMES):
            uow.records.add_account(name, city="Utrecht" if index % 2 else "Delft")
        uow.commit()
    spec = ListSpec(
        table=AccountRow.__table__,
        id_column=AccountRow.id,
        columns={"name": AccountRow.name, "city": AccountRow.city},
        search=(AccountRow.name,),
        filters={"city": lambda value: AccountRow.city == value},
    )
    return RecordQueries(database, spec)


def make_view(source: RecordQueries) -> RecordListView:
    columns = [
        value_column(0, "name", lambda: "Name"),
        value_column(1, "city", lambda: "City"),
    ]
    return RecordListView(
        source,
        columns,
        RecordOrder("name"),
        object_name="accounts",
        describe=lambda record_id: f"<h3>Account {record_id}</h3>",
    )


@pytest.fixture
def view(qtbot: Any, source: RecordQueries) -> RecordListView:
    widget = make_view(source)
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown(view: RecordListView) -> list[str]:
    model = view.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_the_model_passes_qtmodeltester_with_and_without_a_filter(
    qtmodeltester: Any, view: RecordListView
) -> None:
    qtmodeltester.check(view.model)
    view.set_equals("city", "Utrecht")
    assert view.model.rowCount() == 2
    qtmodeltester.check(view.model)


def test_typing_a_search_filters_after_a_pause(qtbot: Any, view: RecordListView) -> None:
    qtbot.keyClicks(view.search, "ke")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert shown(view) == ["Dekker"]
    assert view.status_text() == "1 record"


def test_a_header_click_sorts_in_sql(qtbot: Any, view: RecordListView) -> None:
    assert shown(view) == ["aarts", "Bloem", "Coster", "Dekker", "Evers"]
    header = view.view.horizontalHeader()
    x = header.sectionViewportPosition(0) + 10
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().center().__class__(x, 5)
    )
    assert shown(view) == ["Evers", "Dekker", "Coster", "Bloem", "aarts"]


def test_ctrl_click_selects_scattered_rows_and_the_pane_follows(
    qtbot: Any, view: RecordListView
) -> None:
    table = view.view

    def click(row: int, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        rect = table.visualRect(view.model.index(row, 0))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())

    click(0)
    click(3, Qt.KeyboardModifier.ControlModifier)
    assert view.selected_ids() == [view.model.id_at(0), view.model.id_at(3)]
    assert view.current_id() == view.model.id_at(3)
    assert view.reading_pane is not None
    assert f"Account {view.model.id_at(3)}" in view.reading_pane.toPlainText()
    with qtbot.waitSignal(view.open_requested) as opened:
        rect = table.visualRect(view.model.index(1, 0))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [view.model.id_at(1)]


def test_a_workspace_joins_the_navigation_pane_with_its_own_ribbon_group(
    qtbot: Any, database: Database, settings: QSettings, view: RecordListView
) -> None:
    window = build_main_window(database, OWNER_LOGIN, settings=settings)
    qtbot.addWidget(window, before_close_func=lambda w: w.wait_for_workers())
    action = QAction("Do it", window)
    window.add_workspace(
        "accounts",
        lambda: "Accounts",
        QIcon(),
        view,
        [HomeGroup("records", lambda: "Records", [action])],
    )
    window.show()
    group = window.ribbon.tab("home").group("records")
    keys = window.navigation.folder_keys()  # other workspaces may sit between the two
    assert (keys[0], keys[-1]) == ("sales", "accounts")
    assert group.isHidden()
    assert not window.ribbon.tab("home").group("actions").isHidden()

    window.navigation.set_current_folder("accounts")
    assert window.stack.currentWidget() is view
    assert not group.isHidden()
    assert window.ribbon.tab("home").group("actions").isHidden()
    assert window.status_label.text() == view.status_text()

    view.set_equals("city", "Delft")
    assert window.status_label.text() == "3 records"
    window.save_state()
    assert settings.value("mainWindow/folder") == "accounts"
