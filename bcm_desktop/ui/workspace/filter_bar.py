"""The search box and filters above a record table; emits a new filter as the user types."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from ...domain.entities import SalesStage, User
from ...domain.enums import StageKind
from ...domain.listing import OpportunityFilter
from ..widgets.dates import OptionalDateEdit

SEARCH_DELAY_MS = 250
UNASSIGNED = -1


def _tr(text: str) -> str:
    return QCoreApplication.translate("FilterBar", text)


class _OptionalDate(OptionalDateEdit):
    """A close-date bound with a calendar pop-up; its blank value ("Any") means no bound.

    Blank is the day before the lowest date a record may hold, so every real close date can
    be a bound, and the calendar of a blank field opens at today.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, blank_text=_tr("Any"))
        self.setDisplayFormat("yyyy-MM-dd")

    def clear_value(self) -> None:
        self.set_value(None)


class FilterBar(QWidget):
    """Search (debounced), stage, assigned to, status and a close-date range."""

    filter_changed = Signal(object)  # OpportunityFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(160)
        self.stage = QComboBox(self)
        self.stage.setObjectName("stageFilter")
        self.assigned = QComboBox(self)
        self.assigned.setObjectName("assignedFilter")
        self.status = QComboBox(self)
        self.status.setObjectName("statusFilter")
        self.close_from = _OptionalDate(self)
        self.close_from.setObjectName("closeFromFilter")
        self.close_to = _OptionalDate(self)
        self.close_to.setObjectName("closeToFilter")
        for combo in (self.stage, self.assigned, self.status):
            # Narrow enough for a 1024-pixel screen; the pop-up list still shows full names.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(9)
        self._close_label = QLabel(self)
        self._close_label.setBuddy(self.close_from)
        self._to_label = QLabel(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._emit)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(6)
        layout.addWidget(self.search, 3)
        layout.addWidget(self.stage, 1)
        layout.addWidget(self.assigned, 1)
        layout.addWidget(self.status, 1)
        layout.addWidget(self._close_label)
        layout.addWidget(self.close_from)
        layout.addWidget(self._to_label)
        layout.addWidget(self.close_to)

        self.search.textChanged.connect(lambda _text: self._timer.start())
        for combo in (self.stage, self.assigned, self.status):
            combo.currentIndexChanged.connect(self._emit)
        self.close_from.dateChanged.connect(self._emit)
        self.close_to.dateChanged.connect(self._emit)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_tr("Search title, account or contact, competitors"))
        self.search.setAccessibleName(_tr("Search opportunities"))
        self.stage.setAccessibleName(_tr("Sales stage filter"))
        self.assigned.setAccessibleName(_tr("Assigned to filter"))
        self.status.setAccessibleName(_tr("Status filter"))
        self.close_from.setAccessibleName(_tr("Close date from"))
        self.close_to.setAccessibleName(_tr("Close date to"))
        self._close_label.setText(_tr("Close &date"))
        self._to_label.setText(_tr("to"))
        with QSignalBlocker(self.status):
            index = max(self.status.currentIndex(), 0)
            self.status.clear()
            self.status.addItem(_tr("Any status"), None)  # fits the narrow box, as "All stages"
            self.status.addItem(_tr("Open"), StageKind.OPEN)
            self.status.addItem(_tr("Closed Won"), StageKind.WON)
            self.status.addItem(_tr("Closed Lost"), StageKind.LOST)
            self.status.setCurrentIndex(index)

    def set_choices(self, stages: list[SalesStage], users: list[User]) -> None:
        """Fill the stage and assigned-to lists, keeping the current choices where possible.

        A choice that is gone (a deleted stage, a removed user) falls back to "All" and the
        new filter is emitted, so the list never stays filtered on something not shown.
        """
        before = (self.stage.currentData(), self.assigned.currentData())
        with QSignalBlocker(self.stage):
            current = self.stage.currentData()
            self.stage.clear()
            self.stage.addItem(_tr("All stages"), None)
            for stage in stages:
                self.stage.addItem(stage.name, stage.id)
            self.stage.setCurrentIndex(max(self.stage.findData(current), 0))
        with QSignalBlocker(self.assigned):
            current = self.assigned.currentData()
            self.assigned.clear()
            self.assigned.addItem(_tr("Anyone"), None)
            self.assigned.addItem(_tr("Unassigned"), UNASSIGNED)
            for user in users:
                self.assigned.addItem(user.name, user.id)
            self.assigned.setCurrentIndex(max(self.assigned.findData(current), 0))
        if (self.stage.currentData(), self.assigned.currentData()) != before:
            self._emit()

    def current_filter(self) -> OpportunityFilter:
        stage = self.stage.currentData()
        assigned = self.assigned.currentData()
        status = self.status.currentData()
        return OpportunityFilter(
            search=self.search.text().strip(),
            stage_ids=(stage,) if stage is not None else (),
            assigned_to_ids=()
            if assigned is None
            else (None,)
            if assigned == UNASSIGNED
            else (assigned,),
            statuses=(StageKind(status),) if status is not None else (),
            close_from=self.close_from.value(),
            close_to=self.close_to.value(),
        )

    def flush(self) -> None:
        """Apply a pending search now (Enter in the search box, or tests)."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit()

    def clear(self) -> None:
        for widget in (self.search, self.stage, self.assigned, self.status):
            widget.blockSignals(True)
        self.search.clear()
        self.stage.setCurrentIndex(0)
        self.assigned.setCurrentIndex(0)
        self.status.setCurrentIndex(0)
        for widget in (self.search, self.stage, self.assigned, self.status):
            widget.blockSignals(False)
        self.close_from.clear_value()
        self.close_to.clear_value()
        self._emit()

    def _emit(self, *_args: object) -> None:
        self._timer.stop()
        self.filter_changed.emit(self.current_filter())
