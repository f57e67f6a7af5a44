"""One-line text boxes that take pasted line breaks and tabs as spaces.

A ``QLineEdit`` keeps a pasted "Oudegracht 1⏎Utrecht" or two spreadsheet cells as they are,
showing nothing of the break; saving then refuses an invisible control character. A user
means a space there, so the box puts one in as the text is pasted or typed.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QLineEdit

_BREAKS = re.compile(r"[\r\n\t\v\f]+")


def keep_on_one_line(edit: QLineEdit) -> QLineEdit:
    """Replace every run of line breaks and tabs the user puts into ``edit`` by one space."""

    def follow(text: str) -> None:
        if not _BREAKS.search(text):
            return
        before = text[: edit.cursorPosition()]
        edit.setText(_BREAKS.sub(" ", text))
        edit.setCursorPosition(len(_BREAKS.sub(" ", before)))

    edit.textEdited.connect(follow)
    return edit
