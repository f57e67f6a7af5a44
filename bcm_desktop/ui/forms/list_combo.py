"""A form's customizable-list combo (S-4): blank, the list's entries and "Edit this list…".

The opportunity form's Type, Payment terms and Source, the project form's Project type and the
marketing form's Type all behave alike, so one small controller owns that behaviour:

- the combo ends with a separator and "Edit this list…" for the database owner only;
- choosing that entry puts the combo back on what it showed and opens the list editor;
- arrow keys, Page Down, End and the mouse wheel on the closed combo stop at the last real
  entry (:func:`keep_off_the_keys`): only choosing it from the open list runs the editor;
- afterwards the combo is refilled, keeping the current entry if it still exists; if it was
  removed, the combo shows the replacement the owner chose (or blank), and the form is told
  so it can read its record again when it has no unsaved changes (the removal gave the record
  the replacement and a new version; with unsaved changes, saving meets "changed elsewhere").
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox

from ...domain.enums import ListKind
from ...services.lists import ListService
from ...services.lookups import Lookups
from ..dialogs.list_editor_dialog import ListEditorDialog, ListEditOutcome

EDIT_LIST = "edit-list"  # the data of "Edit this list…" in a list combo


def _tr(text: str) -> str:
    return QCoreApplication.translate("ListCombo", text)


_FORWARD_KEYS = (Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_End)


class _EntryGuard(QObject):
    """Event filter: keys and wheel on a closed combo never land on its editor entry."""

    def __init__(self, combo: QComboBox, marker: object) -> None:
        super().__init__(combo)
        self._combo = combo
        self._marker = marker

    def _last_real(self) -> int:
        """The last entry a user may choose without opening the editor."""
        combo = self._combo
        for index in range(combo.count() - 1, -1, -1):
            separator = combo.itemData(index, Qt.ItemDataRole.AccessibleDescriptionRole)
            if combo.itemData(index) != self._marker and separator != "separator":
                return index
        return 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        combo = self._combo
        if watched is not combo or event.type() not in (QEvent.Type.KeyPress, QEvent.Type.Wheel):
            return False
        if combo.view().isVisible():
            return False  # the open list: its keys move there, Enter chooses
        if isinstance(event, QKeyEvent):
            forward = event.key() in _FORWARD_KEYS and not event.modifiers() & (
                Qt.KeyboardModifier.AltModifier
            )
        elif isinstance(event, QWheelEvent):
            forward = event.angleDelta().y() < 0
        else:
            return False
        if not forward:
            return False
        last = self._last_real()
        if combo.currentIndex() >= last:
            return True  # already on the last real entry: nothing further down
        if isinstance(event, QKeyEvent) and event.key() != Qt.Key.Key_Down:
            combo.setCurrentIndex(last)  # Page Down / End: the last real entry
            return True
        return False


def keep_off_the_keys(combo: QComboBox, marker: object) -> None:
    """Let arrow keys, Page Down, End and the wheel on the closed ``combo`` stop at its last
    real entry, so scrolling through a list never opens the editor behind its ``marker``
    entry; choosing the entry from the open list (click, or Enter) still does."""
    combo.installEventFilter(_EntryGuard(combo, marker))


class ListCombo(QObject):
    """Fills ``combo`` with the ``kind`` list and runs "Edit this list…" for it.

    ``is_loading`` tells when the form itself is setting the combo (no editor then);
    ``is_dirty`` whether the form has unsaved changes; ``stored`` the record's value as last
    loaded; ``follow(untouched)`` is called when the record's own entry was removed, with
    whether the form had no unsaved changes before the editor opened.

    ``edited`` carries the :class:`ListEditOutcome` of an editor session that changed the
    list, so other open forms can :meth:`apply` it to their combos of the same list.
    """

    edited = Signal(object)

    def __init__(
        self,
        combo: QComboBox,
        kind: ListKind,
        lookups: Lookups,
        service: ListService | None,
        *,
        is_loading: Callable[[], bool],
        is_dirty: Callable[[], bool],
        stored: Callable[[], int | None],
        follow: Callable[[bool], None],
    ) -> None:
        super().__init__(combo)
        self.combo = combo
        self.kind = kind
        self._lookups = lookups
        self._service = service
        self._is_loading = is_loading
        self._is_dirty = is_dirty
        self._stored = stored
        self._follow = follow
        self.editable = service is not None and service.is_owner()
        self._index = 0
        combo.currentIndexChanged.connect(self._on_index)
        keep_off_the_keys(combo, EDIT_LIST)
        self.fill()

    def fill(self, keep: int | None = None) -> None:
        """Refill the combo and show ``keep`` (blank when it is gone)."""
        combo = self.combo
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem("", None)
            for item in self._lookups.list_items(self.kind):
                combo.addItem(item.name, item.id)
            if self.editable:
                combo.insertSeparator(combo.count())
                combo.addItem(_tr("Edit this list…"), EDIT_LIST)
            index = combo.findData(keep) if keep is not None else 0
            combo.setCurrentIndex(max(index, 0))
        finally:
            combo.blockSignals(False)
        self._index = combo.currentIndex()

    def _on_index(self, index: int) -> None:
        if self.combo.itemData(index) != EDIT_LIST:
            self._index = index
            return
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(self._index)
        self.combo.blockSignals(False)
        if not self._is_loading():
            self.edit()

    def edit(self) -> None:
        """Open the list editor, then refill the combo (see the module docstring)."""
        if self._service is None or not self.editable:
            return
        untouched = not self._is_dirty()
        outcome = ListEditorDialog.ask(self.combo.window(), self._service, self.kind)
        if not outcome.changed:
            return
        self._apply(outcome, untouched)
        self.edited.emit(outcome)

    def apply(self, outcome: ListEditOutcome) -> None:
        """Follow a change made to this list in another form's editor."""
        self._apply(outcome, not self._is_dirty())

    def _apply(self, outcome: ListEditOutcome, untouched: bool) -> None:
        current = self.combo.currentData()
        seen: set[int] = set()
        while current in outcome.removed and current not in seen:
            seen.add(current)  # a replacement removed later in the same session: follow on
            current = outcome.removed[current]
        self.fill(current)
        if self.combo.currentData() != self._stored():
            self._follow(untouched)
