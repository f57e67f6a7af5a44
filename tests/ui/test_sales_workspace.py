"""The Sales workspace driven like a user: clicks with Shift and Ctrl, Ctrl+A, bulk actions,
undo — then the database is read back to see exactly which rows changed."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QStyle, QStyleOptionComboBox

from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.domain.enums import StageKind
from bcm_desktop.domain.listing import OpportunityColumn, SortOrder
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.queries import OpportunityQueries
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.bulk import BulkActions
from bcm_desktop.services.categories import CategoryService
from bcm_desktop.services.listing import OpportunityListing
from bcm_desktop.services.lookups import Lookups
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.ui.dialogs.close_dialog import CloseDialog
from bcm_desktop.ui.workspace.sales import SalesWorkspace

TODAY = date(2026, 11, 28)
COUNT = 12


@pytest.fixture
def colleague(uow_factory: Callable[[], UnitOfWork]) -> User:
    with uow_factory() as uow:
        user = uow.users.add("Chris Colleague", "chris")
        uow.commit()
    return user


@pytest.fixture
def ids(uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef) -> list[int]:
    """Twelve opportunities titled Deal 00 … Deal 11, all assigned to the owner."""
    service = OpportunityService(uow_factory, owner.id)
    return [
        service.create(
            Opportunity(
                title=f"Deal {index:02d}", link=account, assigned_to_id=owner.id, probability=40
            )
        ).id
        or 0
        for index in range(COUNT)
    ]


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda _parent, _title, text, *a, **k: seen.append(text)
    )
    return seen


@pytest.fixture
def workspace(
    qtbot,
    database: Database,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    colleague: User,
    ids: list[int],
    notices: list[str],
) -> SalesWorkspace:
    widget = SalesWorkspace(
        OpportunityListing(OpportunityQueries(database)),
        bulk=BulkActions(uow_factory, owner.id, today=lambda: TODAY),
        lookups=Lookups(uow_factory),
        today=lambda: TODAY,
    )
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    # Shortcuts such as Delete only fire in the active window; in a long test run another
    # window may still hold activation, so take it explicitly.
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    # Sort by title so row n is "Deal n".
    widget.model.sort(widget.model.section_of(OpportunityColumn.TITLE), Qt.SortOrder.AscendingOrder)
    return widget


def click_row(
    qtbot, workspace: SalesWorkspace, row: int, modifier=Qt.KeyboardModifier.NoModifier
) -> None:
    view = workspace.view
    view.scrollTo(workspace.model.index(row, 0))
    rect = view.visualRect(workspace.model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def assignees(db_path: Path) -> dict[int, int]:
    with sqlite3.connect(db_path) as connection:
        return dict(connection.execute("SELECT id, assigned_to_id FROM opportunities"))


def assign_via_menu(qtbot, workspace: SalesWorkspace, login: str) -> None:
    workspace.assign_menu.aboutToShow.emit()
    action = next(
        a for a in workspace.assign_menu.actions() if a.objectName() == f"assignTo_{login}"
    )
    action.trigger()
    qtbot.waitUntil(lambda: not workspace._tasks, timeout=10_000)


def test_shift_and_ctrl_click_then_assign_changes_exactly_those_rows(
    qtbot, workspace: SalesWorkspace, ids: list[int], owner: User, colleague: User, db_path: Path
) -> None:
    click_row(qtbot, workspace, 2)
    click_row(qtbot, workspace, 5, Qt.KeyboardModifier.ShiftModifier)  # rows 2–5
    click_row(qtbot, workspace, 8, Qt.KeyboardModifier.ControlModifier)  # + row 8
    click_row(qtbot, workspace, 3, Qt.KeyboardModifier.ControlModifier)  # − row 3
    assert workspace.selected_count() == 4
    assert "4 selected" in workspace.status_text()

    assign_via_menu(qtbot, workspace, "chris")

    expected = {ids[2], ids[4], ids[5], ids[8]}
    changed = {i for i, user in assignees(db_path).items() if user == colleague.id}
    assert changed == expected
    assert {i for i, user in assignees(db_path).items() if user == owner.id} == set(ids) - expected


def test_ctrl_a_selects_all_matching_rows_as_a_filter(
    qtbot, workspace: SalesWorkspace, ids: list[int], colleague: User, db_path: Path
) -> None:
    workspace.filter_bar.search.setText("Deal 1")
    workspace.filter_bar.flush()
    assert workspace.model.rowCount() == 2  # Deal 10, Deal 11
    workspace.view.setFocus()
    qtbot.keyClick(workspace.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert workspace.selected_count() == 2
    selection = workspace.current_selection()
    assert selection.all_matching is not None and not selection.ids

    assign_via_menu(qtbot, workspace, "chris")
    assert {i for i, u in assignees(db_path).items() if u == colleague.id} == {ids[10], ids[11]}


def test_ctrl_a_then_ctrl_click_excludes_a_row(
    qtbot, workspace: SalesWorkspace, ids: list[int], colleague: User, db_path: Path
) -> None:
    workspace.view.setFocus()
    qtbot.keyClick(workspace.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    click_row(qtbot, workspace, 0, Qt.KeyboardModifier.ControlModifier)
    assert workspace.selected_count() == COUNT - 1
    selection = workspace.current_selection()
    assert selection.excluded == frozenset({ids[0]})
    assign_via_menu(qtbot, workspace, "chris")
    assert {i for i, u in assignees(db_path).items() if u != colleague.id} == {ids[0]}


def test_bulk_close_sets_probability_and_locks(
    qtbot,
    workspace: SalesWorkspace,
    ids: list[int],
    db_path: Path,
    notices: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(CloseDialog, "ask", classmethod(lambda cls, *a: date(2026, 11, 20)))
    click_row(qtbot, workspace, 0)
    click_row(qtbot, workspace, 1, Qt.KeyboardModifier.ShiftModifier)
    workspace.close_won_action.trigger()
    qtbot.waitUntil(lambda: not workspace._tasks, timeout=10_000)
    click_row(qtbot, workspace, 1)
    click_row(qtbot, workspace, 2, Qt.KeyboardModifier.ShiftModifier)
    workspace.close_lost_action.trigger()
    qtbot.waitUntil(lambda: not workspace._tasks, timeout=10_000)

    with sqlite3.connect(db_path) as connection:
        rows = dict(
            (i, (status, probability, closed))
            for i, status, probability, closed in connection.execute(
                "SELECT id, status, probability, actual_close_date FROM opportunities"
            )
        )
    assert rows[ids[0]] == ("won", 100, "2026-11-20")
    assert rows[ids[1]] == ("won", 100, "2026-11-20")  # already closed: not changed to lost
    assert rows[ids[2]] == ("lost", 0, "2026-11-20")
    assert rows[ids[3]][0] == "open"
    assert any("1 closed opportunities were not changed" in text for text in notices)


def test_undo_restores_previous_assignees(
    qtbot, workspace: SalesWorkspace, ids: list[int], owner: User, colleague: User, db_path: Path
) -> None:
    before = assignees(db_path)
    click_row(qtbot, workspace, 0)
    click_row(qtbot, workspace, 6, Qt.KeyboardModifier.ShiftModifier)
    assign_via_menu(qtbot, workspace, "chris")
    assert sum(1 for u in assignees(db_path).values() if u == colleague.id) == 7

    workspace.view.setFocus()
    qtbot.keyClick(workspace.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert assignees(db_path) == before
    # Redo assigns them again.
    workspace.redo_action.trigger()
    assert sum(1 for u in assignees(db_path).values() if u == colleague.id) == 7


def test_delete_confirms_with_the_count(
    qtbot, workspace: SalesWorkspace, ids: list[int], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    click_row(qtbot, workspace, 0)
    click_row(qtbot, workspace, 2, Qt.KeyboardModifier.ShiftModifier)
    workspace.view.setFocus()
    qtbot.keyClick(workspace.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not workspace._tasks, timeout=10_000)
    assert asked and "Delete 3 opportunities" in asked[0]
    assert set(assignees(db_path)) == set(ids[3:])
    assert workspace.model.rowCount() == COUNT - 3


def test_reading_pane_follows_the_current_row(qtbot, workspace: SalesWorkspace) -> None:
    click_row(qtbot, workspace, 4)
    assert "Deal 04" in workspace.reading_pane.toPlainText()
    qtbot.keyClick(workspace.view, Qt.Key.Key_Down)
    assert "Deal 05" in workspace.reading_pane.toPlainText()
    workspace.reading_pane_action.trigger()
    assert not workspace.reading_pane.isVisible()


def test_filters_and_status_bar(qtbot, workspace: SalesWorkspace) -> None:
    status = workspace.filter_bar.status
    status.setCurrentIndex(status.findData(StageKind.WON))
    assert workspace.model.rowCount() == 0
    workspace.filter_bar.clear()
    assert workspace.model.rowCount() == COUNT
    qtbot.waitUntil(lambda: "Total" in workspace.status_text(), timeout=5_000)
    assert workspace.status_text().startswith(f"{COUNT} opportunities")


def test_context_menu_offers_the_bulk_actions(qtbot, workspace: SalesWorkspace) -> None:
    click_row(qtbot, workspace, 0)
    names = [a.objectName() for a in workspace.bulk_actions()]
    assert names == ["assignTo", "markClosedWon", "markClosedLost", "categorize", "deleteSelected"]
    assert all(a.isEnabled() for a in workspace.bulk_actions())
    workspace.view.clearSelection()
    assert not any(a.isEnabled() for a in workspace.bulk_actions())


def _rename(uow_factory: Callable[[], UnitOfWork], user: User, record_id: int, title: str) -> None:
    """Another user (or an open form) renames a record: the list on screen is not told."""
    service = OpportunityService(uow_factory, user.id)
    stored = service.get(record_id)
    service.update(replace(stored, title=title))


def test_refresh_keeps_the_current_record_when_it_moves(
    qtbot,
    workspace: SalesWorkspace,
    ids: list[int],
    owner: User,
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    # Saving a record in its form refreshes the list; under the sort the record moves up.
    # The highlight and the reading pane must stay on that record, not on whichever record
    # now sits in its old row (a Delete pressed next would delete that other record).
    click_row(qtbot, workspace, 5)
    _rename(uow_factory, owner, ids[5], "Deal 00 b")
    workspace.refresh()
    current = workspace.view.currentIndex()
    assert current.isValid() and workspace.model.id_at(current.row()) == ids[5]
    assert workspace.view.selectionModel().isRowSelected(current.row())
    assert workspace.selected_count() == 1
    assert "Deal 00 b" in workspace.reading_pane.toPlainText()


def test_refresh_after_a_delete_moves_to_the_next_record(
    qtbot,
    workspace: SalesWorkspace,
    ids: list[int],
    owner: User,
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    click_row(qtbot, workspace, 5)
    service = OpportunityService(uow_factory, owner.id)
    service.delete(ids[5], service.get(ids[5]).version)
    workspace.refresh()
    current = workspace.view.currentIndex()
    assert current.row() == 5 and workspace.model.id_at(5) == ids[6]
    assert "Deal 06" in workspace.reading_pane.toPlainText()


def test_bulk_action_acts_on_the_rows_shown_even_if_the_list_changed_since(
    qtbot,
    workspace: SalesWorkspace,
    ids: list[int],
    owner: User,
    uow_factory: Callable[[], UnitOfWork],
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The database is shared: a colleague renames Deal 00 so it sorts last. The list on
    # screen still shows Deal 05 in row 5; deleting it must delete Deal 05, not Deal 06.
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    click_row(qtbot, workspace, 5)
    assert "Deal 05" in workspace.reading_pane.toPlainText()
    _rename(uow_factory, owner, ids[0], "Deal 99")
    workspace.view.setFocus()
    qtbot.keyClick(workspace.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not workspace._tasks, timeout=10_000)
    assert set(ids) - set(assignees(db_path)) == {ids[5]}


def test_close_dialog_offers_only_dates_a_record_may_hold(qtbot) -> None:
    dialog = CloseDialog(StageKind.WON, 3, 0, TODAY)
    qtbot.addWidget(dialog)
    dialog.date_edit.setFocus()
    dialog.date_edit.setDate(QDate(1800, 5, 1))
    assert dialog.actual_close_date() == date(1900, 1, 1)
    dialog.date_edit.setDate(QDate(2026, 12, 1))
    assert dialog.actual_close_date() == date(2026, 12, 1)


@pytest.mark.qt_log_ignore("grabbing the keyboard")  # the offscreen calendar pop-up
def test_close_date_filter_takes_dates_before_2000_and_opens_at_today(
    qtbot, workspace: SalesWorkspace
) -> None:
    bar = workspace.filter_bar
    bar.close_to.setDate(QDate(1999, 12, 31))
    # 1999 was below the field's "Any" value: the filter silently fell back to no date.
    assert bar.current_filter().close_to == date(1999, 12, 31)
    assert workspace.model.rowCount() == 0
    bar.clear()
    assert bar.current_filter().close_to is None
    assert workspace.model.rowCount() == COUNT
    # The calendar of an empty ("Any") field opens at today's month, not in January 2000.
    field = bar.close_from
    qtbot.mouseClick(
        field, Qt.MouseButton.LeftButton, pos=QPoint(field.width() - 6, field.height() // 2)
    )
    calendar = field.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    calendar.window().hide()


def test_keyboard_reaches_the_close_date_filter_and_redo(
    qtbot,
    workspace: SalesWorkspace,
    ids: list[int],
    owner: User,
    colleague: User,
    db_path: Path,
) -> None:
    workspace.view.setFocus()
    qtbot.keyClick(workspace.view, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert workspace.filter_bar.close_from.hasFocus()
    click_row(qtbot, workspace, 0)
    assign_via_menu(qtbot, workspace, "chris")
    workspace.view.setFocus()
    qtbot.keyClick(workspace.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert assignees(db_path)[ids[0]] == owner.id
    # Ctrl+Shift+Z redoes as well as Ctrl+Y.
    qtbot.keyClick(
        workspace.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert assignees(db_path)[ids[0]] == colleague.id


def test_close_dialog_label_has_a_mnemonic(qtbot) -> None:
    dialog = CloseDialog(StageKind.LOST, 1, 0, TODAY)
    qtbot.addWidget(dialog)
    labels = [label for label in dialog.findChildren(QLabel) if label.buddy() is dialog.date_edit]
    assert labels and "&" in labels[0].text()


def test_a_new_list_is_sorted_by_modified_newest_first(
    qtbot,
    database: Database,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    ids: list[int],
) -> None:
    # Enabling sorting on the view sorted by its header's default (Title, Z to A) before the
    # intended order was set: a first start listed the records by title backwards.
    _rename(uow_factory, owner, ids[3], "Deal 03 changed last")
    widget = SalesWorkspace(OpportunityListing(OpportunityQueries(database)))
    qtbot.addWidget(widget)
    header = widget.view.horizontalHeader()
    assert widget.model.order == SortOrder(OpportunityColumn.MODIFIED, descending=True)
    assert header.sortIndicatorSection() == widget.model.section_of(OpportunityColumn.MODIFIED)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert widget.model.id_at(0) == ids[3]


def test_status_filter_first_choice_fits_its_box(qtbot, workspace: SalesWorkspace) -> None:
    # The choice shown whenever the list is not filtered by status read "Open, won and"
    # in a window of ordinary width.
    workspace.resize(workspace.minimumSizeHint().width(), 700)
    qtbot.waitUntil(lambda: workspace.width() < 1200)
    combo = workspace.filter_bar.status
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    assert combo.fontMetrics().horizontalAdvance(combo.itemText(0)) <= field.width()


def test_redo_that_cannot_be_done_says_why_and_leaves_the_stack(
    qtbot,
    workspace: SalesWorkspace,
    ids: list[int],
    uow_factory: Callable[[], UnitOfWork],
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Categorize, undo, then the category is deleted (Manage Categories): Redo raised out of
    # the undo stack (an unhandled error) and the stack counted it as redone.
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a, **k: warnings.append(text)
    )
    categories = CategoryService(uow_factory)
    category = categories.add("Hot lead")
    click_row(qtbot, workspace, 0)
    workspace.categorize(category.id, category.name)
    qtbot.waitUntil(lambda: not workspace._tasks, timeout=10_000)
    workspace.undo_action.trigger()
    categories.delete(category.id)

    workspace.redo_action.trigger()

    assert warnings and "category" in warnings[0].lower()
    assert not workspace.undo_stack.canRedo()
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM opportunity_categories").fetchone() == (0,)


def test_tab_walks_the_filters_the_list_and_the_reading_pane(
    qtbot, workspace: SalesWorkspace
) -> None:
    bar = workspace.filter_bar
    expected = [
        bar.stage,
        bar.assigned,
        bar.status,
        bar.close_from,
        bar.close_to,
        workspace.view,
        workspace.reading_pane,
    ]
    bar.search.setFocus()
    reached = []
    for _ in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    # Tab stuck in a blank close-date field, and then walked the list's cells.
    assert reached == expected


def test_a_second_bulk_action_waits_for_the_first(
    qtbot, workspace: SalesWorkspace, ids: list[int], db_path: Path, notices: list[str]
) -> None:
    """While one bulk action runs, another is refused with a message and changes nothing."""
    before = assignees(db_path)
    running = object()
    workspace._tasks.append(running)  # type: ignore[arg-type]  # a bulk action in flight
    try:
        click_row(qtbot, workspace, 0)
        workspace.assign_menu.aboutToShow.emit()
        action = next(
            a for a in workspace.assign_menu.actions() if a.objectName() == "assignTo_chris"
        )
        action.trigger()
    finally:
        workspace._tasks.remove(running)  # type: ignore[arg-type]
    assert any("still running" in text for text in notices)
    assert assignees(db_path) == before
    assert not workspace._tasks


def test_deleting_one_opportunity_asks_in_the_singular(
    qtbot, workspace: SalesWorkspace, ids: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.No,
    )
    click_row(qtbot, workspace, 4)
    workspace.delete_action.trigger()
    assert asked == [
        "Delete this opportunity with its products, activities and history? It is moved to"
        " Deleted Items, where it can be restored."
    ]


def test_undo_and_redo_wait_while_a_bulk_action_runs(
    qtbot, workspace: SalesWorkspace, ids: list[int]
) -> None:
    click_row(qtbot, workspace, 0)
    assign_via_menu(qtbot, workspace, "chris")  # something to undo
    assert workspace.undo_action.isEnabled()
    click_row(qtbot, workspace, 1)
    workspace.assign_menu.aboutToShow.emit()
    action = next(a for a in workspace.assign_menu.actions() if a.objectName() == "assignTo_chris")
    action.trigger()
    assert workspace._tasks  # running: its result arrives through the event loop
    assert not workspace.undo_action.isEnabled() and not workspace.redo_action.isEnabled()
    qtbot.waitUntil(lambda: not workspace._tasks, timeout=10_000)
    assert workspace.undo_action.isEnabled()
    assert "Ctrl+Z" in workspace.undo_action.toolTip()
