"""Running long work off the UI thread, with a progress dialog that appears when it is slow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

PROGRESS_DELAY_MS = 400


class _Worker(QThread):
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class BackgroundTask(QObject):
    """Runs ``work`` in a thread; the window stays responsive and shows a busy dialog if slow.

    ``done(result)`` or ``failed(exception)`` runs on the UI thread afterwards.
    """

    finished = Signal()

    def __init__(
        self,
        parent: QWidget,
        label: str,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._label = label
        self._done = done
        self._failed = failed
        self._dialog: QProgressDialog | None = None
        self._worker = _Worker(work, self)
        self._worker.succeeded.connect(self._on_success)
        self._worker.failed.connect(self._on_failure)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_progress)

    def start(self) -> None:
        self._timer.start(PROGRESS_DELAY_MS)
        self._worker.start()

    def wait(self, msecs: int = 60_000) -> bool:
        """Block until the work is done (for tests and shutdown)."""
        return self._worker.wait(msecs)

    def _show_progress(self) -> None:
        if self._worker.isFinished():
            return
        dialog = QProgressDialog(self._label, "", 0, 0, self._parent)
        dialog.setObjectName("backgroundProgress")
        dialog.setCancelButton(None)  # a single SQL statement cannot stop halfway
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setWindowTitle(self._parent.window().windowTitle())
        dialog.show()
        self._dialog = dialog

    def _close_progress(self) -> None:
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None

    def _on_success(self, result: object) -> None:
        self._close_progress()
        try:
            self._done(result)
        finally:
            self.finished.emit()

    def _on_failure(self, error: BaseException) -> None:
        self._close_progress()
        try:
            self._failed(error)
        finally:
            self.finished.emit()


def run_quietly(
    parent: QObject,
    work: Callable[[], Any],
    done: Callable[[Any], None],
    failed: Callable[[BaseException], None] | None = None,
) -> QThread:
    """Run ``work`` in a thread with no dialog (e.g. status-bar sums); ``done`` on the UI
    thread. Failures are dropped (or handed to ``failed``): what this computes is
    informative, never essential."""
    worker = _Worker(work, parent)
    worker.succeeded.connect(done)
    if failed is not None:
        worker.failed.connect(failed)
    worker.finished.connect(worker.deleteLater)
    worker.start()
    return worker
