"""Names and subjects take pasted text with line breaks as one line (no invisible control
characters that a save would refuse)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit

from bcm_desktop.ui.dialogs.list_editor_dialog import ListItemNameDialog
from bcm_desktop.ui.dialogs.stages_dialog import ACTIVITY, STAGE, StageEditDialog
from bcm_desktop.ui.widgets.single_line import keep_on_one_line, one_line


def test_one_line_makes_each_run_of_breaks_and_tabs_one_space() -> None:
    assert one_line("Oudegracht 1\r\nUtrecht\t\tNL") == "Oudegracht 1 Utrecht NL"
    assert one_line("plain") == "plain"
    assert one_line("Re: offer\r\n  and terms") == "Re: offer and terms"  # one space, not three


def test_a_pasted_address_block_becomes_one_line(qtbot: Any) -> None:
    edit = keep_on_one_line(QLineEdit())
    qtbot.addWidget(edit)
    QApplication.clipboard().setText("Bakkerij de Vries\nOudegracht 1\tUtrecht")
    edit.paste()
    assert edit.text() == "Bakkerij de Vries Oudegracht 1 Utrecht"
    edit.insert("\n2nd floor")
    assert edit.text() == "Bakkerij de Vries Oudegracht 1 Utrecht 2nd floor"


@pytest.mark.parametrize(
    "make",
    [
        lambda: ListItemNameDialog("Add entry"),
        lambda: StageEditDialog(STAGE, True),
        lambda: StageEditDialog(ACTIVITY, True),
    ],
)
def test_name_boxes_of_the_editors_keep_pasted_text_on_one_line(qtbot: Any, make: Any) -> None:
    dialog = make()
    qtbot.addWidget(dialog)
    dialog.name_edit.insert("Second\r\nvisit")
    assert dialog.name_edit.text() == "Second visit"
