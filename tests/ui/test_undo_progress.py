"""Undoing a long bulk action runs off the UI thread behind a progress dialog."""

from __future__ import annotations

import threading
import time
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from bcm_desktop.domain.listing import BulkResult
from bcm_desktop.services.bulk import BulkOutcome
from bcm_desktop.ui.undo import BulkCommand


def test_a_slow_undo_shows_progress_and_the_ui_thread_keeps_running(qtbot: Any) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    main_thread = threading.get_ident()
    undo_threads: list[int] = []
    seen: list[bool] = []
    changes: list[BulkResult] = []

    def slow_undo() -> BulkResult:
        undo_threads.append(threading.get_ident())
        time.sleep(1.2)
        return BulkResult(changed=7)

    def look() -> None:  # runs on the UI thread while the undo is still working
        dialogs = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QProgressDialog) and w.objectName() == "undoProgress"
        ]
        seen.append(any(dialog.isVisible() for dialog in dialogs))

    command = BulkCommand(
        "Assign To",
        BulkOutcome(BulkResult(changed=7), slow_undo),
        lambda: BulkOutcome(BulkResult(changed=7)),
        changes.append,
        window,
    )
    QTimer.singleShot(900, look)
    command.undo()

    assert undo_threads and undo_threads[0] != main_thread
    assert seen == [True]
    assert changes == [BulkResult(changed=7)]


def test_a_quick_undo_shows_no_dialog(qtbot: Any) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    changes: list[BulkResult] = []
    command = BulkCommand(
        "Assign To",
        BulkOutcome(BulkResult(changed=1), lambda: BulkResult(changed=1)),
        lambda: BulkOutcome(BulkResult(changed=1)),
        changes.append,
        window,
    )
    command.undo()
    assert changes == [BulkResult(changed=1)]
    assert not [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QProgressDialog) and w.isVisible()
    ]
