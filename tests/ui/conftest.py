"""Fixtures for every UI test: files and settings stay in ``tmp_path``.

The data folder goes through ``BCM_DESKTOP_DATA_DIR`` and window settings through an INI
``QSettings`` handed to the window, so no test touches the user's real folder or configuration.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("BCM_DESKTOP_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
