"""The one error presenter: every error that reaches the user goes through :func:`show_error`.

A ``DomainError`` is a refusal the user can act on (its message says what happened and what
to do), so it is a warning with that message and nothing else. Anything else is a bug: a
critical message with a short, calm text, and the traceback under "Show Details…" for the
bug report. :func:`install_excepthook` routes uncaught exceptions here, so a bug in a slot
shows a message instead of vanishing into the console or killing the program.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ..domain.errors import DomainError

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]

_presenting = False  # an error while an error box is open is logged, not shown again


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def details_of(error: BaseException) -> str:
    """The traceback text shown under "Show Details…"."""
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


def critical_box(parent: QWidget | None, error: BaseException) -> QMessageBox:
    """The message box for an unexpected error (built separately so tests can inspect it)."""
    box = QMessageBox(parent)
    box.setObjectName("unexpectedErrorBox")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_tr("Unexpected error"))
    box.setText(_tr("Something went wrong inside BCM Desktop."))
    box.setInformativeText(
        _tr(
            "The action was not completed; whatever it had not saved was rolled back. "
            "If this happens again, send the details below to your support contact."
        )
        + f"\n\n{type(error).__name__}: {error}"
    )
    box.setDetailedText(details_of(error))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """Tell the user about ``error``: a warning for a refusal, a critical box for a bug."""
    global _presenting  # noqa: PLW0603 -- one flag guards against error boxes piling up
    if isinstance(error, DomainError):
        QMessageBox.warning(parent, _tr("BCM Desktop"), error.message)
        return
    log.error("Unexpected error", exc_info=(type(error), error, error.__traceback__))
    if _presenting:
        return
    _presenting = True
    try:
        critical_box(parent, error).exec()
    finally:
        _presenting = False


def _excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt) or QApplication.instance() is None:
        sys.__excepthook__(kind, error, tb)
        return
    if error.__traceback__ is None:
        error = error.with_traceback(tb)
    try:
        show_error(QApplication.activeWindow(), error)
    except Exception:  # the presenter itself failed: the console is all that is left
        sys.__excepthook__(kind, error, tb)


def install_excepthook() -> ExceptHook:
    """Route uncaught exceptions to :func:`show_error`; returns the hook it replaced."""
    previous: ExceptHook = sys.excepthook
    sys.excepthook = _excepthook
    return previous
