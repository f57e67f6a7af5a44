"""Fixtures for every UI test: files and settings stay in ``tmp_path``.

The data folder goes through ``BCM_DESKTOP_DATA_DIR`` and window settings through an INI
``QSettings`` handed to the window, so no test touches the user's real folder or configuration.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Generator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDeadlineTimer, QObject, QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def _alive(ref: weakref.ref[QObject]) -> Callable[[], QObject | None]:
    def get() -> QObject | None:
        widget = ref()
        return widget if widget is not None and shiboken6.isValid(widget) else None

    return get


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, object, object]:
    """pytest-qt closes every widget a test registered with ``qtbot.addWidget``. A form the
    program itself deletes when it closes (the form managers call ``deleteLater``) may be
    gone by then; closing its dead wrapper would raise. Skip the widgets that no longer
    exist, whenever their deletion happens to be processed."""
    widgets = getattr(item, "qt_widgets", None)
    if widgets:
        item.qt_widgets = [(_alive(ref), close) for ref, close in widgets]  # type: ignore[attr-defined]
    return (yield)


def _activate(target: object) -> None:
    """Make ``target``'s window the active one, as it is for a user typing into it."""
    if not isinstance(target, QWidget):
        return
    window = target.window()
    if not window.isVisible() or window.isActiveWindow():
        return
    if QApplication.activePopupWidget() is not None:
        return  # a popup (a completer's list, a menu) has the keys; it is the user's focus
    window.activateWindow()
    deadline = QDeadlineTimer(2000)
    while not window.isActiveWindow() and not deadline.hasExpired():
        QApplication.processEvents()


@pytest.fixture(autouse=True)
def keys_go_to_the_active_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt fires a window's shortcuts (Delete, F5, Ctrl+S…) only while that window is active.
    In a long test run another test's window may still hold activation, so a key pressed
    into a widget first activates the widget's window, as a user's click would."""

    def key_click(widget: object, *args: object, **kwargs: object) -> None:
        _activate(widget)
        QTest.keyClick(widget, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(QtBot, "keyClick", staticmethod(key_click))


@pytest.fixture(autouse=True)
def default_settings_folder(tmp_path: Path) -> Path:
    """Dialogs and forms remember their size in the default ``QSettings()``; point it at
    this test's folder, so no test reads another's sizes or writes the user's configuration."""
    folder = tmp_path / "qsettings"
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("BCM_DESKTOP_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
