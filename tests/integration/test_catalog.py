"""The Products and services catalog service on a real database file: its rules and refusals."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from bcm_desktop.domain.entities import Product
from bcm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.catalog import CatalogService


@pytest.fixture
def catalog(uow_factory: Callable[[], UnitOfWork]) -> CatalogService:
    return CatalogService(uow_factory)


def stored_products(db_path: Path) -> list[tuple[object, ...]]:
    """Every catalog row as stored, to prove a refusal wrote nothing."""
    with sqlite3.connect(db_path) as connection:
        return connection.execute("SELECT * FROM products ORDER BY id").fetchall()


def till(**fields: object) -> Product:
    values: dict[str, object] = {
        "id": None,
        "name": "Till system",
        "unit_price": Decimal("1499.00"),
        "unit_cost": Decimal("900.00"),
        "description": "Touch screen till with scanner",
        "taxable": True,
    }
    values.update(fields)
    return Product(**values)  # type: ignore[arg-type]


def test_add_stores_the_item_exactly(catalog: CatalogService, db_path: Path) -> None:
    added = catalog.add(till(name="  Till system  ", unit_price=Decimal("99.99")))
    assert added.id is not None
    assert added.name == "Till system"
    assert added.unit_price == Decimal("99.99")
    assert added.active
    assert catalog.items() == [added]
    assert catalog.get(added.id) == added
    # Integer cents in the file: no float ever held the price.
    row = stored_products(db_path)[0]
    assert 9999 in row and 90000 in row


def test_items_are_sorted_by_name_and_inactive_ones_hidden(catalog: CatalogService) -> None:
    catalog.add(till(name="receipt printer"))
    scanner = catalog.add(till(name="Barcode scanner"))
    catalog.add(till(name="Till system"))
    catalog.deactivate(scanner.id or 0, scanner.version)
    assert [p.name for p in catalog.items()] == ["receipt printer", "Till system"]
    assert [p.name for p in catalog.items(active_only=False)] == [
        "Barcode scanner",
        "receipt printer",
        "Till system",
    ]


def test_update_changes_the_item_and_its_version(catalog: CatalogService) -> None:
    added = catalog.add(till())
    updated = catalog.update(replace(added, unit_price=Decimal("1399.50"), taxable=False))
    assert updated.unit_price == Decimal("1399.50")
    assert not updated.taxable
    assert updated.version == added.version + 1
    assert catalog.items() == [updated]


def test_update_with_a_stale_version_is_a_conflict(catalog: CatalogService, db_path: Path) -> None:
    added = catalog.add(till())
    catalog.update(replace(added, unit_price=Decimal("1000.00")))  # a colleague saves first
    before = stored_products(db_path)
    with pytest.raises(ConflictError, match="changed by someone else"):
        catalog.update(replace(added, unit_price=Decimal("2000.00")))
    assert stored_products(db_path) == before


def test_update_of_an_unsaved_or_deleted_item_is_refused(catalog: CatalogService) -> None:
    with pytest.raises(NotFoundError):
        catalog.update(till())
    with pytest.raises(NotFoundError):
        catalog.update(till(id=999))


def test_deactivate_and_activate(catalog: CatalogService) -> None:
    added = catalog.add(till())
    inactive = catalog.deactivate(added.id or 0, added.version)
    assert not inactive.active
    assert catalog.items() == []
    active = catalog.activate(inactive.id or 0, inactive.version)
    assert active.active
    assert catalog.items() == [active]


def test_deactivate_with_a_stale_version_is_a_conflict(
    catalog: CatalogService, db_path: Path
) -> None:
    added = catalog.add(till())
    catalog.update(replace(added, description="Changed elsewhere"))
    before = stored_products(db_path)
    with pytest.raises(ConflictError):
        catalog.deactivate(added.id or 0, added.version)
    assert stored_products(db_path) == before


@pytest.mark.parametrize("name", ["Till system", "TILL SYSTEM", " till system "])
def test_names_are_unique_ignoring_case(catalog: CatalogService, db_path: Path, name: str) -> None:
    catalog.add(till())
    before = stored_products(db_path)
    with pytest.raises(ValidationError, match="already has an item named “Till system”") as info:
        catalog.add(till(name=name))
    assert info.value.field == "name"
    assert stored_products(db_path) == before


def test_unique_names_ignore_case_beyond_ascii(catalog: CatalogService) -> None:
    # SQLite's lower() leaves "É" alone; the service compares with casefold().
    catalog.add(till(name="Éclair machine"))
    with pytest.raises(ValidationError, match="already has"):
        catalog.add(till(name="éclair MACHINE"))


def test_an_inactive_item_keeps_its_name(catalog: CatalogService) -> None:
    added = catalog.add(till())
    catalog.deactivate(added.id or 0, added.version)
    with pytest.raises(ValidationError, match="inactive"):
        catalog.add(till())


def test_renaming_onto_another_items_name_is_refused(catalog: CatalogService) -> None:
    catalog.add(till(name="Scanner"))
    printer = catalog.add(till(name="Printer"))
    with pytest.raises(ValidationError, match="Scanner"):
        catalog.update(replace(printer, name="scanner"))
    # Changing only the case of an item's own name is fine.
    assert catalog.update(replace(printer, name="PRINTER")).name == "PRINTER"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "   "}, "name", "Item name is required"),
        ({"name": "x" * 256}, "name", "Item name is too long"),
        ({"name": "Tab\there"}, "name", "control characters"),
        ({"unit_price": Decimal("-0.01")}, "unit_price", "Unit price cannot be negative"),
        ({"unit_price": Decimal("NaN")}, "unit_price", "Unit price is not an amount"),
        (
            {"unit_price": Decimal("1000000000000")},
            "unit_price",
            "Unit price is too large",
        ),
        ({"unit_cost": Decimal("-5")}, "unit_cost", "Unit cost cannot be negative"),
        ({"description": "y" * 2001}, "description", "Description is too long"),
    ],
)
def test_bad_items_are_refused_and_nothing_is_written(
    catalog: CatalogService,
    db_path: Path,
    fields: dict[str, object],
    field: str,
    message: str,
) -> None:
    existing = catalog.add(till(name="Existing"))
    before = stored_products(db_path)
    with pytest.raises(ValidationError, match=message) as info:
        catalog.add(till(**fields))
    assert info.value.field == field
    with pytest.raises(ValidationError, match=message):
        catalog.update(replace(existing, **fields))  # type: ignore[arg-type]
    assert stored_products(db_path) == before


def test_prices_are_rounded_to_cents_half_up(catalog: CatalogService) -> None:
    added = catalog.add(till(unit_price=Decimal("10.005"), unit_cost=Decimal("2.004")))
    assert (added.unit_price, added.unit_cost) == (Decimal("10.01"), Decimal("2.00"))
