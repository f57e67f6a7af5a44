"""Category use cases (Manage Categories): add, rename, recolour and delete, names unique."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..domain.entities import Category
from ..domain.errors import ValidationError
from ..domain.validation import clean_text
from ..repository.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _name(name: str) -> str:
    return clean_text(name, "Category name", "name", required=True)


def _color(color: str) -> str:
    text = (color or "").strip()
    if text and not _COLOR.match(text):
        raise ValidationError(f"“{text}” is not a colour: use #rrggbb, or none.", "color")
    return text.lower()


class CategoryService:
    """The master list of categories, each use case one transaction."""

    def __init__(self, uow_factory: UowFactory) -> None:
        self._uow = uow_factory

    def all(self) -> list[Category]:
        with self._uow() as uow:
            return uow.categories.all()

    def add(self, name: str, color: str = "") -> Category:
        """Add a category. Raises ``ValidationError`` for an empty or taken name."""
        clean, clean_color = _name(name), _color(color)
        with self._uow() as uow:
            if uow.categories.by_name(clean) is not None:
                raise ValidationError(f"A category named “{clean}” already exists.", "name")
            category = uow.categories.add(clean, clean_color)
            uow.commit()
        return category

    def update(self, category_id: int, name: str, color: str) -> Category:
        """Rename and/or recolour. Raises ``ValidationError`` or ``NotFoundError``."""
        clean, clean_color = _name(name), _color(color)
        with self._uow() as uow:
            other = uow.categories.by_name(clean)
            if other is not None and other.id != category_id:
                raise ValidationError(f"A category named “{clean}” already exists.", "name")
            category = uow.categories.update(category_id, clean, clean_color)
            uow.commit()
        return category

    def delete(self, category_id: int) -> None:
        """Delete a category and take it off every record. Raises ``NotFoundError``."""
        with self._uow() as uow:
            uow.categories.remove(category_id)
            uow.commit()
