"""The Contact Management workspace and the account and contact forms, driven with keys and
clicks; the database is read back afterwards."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from bcm_desktop.app import build_main_window
from bcm_desktop.domain.entities import (
    HistoryItem,
    Opportunity,
    OpportunityLine,
    RecordRef,
    User,
)
from bcm_desktop.domain.enums import HistoryKind, LinkKind
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.link_queries import LinkQueries
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.catalog import CatalogService
from bcm_desktop.services.categories import CategoryService
from bcm_desktop.services.contact_listing import account_listing, contact_listing
from bcm_desktop.services.contacts import AccountService, ContactService
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.links import LinkService
from bcm_desktop.services.lookups import Lookups
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.ui.dialogs.conflict_dialog import RELOAD, ConflictDialog
from bcm_desktop.ui.dialogs.link_dialog import LinkDialog
from bcm_desktop.ui.forms.account_form import AccountForm
from bcm_desktop.ui.forms.contact_form import ContactForm
from bcm_desktop.ui.forms.manager import FormManager
from bcm_desktop.ui.forms.opportunity_form import FormServices, OpportunityForm
from bcm_desktop.ui.forms.record_form import ContactFormServices, RecordForm
from bcm_desktop.ui.workspace.contacts import (
    ContactManagementServices,
    ContactManagementWorkspace,
)
from bcm_desktop.ui.workspace.records import RecordTableModel
from tests.conftest import OWNER_LOGIN

ACCOUNT_NAMES = ["Bakkerij de Vries", "Acme Holding", "De Bakker & Zn", "Zeeland BV"]


@pytest.fixture(autouse=True)
def never_block(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """No modal box may open: unsaved-changes questions discard, messages are recorded."""
    seen: list[str] = []
    monkeypatch.setattr(RecordForm, "ask_unsaved", lambda self: "discard")
    monkeypatch.setattr(OpportunityForm, "ask_unsaved", lambda self: "discard")
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda _p, _t, text, *a, **k: seen.append(text))
    QSettings.setPath(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "cfg")
    )
    return seen


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every Yes/No question is answered Yes; its text is kept."""
    asked: list[str] = []

    def yes(_parent: Any, _title: str, text: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    return asked


@pytest.fixture
def form_services(
    database: Database, uow_factory: Callable[[], UnitOfWork], owner: User
) -> ContactFormServices:
    with uow_factory() as uow:
        uow.users.add("Chris Colleague", "chris")
        uow.commit()
    return ContactFormServices(
        accounts=AccountService(uow_factory, owner.id),
        contacts=ContactService(uow_factory, owner.id),
        lookups=Lookups(uow_factory),
        links=LinkService(LinkQueries(database), uow_factory),
        history=HistoryService(uow_factory),
        categories=CategoryService(uow_factory),
    )


@pytest.fixture
def manager(
    qtbot: Any,
    database: Database,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    form_services: ContactFormServices,
) -> Iterator[FormManager]:
    parent = QWidget()
    qtbot.addWidget(parent)
    services = FormServices(
        opportunities=OpportunityService(uow_factory, owner.id),
        lookups=form_services.lookups,
        catalog=CatalogService(uow_factory),
        links=form_services.links,
        history=form_services.history,
    )
    manager = FormManager(services, parent, form_services)
    yield manager
    manager.close_all()


@pytest.fixture
def records(
    uow_factory: Callable[[], UnitOfWork], owner: User, form_services: ContactFormServices
) -> dict[str, int]:
    """Four accounts, two contacts, opportunities and history of the first account."""
    ids: dict[str, int] = {}
    with uow_factory() as uow:
        for index, name in enumerate(ACCOUNT_NAMES):
            ids[name] = uow.records.add_account(
                name, city=("Utrecht", "Amsterdam", "Delft", "Middelburg")[index]
            )
        ids["anna"] = uow.records.add_contact("Anna", "Jansen", ids["Bakkerij de Vries"])
        ids["piet"] = uow.records.add_contact("Piet", "Bakker", email="piet@example.com")
        uow.commit()
    opportunities = OpportunityService(uow_factory, owner.id)
    link = RecordRef(LinkKind.ACCOUNT, ids["Bakkerij de Vries"])
    for title, price, probability in (("Ovens", "1000", 50), ("Mixers", "200", 20)):
        opp = opportunities.create(
            Opportunity(
                title=title,
                link=link,
                probability=probability,
                lines=[OpportunityLine(item_name="Item", unit_price=Decimal(price))],
            )
        )
        ids[title] = opp.id or 0
    with uow_factory() as uow:
        uow.history.add(HistoryItem(HistoryKind.NOTE, "Visited", opportunity_id=ids["Ovens"]))
        uow.commit()
    # Owner is assigned to Acme only, for the Assigned to filter.
    accounts = form_services.accounts
    acme = accounts.get(ids["Acme Holding"])
    accounts.update(replace(acme, assigned_to_id=owner.id))
    return ids


def query(db_path: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(sql, args).fetchall()
    connection.close()
    return rows


@pytest.fixture
def workspace(
    qtbot: Any,
    database: Database,
    form_services: ContactFormServices,
    manager: FormManager,
    records: dict[str, int],
) -> ContactManagementWorkspace:
    services = ContactManagementServices(
        account_listing(database), contact_listing(database), form_services
    )
    widget = ContactManagementWorkspace(services, manager)
    qtbot.addWidget(widget)
    widget.resize(1100, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown(workspace_list: Any) -> list[str]:
    model = workspace_list.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def click_row(qtbot: Any, workspace_list: Any, row: int, double: bool = False) -> None:
    table = workspace_list.view
    rect = table.visualRect(workspace_list.model.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    if double:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# -- the lists -------------------------------------------------------------------------------


def test_the_account_and_contact_models_are_shared_record_models_and_pass_the_tester(
    qtbot: Any, qtmodeltester: Any, workspace: ContactManagementWorkspace
) -> None:
    for view in (workspace.accounts, workspace.contacts):
        assert isinstance(view.model, RecordTableModel)
        qtmodeltester.check(view.model)
    assert shown(workspace.accounts) == sorted(ACCOUNT_NAMES, key=str.casefold)

    qtbot.keyClicks(workspace.accounts.search, "bak")
    qtbot.waitUntil(lambda: workspace.accounts.model.rowCount() == 2)
    assert shown(workspace.accounts) == ["Bakkerij de Vries", "De Bakker & Zn"]
    qtmodeltester.check(workspace.accounts.model)

    workspace.tabs.setCurrentIndex(1)
    qtbot.keyClicks(workspace.contacts.search, "example.com")
    qtbot.waitUntil(lambda: workspace.contacts.model.rowCount() == 1)
    assert shown(workspace.contacts) == ["Piet Bakker"]
    qtmodeltester.check(workspace.contacts.model)
    assert workspace.status_text() == "1 business contact"


def test_assigned_to_filter_and_reading_pane(
    qtbot: Any, workspace: ContactManagementWorkspace, records: dict[str, int]
) -> None:
    combo = workspace.account_assigned
    combo.setCurrentIndex(combo.findText("Olivia Owner"))
    assert shown(workspace.accounts) == ["Acme Holding"]
    combo.setCurrentIndex(0)
    assert len(shown(workspace.accounts)) == 4

    row = shown(workspace.accounts).index("Bakkerij de Vries")
    click_row(qtbot, workspace.accounts, row)
    pane = workspace.accounts.reading_pane
    assert pane is not None
    text = pane.toPlainText()
    assert "Bakkerij de Vries" in text
    assert "2 opportunities" in text and "1200.00" in text
    assert "Anna Jansen" in text and "Visited" in text


def test_delete_an_account_with_opportunities_from_the_workspace(
    qtbot: Any,
    workspace: ContactManagementWorkspace,
    records: dict[str, int],
    questions: list[str],
    db_path: Path,
) -> None:
    row = shown(workspace.accounts).index("Bakkerij de Vries")
    click_row(qtbot, workspace.accounts, row)
    workspace.accounts.view.setFocus()
    qtbot.keyClick(workspace.accounts.view, Qt.Key.Key_Delete)

    assert len(questions) == 1
    assert "Bakkerij de Vries" in questions[0]
    assert "2 opportunity(ies)" in questions[0] and "1 history item(s)" in questions[0]
    assert "1 business contact(s) are kept" in questions[0]
    assert (
        query(db_path, "SELECT id FROM accounts WHERE id = ?", records["Bakkerij de Vries"]) == []
    )
    assert query(db_path, "SELECT count(*) FROM opportunities") == [(0,)]
    assert query(db_path, "SELECT count(*) FROM history_items") == [(0,)]
    assert query(
        db_path, "SELECT account_id FROM business_contacts WHERE id = ?", records["anna"]
    ) == [(None,)]
    assert "Bakkerij de Vries" not in shown(workspace.accounts)


def test_answering_no_deletes_nothing(
    qtbot: Any,
    workspace: ContactManagementWorkspace,
    monkeypatch: pytest.MonkeyPatch,
    db_path: Path,
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    click_row(qtbot, workspace.accounts, 0)
    assert workspace.delete_selected() == 0
    assert query(db_path, "SELECT count(*) FROM accounts") == [(4,)]


def test_double_click_opens_the_account_form(
    qtbot: Any, workspace: ContactManagementWorkspace, manager: FormManager
) -> None:
    row = shown(workspace.accounts).index("Zeeland BV")
    click_row(qtbot, workspace.accounts, row, double=True)
    forms = manager.record_forms
    assert len(forms) == 1 and isinstance(forms[0], AccountForm)
    assert forms[0].name_edit.text() == "Zeeland BV"


# -- the forms -----------------------------------------------------------------------------


def show(qtbot: Any, form: RecordForm) -> RecordForm:
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    return form


def test_create_an_account_through_the_form(
    qtbot: Any, manager: FormManager, db_path: Path, uow_factory: Callable[[], UnitOfWork]
) -> None:
    form = manager.new_account()
    assert form is not None
    show(qtbot, form)
    qtbot.keyClicks(form.name_edit, "Groenteboer Smit")
    qtbot.keyClicks(form.phone_edit, "+31 20 555 1234")
    qtbot.keyClicks(form.email_edit, "info@smit.nl")
    qtbot.keyClicks(form.web_edit, "www.smit.nl")
    qtbot.keyClicks(form.city_edit, "Haarlem")
    form.assigned_combo.setCurrentIndex(form.assigned_combo.findText("Chris Colleague"))
    form.tabs.setCurrentIndex(1)
    qtbot.keyClicks(form.comments_edit, "Met at the fair. ")
    qtbot.mouseClick(form.timestamp_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(form.comments_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert form.record_id is not None
    with uow_factory() as uow:
        chris = next(u for u in uow.users.all() if u.login == "chris")
    stored = query(
        db_path,
        "SELECT name, phone, email, web_page, city, assigned_to_id, comments FROM accounts",
    )
    assert len(stored) == 1
    assert stored[0][:6] == (
        "Groenteboer Smit",
        "+31 20 555 1234",
        "info@smit.nl",
        "www.smit.nl",
        "Haarlem",
        chris.id,
    )
    assert stored[0][6].startswith("Met at the fair. ") and len(stored[0][6]) > 20
    assert not form.is_dirty()
    assert form.windowTitle() == "Groenteboer Smit — Account"


def test_an_invalid_e_mail_is_refused_and_focused(
    qtbot: Any, manager: FormManager, db_path: Path, never_block: list[str]
) -> None:
    form = manager.new_account()
    assert form is not None
    show(qtbot, form)
    qtbot.keyClicks(form.name_edit, "Smit")
    qtbot.keyClicks(form.email_edit, "info at smit")
    qtbot.keyClick(form.name_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert any("not an e-mail address" in text for text in never_block)
    assert form.email_edit.hasFocus()
    assert query(db_path, "SELECT count(*) FROM accounts") == [(0,)]


def drive_account_choice(monkeypatch: pytest.MonkeyPatch, qtbot: Any, text: str) -> None:
    def fake_exec(dialog: LinkDialog) -> int:
        dialog.show()
        qtbot.keyClicks(dialog.search_edit, text)
        qtbot.waitUntil(lambda: dialog.selected() is not None, timeout=3000)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(LinkDialog, "exec", fake_exec)


def test_create_a_contact_of_an_account_through_the_form(
    qtbot: Any,
    manager: FormManager,
    form_services: ContactFormServices,
    records: dict[str, int],
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    form = manager.new_contact()
    assert isinstance(form, ContactForm)
    show(qtbot, form)
    qtbot.keyClicks(form.first_name_edit, "Sanne")
    qtbot.keyClicks(form.last_name_edit, "de Wit")
    qtbot.keyClicks(form.job_title_edit, "Inkoper")
    drive_account_choice(monkeypatch, qtbot, "zeel")
    qtbot.mouseClick(form.account_button, Qt.MouseButton.LeftButton)
    assert form.account_label.text() == "Zeeland BV"
    qtbot.keyClicks(form.business_phone_edit, "0118 123456")
    qtbot.keyClicks(form.email_edit, "sanne@zeeland.nl")
    assert form_services.categories is not None
    key = form_services.categories.add("Key customer")
    form.fill_categories_menu()  # what opening the Categorize menu does
    action = next(a for a in form.categorize_menu.actions() if a.text() == "Key customer")
    action.trigger()
    assert form.categories_label.text() == "Key customer"
    save = form.toolbar.widgetForAction(form.save_close_action)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    assert not form.isVisible()
    assert query(
        db_path,
        "SELECT first_name, last_name, full_name, account_id, job_title, business_phone, email"
        " FROM business_contacts WHERE last_name = 'de Wit'",
    ) == [
        (
            "Sanne",
            "de Wit",
            "Sanne de Wit",
            records["Zeeland BV"],
            "Inkoper",
            "0118 123456",
            "sanne@zeeland.nl",
        )
    ]
    assert query(db_path, "SELECT category_id FROM contact_categories") == [(key.id,)]


def test_account_form_lists_contacts_and_opportunities_with_totals_and_opens_them(
    qtbot: Any, qtmodeltester: Any, manager: FormManager, records: dict[str, int]
) -> None:
    form = manager.open_account(records["Bakkerij de Vries"])
    assert form is not None
    show(qtbot, form)
    qtmodeltester.check(form.contacts_model)
    qtmodeltester.check(form.opportunities_model)
    assert form.contacts_model.rowCount() == 1
    assert form.opportunities_model.rowCount() == 2
    assert form.totals_label.text() == "2 opportunities · Total 1200.00 · Expected revenue 540.00"

    view = form.opportunities_view
    row = next(r for r in range(2) if form.opportunities_model.index(r, 0).data() == "Ovens")
    rect = view.visualRect(form.opportunities_model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    opened = [f for f in manager.forms if f.record_id == records["Ovens"]]
    assert len(opened) == 1
    assert opened[0].title_edit.text() == "Ovens"

    view = form.contacts_view
    rect = view.visualRect(form.contacts_model.index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    contact_forms = [f for f in manager.record_forms if isinstance(f, ContactForm)]
    assert [f.record_id for f in contact_forms] == [records["anna"]]


def test_delete_from_the_account_form_states_the_counts(
    qtbot: Any,
    manager: FormManager,
    records: dict[str, int],
    questions: list[str],
    db_path: Path,
) -> None:
    form = manager.open_account(records["Bakkerij de Vries"])
    assert form is not None
    show(qtbot, form)
    with qtbot.waitSignal(form.deleted):
        qtbot.keyClick(form.name_edit, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "2 opportunity(ies)" in questions[0]
    assert query(db_path, "SELECT count(*) FROM opportunities") == [(0,)]
    assert form not in manager.record_forms


def test_renaming_in_the_form_renames_the_opportunities_link(
    qtbot: Any, manager: FormManager, records: dict[str, int], db_path: Path
) -> None:
    form = manager.open_account(records["Bakkerij de Vries"])
    assert form is not None
    show(qtbot, form)
    form.name_edit.selectAll()
    qtbot.keyClicks(form.name_edit, "De Vries Bakeries")
    qtbot.keyClick(form.name_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert query(db_path, "SELECT DISTINCT link_name FROM opportunities") == [
        ("De Vries Bakeries",)
    ]


def test_a_stale_save_shows_the_conflict_and_reload_takes_theirs(
    qtbot: Any,
    manager: FormManager,
    records: dict[str, int],
    form_services: ContactFormServices,
    monkeypatch: pytest.MonkeyPatch,
    db_path: Path,
) -> None:
    form = manager.open_contact(records["piet"])
    assert form is not None
    show(qtbot, form)
    stored = form_services.contacts.get(records["piet"])
    form_services.contacts.update(replace(stored, job_title="Director"))
    shown_differences: list[Any] = []

    def reload(_parent: Any, _title: str, differences: Any) -> str:
        shown_differences.extend(differences)
        return RELOAD

    monkeypatch.setattr(ConflictDialog, "ask", staticmethod(reload))
    qtbot.keyClicks(form.job_title_edit, "Buyer")
    assert not form.save()
    assert ("Job title", "Buyer", "Director") in shown_differences
    assert form.job_title_edit.text() == "Director"
    assert query(
        db_path, "SELECT job_title FROM business_contacts WHERE id = ?", records["piet"]
    ) == [("Director",)]


def test_escape_with_unsaved_changes_asks_and_cancel_keeps_the_form(
    qtbot: Any, manager: FormManager, records: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []

    def cancel(self: RecordForm) -> str:
        asked.append(True)
        return "cancel"

    monkeypatch.setattr(RecordForm, "ask_unsaved", cancel)
    form = manager.open_account(records["Acme Holding"])
    assert form is not None
    show(qtbot, form)
    qtbot.keyClicks(form.city_edit, "-Noord")
    qtbot.keyClick(form.city_edit, Qt.Key.Key_Escape)
    assert asked == [True]
    assert form.isVisible()
    monkeypatch.setattr(RecordForm, "ask_unsaved", lambda self: "discard")


def test_history_page_lists_the_account_history_sortable_by_date(
    qtbot: Any,
    qtmodeltester: Any,
    manager: FormManager,
    records: dict[str, int],
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    from datetime import UTC, datetime

    with uow_factory() as uow:
        uow.history.add(
            HistoryItem(
                HistoryKind.PHONE_LOG,
                "Old call",
                account_id=records["Bakkerij de Vries"],
                occurred_at=datetime(2020, 1, 1, tzinfo=UTC),
            )
        )
        uow.commit()
    form = manager.open_account(records["Bakkerij de Vries"])
    assert form is not None
    page = form.history_page
    model = page.model
    qtmodeltester.check(model)
    subjects = lambda: [model.index(r, 2).data() for r in range(model.rowCount())]  # noqa: E731
    assert subjects() == ["Visited", "Old call"]  # newest first
    header = page.view.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(0) + 10, 5),
    )
    assert subjects() == ["Old call", "Visited"]


def test_the_main_window_has_the_contact_management_folder(
    qtbot: Any, database: Database, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = build_main_window(database, OWNER_LOGIN, settings=settings)
    qtbot.addWidget(window, before_close_func=lambda w: w.wait_for_workers())
    window.show()
    window.navigation.set_current_folder("contacts")
    home = window.ribbon.tab("home")
    assert not home.group("contactsNew").isHidden()
    window.navigation.set_current_folder("sales")
    assert home.group("contactsNew").isHidden()
    window.navigation.set_current_folder("contacts")
    window.contact_management.new_account_action.trigger()
    assert window.form_manager is not None
    forms = window.form_manager.record_forms
    assert len(forms) == 1 and isinstance(forms[0], AccountForm)
    forms[0].close()


def test_tab_moves_through_the_contact_form_in_reading_order(
    qtbot: Any, manager: FormManager
) -> None:
    form = manager.new_contact()
    assert isinstance(form, ContactForm)
    show(qtbot, form)
    form.first_name_edit.setFocus()
    order = []
    for _ in range(4):
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
        order.append(form.focusWidget())
    assert order[:2] == [form.last_name_edit, form.job_title_edit]
    form.country_edit.setFocus()
    qtbot.keyClick(form.country_edit, Qt.Key.Key_Tab)
    assert form.focusWidget() is form.business_phone_edit
