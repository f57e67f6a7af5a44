"""Opens record forms as separate windows, one per record: opening an open record raises it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ...domain.errors import DomainError
from ..errors import show_error
from .opportunity_form import FormServices, OpportunityForm


class FormManager(QObject):
    """Keeps the open opportunity forms; tells the workspace when one saved or deleted."""

    records_changed = Signal()

    def __init__(self, services: FormServices, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._services = services
        self._parent = parent_widget
        self._forms: list[OpportunityForm] = []

    @property
    def forms(self) -> list[OpportunityForm]:
        return list(self._forms)

    def new_opportunity(self) -> OpportunityForm:
        """An empty form with the default stage and the current user (S-2)."""
        return self._show(OpportunityForm(self._services, self._services.opportunities.new()))

    def open_opportunity(self, opportunity_id: int) -> OpportunityForm | None:
        for form in self._forms:
            if form.record_id == opportunity_id:
                form.showNormal()
                form.raise_()
                form.activateWindow()
                return form
        try:
            record = self._services.opportunities.get(opportunity_id)
        except DomainError as error:
            show_error(self._parent, error)
            return None
        return self._show(OpportunityForm(self._services, record))

    def close_all(self) -> bool:
        """Close every form (each asks about unsaved changes); False if one stayed open."""
        return all(form.close() for form in list(self._forms))

    def _show(self, form: OpportunityForm) -> OpportunityForm:
        self._forms.append(form)
        changed: Callable[..., None] = lambda *_: self.records_changed.emit()  # noqa: E731
        form.saved.connect(changed)
        form.deleted.connect(changed)
        form.form_closed.connect(self._forget)
        form.show()
        form.raise_()
        form.activateWindow()
        return form

    def _forget(self, form: OpportunityForm) -> None:
        if form in self._forms:
            self._forms.remove(form)
        form.deleteLater()
