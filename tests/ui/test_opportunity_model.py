"""The Opportunities table model: Qt's model tester, lazy paging, SQL sorting and filtering."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from bcm_desktop.domain.entities import Opportunity, OpportunityLine, RecordRef, User
from bcm_desktop.domain.enums import StageKind
from bcm_desktop.domain.listing import OpportunityColumn, OpportunityFilter, SortOrder
from bcm_desktop.repository import queries as queries_module
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.queries import OpportunityQueries
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.listing import OpportunityListing
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.ui.workspace.opportunity_model import OpportunityTableModel

TITLES = ["Delta", "alpha", "Charlie", "Bravo", "Echo", "Foxtrot", "Golf"]


class CountingListing(OpportunityListing):
    """Counts page queries, to prove the model reads lazily."""

    def __init__(self, queries: OpportunityQueries) -> None:
        super().__init__(queries)
        self.pages: list[tuple[int, int]] = []

    def page(self, flt, order, offset, limit, total):  # type: ignore[no-untyped-def]
        self.pages.append((offset, limit))
        return super().page(flt, order, offset, limit, total)


@pytest.fixture
def listing(database: Database, uow_factory: Callable[[], UnitOfWork]) -> CountingListing:
    return CountingListing(OpportunityQueries(database))


@pytest.fixture
def opportunities(
    uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef, contact: RecordRef
) -> list[Opportunity]:
    service = OpportunityService(uow_factory, owner.id)
    with uow_factory() as uow:
        stages = uow.stages.all()
    created = []
    for index, title in enumerate(TITLES):
        draft = Opportunity(
            title=title,
            link=account if index % 2 else contact,
            probability=index * 10,
            stage_id=stages[index % len(stages)].id,
            close_date=date(2027, 1, 1 + index),
            lines=[OpportunityLine("Item", Decimal(100 * (index + 1)))],
        )
        created.append(service.create(draft))
    return created


def titles(model: OpportunityTableModel) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_model_passes_qt_model_tester(
    qtmodeltester, listing: CountingListing, opportunities: list[Opportunity]
) -> None:
    model = OpportunityTableModel(listing)
    qtmodeltester.check(model)
    # The tester stays connected: resets for a new filter and sort must be well formed too.
    model.set_filter(OpportunityFilter(search="a"))
    model.sort(0, Qt.SortOrder.AscendingOrder)
    model.set_filter(OpportunityFilter(statuses=(StageKind.WON,)))
    assert model.rowCount() == 1


@pytest.mark.parametrize(
    "flt",
    [
        OpportunityFilter(search="a"),
        OpportunityFilter(statuses=(StageKind.OPEN,), close_from=date(2027, 1, 3)),
        OpportunityFilter(search="no such thing"),
    ],
)
def test_filtered_model_passes_qt_model_tester(
    qtmodeltester, listing: CountingListing, opportunities: list[Opportunity], flt
) -> None:
    model = OpportunityTableModel(listing)
    model.set_filter(flt)
    qtmodeltester.check(model)


def test_row_count_without_reading_rows(
    listing: CountingListing, opportunities: list[Opportunity]
) -> None:
    model = OpportunityTableModel(listing)
    assert model.rowCount() == len(TITLES)
    assert listing.pages == []
    assert model.index(3, 0).data()
    assert len(listing.pages) == 1


@pytest.mark.parametrize("column", list(OpportunityColumn))
def test_every_column_sorts_in_both_directions(
    listing: CountingListing, opportunities: list[Opportunity], column: OpportunityColumn
) -> None:
    model = OpportunityTableModel(listing)
    section = model.section_of(column)
    model.sort(section, Qt.SortOrder.AscendingOrder)
    ascending = [model.id_at(row) for row in range(model.rowCount())]
    model.sort(section, Qt.SortOrder.DescendingOrder)
    descending = [model.id_at(row) for row in range(model.rowCount())]
    assert sorted(ascending) == sorted(o.id for o in opportunities)  # type: ignore[type-var]
    assert descending == ascending[::-1]


def test_title_sort_and_search(listing: CountingListing, opportunities: list[Opportunity]) -> None:
    model = OpportunityTableModel(listing)
    model.sort(model.section_of(OpportunityColumn.TITLE), Qt.SortOrder.AscendingOrder)
    assert titles(model) == ["alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf"]
    model.set_filter(OpportunityFilter(search="ch"))  # word prefixes, any case
    assert titles(model) == ["Charlie"]
    model.set_filter(OpportunityFilter(search="ALP"))
    assert titles(model) == ["alpha"]
    model.set_filter(OpportunityFilter(search="%"))
    assert titles(model) == []


def test_stage_sort_follows_the_pipeline(
    listing: CountingListing, opportunities: list[Opportunity]
) -> None:
    model = OpportunityTableModel(listing)
    model.sort(model.section_of(OpportunityColumn.STAGE), Qt.SortOrder.AscendingOrder)
    stage_section = model.section_of(OpportunityColumn.STAGE)
    stages = [model.index(row, stage_section).data() for row in range(model.rowCount())]
    assert stages == [
        "Prospecting",
        "Qualification",
        "Needs analysis",
        "Proposal",
        "Negotiation",
        "Closed Won",
        "Closed Lost",
    ]


@pytest.mark.parametrize(("deep_offset", "edge_rows"), [(1_000, 512), (0, 40), (0, 0)])
def test_pages_far_from_the_start_read_the_same_rows(
    monkeypatch: pytest.MonkeyPatch,
    deep_offset: int,
    edge_rows: int,
    database: Database,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
) -> None:
    """Paging from both ends and across groups gives one consistent order, whether a page
    joins its rows directly or picks its ids from the index first (deep pages)."""
    monkeypatch.setattr(queries_module, "DEEP_OFFSET", deep_offset)
    monkeypatch.setattr(queries_module, "EDGE_ROWS", edge_rows)
    service = OpportunityService(uow_factory, owner.id)
    with uow_factory() as uow:
        stages = [s.id for s in uow.stages.all()]
    for index in range(300):
        service.create(
            Opportunity(
                title=f"Deal {index:03d}",
                link=account,
                probability=index % 100,
                stage_id=None if index % 11 == 0 else stages[index % 5],
            )
        )
    queries = OpportunityQueries(database)
    flt = OpportunityFilter()
    for column in (OpportunityColumn.TITLE, OpportunityColumn.STAGE):
        for descending in (False, True):
            order = SortOrder(column, descending)
            whole = [r.id for r in queries.page(flt, order, 0, 300, 300)]
            pieces = [
                r.id
                for offset in range(0, 300, 37)
                # A fresh reader per page: each picks its own path (edge walk or sized groups).
                for r in OpportunityQueries(database).page(flt, order, offset, 37, 300)
            ]
            assert pieces == whole
            assert len(set(whole)) == 300
