"""The "Assigned to" filter lists of the record workspaces, read again when the users change."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox

from ...domain.entities import User


def refill_user_filter(combo: QComboBox, users: list[User]) -> bool:
    """Replace the users of ``combo`` (after its first, "anyone" entry) with ``users``.

    The current choice is kept when that user is still listed; otherwise the combo falls
    back to its first entry. No signal fires while refilling: the caller applies the filter
    again when this returns True (the chosen user changed).
    """
    before = combo.currentData()
    with QSignalBlocker(combo):
        while combo.count() > 1:
            combo.removeItem(combo.count() - 1)
        for user in users:
            combo.addItem(user.name, user.id)
        combo.setCurrentIndex(max(combo.findData(before), 0))
    return combo.currentData() != before
