"""Undo for bulk actions: each command holds the service's undo for exactly what it changed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ..domain.listing import BulkResult
from ..services.bulk import BulkOutcome


class BulkCommand(QUndoCommand):
    """A bulk action already performed; ``undo`` reverts it, ``redo`` performs it again."""

    def __init__(
        self,
        text: str,
        outcome: BulkOutcome,
        perform: Callable[[], BulkOutcome],
        changed: Callable[[BulkResult], None],
    ) -> None:
        super().__init__(text)
        self._outcome = outcome
        self._perform = perform
        self._changed = changed
        self._done = True  # QUndoStack.push() calls redo(); the action has already run

    def redo(self) -> None:
        if self._done:
            return
        self._outcome = self._perform()
        self._done = True
        self._changed(self._outcome.result)

    def undo(self) -> None:
        if self._outcome.undo is None:
            return
        result = self._outcome.undo()
        self._done = False
        self._changed(result)
