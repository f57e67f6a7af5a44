"""Named actions: one table of texts, tooltips, default shortcuts and icons, one factory.

Every ``QAction`` of the main window is built by :func:`create_action` from :data:`ACTIONS`
(Spyder's habit), so the ribbon, menus and context menus share one action per command and
the default shortcuts live in one place. Texts are stored untranslated and translated when
an action is (re)labelled, so a language change only needs :func:`retranslate_action`.

Actions that a workspace owns (bulk actions, reading pane) keep their own texts; they take
their ribbon icon from :data:`ICONS` by object name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QStyle

CONTEXT = "actions"

# Action names: the object names of the actions, stable for tests and saved shortcuts.
OPEN_DATABASE = "open_database"
SHARE_DATABASE = "share_database"
EXIT = "exit"
TOGGLE_NAVIGATION_PANE = "toggle_navigation_pane"
REFRESH = "refresh"
ABOUT = "about"
NEW_OPPORTUNITY = "new_opportunity"
PRODUCTS_CATALOG = "products_catalog"
BACKUP_NOW = "backup_now"
RESTORE_BACKUP = "restore_backup"
CHECK_DATABASE = "check_database"
SALES_STAGES = "sales_stages"
IMPORT_EMAIL = "import_email"
IMPORT_APPOINTMENT = "import_appointment"
REMINDERS_WINDOW = "reminders_window"

SP = QStyle.StandardPixmap


@dataclass(frozen=True)
class ActionSpec:
    """What an action shows: untranslated text and tooltip, default shortcut, icon."""

    text: str
    tooltip: str
    shortcut: QKeySequence.StandardKey | str | None = None
    icon: str | None = None  # freedesktop icon theme name
    fallback: QStyle.StandardPixmap | None = None  # when the theme has no such icon
    checkable: bool = False


ACTIONS: dict[str, ActionSpec] = {
    NEW_OPPORTUNITY: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "New Opportunity"),
        QT_TRANSLATE_NOOP("actions", "Open an empty opportunity form"),
        QKeySequence.StandardKey.New,
        "document-new",
        SP.SP_FileIcon,
    ),
    PRODUCTS_CATALOG: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "Products and Services"),
        QT_TRANSLATE_NOOP("actions", "Add, edit and deactivate the items of the catalog"),
        None,
        "view-list-details",
        SP.SP_FileDialogDetailedView,
    ),
    SALES_STAGES: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "Sales Stages"),
        QT_TRANSLATE_NOOP("actions", "Add, rename, reorder and delete sales stages and activities"),
        None,
        "view-list-tree",
        SP.SP_FileDialogListView,
    ),
    OPEN_DATABASE: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "Open Database…"),
        QT_TRANSLATE_NOOP("actions", "Open another BCM Desktop database file"),
        QKeySequence.StandardKey.Open,
        "document-open",
        SP.SP_DialogOpenButton,
    ),
    SHARE_DATABASE: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "Share Database…"),
        QT_TRANSLATE_NOOP(
            "actions", "Choose the colleagues who may open this database and be assigned records"
        ),
        None,
        "system-users",
        SP.SP_DirLinkIcon,
    ),
    BACKUP_NOW: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "Back Up Now…"),
        QT_TRANSLATE_NOOP("actions", "Save a copy of the database to a file of your choice"),
        None,
        "document-save-as",
        SP.SP_DialogSaveButton,
    ),
    RESTORE_BACKUP: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "Restore…"),
        QT_TRANSLATE_NOOP("actions", "Replace the database with one of its backups"),
        None,
        "document-revert",
        SP.SP_BrowserReload,
    ),
    CHECK_DATABASE: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "Check Database…"),
        QT_TRANSLATE_NOOP("actions", "Check the database file for damage"),
        None,
        "tools-check-spelling",
        SP.SP_DialogApplyButton,
    ),
    IMPORT_EMAIL: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "E-mail (.eml)…"),
        QT_TRANSLATE_NOOP("actions", "Import a saved e-mail message and link it to a record"),
        None,
        "mail-message",
        SP.SP_FileIcon,
    ),
    IMPORT_APPOINTMENT: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "Appointment (.ics)…"),
        QT_TRANSLATE_NOOP("actions", "Import an iCalendar appointment and link it to a record"),
        None,
        "appointment-new",
        SP.SP_FileIcon,
    ),
    EXIT: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "Exit"),
        QT_TRANSLATE_NOOP("actions", "Close BCM Desktop"),
        "Ctrl+Q",  # StandardKey.Quit has no binding on Windows
        "application-exit",
        SP.SP_DialogCloseButton,
    ),
    TOGGLE_NAVIGATION_PANE: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "Navigation Pane"),
        QT_TRANSLATE_NOOP("actions", "Show or hide the navigation pane"),
        "Alt+F1",  # as in Outlook
        "view-sidetree",
        SP.SP_FileDialogListView,
        checkable=True,
    ),
    REFRESH: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "Refresh"),
        QT_TRANSLATE_NOOP("actions", "Read the records again from the database"),
        "F5",
        "view-refresh",
        SP.SP_BrowserReload,
    ),
    REMINDERS_WINDOW: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "Reminders Window"),
        QT_TRANSLATE_NOOP("actions", "Show the reminders that are due"),
        None,
        "appointment-soon",
        SP.SP_MessageBoxInformation,
    ),
    ABOUT: ActionSpec(
        QT_TRANSLATE_NOOP("actions", "About"),
        QT_TRANSLATE_NOOP("actions", "Version, database and current user"),
        None,
        "help-about",
        SP.SP_MessageBoxInformation,
    ),
}

# Ribbon icons of actions that other widgets create, by object name.
ICONS: dict[str, tuple[str, QStyle.StandardPixmap]] = {
    "assignTo": ("mail-forward", SP.SP_DialogOkButton),
    "markClosedWon": ("dialog-ok-apply", SP.SP_DialogApplyButton),
    "markClosedLost": ("dialog-cancel", SP.SP_DialogCancelButton),
    "categorize": ("tag", SP.SP_DialogResetButton),
    "deleteSelected": ("edit-delete", SP.SP_TrashIcon),
    "undoBulk": ("edit-undo", SP.SP_ArrowBack),
    "redoBulk": ("edit-redo", SP.SP_ArrowForward),
    "toggleReadingPane": ("view-split-left-right", SP.SP_FileDialogDetailedView),
    "readingPaneBottom": ("view-split-top-bottom", SP.SP_TitleBarMaxButton),
    "clearFilters": ("edit-clear", SP.SP_LineEditClearButton),
    "findOpportunities": ("edit-find", SP.SP_FileDialogContentsView),
    "selectAllMatching": ("edit-select-all", SP.SP_FileDialogListView),
}


def themed_icon(name: str, fallback: QStyle.StandardPixmap | None = None) -> QIcon:
    """The theme's icon ``name``, else the style's standard icon (offscreen has no theme)."""
    if fallback is None:
        return QIcon.fromTheme(name)
    style = QApplication.style()
    return QIcon.fromTheme(name, style.standardIcon(fallback))


def icon_for(action: QAction) -> QIcon:
    """The ribbon icon of an action: its own, or one from the tables by object name."""
    if not action.icon().isNull():
        return action.icon()
    name = action.objectName()
    if name in ACTIONS and ACTIONS[name].icon:
        spec = ACTIONS[name]
        return themed_icon(spec.icon or "", spec.fallback)
    if name in ICONS:
        return themed_icon(*ICONS[name])
    return QIcon()


def tooltip_with_shortcut(tooltip: str, action: QAction) -> str:
    """``tooltip (Ctrl+O)``: the shortcut in the platform's notation, if there is one."""
    shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    return f"{tooltip} ({shortcut})" if shortcut else tooltip


def retranslate_action(action: QAction) -> None:
    """Set the visible texts of an action made by :func:`create_action` in the UI language."""
    spec = ACTIONS[action.objectName()]
    text = QCoreApplication.translate(CONTEXT, spec.text)
    action.setText(text)
    action.setIconText(text.rstrip("…"))
    action.setToolTip(
        tooltip_with_shortcut(QCoreApplication.translate(CONTEXT, spec.tooltip), action)
    )


def create_action(parent: QObject, name: str, slot: Callable[..., object] | None = None) -> QAction:
    """Build the action ``name`` of :data:`ACTIONS`, connected to ``slot`` if given.

    ``slot`` receives ``triggered`` for plain actions and ``toggled(bool)`` for checkable ones.
    """
    spec = ACTIONS[name]
    action = QAction(parent)
    action.setObjectName(name)
    if spec.shortcut is not None:
        action.setShortcut(QKeySequence(spec.shortcut))
    if spec.icon is not None:
        action.setIcon(themed_icon(spec.icon, spec.fallback))
    action.setCheckable(spec.checkable)
    retranslate_action(action)
    if slot is not None:
        if spec.checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(slot)
    return action
