"""Create Business Project (S-11): a template or none, the project name, Link to, start date.

From an opportunity the name defaults to its title and Link to to its account or business
contact; the new project remembers the opportunity it came from and is assigned to the
opportunity's colleague (to its creator when there is none, or they no longer share the
database). A template needs a start
date to date its tasks from: choosing one fills an empty start date with today.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import Opportunity, RecordRef
from ...domain.enums import LinkKind
from ...domain.errors import DomainError, ValidationError
from ...domain.projects import BusinessProject, ProjectTemplate
from ..errors import show_error
from ..forms.project_services import ProjectFormServices
from ..widgets.dates import OptionalDateEdit
from ..widgets.single_line import keep_on_one_line
from .link_dialog import LinkDialog
from .project_templates_dialog import ModelIndex, ProjectTemplatesDialog, TemplateListModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("CreateProjectDialog", text)


class TemplateChoiceModel(TemplateListModel):
    """ "No template" first, then every saved template."""

    def template_at(self, row: int) -> ProjectTemplate | None:
        return super().template_at(row - 1)

    def row_of(self, template_id: int | None) -> int:
        if template_id is None:
            return 0
        row = super().row_of(template_id)
        return row + 1 if row >= 0 else -1

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else super().rowCount() + 1

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return _tr("No template (start with no tasks)")
            return None
        return super().data(index, role)


class CreateProjectDialog(QDialog):
    """Makes a business project, from an opportunity or on its own. Run it with :meth:`ask`."""

    def __init__(
        self,
        services: ProjectFormServices,
        parent: QWidget | None = None,
        *,
        opportunity: Opportunity | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("createProjectDialog")
        self._services = services
        self._opportunity = opportunity
        self._link: RecordRef | None = opportunity.link if opportunity else None
        self.created: BusinessProject | None = None

        self.template_model = TemplateChoiceModel(self)
        self.template_view = QListView(self)
        self.template_view.setObjectName("projectTemplateChoice")
        self.template_view.setModel(self.template_model)
        self.template_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.template_view.setAccessibleName(_tr("Template"))
        self.edit_templates_button = QPushButton(_tr("&Edit Templates…"), self)
        self.edit_templates_button.setObjectName("editTemplates")
        self.edit_templates_button.clicked.connect(self.edit_templates)
        self.name_edit = QLineEdit(opportunity.title if opportunity else "", self)
        keep_on_one_line(self.name_edit)
        self.name_edit.setObjectName("projectName")
        self.name_edit.setMaxLength(255)
        self.name_edit.setAccessibleName(_tr("Project name"))
        self.link_button = QPushButton(_tr("&Link To…"), self)
        self.link_button.setObjectName("projectLinkButton")
        self.link_button.setAccessibleName(_tr("Link to"))
        self.link_button.clicked.connect(self.choose_link)
        self.link_label = QLabel(self)
        self.link_label.setObjectName("projectLinkName")
        self.link_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_edit = OptionalDateEdit(self)
        self.start_edit.set_value(None)  # optional; a fresh field would hold today
        self.start_edit.setObjectName("projectStartDate")
        self._filled_start: date | None = None  # the date a template filled in, if any
        self.start_edit.setAccessibleName(_tr("Start date"))
        self.start_hint = QLabel(self)
        self.start_hint.setObjectName("startHint")
        self.start_hint.setStyleSheet("color:#666")

        templates_caption = QLabel(_tr("&Template:"), self)
        templates_caption.setBuddy(self.template_view)
        template_row = QHBoxLayout()
        template_row.addWidget(templates_caption)
        template_row.addStretch(1)
        template_row.addWidget(self.edit_templates_button)
        link_row = QHBoxLayout()
        link_row.addWidget(self.link_button)
        link_row.addWidget(self.link_label, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_tr("Project &name:"), self.name_edit)
        form.addRow(_tr("Link to:"), link_row)
        form.addRow(_tr("&Start date:"), self.start_edit)
        form.addRow("", self.start_hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(template_row)
        layout.addWidget(self.template_view, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.setWindowTitle(_tr("Create Business Project"))
        self.setTabOrder(self.template_view, self.edit_templates_button)
        self.setTabOrder(self.edit_templates_button, self.name_edit)
        self.setTabOrder(self.name_edit, self.link_button)
        self.setTabOrder(self.link_button, self.start_edit)
        self.template_view.selectionModel().currentChanged.connect(
            lambda *_: self._on_template_chosen()
        )
        self._load_templates(None)
        self._show_link()
        self.resize(520, 460)

    # -- state ---------------------------------------------------------------------------

    def _load_templates(self, select_id: int | None) -> None:
        try:
            templates = self._services.templates.all()
        except DomainError as error:
            show_error(self, error)
            templates = []
        self.template_model.set_templates(templates)
        row = max(self.template_model.row_of(select_id), 0)
        self.template_view.selectionModel().setCurrentIndex(
            self.template_model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self._on_template_chosen()

    def template(self) -> ProjectTemplate | None:
        """The chosen template, or ``None`` for "No template"."""
        return self.template_model.template_at(self.template_view.currentIndex().row())

    def select_template(self, template_id: int | None) -> None:
        row = self.template_model.row_of(template_id)
        if row >= 0:
            self.template_view.selectionModel().setCurrentIndex(
                self.template_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect,
            )

    def _on_template_chosen(self) -> None:
        template = self.template()
        if template is not None and self.start_edit.value() is None:
            self._filled_start = self._services.projects.today()
            self.start_edit.set_value(self._filled_start)
        elif template is None and self._filled_start is not None:
            # Back to no template: a date only filled in for the template goes again.
            if self.start_edit.value() == self._filled_start:
                self.start_edit.set_value(None)
            self._filled_start = None
        if template is None:
            self.start_hint.setText(_tr("Optional."))
        else:
            self.start_hint.setText(
                _tr("The template's {count} tasks are dated from this day.").format(
                    count=len(template.tasks)
                )
            )

    def _show_link(self) -> None:
        if self._link is None:
            self.link_label.setText(_tr("Not linked yet (required)"))
            return
        name = self._services.links.name_of(self._link) or _tr("(deleted record)")
        kind = _tr("Account") if self._link.kind is LinkKind.ACCOUNT else _tr("Business contact")
        self.link_label.setText(f"{name} — {kind}")

    @property
    def link(self) -> RecordRef | None:
        return self._link

    # -- actions -------------------------------------------------------------------------

    def choose_link(self) -> None:
        chosen = LinkDialog.ask(
            self,
            self._services.links,
            mode="link",
            current=self._link,
            title=_tr("Link the Project To"),
        )
        if chosen is not None and chosen.record_ref is not None:
            self._link = chosen.record_ref
            self._show_link()

    def edit_templates(self) -> None:
        current = self.template()
        ProjectTemplatesDialog.ask(self, self._services.templates)
        self._load_templates(current.id if current else None)

    def draft(self) -> BusinessProject:
        """The project the dialog would create."""
        opportunity = self._opportunity
        assigned = opportunity.assigned_to_id if opportunity else None
        if assigned is not None and all(
            user.id != assigned for user in self._services.lookups.users()
        ):
            # The opportunity's colleague was removed: the dialog has no Assigned to to
            # change, and a project cannot be given to them, so it goes to its creator.
            assigned = None
        return BusinessProject(
            name=self.name_edit.text(),
            link=self._link,
            start_date=self.start_edit.value(),
            opportunity_id=opportunity.id if opportunity else None,
            assigned_to_id=assigned if assigned is not None else self._services.projects.user_id,
        )

    def accept(self) -> None:
        template = self.template()
        try:
            self.created = self._services.projects.create(
                self.draft(), template.id if template else None
            )
        except ValidationError as error:
            QMessageBox.warning(self, _tr("Cannot create the project"), error.message)
            widget = {
                "name": self.name_edit,
                "link": self.link_button,
                "start_date": self.start_edit,
                "due_date": self.start_edit,
            }.get(error.field or "")
            if widget is not None:
                widget.setFocus()
            return
        except DomainError as error:
            show_error(self, error)
            return
        super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        services: ProjectFormServices,
        *,
        opportunity: Opportunity | None = None,
    ) -> BusinessProject | None:
        """Run the dialog; the created project, or ``None`` when cancelled."""
        dialog = cls(services, parent, opportunity=opportunity)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.created
            return None
        finally:
            dialog.deleteLater()
