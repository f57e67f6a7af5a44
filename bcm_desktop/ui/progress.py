"""Long file work (restoring a backup) in a worker thread behind a progress dialog.

The caller waits in a local event loop, so the screen keeps painting and stays responsive
while pages are copied; the result or the error comes back as if the work ran inline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")
Progress = Callable[[int, int], None]


class _Worker(QThread):
    progressed = Signal(int, int)

    def __init__(self, work: Callable[[Progress], Any], parent: QObject) -> None:
        super().__init__(parent)
        self._work = work
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._work(self.progressed.emit)
        except Exception as exc:  # handed to the caller in the UI thread
            self.error = exc


def run_with_progress(
    parent: QWidget | None,
    title: str,
    text: str,
    work: Callable[[Progress], T],
    *,
    object_name: str = "fileProgress",
    minimum_duration: int = 0,
) -> T:
    """Run ``work(progress)`` in a thread while a modal progress dialog shows how far it is.

    Returns what ``work`` returns; raises what it raised.
    """
    dialog = QProgressDialog(text, "", 0, 0, parent)
    dialog.setObjectName(object_name)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)  # a restore is all or nothing; it cannot stop half-way
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(minimum_duration)
    if minimum_duration == 0:
        dialog.setValue(0)  # shows it at once
    else:  # shown only if the work still runs by then: no flash for quick work
        timer = QTimer(dialog)
        timer.setSingleShot(True)
        timer.timeout.connect(dialog.show)
        timer.start(minimum_duration)
    loop = QEventLoop()
    worker = _Worker(work, dialog)

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    worker.progressed.connect(on_progress)
    worker.finished.connect(loop.quit)
    worker.start()
    if not worker.isFinished():
        loop.exec()
    worker.wait()
    dialog.close()
    dialog.deleteLater()
    if worker.error is not None:
        raise worker.error
    return worker.result  # type: ignore[no-any-return]
