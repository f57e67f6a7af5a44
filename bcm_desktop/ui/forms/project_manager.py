"""Opens business project forms, one window per project, and runs Create Project."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ...domain.entities import Opportunity
from ...domain.errors import DomainError
from ..dialogs.create_project_dialog import CreateProjectDialog
from ..dialogs.list_editor_dialog import ListEditOutcome
from ..dialogs.project_templates_dialog import ProjectTemplatesDialog
from ..errors import show_error
from .project_form import ProjectForm
from .project_services import ProjectFormServices


class ProjectFormManager(QObject):
    """Keeps the open project forms; ``records_changed`` after any project change."""

    records_changed = Signal()

    def __init__(self, services: ProjectFormServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._forms: list[ProjectForm] = []

    @property
    def forms(self) -> list[ProjectForm]:
        return list(self._forms)

    def create_project(
        self, parent: QWidget | None, opportunity: Opportunity | None = None
    ) -> ProjectForm | None:
        """Create Business Project (S-11), then open the new project in its form."""
        project = CreateProjectDialog.ask(parent, self.services, opportunity=opportunity)
        if project is None or project.id is None:
            return None
        self.records_changed.emit()
        return self._show(ProjectForm(self.services, project))

    def edit_templates(self, parent: QWidget | None) -> bool:
        return ProjectTemplatesDialog.ask(parent, self.services.templates)

    def open_project(self, project_id: int, parent: QWidget | None = None) -> ProjectForm | None:
        for form in self._forms:
            if form.record_id == project_id:
                form.showNormal()
                form.raise_()
                form.activateWindow()
                return form
        try:
            project = self.services.projects.get(project_id)
        except DomainError as error:
            show_error(parent, error)
            return None
        return self._show(ProjectForm(self.services, project))

    def close_all(self) -> bool:
        """Close every form (each asks about unsaved changes); False if one stayed open."""
        return all(form.close() for form in list(self._forms))

    def refresh_open_forms(self) -> None:
        """Records came back from Deleted Items, or tasks changed in the workspace: open
        projects read their tasks, related records and history again.

        A form whose project was deleted meanwhile stays as it is: saving it says so.
        """
        for form in self._forms:
            if form.record_id is not None:
                try:
                    form.refresh_tasks()
                    form.refresh_related()
                    form.refresh_history()
                except DomainError:
                    continue

    def _show(self, form: ProjectForm) -> ProjectForm:
        self._forms.append(form)
        changed: Callable[..., None] = lambda *_: self.records_changed.emit()  # noqa: E731
        form.saved.connect(changed)
        form.deleted.connect(changed)
        form.lists_changed.connect(partial(self._list_edited, form))
        form.form_closed.connect(self._forget)
        form.show()
        form.raise_()
        form.activateWindow()
        return form

    def _list_edited(self, source: ProjectForm, outcome: ListEditOutcome) -> None:
        """The Project type list changed in one form: the others and the lists follow."""
        for form in self._forms:
            if form is not source:
                form.follow_list_edit(outcome)
        self.records_changed.emit()

    def _forget(self, form: ProjectForm) -> None:
        if form in self._forms:
            self._forms.remove(form)
        form.deleteLater()
