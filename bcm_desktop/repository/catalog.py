"""The Products and services catalog."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.entities import Product
from ..domain.errors import NotFoundError
from ..domain.money import from_cents, to_cents
from .orm import ProductRow
from .repositories import check_version


def _product(row: ProductRow) -> Product:
    return Product(
        id=row.id,
        name=row.name,
        unit_price=from_cents(row.unit_price_cents),
        unit_cost=from_cents(row.unit_cost_cents),
        description=row.description,
        taxable=row.taxable,
        active=row.active,
        version=row.version,
    )


class ProductRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self, *, active_only: bool = True) -> list[Product]:
        query = select(ProductRow).order_by(func.lower(ProductRow.name))
        if active_only:
            query = query.where(ProductRow.active.is_(True))
        return [_product(row) for row in self._session.scalars(query)]

    def get(self, product_id: int) -> Product:
        row = self._session.get(ProductRow, product_id)
        if row is None:
            raise NotFoundError("That catalog item no longer exists.")
        return _product(row)

    def by_name(self, name: str) -> Product | None:
        row = self._session.scalars(
            select(ProductRow).where(func.lower(ProductRow.name) == name.lower())
        ).first()
        return None if row is None else _product(row)

    def add(self, product: Product) -> Product:
        row = ProductRow(
            name=product.name,
            description=product.description,
            unit_price_cents=to_cents(product.unit_price),
            unit_cost_cents=to_cents(product.unit_cost),
            taxable=product.taxable,
            active=product.active,
        )
        self._session.add(row)
        self._session.flush()
        return _product(row)

    def update(self, product: Product) -> Product:
        """Write ``product`` over the stored item unless it changed since it was read."""
        assert product.id is not None
        row = self._session.get(ProductRow, product.id)
        if row is None:
            raise NotFoundError("That catalog item no longer exists.")
        check_version(row.name, row.version, product.version)
        row.name = product.name
        row.description = product.description
        row.unit_price_cents = to_cents(product.unit_price)
        row.unit_cost_cents = to_cents(product.unit_cost)
        row.taxable = product.taxable
        row.active = product.active
        self._session.flush()
        return _product(row)
