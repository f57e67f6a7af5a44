"""The shared plumbing of small in-memory table models: columns, headers and flags.

A subclass lists its column alignments in ``_ALIGNMENT``, its header titles in
``_headers()`` and serves ``rowCount``/``data`` itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

ModelIndex = QModelIndex | QPersistentModelIndex


class ColumnTableModel(QAbstractTableModel):
    _ALIGNMENT: tuple[Qt.AlignmentFlag, ...] = ()

    def _headers(self) -> tuple[str, ...]:
        """The column titles, translated; one per entry of ``_ALIGNMENT``."""
        return ()

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ALIGNMENT)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._ALIGNMENT):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            headers = self._headers()
            return headers[section] if section < len(headers) else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._ALIGNMENT[section].value)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
