""" "Changed elsewhere": shows what a colleague saved next to what the user typed.

The user either reloads (takes the stored record; what they typed is shown here first, so
nothing is lost without being seen) or keeps their own version, saving it over the other.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

RELOAD = "reload"
KEEP_MINE = "keep_mine"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConflictDialog", text)


class _DifferenceModel(QAbstractTableModel):
    def __init__(self, rows: Sequence[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = list(rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and index.isValid():
            return self._rows[index.row()][index.column()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_tr("Field"), _tr("Your version"), _tr("Saved by someone else"))[section]
        return None


class ConflictDialog(QDialog):
    """Lists the fields that differ; Reload or Keep mine."""

    def __init__(
        self, title: str, differences: Sequence[tuple[str, str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(_tr("Changed elsewhere"))
        self.choice: str | None = None
        message = QLabel(
            _tr(
                "“{title}” was changed and saved by someone else after you opened it. "
                "Nothing has been overwritten. Compare the two versions, then reload theirs or "
                "keep yours."
            ).format(title=title),
            self,
        )
        message.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setObjectName("conflictDifferences")
        self.table.setModel(_DifferenceModel(differences, self))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(self)
        self.reload_button = QPushButton(_tr("Reload Theirs"), self)
        self.reload_button.setObjectName("conflictReload")
        self.keep_button = QPushButton(_tr("Keep Mine"), self)
        self.keep_button.setObjectName("conflictKeepMine")
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.reload_button.clicked.connect(lambda: self._choose(RELOAD))
        self.keep_button.clicked.connect(lambda: self._choose(KEEP_MINE))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, title: str, differences: Sequence[tuple[str, str, str]]
    ) -> str | None:
        """``RELOAD``, ``KEEP_MINE`` or ``None`` (cancel: keep editing, nothing saved)."""
        dialog = cls(title, differences, parent)
        try:
            dialog.exec()
            return dialog.choice
        finally:
            dialog.deleteLater()
