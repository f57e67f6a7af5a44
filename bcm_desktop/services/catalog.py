"""Products and services catalog use cases: list, add, edit, deactivate and activate items.

Every method is one transaction. A refusal raises a ``DomainError`` a user can read and leaves
the database as it was. Opportunity lines copy an item's values when it is chosen, so editing
or deactivating an item never changes an existing opportunity (as in BCM).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..domain.entities import Product
from ..domain.errors import NotFoundError, ValidationError
from ..repository.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]


class CatalogService:
    """Use cases on the Products and services catalog."""

    def __init__(self, uow_factory: UowFactory) -> None:
        self._uow = uow_factory

    # -- reading -------------------------------------------------------------------------

    def items(self, active_only: bool = True) -> list[Product]:
        """The catalog sorted by name; inactive items only when ``active_only`` is false."""
        with self._uow() as uow:
            return uow.products.all(active_only=active_only)

    def get(self, product_id: int) -> Product:
        with self._uow() as uow:
            return uow.products.get(product_id)

    # -- writing -------------------------------------------------------------------------

    def add(self, product: Product) -> Product:
        """Save a new catalog item and return it as stored (with id and version)."""
        item = replace(product.validated(), id=None, version=0)
        with self._uow() as uow:
            self._check_unique_name(uow, item)
            stored = uow.products.add(item)
            uow.commit()
            return stored

    def update(self, product: Product) -> Product:
        """Save ``product`` over the stored item.

        Raises ``ConflictError`` when the item was saved by someone else after
        ``product.version`` was read, and ``NotFoundError`` when it no longer exists.
        """
        if product.id is None:
            raise NotFoundError("This catalog item has not been saved yet.")
        item = product.validated()
        with self._uow() as uow:
            self._check_unique_name(uow, item)
            stored = uow.products.update(item)
            uow.commit()
            return stored

    def deactivate(self, product_id: int, version: int) -> Product:
        """Hide an item from the choices of new lines; lines that use it keep their values."""
        return self._set_active(product_id, version, active=False)

    def activate(self, product_id: int, version: int) -> Product:
        """Offer a deactivated item again."""
        return self._set_active(product_id, version, active=True)

    # -- rules ---------------------------------------------------------------------------

    def _set_active(self, product_id: int, version: int, *, active: bool) -> Product:
        with self._uow() as uow:
            stored = uow.products.get(product_id)
            # The version the caller read, not the stored one: a stale caller gets a conflict.
            updated = uow.products.update(replace(stored, active=active, version=version))
            uow.commit()
            return updated

    @staticmethod
    def _check_unique_name(uow: UnitOfWork, item: Product) -> None:
        """Refuse a name another item has, ignoring case.

        Compared with ``str.casefold`` over the catalog rather than SQL ``lower()``, which
        SQLite applies to ASCII letters only ("Éclair" and "éclair" would both pass). A catalog
        is small, so reading its names costs little; inactive items count too, since the
        database keeps their names unique as well.
        """
        wanted = item.name.casefold()
        for other in uow.products.all(active_only=False):
            if other.id != item.id and other.name.casefold() == wanted:
                hint = (
                    "Choose another name."
                    if other.active
                    else "It is inactive: show inactive items to find and activate it, "
                    "or choose another name."
                )
                raise ValidationError(
                    f"Item name: the catalog already has an item named “{other.name}”. {hint}",
                    "name",
                )
