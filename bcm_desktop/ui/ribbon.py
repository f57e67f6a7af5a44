"""A ribbon-style command bar: tabs of captioned groups of tool buttons bound to actions.

Each button shows a ``QAction`` (``setDefaultAction``), so enabling, checking and
retranslating the action updates the button, and the same action serves menus and shortcuts.
Large buttons show a 32 px icon above the text; small ones a 16 px icon beside it, three to a
column, as in Office. A "File" button in the top-left corner opens the application menu.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .actions import icon_for

LARGE_ICON = QSize(32, 32)
SMALL_ICON = QSize(16, 16)
SMALL_ROWS = 3
LARGE_MIN_WIDTH = 52

_STYLE = """
#ribbon::pane {
    border: none; border-top: 1px solid palette(mid); border-bottom: 1px solid palette(mid);
    background: palette(base); top: -1px;
}
#ribbon > QTabBar::tab {
    padding: 4px 14px; margin-left: 2px; border: 1px solid transparent; border-bottom: none;
    background: transparent;
}
#ribbon > QTabBar::tab:selected { background: palette(base); border-color: palette(mid); }
#ribbon > QTabBar::tab:hover:!selected { background: palette(midlight); }
RibbonButton { padding: 2px 4px; }
#ribbonFileButton {
    background: #2b579a; color: white; border: none; padding: 5px 16px; font-weight: bold;
}
#ribbonFileButton:hover, #ribbonFileButton:pressed { background: #3c6eb4; }
#ribbonFileButton::menu-indicator { image: none; width: 0; }
"""


class RibbonButton(QToolButton):
    """A tool button that shows one action and keeps its accessible name in step with it."""

    def __init__(self, action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"ribbonButton_{action.objectName()}")
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        if action.icon().isNull():
            action.setIcon(icon_for(action))
        self.setDefaultAction(action)
        if action.menu() is not None:
            self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        action.changed.connect(self.sync_accessible_name)
        self.sync_accessible_name()

    def sync_accessible_name(self) -> None:
        action = self.defaultAction()
        self.setAccessibleName(action.iconText())
        self.setAccessibleDescription(action.toolTip())


class RibbonGroup(QFrame):
    """A captioned group of buttons, e.g. Home → Actions."""

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"ribbonGroup_{key}")
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self._buttons = QGridLayout()
        self._buttons.setContentsMargins(0, 0, 0, 0)
        self._buttons.setHorizontalSpacing(2)
        self._buttons.setVerticalSpacing(0)
        self._column = 0
        self._small_row = 0  # rows used in the current column of small buttons
        self.caption = QLabel(title, self)
        self.caption.setObjectName(f"ribbonGroupCaption_{key}")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        self.caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        font = self.caption.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.caption.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 1)
        layout.setSpacing(1)
        layout.addLayout(self._buttons, 1)
        layout.addWidget(self.caption)
        self.setAccessibleName(title)

    def title(self) -> str:
        return self.caption.text()

    def set_title(self, title: str) -> None:
        self.caption.setText(title)
        self.setAccessibleName(title)

    def add_action(self, action: QAction, *, large: bool = True) -> RibbonButton:
        """Add a button for ``action``: large (icon above text) or small (icon beside text)."""
        button = RibbonButton(action, self)
        if large:
            if self._small_row:
                self._column += 1
                self._small_row = 0
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setIconSize(LARGE_ICON)
            button.setMinimumWidth(LARGE_MIN_WIDTH)
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
            self._buttons.addWidget(button, 0, self._column, SMALL_ROWS, 1)
            self._column += 1
        else:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setIconSize(SMALL_ICON)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self._buttons.addWidget(button, self._small_row, self._column)
            self._small_row += 1
            if self._small_row == SMALL_ROWS:
                self._column += 1
                self._small_row = 0
        return button


class RibbonTab(QWidget):
    """One page of the ribbon: groups side by side, separated by thin lines."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"ribbonTab_{key}")
        self._groups: dict[str, RibbonGroup] = {}
        self._separators: dict[str, QFrame] = {}
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(2, 2, 2, 0)
        self._layout.setSpacing(2)
        self._layout.addStretch(1)

    def add_group(self, key: str, title: str, *, before: str | None = None) -> RibbonGroup:
        """Add a group at the end, or in front of the group ``before``."""
        group = RibbonGroup(key, title, self)
        if before is None:
            position = self._layout.count() - 1  # in front of the closing stretch
        else:
            position = self._layout.indexOf(self._groups[before])
        separator = QFrame(self)
        separator.setObjectName(f"ribbonSeparator_{key}")
        separator.setFrameShape(QFrame.Shape.VLine)
        separator.setFrameShadow(QFrame.Shadow.Plain)
        separator.setForegroundRole(QPalette.ColorRole.Midlight)
        # Each group carries the line on its right; the last group's line closes the row.
        self._layout.insertWidget(position, separator)
        self._layout.insertWidget(position, group)
        self._groups[key] = group
        self._separators[key] = separator
        return group

    def set_group_visible(self, key: str, visible: bool) -> None:
        """Show or hide a group with its separator line (groups that belong to one folder)."""
        self._groups[key].setVisible(visible)
        self._separators[key].setVisible(visible)

    def group(self, key: str) -> RibbonGroup:
        return self._groups[key]

    def groups(self) -> list[RibbonGroup]:
        return list(self._groups.values())


class Ribbon(QTabWidget):
    """The ribbon: ``add_tab(key, title)`` → ``add_group(key, title)`` → ``add_action``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ribbon")
        self.setDocumentMode(False)
        self.setUsesScrollButtons(True)
        self.setStyleSheet(_STYLE)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._tabs: dict[str, RibbonTab] = {}
        self.file_button = QToolButton(self)
        self.file_button.setObjectName("ribbonFileButton")
        self.file_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.file_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.file_button.setAutoRaise(True)
        self.setCornerWidget(self.file_button, Qt.Corner.TopLeftCorner)

    def set_file_menu(self, menu: QMenu, text: str) -> None:
        """The application menu behind the "File" button (``text`` may carry a mnemonic)."""
        self.file_button.setMenu(menu)
        self.set_file_text(text)

    def set_file_text(self, text: str) -> None:
        self.file_button.setText(text)
        self.file_button.setAccessibleName(text.replace("&", ""))

    def add_tab(self, key: str, title: str) -> RibbonTab:
        tab = RibbonTab(key, self)
        self._tabs[key] = tab
        self.addTab(tab, title)
        return tab

    def tab(self, key: str) -> RibbonTab:
        return self._tabs[key]

    def set_tab_title(self, key: str, title: str) -> None:
        self.setTabText(self.indexOf(self._tabs[key]), title)
