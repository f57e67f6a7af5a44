"""The Link to search and the New button's use cases, against a real SQLite file (no Qt)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import event, insert, select

from bcm_desktop.domain.entities import InitiatorRef, RecordRef
from bcm_desktop.domain.enums import InitiatorKind, LinkKind
from bcm_desktop.domain.errors import ValidationError
from bcm_desktop.domain.links import LinkCandidate, LinkSearchKind
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.link_queries import (
    LinkQueries,
    normalize_search,
    prefix_upper_bound,
)
from bcm_desktop.repository.orm import AccountRow, ContactRow, MarketingActivityRow
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.links import LinkService

ACCOUNTS = LinkSearchKind.ACCOUNTS
CONTACTS = LinkSearchKind.CONTACTS
ALL = LinkSearchKind.ALL


@pytest.fixture
def service(database: Database, uow_factory: Callable[[], UnitOfWork]) -> LinkService:
    return LinkService(LinkQueries(database), uow_factory)


@pytest.fixture
def records(uow_factory: Callable[[], UnitOfWork]) -> dict[str, int]:
    """A handful of accounts and contacts whose names exercise every way of matching."""
    with uow_factory() as uow:
        ids = {
            "bakkerij": uow.records.add_account("Bakkerij de Vries", city="Utrecht"),
            "debakker": uow.records.add_account("De Bakker & Zn", city="Delft"),
            "acme": uow.records.add_account("Acme Holding", city="Amsterdam"),
            "percent": uow.records.add_account("100% Groen", city="Gouda"),
            "underscore": uow.records.add_account("A_B Techniek"),
            "hyphen": uow.records.add_account("Jansen-Smit Installaties"),
        }
        ids["anna"] = uow.records.add_contact(
            "Anna", "Jansen", ids["bakkerij"], email="anna@bakkerij.nl"
        )
        ids["piet"] = uow.records.add_contact(
            "Piet", "Bakker", job_title="Inkoper", email="p.bakker@example.com"
        )
        ids["zoe"] = uow.records.add_contact("Zoë", "Acker", email="info@acme.example")
        uow.commit()
    return ids


def names(candidates: tuple[LinkCandidate, ...]) -> list[str]:
    return [candidate.name for candidate in candidates]


# -- matching ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["bak", "BAK", "Bak", "bAkKeRiJ", "  bakkerij   de  "])
def test_a_name_prefix_matches_in_any_case(
    service: LinkService, records: dict[str, int], text: str
) -> None:
    result = service.search(ACCOUNTS, text)
    assert names(result.candidates)[0] == "Bakkerij de Vries"
    assert not result.more


def test_name_prefix_matches_come_before_later_word_matches(
    service: LinkService, records: dict[str, int]
) -> None:
    result = service.search(ACCOUNTS, "bak")
    assert names(result.candidates) == ["Bakkerij de Vries", "De Bakker & Zn"]


def test_a_later_word_matches(service: LinkService, records: dict[str, int]) -> None:
    assert names(service.search(ACCOUNTS, "vries").candidates) == ["Bakkerij de Vries"]
    assert names(service.search(ACCOUNTS, "holding").candidates) == ["Acme Holding"]
    # A word after a hyphen is a word too.
    assert names(service.search(ACCOUNTS, "smit").candidates) == ["Jansen-Smit Installaties"]


def test_the_middle_of_a_word_does_not_match(service: LinkService, records: dict[str, int]) -> None:
    assert service.search(ACCOUNTS, "kkerij").candidates == ()
    assert service.search(ACCOUNTS, "olding").candidates == ()


def test_contacts_match_by_name_and_by_e_mail(
    service: LinkService, records: dict[str, int]
) -> None:
    assert names(service.search(CONTACTS, "jan").candidates) == ["Anna Jansen"]
    assert names(service.search(CONTACTS, "P.BAKKER@").candidates) == ["Piet Bakker"]
    assert names(service.search(CONTACTS, "info@acme").candidates) == ["Zoë Acker"]
    # Accounts have no e-mail match: "info" is nobody's name.
    assert service.search(ACCOUNTS, "info").candidates == ()


def test_rows_carry_their_kind_id_and_detail(service: LinkService, records: dict[str, int]) -> None:
    (anna,) = service.search(CONTACTS, "anna").candidates
    assert anna == LinkCandidate(
        InitiatorKind.CONTACT,
        records["anna"],
        "Anna Jansen",
        "Bakkerij de Vries · anna@bakkerij.nl",
    )
    assert anna.record_ref == RecordRef(LinkKind.CONTACT, records["anna"])
    (piet,) = service.search(CONTACTS, "piet").candidates
    assert piet.detail == "Inkoper · p.bakker@example.com"  # no account: the job title
    (acme,) = service.search(ACCOUNTS, "acme").candidates
    assert acme.detail == "Amsterdam"
    assert acme.record_ref == RecordRef(LinkKind.ACCOUNT, records["acme"])


def test_all_returns_accounts_and_contacts_prefix_matches_first(
    service: LinkService, records: dict[str, int]
) -> None:
    result = service.search(ALL, "bak")
    assert [(c.ref_kind, c.name) for c in result.candidates] == [
        (InitiatorKind.ACCOUNT, "Bakkerij de Vries"),
        (InitiatorKind.ACCOUNT, "De Bakker & Zn"),
        (InitiatorKind.CONTACT, "Piet Bakker"),
    ]
    everything = service.search(ALL, "")
    assert {c.ref_kind for c in everything.candidates} == {
        InitiatorKind.ACCOUNT,
        InitiatorKind.CONTACT,
    }
    assert len(everything.candidates) == 9
    assert names(everything.candidates) == sorted(names(everything.candidates), key=str.lower)


def test_an_empty_search_lists_everything_in_name_order(
    service: LinkService, records: dict[str, int]
) -> None:
    result = service.search(ACCOUNTS, "   ")
    assert names(result.candidates) == [
        "100% Groen",
        "A_B Techniek",
        "Acme Holding",
        "Bakkerij de Vries",
        "De Bakker & Zn",
        "Jansen-Smit Installaties",
    ]


def test_like_wildcards_in_the_search_text_are_literal(
    service: LinkService, records: dict[str, int]
) -> None:
    assert names(service.search(ACCOUNTS, "100%").candidates) == ["100% Groen"]
    assert service.search(ACCOUNTS, "%").candidates == ()
    assert service.search(ACCOUNTS, "% groen").candidates == ()
    assert names(service.search(ACCOUNTS, "a_b").candidates) == ["A_B Techniek"]
    assert names(service.search(ACCOUNTS, "a_").candidates) == ["A_B Techniek"]
    assert names(service.search(ACCOUNTS, "_").candidates) == []
    assert service.search(ACCOUNTS, "\\").candidates == ()
    assert service.search(ACCOUNTS, "'; DROP TABLE accounts; --").candidates == ()
    assert len(service.search(ACCOUNTS, "").candidates) == 6


def test_limit_and_more(service: LinkService, uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        for index in range(30):
            uow.records.add_account(f"Shop {index:02d}")
        uow.commit()
    first = service.search(ACCOUNTS, "shop", limit=10)
    assert names(first.candidates) == [f"Shop {index:02d}" for index in range(10)]
    assert first.more
    exact = service.search(ACCOUNTS, "shop", limit=30)
    assert len(exact.candidates) == 30
    assert not exact.more
    narrowed = service.search(ACCOUNTS, "shop 2", limit=10)
    assert len(narrowed.candidates) == 10
    assert not narrowed.more
    # "All" counts across both kinds.
    with uow_factory() as uow:
        for index in range(5):
            uow.records.add_contact("Shopper", f"{index}")
        uow.commit()
    mixed = service.search(ALL, "shop", limit=34)
    assert len(mixed.candidates) == 34
    assert mixed.more
    assert not service.search(ALL, "shop", limit=35).more


def test_marketing_activities_for_initiated_by(
    service: LinkService, uow_factory: Callable[[], UnitOfWork], records: dict[str, int]
) -> None:
    with uow_factory() as uow:
        spring = uow.records.add_marketing_activity("Spring mailing")
        uow.records.add_marketing_activity("trade show Utrecht")
        uow.commit()
    result = service.search(LinkSearchKind.MARKETING, "SPR")
    assert [(c.ref_kind, c.id, c.name) for c in result.candidates] == [
        (InitiatorKind.MARKETING, spring, "Spring mailing")
    ]
    assert result.candidates[0].record_ref is None
    assert result.candidates[0].initiator_ref == InitiatorRef(InitiatorKind.MARKETING, spring)
    assert names(service.search(LinkSearchKind.MARKETING, "utr").candidates) == [
        "trade show Utrecht"
    ]
    assert names(service.search(LinkSearchKind.MARKETING, "").candidates) == [
        "Spring mailing",
        "trade show Utrecht",
    ]
    # Marketing activities are never part of "All" (that is accounts and contacts).
    assert all(
        c.ref_kind is not InitiatorKind.MARKETING for c in service.search(ALL, "").candidates
    )


def test_marketing_rows_carry_their_dates(service: LinkService, database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            insert(MarketingActivityRow).values(
                name="Autumn fair", start_date=date(2026, 9, 1), end_date=date(2026, 9, 3)
            )
        )
    (fair,) = service.search(LinkSearchKind.MARKETING, "autumn").candidates
    assert (fair.start_date, fair.end_date) == (date(2026, 9, 1), date(2026, 9, 3))


def test_name_of_and_candidate(service: LinkService, records: dict[str, int]) -> None:
    ref = RecordRef(LinkKind.ACCOUNT, records["acme"])
    assert service.name_of(ref) == "Acme Holding"
    assert service.name_of(InitiatorRef(InitiatorKind.CONTACT, records["anna"])) == "Anna Jansen"
    assert service.name_of(RecordRef(LinkKind.ACCOUNT, 999_999)) is None
    candidate = service.candidate(ref)
    assert candidate is not None
    assert candidate.refers_to(ref)
    assert not candidate.refers_to(RecordRef(LinkKind.CONTACT, records["acme"]))


# -- creating ------------------------------------------------------------------------------


def test_create_account_persists_and_is_found(service: LinkService, database: Database) -> None:
    created = service.create_account(
        "  Nieuw Bedrijf BV ", phone="030 123 4567", email="info@nieuw.nl", city="Zeist"
    )
    assert created.ref_kind is InitiatorKind.ACCOUNT
    assert created.name == "Nieuw Bedrijf BV"
    assert created.detail == "Zeist · info@nieuw.nl"
    with database.read_connection() as connection:
        row = connection.execute(
            select(AccountRow.name, AccountRow.phone, AccountRow.email, AccountRow.city).where(
                AccountRow.id == created.id
            )
        ).one()
    assert tuple(row) == ("Nieuw Bedrijf BV", "030 123 4567", "info@nieuw.nl", "Zeist")
    assert service.search(ACCOUNTS, "bedrijf").candidates == (created,)


def test_create_contact_persists_with_its_account(
    service: LinkService, database: Database, records: dict[str, int]
) -> None:
    created = service.create_contact(
        "Karel", "Appel", account_id=records["acme"], email="karel@acme.example", phone="06 1"
    )
    assert created.ref_kind is InitiatorKind.CONTACT
    assert created.name == "Karel Appel"
    assert created.detail == "Acme Holding · karel@acme.example"
    with database.read_connection() as connection:
        row = connection.execute(
            select(ContactRow.full_name, ContactRow.account_id, ContactRow.business_phone).where(
                ContactRow.id == created.id
            )
        ).one()
    assert tuple(row) == ("Karel Appel", records["acme"], "06 1")
    only_last = service.create_contact("", "Mondriaan")
    assert only_last.name == "Mondriaan"


def account_count(database: Database) -> int:
    with database.read_connection() as connection:
        return len(connection.execute(select(AccountRow.id)).all())


def contact_count(database: Database) -> int:
    with database.read_connection() as connection:
        return len(connection.execute(select(ContactRow.id)).all())


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"name": "Tab\there"}, "name"),
        ({"name": "Ok", "phone": "1" * 65}, "phone"),
        ({"name": "Ok", "email": "not an address"}, "email"),
        ({"name": "Ok", "city": "Line\nbreak"}, "city"),
    ],
)
def test_create_account_refuses_bad_input_and_saves_nothing(
    service: LinkService, database: Database, arguments: dict[str, str], field: str
) -> None:
    before = account_count(database)
    with pytest.raises(ValidationError) as caught:
        service.create_account(**arguments)
    assert caught.value.field == field
    assert caught.value.message
    assert account_count(database) == before


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"first_name": "", "last_name": " "}, "first_name"),
        ({"first_name": "x" * 256, "last_name": "Y"}, "first_name"),
        ({"first_name": "A", "last_name": "B\x00"}, "last_name"),
        ({"first_name": "A", "last_name": "B", "email": "a@b@c"}, "email"),
        ({"first_name": "A", "last_name": "B", "phone": "\x07"}, "phone"),
        ({"first_name": "A", "last_name": "B", "account_id": 999_999}, "account"),
    ],
)
def test_create_contact_refuses_bad_input_and_saves_nothing(
    service: LinkService, database: Database, arguments: dict[str, object], field: str
) -> None:
    before = contact_count(database)
    with pytest.raises(ValidationError) as caught:
        service.create_contact(**arguments)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert contact_count(database) == before


# -- the search itself ---------------------------------------------------------------------


def test_normalize_search() -> None:
    assert normalize_search("  Bakkerij\t de\n VRIES ") == "bakkerij de vries"
    assert normalize_search("ÉCLAIR") == "Éclair"  # NOCASE folds ASCII letters only


def test_prefix_upper_bound_skips_what_nocase_folds() -> None:
    assert prefix_upper_bound("bak") == "bal"
    assert prefix_upper_bound("z") == "{"
    assert prefix_upper_bound("x@") == "x["  # "A".."Z" fold to "a".."z": skip them
    assert prefix_upper_bound("a\ud7ff") == "a\ue000"
    assert prefix_upper_bound("a\U0010ffff") == "b"
    assert prefix_upper_bound("\U0010ffff") is None


def test_prefix_range_is_exact_around_folded_letters(
    service: LinkService, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        for name in ("x@1", "X@2", "x[3", "xa4", "x?5", "xA6"):
            uow.records.add_account(name)
        uow.commit()
    assert names(service.search(ACCOUNTS, "x@").candidates) == ["x@1", "X@2"]
    assert names(service.search(ACCOUNTS, "XA").candidates) == ["xa4", "xA6"]


def test_the_prefix_search_uses_the_name_index(database: Database) -> None:
    executed: list[tuple[str, object]] = []

    def remember(_conn, _cursor, statement, parameters, *_rest) -> None:  # type: ignore[no-untyped-def]
        executed.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", remember)
    try:
        LinkQueries(database).search(ACCOUNTS, "Bak")
    finally:
        event.remove(database.engine, "before_cursor_execute", remember)
    statement, parameters = next(item for item in executed if "accounts.name >=" in item[0])
    assert parameters[:2] == ("bak", "bal")  # type: ignore[index]
    with database.read_connection() as connection:
        plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    details = " ".join(str(row[-1]) for row in plan)
    assert "ix_accounts_name (name>? AND name<?)" in details


def test_searching_5000_accounts(service: LinkService, database: Database) -> None:
    """Prints the time of typical searches; the benchmark, not this test, judges them."""
    columns = {
        "phone": "",
        "email": "",
        "web_page": "",
        "street": "",
        "postal_code": "",
        "country": "",
        "comments": "",
    }
    words = ["Bakkerij", "de", "Vries", "Jansen", "Acme", "Holding", "Groot", "Smit"]
    with database.engine.begin() as connection:
        connection.execute(
            insert(AccountRow),
            [
                {
                    "name": f"{words[i % 8]} {words[i // 8 % 8]} {words[i // 64 % 8]} {i}",
                    "city": "Utrecht",
                    **columns,
                }
                for i in range(5_000)
            ],
        )
    for text in ("bak", "vries", "zzz", ""):
        started = time.perf_counter()
        result = service.search(ACCOUNTS, text)
        elapsed = (time.perf_counter() - started) * 1000
        print(f"search {text!r} over 5,000 accounts: {elapsed:.1f} ms, {len(result.candidates)}")
        assert len(result.candidates) == (0 if text == "zzz" else 200)
        assert result.more is (text != "zzz")
