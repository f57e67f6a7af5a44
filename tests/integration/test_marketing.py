"""Marketing activities and their Tracking page, against a real SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bcm_desktop.domain.entities import InitiatorRef, OpportunityLine, RecordRef, User
from bcm_desktop.domain.enums import InitiatorKind, ListKind, MarketingStatus, StageKind
from bcm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from bcm_desktop.domain.marketing import MarketingActivity
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.marketing import MarketingService
from bcm_desktop.services.opportunities import OpportunityService

TODAY = date(2026, 11, 28)


@pytest.fixture
def service(uow_factory: Callable[[], UnitOfWork]) -> MarketingService:
    return MarketingService(uow_factory)


@pytest.fixture
def opportunities(uow_factory: Callable[[], UnitOfWork], owner: User) -> OpportunityService:
    return OpportunityService(uow_factory, owner.id, today=lambda: TODAY)


def marketing_type(uow_factory: Callable[[], UnitOfWork], name: str = "Event") -> int:
    with uow_factory() as uow:
        return next(i.id for i in uow.lists.items(ListKind.MARKETING_TYPE) if i.name == name)


def activity(service: MarketingService, name: str, cost: str = "0", **fields: object):
    return service.create(
        replace(MarketingActivity(name=name, actual_cost=Decimal(cost)), **fields)  # type: ignore[arg-type]
    )


def opportunity(
    service: OpportunityService,
    link: RecordRef,
    title: str,
    price: str,
    probability: int,
    initiated_by: InitiatorRef | None,
    close: StageKind | None = None,
) -> int:
    draft = service.new()
    draft.title = title
    draft.link = link
    draft.probability = probability
    draft.lines = [OpportunityLine("Stand", Decimal(price), Decimal(1))]
    draft.initiated_by = initiated_by
    opp = service.create(draft)
    assert opp.id is not None
    if close is not None:
        service.close(opp.id, close, opp.version, TODAY)
    return opp.id


def marketing(activity_id: int | None) -> InitiatorRef:
    assert activity_id is not None
    return InitiatorRef(InitiatorKind.MARKETING, activity_id)


def test_create_and_read_back(service: MarketingService, uow_factory, owner: User) -> None:
    event = marketing_type(uow_factory)
    stored = service.create(
        MarketingActivity(
            name="  Spring fair Utrecht ",
            type_id=event,
            status=MarketingStatus.ACTIVE,
            start_date=date(2026, 3, 1),
            end_date=date(2026, 3, 3),
            budgeted_cost=Decimal("2500"),
            actual_cost=Decimal("2412.5"),
            campaign_code="SPR-26",
            assigned_to_id=owner.id,
            comments="Stand 14, hall 2",
        )
    )
    assert stored.id is not None
    again = service.get(stored.id)
    assert again.name == "Spring fair Utrecht"
    assert again.type_id == event
    assert again.status is MarketingStatus.ACTIVE
    assert (again.start_date, again.end_date) == (date(2026, 3, 1), date(2026, 3, 3))
    assert (again.budgeted_cost, again.actual_cost) == (Decimal("2500.00"), Decimal("2412.50"))
    assert (again.campaign_code, again.assigned_to_id) == ("SPR-26", owner.id)
    assert again.comments == "Stand 14, hall 2"


def test_tracking_figures_match_a_hand_computation(
    service: MarketingService,
    opportunities: OpportunityService,
    account: RecordRef,
    contact: RecordRef,
) -> None:
    fair = activity(service, "Spring fair", cost="1000.00")
    mailing = activity(service, "Autumn mailing", cost="300.00")
    mine = marketing(fair.id)
    open_id = opportunity(opportunities, account, "Open deal", "2000.00", 50, mine)
    won_id = opportunity(opportunities, contact, "Won deal", "1500.00", 60, mine, StageKind.WON)
    lost_id = opportunity(opportunities, account, "Lost deal", "700.00", 40, mine, StageKind.LOST)
    # Initiated by something else, or by nothing: none of these may count.
    opportunity(opportunities, account, "Other activity", "9999.00", 90, marketing(mailing.id))
    opportunity(
        opportunities,
        account,
        "By an account",
        "5000.00",
        70,
        InitiatorRef(InitiatorKind.ACCOUNT, account.id),
        StageKind.WON,
    )
    opportunity(opportunities, account, "Nobody", "123.00", 10, None, StageKind.WON)

    assert fair.id is not None
    figures = service.figures(fair.id)
    assert figures.count == 3
    assert figures.total_revenue == Decimal("4200.00")  # 2000 + 1500 + 700
    # 50 % of 2000, Closed Won sets 100 % of 1500, Closed Lost 0 % of 700.
    assert figures.expected_revenue == Decimal("2500.00")
    assert figures.won_revenue == Decimal("1500.00")
    assert figures.actual_cost == Decimal("1000.00")
    assert figures.return_on_cost == Decimal("0.5")  # (1500 - 1000) / 1000

    rows = service.tracked(fair.id)
    assert {row.id for row in rows} == {open_id, won_id, lost_id}
    by_title = {row.title: row for row in rows}
    won = by_title["Won deal"]
    assert (won.status, won.stage_name, won.total) == (
        StageKind.WON,
        "Closed Won",
        Decimal("1500.00"),
    )
    assert won.link_name == "Anna Jansen"
    assert by_title["Open deal"].expected_revenue == Decimal("1000.00")
    assert service.initiated_count(fair.id) == 3


def test_return_on_cost_is_none_without_cost_and_negative_at_a_loss(
    service: MarketingService, opportunities: OpportunityService, account: RecordRef
) -> None:
    free = activity(service, "Free webinar", cost="0")
    costly = activity(service, "Costly ad", cost="400.00")
    assert free.id is not None and costly.id is not None
    opportunity(opportunities, account, "Won", "250.00", 10, marketing(free.id), StageKind.WON)
    opportunity(
        opportunities, account, "Won too", "100.00", 10, marketing(costly.id), StageKind.WON
    )

    free_figures = service.figures(free.id)
    assert free_figures.won_revenue == Decimal("250.00")
    assert free_figures.return_on_cost is None
    assert service.figures(costly.id).return_on_cost == Decimal("-0.75")  # (100 - 400) / 400


def test_an_activity_without_opportunities_has_zero_figures(service: MarketingService) -> None:
    lonely = activity(service, "Nobody came", cost="50.00")
    assert lonely.id is not None
    figures = service.figures(lonely.id)
    assert (figures.count, figures.total_revenue, figures.won_revenue) == (0, 0, 0)
    assert figures.return_on_cost == Decimal(-1)
    assert service.tracked(lonely.id) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"start_date": date(2026, 5, 2), "end_date": date(2026, 5, 1)}, "end_date"),
        ({"budgeted_cost": Decimal("-1")}, "budgeted_cost"),
        ({"actual_cost": Decimal("1000000000000")}, "actual_cost"),
        ({"campaign_code": "C" * 65}, "campaign_code"),
        ({"campaign_code": "A\tB"}, "campaign_code"),
        ({"start_date": date(1800, 1, 1)}, "start_date"),
    ],
)
def test_validation_names_the_field_and_saves_nothing(
    service: MarketingService, db_path: Path, fields: dict[str, object], field: str
) -> None:
    draft = replace(MarketingActivity(name="Fair"), **fields)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        service.create(draft)
    assert caught.value.field == field
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM marketing_activities").fetchone() == (0,)


def test_type_must_come_from_the_marketing_type_list(
    service: MarketingService, uow_factory
) -> None:
    with uow_factory() as uow:
        opportunity_type = uow.lists.items(ListKind.TYPE)[0].id
    with pytest.raises(ValidationError) as caught:
        service.create(MarketingActivity(name="Fair", type_id=opportunity_type))
    assert caught.value.field == "type_id"
    with pytest.raises(ValidationError) as caught:
        service.create(MarketingActivity(name="Fair", assigned_to_id=9999))
    assert caught.value.field == "assigned_to"


def test_end_may_equal_start(service: MarketingService) -> None:
    one_day = activity(service, "One day", start_date=date(2026, 4, 1), end_date=date(2026, 4, 1))
    assert one_day.end_date == date(2026, 4, 1)


def test_update_checks_the_version(service: MarketingService) -> None:
    stored = activity(service, "Fair")
    mine = service.update(replace(stored, name="Fair 2026"))
    assert mine.version > stored.version
    with pytest.raises(ConflictError):
        service.update(replace(stored, name="Stale edit"))  # read before the save above
    assert service.get(mine.id or 0).name == "Fair 2026"


def test_delete_clears_initiated_by_and_keeps_the_opportunities(
    service: MarketingService,
    opportunities: OpportunityService,
    account: RecordRef,
    db_path: Path,
) -> None:
    fair = activity(service, "Spring fair")
    keep = activity(service, "Kept")
    assert fair.id is not None and keep.id is not None
    first = opportunity(opportunities, account, "One", "10.00", 10, marketing(fair.id))
    second = opportunity(
        opportunities, account, "Two", "20.00", 10, marketing(fair.id), StageKind.WON
    )
    other = opportunity(opportunities, account, "Three", "30.00", 10, marketing(keep.id))
    before = opportunities.get(first)

    with pytest.raises(ConflictError):
        service.delete(fair.id, fair.version + 5)
    assert service.initiated_count(fair.id) == 2

    assert service.delete(fair.id, fair.version) == 2
    with pytest.raises(NotFoundError):
        service.get(fair.id)
    assert opportunities.get(first).initiated_by is None
    assert opportunities.get(second).initiated_by is None
    assert opportunities.get(other).initiated_by == marketing(keep.id)
    # The cleared opportunities count as changed: a form still showing the deleted activity
    # can neither write it back nor overwrite the change unnoticed.
    assert opportunities.get(first).version > before.version
    # The stale copy meets "changed elsewhere" first (the conflict dialog shows both versions).
    with pytest.raises(ConflictError):
        opportunities.update(replace(before, title="Edited in an old form"))
    # "Keep mine" after seeing both saves at the current version: the deleted activity is
    # still refused, it never comes back as Initiated by.
    current = opportunities.get(first)
    with pytest.raises(ValidationError):
        opportunities.update(replace(before, version=current.version, title="Mine"))
    with pytest.raises(ConflictError):
        opportunities.update(replace(before, title="Edited in an old form", initiated_by=None))
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM opportunities").fetchone() == (3,)
