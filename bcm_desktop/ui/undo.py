"""Undo for bulk actions: each command holds the service's undo for exactly what it changed.

Undoing a bulk action can take as long as the action itself (restoring 100,000 deleted records
takes over a minute), so with a ``parent`` widget the undo and the redo run in a worker thread
behind a modal progress dialog that appears after half a second: the window keeps painting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from ..domain.listing import BulkResult
from ..services.bulk import BulkOutcome
from .progress import run_with_progress

T = TypeVar("T")
PROGRESS_DELAY_MS = 500


def _tr(text: str) -> str:
    return QCoreApplication.translate("BulkCommand", text)


class BulkCommand(QUndoCommand):
    """A bulk action already performed; ``undo`` reverts it, ``redo`` performs it again."""

    def __init__(
        self,
        text: str,
        outcome: BulkOutcome,
        perform: Callable[[], BulkOutcome],
        changed: Callable[[BulkResult], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(text)
        self._parent = parent
        self._outcome = outcome
        self._perform = perform
        self._changed = changed
        self._done = True  # QUndoStack.push() calls redo(); the action has already run

    def redo(self) -> None:
        if self._done:
            return
        try:
            self._outcome = self._run(_tr("Redoing “{action}”…"), self._perform)
        except Exception as error:  # reported: nothing may escape the undo stack
            self._give_up(error)
            return
        self._done = True
        self._changed(self._outcome.result)

    def undo(self) -> None:
        if self._outcome.undo is None:
            return
        try:
            result = self._run(_tr("Undoing “{action}”…"), self._outcome.undo)
        except Exception as error:  # reported: nothing may escape the undo stack
            self._give_up(error)
            return
        self._done = False
        self._changed(result)

    def _give_up(self, error: BaseException) -> None:
        """The undo or redo failed (e.g. its category was deleted since): say why, and let
        the stack drop this command rather than count it as done."""
        from .errors import show_error  # noqa: PLC0415 - the one error presenter

        self.setObsolete(True)
        show_error(self._parent, error)

    def _run(self, text: str, work: Callable[[], T]) -> T:
        if self._parent is None:
            return work()
        return run_with_progress(
            self._parent,
            self.text(),
            text.format(action=self.text()),
            lambda _progress: work(),
            object_name="undoProgress",
            minimum_duration=PROGRESS_DELAY_MS,
        )
