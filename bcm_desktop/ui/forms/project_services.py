"""What the business project form and dialogs need, wired once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from ...services.history import HistoryService
from ...services.links import LinkService
from ...services.lists import ListService
from ...services.lookups import Lookups
from ...services.projects import ProjectService, TemplateService


@dataclass(frozen=True)
class ProjectFormServices:
    projects: ProjectService
    templates: TemplateService
    lookups: Lookups
    links: LinkService
    history: HistoryService
    # The list editor behind Project type's "Edit this list…" (owner only).
    lists: ListService | None = None
