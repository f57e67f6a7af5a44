"""The Assigned to box of a record: the users it can be given, plus a removed one it keeps.

A user the owner removed (File → Share Database…) is no longer a choice, yet the records
assigned to them keep showing them. Without their name in the box a form would show an empty
Assigned to and a save would silently clear it; with it (marked "removed") the save keeps it,
and the services accept a kept assignee while refusing a new one.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox

from ...services.lookups import Lookups


def _tr(text: str) -> str:
    return QCoreApplication.translate("Assignee", text)


def select_assignee(combo: QComboBox, user_id: int | None, lookups: Lookups) -> None:
    """Choose ``user_id`` in ``combo`` (item data = user id), adding them if removed."""
    if user_id is not None and combo.findData(user_id) < 0:
        user = next((u for u in lookups.all_users() if u.id == user_id), None)
        if user is not None:
            combo.addItem(_tr("{name} (removed)").format(name=user.name), user.id)
    index = combo.findData(user_id)
    combo.setCurrentIndex(index if index >= 0 else 0)
