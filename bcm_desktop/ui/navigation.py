"""The navigation pane on the left: the Business Contact Manager folders.

BCM lists Home, Contact Management, Sales, Marketing and Project Management. A folder is
listed only once its workspace exists (``add_folder``), so the pane never offers a dead
entry; selecting a folder shows its workspace in the central stack.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

KEY_ROLE = Qt.ItemDataRole.UserRole
FOLDER_ICON = QSize(24, 24)

_STYLE = """
#navigationHeader {
    background: #2b579a; color: white; font-weight: bold; padding: 6px 8px;
}
#navigationFolders { border: none; }
#navigationFolders::item { padding: 4px 6px; }
"""


def _tr(text: str) -> str:
    return QCoreApplication.translate("NavigationPane", text)


class NavigationPane(QFrame):
    """Folders on the left; choosing one switches ``stack`` to the folder's workspace."""

    folder_changed = Signal(str)

    def __init__(self, stack: QStackedWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigationPane")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet(_STYLE)
        self._stack = stack
        self._widgets: dict[str, QWidget] = {}
        self.header = QLabel(self)
        self.header.setObjectName("navigationHeader")
        # A narrow pane clips the header instead of forcing the whole window wider.
        self.header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.folders = QListWidget(self)
        self.folders.setObjectName("navigationFolders")
        self.folders.setIconSize(FOLDER_ICON)
        self.folders.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.folders.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.folders.setBackgroundRole(QPalette.ColorRole.Window)
        self.folders.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.folders, 1)
        self.setMinimumWidth(160)
        self.folders.currentItemChanged.connect(self._on_current_changed)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.header.setText(_tr("Business Contact Manager"))
        self.setAccessibleName(_tr("Navigation pane"))
        self.folders.setAccessibleName(_tr("Folders"))

    def add_folder(self, key: str, title: str, icon: QIcon, widget: QWidget) -> QListWidgetItem:
        """List a folder and put its workspace in the stack; the first one becomes current."""
        if key in self._widgets:
            raise ValueError(f"folder {key!r} exists already")
        item = QListWidgetItem(icon, title)
        item.setData(KEY_ROLE, key)
        self._widgets[key] = widget
        self._stack.addWidget(widget)
        self.folders.addItem(item)
        if self.folders.count() == 1:
            self.folders.setCurrentItem(item)
        return item

    def set_folder_title(self, key: str, title: str) -> None:
        self.item(key).setText(title)

    def item(self, key: str) -> QListWidgetItem:
        for row in range(self.folders.count()):
            item = self.folders.item(row)
            if item.data(KEY_ROLE) == key:
                return item
        raise KeyError(key)

    def folder_keys(self) -> list[str]:
        return [self.folders.item(row).data(KEY_ROLE) for row in range(self.folders.count())]

    def current_folder(self) -> str | None:
        item = self.folders.currentItem()
        return None if item is None else str(item.data(KEY_ROLE))

    def set_current_folder(self, key: str) -> None:
        self.folders.setCurrentItem(self.item(key))

    def widget(self, key: str) -> QWidget:
        return self._widgets[key]

    def _on_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if current is None:
            return
        key = str(current.data(KEY_ROLE))
        self._stack.setCurrentWidget(self._widgets[key])
        self.folder_changed.emit(key)
