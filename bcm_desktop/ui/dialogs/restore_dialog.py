"""File → Restore…: the backups of the open database, newest first, to choose one from.

Damaged backups are listed (so the user sees they exist) but cannot be chosen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...services.maintenance import BackupEntry
from .. import formatting
from ..widgets.column_model import ColumnTableModel

ModelIndex = QModelIndex | QPersistentModelIndex

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def _tr(text: str) -> str:
    return QCoreApplication.translate("RestoreDialog", text)


def kind_text(kind: str) -> str:
    """The name a user reads for a backup kind."""
    names = {
        "daily": _tr("Daily"),
        "weekly": _tr("Weekly"),
        "before-migration": _tr("Before migration"),
        "before-restore": _tr("Before restore"),
        "manual": _tr("Manual"),
    }
    return names.get(kind, kind)


class BackupTableModel(ColumnTableModel):
    """Read-only table of backups: date, kind, record counts, size and health."""

    DATE, KIND, OPPORTUNITIES, ACCOUNTS, CONTACTS, SIZE, STATUS = range(7)
    _ALIGNMENT = (_LEFT, _LEFT, _RIGHT, _RIGHT, _RIGHT, _RIGHT, _LEFT)

    def __init__(self, backups: list[BackupEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backups = list(backups)

    def backup_at(self, row: int) -> BackupEntry:
        return self._backups[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._backups)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._backups):
            return None
        backup = self._backups[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(backup, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._ALIGNMENT[column].value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(backup.path)
        if role == Qt.ItemDataRole.ForegroundRole and not backup.healthy:
            return QBrush(
                QGuiApplication.palette().color(
                    QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
                )
            )
        if role == Qt.ItemDataRole.UserRole:
            return str(backup.path)
        return None

    @classmethod
    def _display(cls, backup: BackupEntry, column: int) -> str:
        locale = QLocale()
        if column == cls.DATE:
            return formatting.short_datetime(backup.made_at, locale)
        if column == cls.KIND:
            return kind_text(backup.kind)
        if column == cls.OPPORTUNITIES:
            return locale.toString(backup.opportunities)
        if column == cls.ACCOUNTS:
            return locale.toString(backup.accounts)
        if column == cls.CONTACTS:
            return locale.toString(backup.contacts)
        if column == cls.SIZE:
            return locale.formattedDataSize(backup.size)
        return _tr("Good") if backup.healthy else _tr("Damaged")

    def _headers(self) -> tuple[str, ...]:
        return (
            _tr("Made"),
            _tr("Kind"),
            _tr("Opportunities"),
            _tr("Accounts"),
            _tr("Contacts"),
            _tr("Size"),
            _tr("Status"),
        )

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if not self._backups[index.row()].healthy:
            return Qt.ItemFlag.ItemNeverHasChildren  # damaged: shown, never chosen
        return super().flags(index)


class RestoreDialog(QDialog):
    """Lists the backups; Restore is enabled while a good backup is selected."""

    def __init__(self, backups: list[BackupEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.model = BackupTableModel(backups, self)

        self.intro = QLabel(self)
        self.intro.setObjectName("restoreIntro")
        self.intro.setWordWrap(True)
        self.view = QTableView(self)
        self.view.setObjectName("backupTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("restoreButtons")
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.view.selectionModel().selectionChanged.connect(self._update_button)
        self.view.doubleClicked.connect(self._on_double_click)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 360)
        self.retranslate_ui()
        first_good = next(
            (row for row in range(self.model.rowCount()) if self.model.backup_at(row).healthy),
            None,
        )
        if first_good is not None:
            self.view.selectRow(first_good)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_tr("Restore a Backup"))
        self.intro.setText(
            _tr(
                "Choose the backup to put in place of the current database. "
                "Damaged backups cannot be restored."
            )
        )
        self.restore_button.setText(_tr("Restore"))
        self.view.setAccessibleName(_tr("Backups"))

    def selected(self) -> BackupEntry | None:
        """The chosen (good) backup, if any."""
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        backup = self.model.backup_at(rows[0].row())
        return backup if backup.healthy else None

    def _update_button(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def _on_double_click(self, index: QModelIndex) -> None:
        if index.isValid() and self.model.backup_at(index.row()).healthy:
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, backups: list[BackupEntry]) -> BackupEntry | None:
        """Run the dialog; the chosen backup, or ``None`` when cancelled."""
        dialog = cls(backups, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.selected()
            return None
        finally:
            dialog.deleteLater()
