"""One-line text fields that take pasted text with line breaks and tabs.

Text copied from an e-mail, an address block or a spreadsheet often carries a line break or a
tab. A ``QLineEdit`` keeps them invisibly, and saving then fails on "control characters" the
user cannot see. A user means a space there, so a line edit with :class:`SingleLineValidator`
(or passed to :func:`keep_on_one_line`) turns each run of them into one space as the text is
pasted or typed.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QLineEdit

_BREAKS = re.compile(r"[\x00-\x1f\x7f]+")
_AROUND_BREAKS = re.compile(r" *[\x00-\x1f\x7f][\x00-\x1f\x7f ]*")


def one_line(text: str) -> str:
    """``text`` with every run of line breaks, tabs and other control characters, and the
    spaces around them, one space ("Re: offer\r\n  and terms" → "Re: offer and terms")."""
    return _AROUND_BREAKS.sub(" ", text)


class SingleLineValidator(QValidator):
    """Accepts any text, with line breaks and control characters made spaces."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:  # type: ignore[override]
        if not _BREAKS.search(text):
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Acceptable, one_line(text), len(one_line(text[:pos]))


def keep_on_one_line(edit: QLineEdit) -> QLineEdit:
    """Give ``edit`` a :class:`SingleLineValidator`; returns ``edit``."""
    edit.setValidator(SingleLineValidator(edit))
    return edit
