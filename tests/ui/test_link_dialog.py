"""The Link to dialog driven like a user: typing, item types, keys, New, and what it returns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import func, insert, select

from bcm_desktop.domain.entities import InitiatorRef, RecordRef
from bcm_desktop.domain.enums import InitiatorKind, LinkKind
from bcm_desktop.domain.links import LinkCandidate, LinkSearchKind, LinkSearchResult
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.link_queries import LinkQueries
from bcm_desktop.repository.orm import AccountRow, ContactRow, MarketingActivityRow
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.links import LinkService
from bcm_desktop.ui.dialogs.link_dialog import (
    SEARCH_DELAY_MS,
    LinkCandidateModel,
    LinkDialog,
)
from bcm_desktop.ui.dialogs.new_record_dialog import NewRecordDialog


class CountingService(LinkService):
    """Counts searches, to prove typing is debounced."""

    def __init__(self, queries: LinkQueries, uow_factory: Callable[[], UnitOfWork]) -> None:
        super().__init__(queries, uow_factory)
        self.searches: list[tuple[LinkSearchKind, str]] = []

    def search(self, kind: LinkSearchKind, text: str, limit: int = 200) -> LinkSearchResult:
        self.searches.append((kind, text))
        return super().search(kind, text, limit)


@pytest.fixture
def service(database: Database, uow_factory: Callable[[], UnitOfWork]) -> CountingService:
    return CountingService(LinkQueries(database), uow_factory)


@pytest.fixture
def records(uow_factory: Callable[[], UnitOfWork]) -> dict[str, int]:
    with uow_factory() as uow:
        ids = {
            "bakkerij": uow.records.add_account("Bakkerij de Vries", city="Utrecht"),
            "debakker": uow.records.add_account("De Bakker & Zn", city="Delft"),
            "acme": uow.records.add_account("Acme Holding", city="Amsterdam"),
        }
        ids["anna"] = uow.records.add_contact(
            "Anna", "Jansen", ids["bakkerij"], email="anna@bakkerij.nl"
        )
        ids["piet"] = uow.records.add_contact("Piet", "Bakker", email="p.bakker@example.com")
        ids["spring"] = uow.records.add_marketing_activity("Spring mailing")
        uow.commit()
    return ids


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        lambda _parent, _title, text, *a, **k: seen.append(text) or QMessageBox.StandardButton.Ok,
    )
    return seen


@pytest.fixture
def dialog(qtbot, service: CountingService, records: dict[str, int]) -> LinkDialog:
    widget = LinkDialog(service)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown(dialog: LinkDialog) -> list[str]:
    return [candidate.name for candidate in dialog.model.candidates()]


def type_search(qtbot, dialog: LinkDialog, text: str) -> None:
    dialog.search_edit.clear()
    qtbot.keyClicks(dialog.search_edit, text)


def account_names(database: Database) -> list[str]:
    with database.read_connection() as connection:
        return list(connection.execute(select(AccountRow.name).order_by(AccountRow.id)).scalars())


# -- the model -----------------------------------------------------------------------------


def test_the_model_passes_the_model_tester(qtmodeltester) -> None:
    model = LinkCandidateModel()
    qtmodeltester.check(model)
    model.set_candidates(
        [
            LinkCandidate(InitiatorKind.ACCOUNT, 1, "Acme", "Utrecht"),
            LinkCandidate(InitiatorKind.CONTACT, 2, "Anna Jansen", "Acme · anna@acme.nl"),
            LinkCandidate(
                InitiatorKind.MARKETING, 3, "Fair", "Event", date(2026, 9, 1), date(2026, 9, 3)
            ),
        ]
    )
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.columnCount() == 3
    assert model.index(1, LinkCandidateModel.TYPE).data() == "Business contact"
    assert model.index(2, LinkCandidateModel.DETAIL).data().startswith("Event · ")
    assert model.index(0, 0).data(LinkCandidateModel.CandidateRole).id == 1
    assert model.row_of(RecordRef(LinkKind.CONTACT, 2)) == 1
    assert model.row_of(RecordRef(LinkKind.ACCOUNT, 2)) is None


# -- searching -----------------------------------------------------------------------------


def test_it_opens_on_everything_with_the_first_row_highlighted(dialog: LinkDialog) -> None:
    assert dialog.windowTitle() == "Link to Account or Business Contact"
    assert dialog.item_kind() is LinkSearchKind.ALL
    assert shown(dialog) == [
        "Acme Holding",
        "Anna Jansen",
        "Bakkerij de Vries",
        "De Bakker & Zn",
        "Piet Bakker",
    ]
    assert dialog.selected() == dialog.model.candidate(0)
    assert dialog.ok_button.isEnabled()
    assert dialog.ok_button.isDefault()
    assert [dialog.item_type.itemText(i) for i in range(dialog.item_type.count())] == [
        "Accounts",
        "Business contacts",
        "All accounts and business contacts",
    ]
    assert not dialog.results.isColumnHidden(LinkCandidateModel.TYPE)


def test_typing_filters_the_list_after_a_pause(
    qtbot, dialog: LinkDialog, service: CountingService
) -> None:
    before = len(service.searches)
    type_search(qtbot, dialog, "bak")
    assert dialog.search_pending()  # nothing searched while typing
    assert len(service.searches) == before
    qtbot.waitUntil(lambda: shown(dialog) == ["Bakkerij de Vries", "De Bakker & Zn", "Piet Bakker"])
    assert service.searches[before:] == [(LinkSearchKind.ALL, "bak")]  # one search, not three
    assert dialog.selected() is not None
    assert dialog.selected().name == "Bakkerij de Vries"
    type_search(qtbot, dialog, "VRIES")
    qtbot.waitUntil(lambda: shown(dialog) == ["Bakkerij de Vries"])
    type_search(qtbot, dialog, "p.bakker@")
    qtbot.waitUntil(lambda: shown(dialog) == ["Piet Bakker"])
    type_search(qtbot, dialog, "nobody")
    qtbot.waitUntil(lambda: shown(dialog) == [])
    assert dialog.status_label.isVisible()
    assert "No matches" in dialog.status_label.text()
    assert not dialog.ok_button.isEnabled()
    assert SEARCH_DELAY_MS <= 200


def test_choosing_the_item_type(qtbot, dialog: LinkDialog) -> None:
    dialog.set_item_kind(LinkSearchKind.CONTACTS)
    assert shown(dialog) == ["Anna Jansen", "Piet Bakker"]
    assert dialog.results.isColumnHidden(LinkCandidateModel.TYPE)
    dialog.set_item_kind(LinkSearchKind.ACCOUNTS)
    type_search(qtbot, dialog, "bak")
    qtbot.waitUntil(lambda: shown(dialog) == ["Bakkerij de Vries", "De Bakker & Zn"])
    # The keyboard works on the combo too.
    dialog.item_type.setFocus()
    qtbot.keyClick(dialog.item_type, Qt.Key.Key_Down)
    assert dialog.item_kind() is LinkSearchKind.CONTACTS
    assert shown(dialog) == ["Piet Bakker"]


def test_more_matches_than_shown_says_so(
    qtbot, dialog: LinkDialog, database: Database, records: dict[str, int]
) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            insert(AccountRow),
            [
                {
                    "name": f"Winkel {index:03d}",
                    **dict.fromkeys(
                        (
                            "phone",
                            "email",
                            "web_page",
                            "street",
                            "postal_code",
                            "city",
                            "country",
                            "comments",
                        ),
                        "",
                    ),
                }
                for index in range(250)
            ],
        )
    type_search(qtbot, dialog, "winkel")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 200)
    assert dialog.has_more()
    assert dialog.status_label.isVisible()
    assert dialog.status_label.text() == "Showing the first 200 — type more to narrow the list."
    qtbot.keyClicks(dialog.search_edit, " 24")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 10)
    assert not dialog.has_more()
    assert not dialog.status_label.isVisible()


# -- choosing ------------------------------------------------------------------------------


def test_select_a_row_and_click_link_to(qtbot, dialog: LinkDialog, records: dict[str, int]) -> None:
    row = shown(dialog).index("Anna Jansen")
    rect = dialog.results.visualRect(dialog.model.index(row, 0))
    qtbot.mouseClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.selected() is not None
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    chosen = dialog.selected()
    assert chosen is not None
    assert chosen.record_ref == RecordRef(LinkKind.CONTACT, records["anna"])
    assert chosen.detail == "Bakkerij de Vries · anna@bakkerij.nl"


def test_double_click_links(qtbot, dialog: LinkDialog, records: dict[str, int]) -> None:
    row = shown(dialog).index("De Bakker & Zn")
    rect = dialog.results.visualRect(dialog.model.index(row, 0))
    # A real double click is a click followed by a double-click event.
    qtbot.mouseClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.selected() is not None
    assert dialog.selected().id == records["debakker"]


def test_enter_in_the_search_box_takes_the_first_match_at_once(
    qtbot, dialog: LinkDialog, records: dict[str, int]
) -> None:
    dialog.search_edit.setFocus()
    type_search(qtbot, dialog, "acm")
    assert dialog.search_pending()
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)  # no wait for the debounce
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.selected() is not None
    assert dialog.selected().id == records["acme"]


def test_enter_with_no_match_keeps_the_dialog_open(qtbot, dialog: LinkDialog) -> None:
    type_search(qtbot, dialog, "nobody")
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_down_arrow_moves_from_the_search_box_into_the_list(qtbot, dialog: LinkDialog) -> None:
    dialog.activateWindow()
    dialog.search_edit.setFocus()
    qtbot.waitUntil(dialog.search_edit.hasFocus)
    type_search(qtbot, dialog, "bak")
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Down)
    assert dialog.results.hasFocus()
    assert dialog.selected() is not None
    assert dialog.selected().name == "Bakkerij de Vries"
    qtbot.keyClick(dialog.results, Qt.Key.Key_Down)
    assert dialog.selected().name == "De Bakker & Zn"
    qtbot.keyClick(dialog.results, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Up)  # from the first row, back to the search box
    assert dialog.search_edit.hasFocus()


def test_cancel_returns_nothing(qtbot, dialog: LinkDialog) -> None:
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_ask_returns_the_chosen_record(
    qtbot, monkeypatch: pytest.MonkeyPatch, service: CountingService, records: dict[str, int]
) -> None:
    def fake_exec(self: LinkDialog) -> int:
        qtbot.addWidget(self)
        self.show()
        self.search_edit.setText("piet")
        self.refresh()
        self.ok_button.click()
        return self.result()

    monkeypatch.setattr(LinkDialog, "exec", fake_exec)
    chosen = LinkDialog.ask(None, service)
    assert chosen is not None
    assert chosen.record_ref == RecordRef(LinkKind.CONTACT, records["piet"])

    monkeypatch.setattr(LinkDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert LinkDialog.ask(None, service) is None


def test_it_opens_on_the_current_link(
    qtbot, service: CountingService, records: dict[str, int]
) -> None:
    current = RecordRef(LinkKind.ACCOUNT, records["debakker"])
    widget = LinkDialog(service, current=current)
    qtbot.addWidget(widget)
    assert widget.search_edit.text() == "De Bakker & Zn"
    assert widget.selected() is not None
    assert widget.selected().refers_to(current)


def test_initiated_by_offers_marketing_activities(
    qtbot, service: CountingService, records: dict[str, int], database: Database
) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            insert(MarketingActivityRow).values(
                name="Autumn fair", start_date=date(2026, 9, 1), end_date=date(2026, 9, 3)
            )
        )
    widget = LinkDialog(
        service,
        mode="initiated_by",
        current=InitiatorRef(InitiatorKind.MARKETING, records["spring"]),
    )
    qtbot.addWidget(widget)
    widget.show()
    assert widget.windowTitle() == "Initiated by"
    assert widget.item_kind() is LinkSearchKind.MARKETING
    assert widget.selected() is not None
    assert widget.selected().initiator_ref == InitiatorRef(
        InitiatorKind.MARKETING, records["spring"]
    )
    assert not widget.new_button.isEnabled()  # made in the Marketing workspace, not here
    type_search(qtbot, widget, "aut")
    qtbot.waitUntil(lambda: shown(widget) == ["Autumn fair"])
    assert "–" in widget.model.index(0, LinkCandidateModel.DETAIL).data()
    widget.set_item_kind(LinkSearchKind.ACCOUNTS)
    assert widget.new_button.isEnabled()


# -- New -----------------------------------------------------------------------------------


def fill_and_save(qtbot, fields: dict[str, str]) -> Callable[[NewRecordDialog], int]:
    """A replacement for ``NewRecordDialog.exec`` that types into the form and clicks Save."""

    def fake_exec(self: NewRecordDialog) -> int:
        qtbot.addWidget(self)
        self.show()
        for name, text in fields.items():
            edit = getattr(self, name)
            edit.clear()
            qtbot.keyClicks(edit, text)
        qtbot.mouseClick(self.ok_button, Qt.MouseButton.LeftButton)
        return self.result()

    return fake_exec


def test_new_creates_an_account_and_selects_it(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    dialog: LinkDialog,
    database: Database,
    warnings_shown: list[str],
) -> None:
    dialog.set_item_kind(LinkSearchKind.ACCOUNTS)
    type_search(qtbot, dialog, "Zon")
    qtbot.waitUntil(lambda: shown(dialog) == [])
    monkeypatch.setattr(
        NewRecordDialog,
        "exec",
        fill_and_save(
            qtbot,
            {"account_name": "Zonnepanelen Noord", "account_city": "Groningen"},
        ),
    )
    with qtbot.waitSignal(dialog.record_created) as created:
        qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    assert warnings_shown == []
    assert "Zonnepanelen Noord" in account_names(database)
    selected = dialog.selected()
    assert selected is not None
    assert selected == created.args[0]
    assert (selected.name, selected.detail) == ("Zonnepanelen Noord", "Groningen")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.selected() == selected


def test_new_prefills_the_name_from_the_search(
    qtbot, service: CountingService, records: dict[str, int]
) -> None:
    form = NewRecordDialog(service, kind=InitiatorKind.CONTACT, initial_text="Karel van Dijk")
    qtbot.addWidget(form)
    assert (form.first_name.text(), form.last_name.text()) == ("Karel", "van Dijk")
    assert form.windowTitle() == "New Business Contact"
    assert not form.kind_combo.isVisibleTo(form)


def test_new_contact_with_an_account_chosen_by_search(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    service: CountingService,
    records: dict[str, int],
    database: Database,
) -> None:
    form = NewRecordDialog(service, kind=InitiatorKind.ACCOUNT, allow_kind_choice=True)
    qtbot.addWidget(form)
    form.show()
    assert form.kind_combo.isVisible()
    form.kind_combo.setCurrentIndex(form.kind_combo.findData("contact"))
    assert form.pages.currentWidget() is form.contact_page

    asked: list[dict[str, object]] = []

    def fake_ask(_cls, parent, svc, **options):  # type: ignore[no-untyped-def]
        asked.append(options)
        return svc.candidate(RecordRef(LinkKind.ACCOUNT, records["acme"]))

    monkeypatch.setattr(LinkDialog, "ask", classmethod(fake_ask))
    qtbot.mouseClick(form.choose_account, Qt.MouseButton.LeftButton)
    assert asked[0]["kinds"] == (LinkSearchKind.ACCOUNTS,)
    assert form.contact_account.text() == "Acme Holding"
    qtbot.keyClicks(form.first_name, "Karel")
    qtbot.keyClicks(form.last_name, "Appel")
    qtbot.keyClicks(form.contact_email, "karel@acme.example")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert form.result() == QDialog.DialogCode.Accepted
    created = form.created()
    assert created is not None
    assert created.detail == "Acme Holding · karel@acme.example"
    with database.read_connection() as connection:
        account_id = connection.execute(
            select(ContactRow.account_id).where(ContactRow.id == created.id)
        ).scalar_one()
    assert account_id == records["acme"]
    # × removes the account again.
    form.clear_account.click()
    assert form.account() is None
    assert form.contact_account.text() == ""


def test_new_account_without_a_name_shows_the_message_and_creates_nothing(
    qtbot,
    service: CountingService,
    records: dict[str, int],
    database: Database,
    warnings_shown: list[str],
) -> None:
    before = account_names(database)
    form = NewRecordDialog(service, kind=InitiatorKind.ACCOUNT)
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClicks(form.account_city, "Utrecht")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert warnings_shown == ["Name is required: it cannot be empty."]
    assert form.isVisible()  # the form stays open
    assert form.result() == QDialog.DialogCode.Rejected
    assert form.focusWidget() is form.account_name
    assert form.created() is None
    assert account_names(database) == before


def test_a_bad_e_mail_focuses_that_field(
    qtbot, service: CountingService, records: dict[str, int], warnings_shown: list[str]
) -> None:
    form = NewRecordDialog(service, kind=InitiatorKind.CONTACT)
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClicks(form.last_name, "Visser")
    qtbot.keyClicks(form.contact_email, "visser at home")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert len(warnings_shown) == 1
    assert "not an e-mail address" in warnings_shown[0]
    assert form.focusWidget() is form.contact_email
    assert form.created() is None


def test_new_from_the_dialog_with_an_empty_name_creates_nothing(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    dialog: LinkDialog,
    database: Database,
    warnings_shown: list[str],
) -> None:
    dialog.set_item_kind(LinkSearchKind.ACCOUNTS)
    before = account_names(database)
    selected_before = dialog.selected()
    monkeypatch.setattr(NewRecordDialog, "exec", fill_and_save(qtbot, {"account_name": ""}))
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    assert len(warnings_shown) == 1
    assert account_names(database) == before
    assert dialog.selected() == selected_before


def test_nothing_in_the_database_changes_by_searching(
    qtbot, dialog: LinkDialog, database: Database
) -> None:
    type_search(qtbot, dialog, "'; DELETE FROM accounts; --%_")
    qtbot.waitUntil(lambda: not dialog.search_pending())
    assert shown(dialog) == []
    with database.read_connection() as connection:
        assert connection.execute(select(func.count()).select_from(AccountRow)).scalar_one() == 3
