"""The Sales Stages editor driven with clicks and keys; the database is read back with SQL.

Sub-dialogs (Add/Edit, Replace with) are the real dialogs: only their ``exec()`` is replaced
by a function that shows them and drives them like a user.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QMessageBox, QTreeWidget, QTreeWidgetItem

from bcm_desktop.domain.entities import User
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.stages import StageService
from bcm_desktop.ui.dialogs.stages_dialog import (
    CHECK_MARK,
    ReplaceStageDialog,
    StageEditDialog,
    StagesDialog,
)

OPEN_STAGES = ["Prospecting", "Qualification", "Needs analysis", "Proposal", "Negotiation"]


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda _p, _t, text, *a, **k: shown.append(text))
    return shown


@pytest.fixture
def service(uow_factory: Callable[[], UnitOfWork], owner: User) -> StageService:
    return StageService(uow_factory, owner.id)


@pytest.fixture
def dialog(qtbot: Any, service: StageService) -> StagesDialog:
    editor = StagesDialog(service)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def sql(db_path: Path, query: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(query, params).fetchall()


def stage_names(db_path: Path) -> list[str]:
    return [r[0] for r in sql(db_path, "SELECT name FROM sales_stages ORDER BY position")]


def activity_names(db_path: Path, stage: str) -> list[str]:
    return [
        r[0]
        for r in sql(
            db_path,
            "SELECT a.name FROM stage_activities a JOIN sales_stages s ON s.id = a.stage_id"
            " WHERE s.name = ? ORDER BY a.position",
            stage,
        )
    ]


def item(tree: QTreeWidget, text: str) -> QTreeWidgetItem:
    found = tree.findItems(text, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive, 0)
    assert found, text
    return found[0]


def click_item(qtbot: Any, tree: QTreeWidget, text: str) -> None:
    target = item(tree, text)
    tree.scrollToItem(target)
    rect = tree.visualItemRect(target)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tree.currentItem() is target


def click_check(qtbot: Any, box: QCheckBox) -> None:
    """Click the box itself (a check box laid out wide takes no clicks right of its text)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def tree_stages(tree: QTreeWidget) -> list[str]:
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def drive_edit_dialog(
    monkeypatch: pytest.MonkeyPatch,
    qtbot: Any,
    name: str,
    *,
    probability: str | None = None,
    offset: str | None = None,
    duration: str | None = None,
    seen: list[str] | None = None,
) -> None:
    """Replace ``StageEditDialog.exec`` with a user typing into the real dialog."""

    def fake_exec(edit: StageEditDialog) -> int:
        edit.show()
        if seen is not None:
            seen.append(edit.name_edit.text())
        edit.name_edit.selectAll()
        qtbot.keyClicks(edit.name_edit, name)
        for spin, text in (
            (edit.probability_spin, probability),
            (edit.offset_spin, offset),
            (edit.duration_spin, duration),
        ):
            if text is not None:
                spin.selectAll()
                qtbot.keyClicks(spin, text)
        ok = edit.buttons.button(edit.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        return edit.result()

    monkeypatch.setattr(StageEditDialog, "exec", fake_exec)


def drive_replace_dialog(
    monkeypatch: pytest.MonkeyPatch,
    qtbot: Any,
    replacement: str | None,
    *,
    move: bool = False,
    seen: dict[str, Any] | None = None,
) -> None:
    def fake_exec(replace: ReplaceStageDialog) -> int:
        replace.show()
        combo = replace.replacement_combo
        if seen is not None:
            seen["choices"] = [combo.itemText(i) for i in range(combo.count())]
            seen["check_visible_on_blank"] = replace.move_check.isVisible()
        if replacement is not None:
            combo.setFocus()
            while combo.currentText() != replacement:
                qtbot.keyClick(combo, Qt.Key.Key_Down)
        if move:
            click_check(qtbot, replace.move_check)
        if seen is not None:
            seen["impact"] = replace.impact_label.text()
        qtbot.mouseClick(replace.ok_button, Qt.MouseButton.LeftButton)
        return replace.result()

    monkeypatch.setattr(ReplaceStageDialog, "exec", fake_exec)


# -- showing --------------------------------------------------------------------------------


def test_tree_shows_stages_with_activities_defaults_and_check_mark(dialog: StagesDialog) -> None:
    tree = dialog.tree
    assert tree_stages(tree) == [*OPEN_STAGES, "Closed Won", "Closed Lost"]
    prospecting = item(tree, "Prospecting")
    assert prospecting.text(1) == CHECK_MARK
    assert prospecting.text(2) == "10 %"
    assert [prospecting.child(i).text(0) for i in range(prospecting.childCount())] == [
        "Identify decision makers",
        "First call",
    ]
    assert prospecting.child(0).text(4) == "3 days"
    assert item(tree, "Qualification").text(1) == ""


def test_closed_won_and_lost_are_shown_but_locked(qtbot: Any, dialog: StagesDialog) -> None:
    for name in ("Closed Won", "Closed Lost"):
        click_item(qtbot, dialog.tree, name)
        for button in (
            dialog.edit_button,
            dialog.delete_button,
            dialog.up_button,
            dialog.down_button,
            dialog.default_button,
            dialog.add_activity_button,
        ):
            assert not button.isEnabled(), (name, button.objectName())
    click_item(qtbot, dialog.tree, "Negotiation")
    assert dialog.up_button.isEnabled()
    assert not dialog.down_button.isEnabled()  # it cannot pass Closed Won


# -- adding and editing ---------------------------------------------------------------------


def test_add_stage_with_defaults_lands_above_closed_won(
    qtbot: Any, dialog: StagesDialog, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drive_edit_dialog(monkeypatch, qtbot, "Demo", probability="70", offset="14")
    qtbot.mouseClick(dialog.add_stage_button, Qt.MouseButton.LeftButton)
    assert stage_names(db_path) == [*OPEN_STAGES, "Demo", "Closed Won", "Closed Lost"]
    assert sql(
        db_path,
        "SELECT default_probability, close_date_offset_days FROM sales_stages WHERE name='Demo'",
    ) == [(70, 14)]
    assert dialog.tree.currentItem().text(0) == "Demo"
    assert dialog.changed


def test_add_activity_to_the_selected_stage(
    qtbot: Any, dialog: StagesDialog, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    click_item(qtbot, dialog.tree, "Send proposal")  # an activity: adds to its stage
    drive_edit_dialog(monkeypatch, qtbot, "Present the offer", duration="4")
    qtbot.mouseClick(dialog.add_activity_button, Qt.MouseButton.LeftButton)
    assert activity_names(db_path, "Proposal") == [
        "Prepare quote",
        "Send proposal",
        "Present the offer",
    ]
    assert sql(
        db_path, "SELECT duration_days FROM stage_activities WHERE name='Present the offer'"
    ) == [(4,)]
    assert dialog.tree.currentItem().text(4) == "4 days"


def test_edit_renames_a_stage_and_sets_probability_and_offset(
    qtbot: Any, dialog: StagesDialog, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    click_item(qtbot, dialog.tree, "Proposal")
    drive_edit_dialog(monkeypatch, qtbot, "Offer", probability="55", offset="30", seen=seen)
    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    assert seen == ["Proposal"]  # the dialog opened with the stage's values
    assert sql(
        db_path,
        "SELECT name, default_probability, close_date_offset_days FROM sales_stages"
        " WHERE position = 4",
    ) == [("Offer", 55, 30)]
    row = item(dialog.tree, "Offer")
    assert (row.text(2), row.text(3)) == ("55 %", "+30 days")


def test_f2_edits_an_activity_name_and_duration(
    qtbot: Any, dialog: StagesDialog, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    click_item(qtbot, dialog.tree, "First call")
    drive_edit_dialog(monkeypatch, qtbot, "First phone call", duration="6")
    qtbot.keyClick(dialog.tree, Qt.Key.Key_F2)
    assert sql(
        db_path,
        "SELECT name, duration_days FROM stage_activities WHERE position = 2"
        " AND stage_id = (SELECT id FROM sales_stages WHERE name='Prospecting')",
    ) == [("First phone call", 6)]


def test_a_taken_name_is_refused_and_nothing_changes(
    qtbot: Any,
    dialog: StagesDialog,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_message_boxes: list[str],
) -> None:
    click_item(qtbot, dialog.tree, "Proposal")
    drive_edit_dialog(monkeypatch, qtbot, "Negotiation")
    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    assert any("already exists" in text for text in no_message_boxes)
    assert stage_names(db_path)[3] == "Proposal"


# -- moving, default, reminders --------------------------------------------------------------


def test_move_up_moves_a_stage_with_its_activities(
    qtbot: Any, dialog: StagesDialog, db_path: Path
) -> None:
    click_item(qtbot, dialog.tree, "Proposal")
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
    assert stage_names(db_path)[2:4] == ["Proposal", "Needs analysis"]
    assert activity_names(db_path, "Proposal") == ["Prepare quote", "Send proposal"]
    moved = dialog.tree.topLevelItem(2)
    assert moved.text(0) == "Proposal"
    assert [moved.child(i).text(0) for i in range(moved.childCount())] == [
        "Prepare quote",
        "Send proposal",
    ]
    assert dialog.tree.currentItem() is moved  # the selection follows the stage


def test_ctrl_down_moves_an_activity_within_its_stage(
    qtbot: Any, dialog: StagesDialog, db_path: Path
) -> None:
    click_item(qtbot, dialog.tree, "Identify decision makers")
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert activity_names(db_path, "Prospecting") == ["First call", "Identify decision makers"]
    assert not dialog.down_button.isEnabled()


def test_make_default_and_clear_default_toggle_one_button(
    qtbot: Any, dialog: StagesDialog, db_path: Path
) -> None:
    click_item(qtbot, dialog.tree, "Qualification")
    assert dialog.default_button.text().replace("&", "") == "Make Default"
    qtbot.mouseClick(dialog.default_button, Qt.MouseButton.LeftButton)
    assert sql(db_path, "SELECT name FROM sales_stages WHERE is_default") == [("Qualification",)]
    assert item(dialog.tree, "Qualification").text(1) == CHECK_MARK
    assert item(dialog.tree, "Prospecting").text(1) == ""
    assert dialog.default_button.text().replace("&", "") == "Clear Default"
    qtbot.mouseClick(dialog.default_button, Qt.MouseButton.LeftButton)
    assert sql(db_path, "SELECT count(*) FROM sales_stages WHERE is_default") == [(0,)]


def test_reminders_check_box_sets_the_database_setting(
    qtbot: Any, dialog: StagesDialog, db_path: Path
) -> None:
    click_check(qtbot, dialog.reminders_check)
    assert sql(db_path, "SELECT value FROM settings WHERE key='stage_activity_reminders'") == [
        ("1",)
    ]
    click_check(qtbot, dialog.reminders_check)
    assert sql(db_path, "SELECT value FROM settings WHERE key='stage_activity_reminders'") == [
        ("0",)
    ]


# -- deleting ---------------------------------------------------------------------------------


def test_delete_key_deletes_an_activity_after_asking(
    qtbot: Any, dialog: StagesDialog, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_a: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    click_item(qtbot, dialog.tree, "Confirm budget")
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Delete)
    assert "Confirm budget" in asked[0]
    assert activity_names(db_path, "Qualification") == ["Confirm timeline"]
    assert dialog.tree.currentItem().text(0) == "Qualification"


def test_declining_the_question_keeps_the_activity(
    qtbot: Any, dialog: StagesDialog, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.No)
    click_item(qtbot, dialog.tree, "Confirm budget")
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert activity_names(db_path, "Qualification") == ["Confirm budget", "Confirm timeline"]


def test_delete_stage_with_replacement_moving_its_activities_to_the_top(
    qtbot: Any,
    dialog: StagesDialog,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    service: StageService,
) -> None:
    seen: dict[str, Any] = {}
    click_item(qtbot, dialog.tree, "Qualification")
    drive_replace_dialog(monkeypatch, qtbot, "Proposal", move=True, seen=seen)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)

    assert seen["choices"] == [
        "(blank)",
        "Prospecting",
        "Needs analysis",
        "Proposal",
        "Negotiation",
    ]
    assert not seen["check_visible_on_blank"]
    assert "0 opportunities and 2 activities will change" in seen["impact"]
    assert "move to the top of “Proposal”" in seen["impact"]
    assert stage_names(db_path) == [
        "Prospecting",
        "Needs analysis",
        "Proposal",
        "Negotiation",
        "Closed Won",
        "Closed Lost",
    ]
    assert activity_names(db_path, "Proposal") == [
        "Confirm budget",
        "Confirm timeline",
        "Prepare quote",
        "Send proposal",
    ]
    proposal = item(dialog.tree, "Proposal")
    assert proposal.child(0).text(0) == "Confirm budget"
    assert dialog.tree.currentItem() is proposal


def test_delete_stage_to_blank_deletes_its_activities(
    qtbot: Any, dialog: StagesDialog, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}
    click_item(qtbot, dialog.tree, "Needs analysis")
    drive_replace_dialog(monkeypatch, qtbot, None, seen=seen)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert "blank sales stage" in seen["impact"]
    assert "Needs analysis" not in stage_names(db_path)
    assert sql(db_path, "SELECT count(*) FROM stage_activities WHERE name='Discovery meeting'") == [
        (0,)
    ]
    assert "Needs analysis" not in tree_stages(dialog.tree)


def test_cancelled_replace_dialog_deletes_nothing(
    qtbot: Any, dialog: StagesDialog, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ReplaceStageDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    click_item(qtbot, dialog.tree, "Needs analysis")
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert len(stage_names(db_path)) == 7
    assert not dialog.changed


# -- owner only -------------------------------------------------------------------------------


def test_a_colleague_sees_the_stages_but_cannot_change_them(
    qtbot: Any, uow_factory: Callable[[], UnitOfWork], db_path: Path
) -> None:
    with uow_factory() as uow:
        colleague = uow.users.add("Chris Colleague", "chris")
        uow.commit()
    editor = StagesDialog(StageService(uow_factory, colleague.id))
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    assert editor.owner_note.isVisible()
    click_item(qtbot, editor.tree, "Proposal")
    for button in (
        editor.add_stage_button,
        editor.add_activity_button,
        editor.edit_button,
        editor.delete_button,
        editor.up_button,
        editor.down_button,
        editor.default_button,
        editor.reminders_check,
    ):
        assert not button.isEnabled(), button.objectName()
    qtbot.keyClick(editor.tree, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert stage_names(db_path)[3] == "Proposal"
    assert editor.close_button.isEnabled()
