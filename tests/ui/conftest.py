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
from PySide6.QtCore import QObject, QSettings


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


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("BCM_DESKTOP_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
