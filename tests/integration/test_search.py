"""Searching opportunities: word prefixes over title, linked name and competitors; the index
follows every change; whatever the user types is data, never SQL or FTS syntax."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.domain.listing import OpportunityFilter, SortOrder
from bcm_desktop.repository import queries as queries_module
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.queries import OpportunityQueries, fts_query
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.opportunities import OpportunityService


@pytest.fixture(autouse=True, params=[500, 0], ids=["walk-sort-index", "sort-matches"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every search test runs with both page plans: 0 never counts a search as dense."""
    monkeypatch.setattr(queries_module, "DENSE_SHARE", request.param)


@pytest.fixture
def service(uow_factory: Callable[[], UnitOfWork], owner: User) -> OpportunityService:
    return OpportunityService(uow_factory, owner.id)


@pytest.fixture
def queries(database: Database) -> OpportunityQueries:
    return OpportunityQueries(database)


def found(queries: OpportunityQueries, text: str) -> list[str]:
    flt = OpportunityFilter(search=text)
    total = queries.count(flt)
    return sorted(r.title for r in queries.page(flt, SortOrder(), 0, 100, total))


def test_search_finds_title_link_and_competitors(
    service: OpportunityService, queries: OpportunityQueries, account: RecordRef, contact: RecordRef
) -> None:
    service.create(Opportunity(title="Nieuwe kassa's", link=account, competitors="Acme Kassa BV"))
    service.create(Opportunity(title="Website redesign", link=contact))
    assert found(queries, "kassa") == ["Nieuwe kassa's"]
    assert found(queries, "bakkerij") == ["Nieuwe kassa's"]  # linked account's name
    assert found(queries, "ann jans") == ["Website redesign"]  # contact Anna Jansen
    assert found(queries, "acme") == ["Nieuwe kassa's"]
    assert found(queries, "WEB red") == ["Website redesign"]
    assert found(queries, "nieuwe website") == []  # every word must match


def test_index_follows_updates_and_deletes(
    service: OpportunityService, queries: OpportunityQueries, account: RecordRef
) -> None:
    opp = service.create(Opportunity(title="Old name", link=account))
    opp.title = "Fresh name"
    opp = service.update(opp)
    assert found(queries, "old") == []
    assert found(queries, "fresh") == ["Fresh name"]
    service.delete(opp.id or 0, opp.version)
    assert found(queries, "fresh") == []


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE opportunities; --",
        '" OR 1=1 --',
        "NEAR(a b)",
        "title:*",
        "a AND NOT b",
        "%_\\",
        "(((",
        "💥",
    ],
)
def test_search_text_is_data(
    service: OpportunityService, queries: OpportunityQueries, account: RecordRef, text: str
) -> None:
    service.create(Opportunity(title="Harmless", link=account))
    assert found(queries, text) == []
    assert found(queries, "harmless") == ["Harmless"]


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('o"brien 2027') == '"o"* "brien"* "2027"*'
    assert fts_query("  ") is None
