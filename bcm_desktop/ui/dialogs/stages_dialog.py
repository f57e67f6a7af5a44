"""The Sales Stages editor (S-5): stages with their activities, for the database owner.

A tree shows each stage with its activities below it; the check mark marks the default stage
of new opportunities. Every button is one call to the stage service, which enforces the
rules (owner only, Closed Won/Lost locked) in one transaction; the tree is then read again
and the selection kept. Stages are a handful of rows, so a ``QTreeWidget`` refilled after
each change serves them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.activities import (
    MAX_CLOSE_DATE_OFFSET_DAYS,
    MAX_DURATION_DAYS,
    StageActivity,
    StageDeletionImpact,
    StageWithActivities,
)
from ...domain.entities import SalesStage
from ...domain.errors import DomainError
from ...services.stages import StageService
from ..errors import show_error
from ..widgets.single_line import keep_on_one_line

GEOMETRY_KEY = "dialogs/salesStagesGeometry"
STAGE, ACTIVITY = "stage", "activity"
KEY_ROLE = Qt.ItemDataRole.UserRole
CHECK_MARK = "✔"


def _tr(text: str) -> str:
    return QCoreApplication.translate("StagesDialog", text)


def _days(days: int | None) -> str:
    if days is None:
        return ""
    return _tr("1 day") if days == 1 else _tr("{days} days").format(days=days)


def _optional_spin(parent: QWidget, maximum: int, none_text: str, suffix: str) -> QSpinBox:
    """A spin box whose lowest value (-1) means "none"."""
    spin = QSpinBox(parent)
    spin.setRange(-1, maximum)
    spin.setSpecialValueText(none_text)
    spin.setSuffix(suffix)
    spin.setValue(-1)
    return spin


def _spin_value(spin: QSpinBox) -> int | None:
    return None if spin.value() < 0 else spin.value()


# -- Add / Edit --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageValues:
    name: str
    default_probability: int | None
    close_date_offset_days: int | None


@dataclass(frozen=True)
class ActivityValues:
    name: str
    duration_days: int | None


class StageEditDialog(QDialog):
    """Add or edit a stage (name, default probability, close-date offset) or an activity
    (name, duration)."""

    def __init__(self, kind: str, adding: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName("stageEditDialog" if kind == STAGE else "activityEditDialog")
        titles = {
            (STAGE, True): _tr("Add a Sales Stage"),
            (STAGE, False): _tr("Edit Sales Stage"),
            (ACTIVITY, True): _tr("Add a Sales Activity"),
            (ACTIVITY, False): _tr("Edit Sales Activity"),
        }
        self.setWindowTitle(titles[(kind, adding)])
        self.name_edit = QLineEdit(self)
        keep_on_one_line(self.name_edit)
        self.name_edit.setObjectName("name")
        self.name_edit.setMaxLength(255)
        self.name_edit.setAccessibleName(_tr("Name"))
        self.probability_spin = _optional_spin(self, 100, _tr("None"), " %")
        self.probability_spin.setObjectName("defaultProbability")
        self.probability_spin.setAccessibleName(_tr("Default probability"))
        self.probability_spin.setToolTip(
            _tr("The probability a new opportunity gets in this stage; None keeps what it has")
        )
        self.offset_spin = _optional_spin(
            self, MAX_CLOSE_DATE_OFFSET_DAYS, _tr("None"), _tr(" days")
        )
        self.offset_spin.setObjectName("closeDateOffset")
        self.offset_spin.setAccessibleName(_tr("Close date offset in days"))
        self.offset_spin.setToolTip(
            _tr("A new opportunity in this stage gets a close date this many days from today")
        )
        self.duration_spin = _optional_spin(
            self, MAX_DURATION_DAYS, _tr("No duration"), _tr(" days")
        )
        self.duration_spin.setObjectName("duration")
        self.duration_spin.setAccessibleName(_tr("Duration in days"))
        self.duration_spin.setToolTip(
            _tr("Days after entering the stage that the activity is due; No duration: never due")
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_tr("&Name:"), self.name_edit)
        if kind == STAGE:
            form.addRow(_tr("Default &probability:"), self.probability_spin)
            form.addRow(_tr("&Close date after:"), self.offset_spin)
            self.duration_spin.hide()
        else:
            form.addRow(_tr("&Duration:"), self.duration_spin)
            self.probability_spin.hide()
            self.offset_spin.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)

    def set_stage(self, stage: SalesStage) -> None:
        self.name_edit.setText(stage.name)
        probability = stage.default_probability
        self.probability_spin.setValue(-1 if probability is None else probability)
        offset = stage.close_date_offset_days
        self.offset_spin.setValue(-1 if offset is None else offset)

    def set_activity(self, activity: StageActivity) -> None:
        self.name_edit.setText(activity.name)
        duration = activity.duration_days
        self.duration_spin.setValue(-1 if duration is None else duration)

    def stage_values(self) -> StageValues:
        return StageValues(
            self.name_edit.text(), _spin_value(self.probability_spin), _spin_value(self.offset_spin)
        )

    def activity_values(self) -> ActivityValues:
        return ActivityValues(self.name_edit.text(), _spin_value(self.duration_spin))

    def accept(self) -> None:
        if not self.name_edit.text().strip():
            QMessageBox.warning(self, self.windowTitle(), _tr("Type a name first."))
            self.name_edit.setFocus()
            return
        super().accept()

    @classmethod
    def ask_stage(
        cls, parent: QWidget | None, stage: SalesStage | None = None
    ) -> StageValues | None:
        dialog = cls(STAGE, stage is None, parent)
        try:
            if stage is not None:
                dialog.set_stage(stage)
            dialog.name_edit.selectAll()
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.stage_values()
            return None
        finally:
            dialog.deleteLater()

    @classmethod
    def ask_activity(
        cls, parent: QWidget | None, activity: StageActivity | None = None
    ) -> ActivityValues | None:
        dialog = cls(ACTIVITY, activity is None, parent)
        try:
            if activity is not None:
                dialog.set_activity(activity)
            else:
                dialog.duration_spin.setValue(1)
            dialog.name_edit.selectAll()
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.activity_values()
            return None
        finally:
            dialog.deleteLater()


# -- Delete a stage: Replace with --------------------------------------------------------------


@dataclass(frozen=True)
class Replacement:
    stage_id: int | None
    move_activities: bool


class ReplaceStageDialog(QDialog):
    """Delete a stage: choose what its records get (another open stage or blank) and whether
    its activities move to the top of the replacement's list."""

    def __init__(
        self,
        stage: SalesStage,
        others: list[SalesStage],
        impact: StageDeletionImpact,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("replaceStageDialog")
        self.setWindowTitle(_tr("Delete Item"))
        self._stage = stage
        self._impact = impact
        self.intro = QLabel(
            _tr(
                "Delete the sales stage “{name}”. Opportunities in it get the stage you choose "
                "here, or a blank stage."
            ).format(name=stage.name),
            self,
        )
        self.intro.setWordWrap(True)
        self.replacement_combo = QComboBox(self)
        self.replacement_combo.setObjectName("replacement")
        self.replacement_combo.setAccessibleName(_tr("Replace with"))
        self.replacement_combo.addItem(_tr("(blank)"), None)
        for other in others:
            self.replacement_combo.addItem(other.name, other.id)
        self.move_check = QCheckBox(
            _tr(
                "&Move the activities of this stage to the top of the replacement stage's "
                "activities"
            ),
            self,
        )
        self.move_check.setObjectName("moveActivities")
        self.impact_label = QLabel(self)
        self.impact_label.setObjectName("impact")
        self.impact_label.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_tr("&Replace with:"), self.replacement_combo)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_tr("&Delete"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.move_check)
        layout.addWidget(self.impact_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.replacement_combo.currentIndexChanged.connect(self._update)
        self.move_check.toggled.connect(self._update)
        self._update()
        self.setMinimumWidth(max(560, self.move_check.sizeHint().width() + 40))

    def replacement(self) -> Replacement:
        stage_id = self.replacement_combo.currentData()
        return Replacement(stage_id, stage_id is not None and self.move_check.isChecked())

    def _update(self, *_args: object) -> None:
        chosen = self.replacement_combo.currentData()
        self.move_check.setVisible(chosen is not None)
        if chosen is None:
            self.move_check.setChecked(False)
        name = self.replacement_combo.currentText()
        opportunities = self._impact.opportunities
        activities = self._impact.activities
        if chosen is None:
            records = _tr("{count} opportunities will get a blank sales stage.")
        else:
            records = _tr("{count} opportunities will move to “{name}”.")
        if not activities:
            steps = _tr("The stage has no activities.")
        elif self.replacement().move_activities:
            steps = _tr("{activities} activities will move to the top of “{name}”.")
        else:
            steps = _tr(
                "{activities} activities will be deleted, also from the opportunities that "
                "have them."
            )
        self.impact_label.setText(
            _tr("{opportunities} opportunities and {activities} activities will change.").format(
                opportunities=opportunities, activities=activities
            )
            + "\n"
            + records.format(count=opportunities, name=name)
            + " "
            + steps.format(activities=activities, name=name)
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        stage: SalesStage,
        others: list[SalesStage],
        impact: StageDeletionImpact,
    ) -> Replacement | None:
        dialog = cls(stage, others, impact, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.replacement()
            return None
        finally:
            dialog.deleteLater()


# -- the editor ---------------------------------------------------------------------------------


class StagesDialog(QDialog):
    """Modify Sales Stages and Activities: the tree, the buttons, the reminders check box."""

    COLUMNS = 5  # name, default, probability, close date, duration

    def __init__(self, service: StageService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stagesDialog")
        self._service = service
        self._stages: list[StageWithActivities] = []
        self.changed = False
        self._owner = service.is_owner()

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("stageTree")
        self.tree.setColumnCount(self.COLUMNS)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setRootIsDecorated(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit())

        def button(name: str, slot: object) -> QPushButton:
            widget = QPushButton(self)
            widget.setObjectName(name)
            widget.clicked.connect(slot)
            return widget

        self.add_stage_button = button("addStage", self.add_stage)
        self.add_activity_button = button("addActivity", self.add_activity)
        self.edit_button = button("edit", self.edit)
        self.delete_button = button("delete", self.delete)
        self.up_button = button("moveUp", lambda: self.move(-1))
        self.down_button = button("moveDown", lambda: self.move(+1))
        self.default_button = button("toggleDefault", self.toggle_default)
        self.reminders_check = QCheckBox(self)
        self.reminders_check.setObjectName("activityReminders")
        self.owner_note = QLabel(self)
        self.owner_note.setObjectName("ownerNote")
        self.owner_note.setWordWrap(True)
        self.owner_note.setVisible(not self._owner)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)

        side = QVBoxLayout()
        for widget in (self.add_stage_button, self.add_activity_button, self.edit_button):
            side.addWidget(widget)
        side.addWidget(self.delete_button)
        side.addSpacing(12)
        side.addWidget(self.up_button)
        side.addWidget(self.down_button)
        side.addSpacing(12)
        side.addWidget(self.default_button)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.tree, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.owner_note)
        layout.addLayout(body, 1)
        layout.addWidget(self.reminders_check)
        layout.addWidget(self.buttons)

        # Keys a desktop user tries: Del deletes, F2 edits, Ctrl+Up/Down move.
        for keys, slot in (
            (QKeySequence.StandardKey.Delete, self.delete),
            (QKeySequence("F2"), self.edit),
            (QKeySequence("Ctrl+Up"), lambda: self.move(-1)),
            (QKeySequence("Ctrl+Down"), lambda: self.move(+1)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.tree)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        self.retranslate_ui()
        self.refresh()
        self.reminders_check.setChecked(service.reminders_enabled())
        self.reminders_check.toggled.connect(self.set_reminders)
        self.reminders_check.setEnabled(self._owner)
        self.add_stage_button.setEnabled(self._owner)
        for widget in (
            self.tree,
            self.add_stage_button,
            self.add_activity_button,
            self.edit_button,
            self.delete_button,
            self.up_button,
            self.down_button,
            self.default_button,
            self.reminders_check,
            self.close_button,
        ):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        QWidget.setTabOrder(self.tree, self.add_stage_button)
        for first, second in (
            (self.add_stage_button, self.add_activity_button),
            (self.add_activity_button, self.edit_button),
            (self.edit_button, self.delete_button),
            (self.delete_button, self.up_button),
            (self.up_button, self.down_button),
            (self.down_button, self.default_button),
            (self.default_button, self.reminders_check),
            (self.reminders_check, self.close_button),
        ):
            QWidget.setTabOrder(first, second)
        self.resize(680, 460)
        geometry = QSettings().value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_tr("Modify Sales Stages and Activities"))
        self.tree.setHeaderLabels(
            [
                _tr("Sales stage / activity"),
                _tr("Default"),
                _tr("Probability"),
                _tr("Close date"),
                _tr("Duration"),
            ]
        )
        self.tree.setAccessibleName(_tr("Sales stages and their activities"))
        self.add_stage_button.setText(_tr("Add &Stage…"))
        self.add_stage_button.setToolTip(_tr("Add a sales stage above Closed Won"))
        self.add_activity_button.setText(_tr("Add &Activity…"))
        self.add_activity_button.setToolTip(_tr("Add an activity to the selected stage"))
        self.edit_button.setText(_tr("&Edit…"))
        self.edit_button.setToolTip(_tr("Rename the selected stage or activity (F2)"))
        self.delete_button.setText(_tr("&Delete"))
        self.delete_button.setToolTip(_tr("Delete the selected stage or activity (Del)"))
        self.up_button.setText(_tr("Move &Up"))
        self.up_button.setToolTip(_tr("Move the selection up (Ctrl+Up)"))
        self.down_button.setText(_tr("Move Do&wn"))
        self.down_button.setToolTip(_tr("Move the selection down (Ctrl+Down)"))
        self.reminders_check.setText(_tr("Set &reminders for activities with a duration"))
        self.owner_note.setText(_tr("Only the database owner can customize sales stages."))
        self._update_buttons()

    # -- state ---------------------------------------------------------------------------

    def refresh(self, select: tuple[str, int] | None = None) -> None:
        """Read the stages again; keep (or set) the selection and the expanded stages."""
        if select is None:
            select = self.selected_key()
        try:
            self._stages = self._service.stages()
        except DomainError as error:
            show_error(self, error)
            return
        self.tree.blockSignals(True)
        try:
            self.tree.clear()
            for entry in self._stages:
                stage_item = self._stage_item(entry.stage)
                for activity in entry.activities:
                    self._activity_item(stage_item, activity, entry.stage)
                stage_item.setExpanded(True)
            chosen = self.item_for(select) if select else None
            if chosen is None and self.tree.topLevelItemCount():
                chosen = self.tree.topLevelItem(0)
            self.tree.setCurrentItem(chosen)
        finally:
            self.tree.blockSignals(False)
        self._update_buttons()

    def _stage_item(self, stage: SalesStage) -> QTreeWidgetItem:
        probability = stage.default_probability
        offset = stage.close_date_offset_days
        item = QTreeWidgetItem(
            self.tree,
            [
                stage.name,
                CHECK_MARK if stage.is_default else "",
                "" if probability is None else f"{probability} %",
                "" if offset is None else _tr("+{days}").format(days=_days(offset)),
                "",
            ],
        )
        item.setData(0, KEY_ROLE, (STAGE, stage.id))
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignCenter)
        if stage.is_default:
            item.setData(1, Qt.ItemDataRole.AccessibleTextRole, _tr("Default stage"))
            item.setToolTip(1, _tr("The default stage of new opportunities"))
        if stage.is_closed:
            item.setToolTip(0, _tr("Built in: Closed Won and Closed Lost cannot be changed"))
            item.setForeground(0, self.palette().placeholderText())
        return item

    def _activity_item(
        self, parent: QTreeWidgetItem, activity: StageActivity, stage: SalesStage
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [activity.name, "", "", "", _days(activity.duration_days)])
        item.setData(0, KEY_ROLE, (ACTIVITY, activity.id))
        return item

    def selected_key(self) -> tuple[str, int] | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        kind, item_id = item.data(0, KEY_ROLE)
        return str(kind), int(item_id)

    def item_for(self, key: tuple[str, int]) -> QTreeWidgetItem | None:
        for top in range(self.tree.topLevelItemCount()):
            stage_item = self.tree.topLevelItem(top)
            if tuple(stage_item.data(0, KEY_ROLE)) == key:
                return stage_item
            for child in range(stage_item.childCount()):
                item = stage_item.child(child)
                if tuple(item.data(0, KEY_ROLE)) == key:
                    return item
        return None

    def _entry_of_stage(self, stage_id: int) -> StageWithActivities | None:
        return next((e for e in self._stages if e.stage.id == stage_id), None)

    def _selection(self) -> tuple[StageWithActivities, StageActivity | None] | None:
        """The selected stage (or the stage of the selected activity) and activity."""
        key = self.selected_key()
        if key is None:
            return None
        kind, item_id = key
        for entry in self._stages:
            if kind == STAGE and entry.stage.id == item_id:
                return entry, None
            for activity in entry.activities:
                if kind == ACTIVITY and activity.id == item_id:
                    return entry, activity
        return None

    def _open_stages(self) -> list[SalesStage]:
        return [e.stage for e in self._stages if not e.stage.is_closed]

    def _update_buttons(self) -> None:
        selection = self._selection()
        owner = self._owner
        stage = selection[0].stage if selection else None
        activity = selection[1] if selection else None
        editable = owner and stage is not None and not stage.is_closed
        self.add_activity_button.setEnabled(editable)
        self.edit_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)
        can_up = can_down = False
        if editable and stage is not None and selection is not None:
            if activity is None:
                open_ids = [s.id for s in self._open_stages()]
                index = open_ids.index(stage.id)
                can_up, can_down = index > 0, index < len(open_ids) - 1
            else:
                ids = [a.id for a in selection[0].activities]
                index = ids.index(activity.id)
                can_up, can_down = index > 0, index < len(ids) - 1
        self.up_button.setEnabled(can_up)
        self.down_button.setEnabled(can_down)
        is_default = stage is not None and activity is None and stage.is_default
        self.default_button.setText(_tr("&Clear Default") if is_default else _tr("Make De&fault"))
        self.default_button.setToolTip(
            _tr("New opportunities get no stage")
            if is_default
            else _tr("New opportunities start in the selected stage")
        )
        self.default_button.setEnabled(editable and activity is None)

    def _run(self, work: object, select: tuple[str, int] | None = None) -> bool:
        """Call the service; on refusal show why. Refresh either way (a colleague may have
        changed something)."""
        assert callable(work)
        try:
            work()
        except DomainError as error:
            show_error(self, error)
            self.refresh()
            return False
        self.changed = True
        self.refresh(select)
        return True

    # -- commands ------------------------------------------------------------------------

    def add_stage(self) -> None:
        values = StageEditDialog.ask_stage(self)
        if values is None:
            return
        added: list[SalesStage] = []
        if self._run(
            lambda: added.append(
                self._service.add_stage(
                    values.name, values.default_probability, values.close_date_offset_days
                )
            )
        ):
            self.tree.setCurrentItem(self.item_for((STAGE, added[0].id)))

    def add_activity(self) -> None:
        selection = self._selection()
        if selection is None or selection[0].stage.is_closed:
            return
        stage = selection[0].stage
        values = StageEditDialog.ask_activity(self)
        if values is None:
            return
        added: list[StageActivity] = []
        if self._run(
            lambda: added.append(
                self._service.add_activity(stage.id, values.name, values.duration_days)
            )
        ):
            self.tree.setCurrentItem(self.item_for((ACTIVITY, added[0].id)))

    def edit(self) -> None:
        selection = self._selection()
        if selection is None or selection[0].stage.is_closed or not self._owner:
            return
        entry, activity = selection
        if activity is None:
            stage = entry.stage
            values = StageEditDialog.ask_stage(self, stage)
            if values is not None:
                self._run(
                    lambda: self._service.edit_stage(
                        stage.id,
                        values.name,
                        values.default_probability,
                        values.close_date_offset_days,
                    )
                )
            return
        chosen = activity
        activity_values = StageEditDialog.ask_activity(self, chosen)
        if activity_values is not None:
            self._run(
                lambda: self._service.edit_activity(
                    chosen.id, activity_values.name, activity_values.duration_days
                )
            )

    def delete(self) -> None:
        selection = self._selection()
        if selection is None or selection[0].stage.is_closed or not self._owner:
            return
        entry, activity = selection
        if activity is None:
            self._delete_stage(entry.stage)
            return
        try:
            count = self._service.activity_usage(activity.id)
        except DomainError as error:
            show_error(self, error)
            self.refresh()
            return
        answer = QMessageBox.question(
            self,
            _tr("Delete activity"),
            _tr(
                "Delete the activity “{name}”? It is removed from {count} opportunities too, "
                "also where it was marked completed."
            ).format(name=activity.name, count=count),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run(lambda: self._service.delete_activity(activity.id), (STAGE, entry.stage.id))

    def _delete_stage(self, stage: SalesStage) -> None:
        try:
            impact = self._service.deletion_impact(stage.id)
        except DomainError as error:
            show_error(self, error)
            self.refresh()
            return
        others = [s for s in self._open_stages() if s.id != stage.id]
        chosen = ReplaceStageDialog.ask(self, stage, others, impact)
        if chosen is None:
            return
        select = (STAGE, chosen.stage_id) if chosen.stage_id is not None else None
        self._run(
            lambda: self._service.delete_stage(stage.id, chosen.stage_id, chosen.move_activities),
            select,
        )

    def move(self, delta: int) -> None:
        key = self.selected_key()
        if key is None or not self._owner:
            return
        button = self.up_button if delta < 0 else self.down_button
        if not button.isEnabled():
            return
        kind, item_id = key
        if kind == STAGE:
            self._run(lambda: self._service.move_stage(item_id, delta), key)
        else:
            self._run(lambda: self._service.move_activity(item_id, delta), key)
        self.tree.setFocus()

    def toggle_default(self) -> None:
        selection = self._selection()
        if selection is None or selection[1] is not None or not self._owner:
            return
        stage = selection[0].stage
        target = None if stage.is_default else stage.id
        self._run(lambda: self._service.set_default(target), (STAGE, stage.id))

    def set_reminders(self, enabled: bool) -> None:
        try:
            self._service.set_reminders(enabled)
        except DomainError as error:
            show_error(self, error)
            self.reminders_check.blockSignals(True)
            self.reminders_check.setChecked(not enabled)
            self.reminders_check.blockSignals(False)
            return
        self.changed = True

    # -- closing -------------------------------------------------------------------------

    def _save_geometry(self) -> None:
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())

    def done(self, result: int) -> None:
        self._save_geometry()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_geometry()
        super().closeEvent(event)

    @classmethod
    def ask(cls, parent: QWidget | None, service: StageService) -> bool:
        """Run the editor; True when anything was changed (callers reload their stages)."""
        dialog = cls(service, parent)
        try:
            dialog.exec()
            return dialog.changed
        finally:
            dialog.deleteLater()
