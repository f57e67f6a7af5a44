"""Where BCM Desktop keeps its files: the per-user data folder, databases and backups (no Qt).

The folder comes from ``platformdirs``; the environment variable ``BCM_DESKTOP_DATA_DIR``
overrides it, so tests, demos and portable installs never touch the real folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "bcm-desktop"
DATA_DIR_ENV = "BCM_DESKTOP_DATA_DIR"


def data_dir() -> Path:
    """The per-user data folder (not created here: opening a database creates it)."""
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_database() -> Path:
    """The user's own database, opened when no ``--database`` is given."""
    return data_dir() / "bcm.sqlite"


def demo_database() -> Path:
    """The demo database of ``--demo``: kept apart so demo data never mixes with real data."""
    return data_dir() / "demo.sqlite"


def backup_dir() -> Path:
    """Where automatic backups (before a schema migration) are written."""
    return data_dir() / "backups"
