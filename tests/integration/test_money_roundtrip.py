"""Property test: an opportunity with lines survives save and load with exact money."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bcm_desktop.domain.entities import Opportunity, OpportunityLine, RecordRef, User
from bcm_desktop.domain.money import to_money
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.opportunities import OpportunityService

money = st.decimals(min_value=0, max_value=Decimal("9999999.99"), places=2)
quantity = st.decimals(min_value=0, max_value=Decimal("9999.999"), places=3)
percent = st.decimals(min_value=0, max_value=100, places=2)

lines = st.builds(
    OpportunityLine,
    item_name=st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
        min_size=1,
        max_size=40,
    ).filter(lambda s: s.strip() == s and s),
    unit_price=money,
    quantity=quantity,
    unit_cost=money,
    discount_percent=percent,
    taxable=st.booleans(),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(line_list=st.lists(lines, max_size=5), probability=st.integers(0, 100))
def test_save_and_load_keeps_every_cent(
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
    line_list: list[OpportunityLine],
    probability: int,
) -> None:
    service = OpportunityService(uow_factory, owner.id)
    draft = Opportunity(title="Round trip", link=account, probability=probability)
    draft.lines = line_list
    saved = service.create(draft)
    loaded = service.get(saved.id or 0)

    expected_total = sum(
        (
            to_money(line.quantity * line.unit_price)
            - to_money(to_money(line.quantity * line.unit_price) * line.discount_percent / 100)
            for line in line_list
        ),
        Decimal("0.00"),
    )
    assert loaded.products_total == expected_total
    assert loaded.expected_revenue == to_money(expected_total * probability / 100)
    assert [
        (ln.item_name, ln.unit_price, ln.quantity, ln.unit_cost, ln.discount_percent, ln.taxable)
        for ln in loaded.lines
    ] == [
        (ln.item_name, ln.unit_price, ln.quantity, ln.unit_cost, ln.discount_percent, ln.taxable)
        for ln in line_list
    ]
    assert [ln.line_total for ln in loaded.lines] == [ln.line_total for ln in line_list]
