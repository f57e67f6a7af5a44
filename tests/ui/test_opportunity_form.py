"""The opportunity form driven with keys and clicks; the database is read back afterwards."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from bcm_desktop.domain.entities import Opportunity, OpportunityLine, RecordRef, User
from bcm_desktop.domain.enums import ListKind
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.link_queries import LinkQueries
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.catalog import CatalogService
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.links import LinkService
from bcm_desktop.services.lookups import Lookups
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.ui.dialogs.close_dialog import CloseDialog
from bcm_desktop.ui.dialogs.conflict_dialog import ConflictDialog
from bcm_desktop.ui.dialogs.link_dialog import LinkDialog
from bcm_desktop.ui.dialogs.new_record_dialog import NewRecordDialog
from bcm_desktop.ui.dialogs.product_dialog import ProductLineDialog
from bcm_desktop.ui.forms.opportunity_form import FormServices, OpportunityForm

TODAY = date(2026, 11, 28)


@pytest.fixture
def services(
    database: Database, uow_factory: Callable[[], UnitOfWork], owner: User
) -> FormServices:
    with uow_factory() as uow:
        uow.users.add("Chris Colleague", "chris")
        uow.commit()
    return FormServices(
        opportunities=OpportunityService(uow_factory, owner.id, today=lambda: TODAY),
        lookups=Lookups(uow_factory),
        catalog=CatalogService(uow_factory),
        links=LinkService(LinkQueries(database), uow_factory),
        history=HistoryService(uow_factory),
        today=lambda: TODAY,
    )


@pytest.fixture(autouse=True)
def never_block_on_close(monkeypatch: pytest.MonkeyPatch) -> None:
    """A form left dirty by a failing test must not open a modal question at teardown."""
    monkeypatch.setattr(OpportunityForm, "ask_unsaved", lambda self: "discard")
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(
            QMessageBox, name, lambda _p, _t, text, *a, **k: print("MESSAGE:", text)
        )


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a, **k: seen.append(text)
    )
    return seen


def open_form(qtbot, services: FormServices, opp: Opportunity | None = None) -> OpportunityForm:
    form = OpportunityForm(services, opp or services.opportunities.new())
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    return form


def drive_link_dialog(
    monkeypatch: pytest.MonkeyPatch, qtbot, text: str, *, new: bool = False
) -> None:
    """Replace exec() so the real dialog is driven like a user: type, pick, click Link To."""

    def fake_exec(dialog: LinkDialog) -> int:
        dialog.show()
        qtbot.keyClicks(dialog.search_edit, text)
        if new:
            qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.selected() is not None, timeout=3000)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(LinkDialog, "exec", fake_exec)


def drive_new_account(monkeypatch: pytest.MonkeyPatch, qtbot, name: str) -> None:
    def fake_exec(dialog: NewRecordDialog) -> int:
        dialog.show()
        dialog.account_name.clear()
        qtbot.keyClicks(dialog.account_name, name)
        qtbot.keyClicks(dialog.account_city, "Zwolle")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(NewRecordDialog, "exec", fake_exec)


def drive_product_dialog(
    monkeypatch: pytest.MonkeyPatch, qtbot, item: str, quantity: str, price: str
) -> None:
    def fake_exec(dialog: ProductLineDialog) -> int:
        dialog.show()
        edit = dialog.item_combo.lineEdit()
        edit.clear()
        qtbot.keyClicks(edit, item)
        for widget, text in ((dialog.quantity_edit, quantity), (dialog.unit_price_edit, price)):
            widget.selectAll()
            qtbot.keyClicks(widget, text)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ProductLineDialog, "exec", fake_exec)


def row(db_path: Path, sql: str) -> tuple:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql).fetchone()


def test_fill_link_add_lines_save_and_read_back(
    qtbot,
    services: FormServices,
    account: RecordRef,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    form = open_form(qtbot, services)
    qtbot.keyClicks(form.title_edit, "Nieuwe kassa's")
    form.assigned_combo.setCurrentIndex(form.assigned_combo.findText("Chris Colleague"))
    form.type_combo.setCurrentIndex(form.type_combo.findText("Renewal"))
    form.payment_combo.setCurrentIndex(form.payment_combo.findText("Net 30 days"))
    form.source_combo.setCurrentIndex(form.source_combo.findText("Referral"))
    drive_link_dialog(monkeypatch, qtbot, "bakk")
    qtbot.mouseClick(form.link_button, Qt.MouseButton.LeftButton)
    assert "Bakkerij de Vries" in form.link_label.text()

    form.probability_spin.selectAll()
    qtbot.keyClicks(form.probability_spin, "25")
    form.close_date_edit.set_value(date(2027, 3, 31))
    expires = date.today() + timedelta(days=45)  # the service refuses a past expiration date
    form.expiration_edit.set_value(expires)
    qtbot.keyClicks(form.competitors_edit, "Acme Kassa")
    drive_product_dialog(monkeypatch, qtbot, "Till", "2", "1250")
    qtbot.mouseClick(form.lines_editor.add_button, Qt.MouseButton.LeftButton)
    drive_product_dialog(monkeypatch, qtbot, "Training", "2", "99.99")
    qtbot.mouseClick(form.lines_editor.add_button, Qt.MouseButton.LeftButton)
    # Edit the second line: quantity 2 → 3.
    lines_view = form.lines_editor.view
    lines_view.setCurrentIndex(lines_view.model().index(1, 0))
    drive_product_dialog(monkeypatch, qtbot, "Training", "3", "99.99")
    qtbot.mouseClick(form.lines_editor.edit_button, Qt.MouseButton.LeftButton)
    assert len(form.lines_editor.lines()) == 2
    form.delivery_edit.set_value(date(2027, 4, 15))
    form.reminder_check.setChecked(True)
    reminder = form.reminder_edit.value()
    drive_link_dialog(monkeypatch, qtbot, "bakk")
    qtbot.mouseClick(form.initiator_button, Qt.MouseButton.LeftButton)
    assert "Bakkerij de Vries" in form.initiator_label.text()
    # 2 × 1250 + 3 × 99.99 = 2799.97; 25 % = 699.99 (699.9925 rounded half-up)
    assert form.expected_label.text().replace(",", ".").endswith("699.99")

    form.tabs.setCurrentIndex(1)
    qtbot.keyClicks(form.comments_edit, "Called about the order. ")
    qtbot.mouseClick(form.timestamp_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(form.comments_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert form.record_id is not None
    with uow_factory() as uow:
        chris = next(u for u in uow.users.all() if u.login == "chris")
        renewal = next(i for i in uow.lists.items(ListKind.TYPE) if i.name == "Renewal")
    stored = row(
        db_path,
        "SELECT title, assigned_to_id, type_id, link_account_id, probability, close_date,"
        " expiration_date, competitors, products_total_cents, expected_revenue_cents, comments"
        " FROM opportunities",
    )
    assert stored[:10] == (
        "Nieuwe kassa's",
        chris.id,
        renewal.id,
        account.id,
        25,
        "2027-03-31",
        expires.isoformat(),
        "Acme Kassa",
        279997,
        69999,
    )
    assert stored[10].startswith("Called about the order.")
    with uow_factory() as uow:
        net30 = next(i for i in uow.lists.items(ListKind.PAYMENT_TERMS) if i.name == "Net 30 days")
        referral = next(i for i in uow.lists.items(ListKind.SOURCE) if i.name == "Referral")
    more = row(
        db_path,
        "SELECT payment_terms_id, source_id, delivery_date, initiated_by_account_id,"
        " reminder_at IS NOT NULL, stage_id IS NOT NULL FROM opportunities",
    )
    assert more == (net30.id, referral.id, "2027-04-15", account.id, 1, 1)
    stored_opp = services.opportunities.get(form.record_id)
    assert reminder is not None and stored_opp.reminder_at == reminder
    assert "2026" in stored[10] or "/" in stored[10] or "-" in stored[10]  # the timestamp
    lines = services.opportunities.get(form.record_id).lines
    assert [(line.item_name, line.quantity, line.unit_price) for line in lines] == [
        ("Till", Decimal("2.000"), Decimal("1250.00")),
        ("Training", Decimal("3.000"), Decimal("99.99")),
    ]
    assert not form.is_dirty()


def test_link_with_new_account_created_in_the_dialog(
    qtbot, services: FormServices, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = open_form(qtbot, services)
    qtbot.keyClicks(form.title_edit, "Website")
    drive_new_account(monkeypatch, qtbot, "Harbour Street Florists")
    drive_link_dialog(monkeypatch, qtbot, "Harbour", new=True)
    qtbot.mouseClick(form.link_button, Qt.MouseButton.LeftButton)
    assert form.save()
    assert row(db_path, "SELECT link_name FROM opportunities") == ("Harbour Street Florists",)
    assert row(db_path, "SELECT name, city FROM accounts WHERE name LIKE 'Harbour%'") == (
        "Harbour Street Florists",
        "Zwolle",
    )


def test_missing_title_or_link_blocks_saving_and_writes_nothing(
    qtbot, services: FormServices, account: RecordRef, db_path: Path, warnings: list[str]
) -> None:
    form = open_form(qtbot, services)
    qtbot.mouseClick(form.tabs.tabBar(), Qt.MouseButton.LeftButton)
    assert not form.save()
    assert "Title is required" in warnings[-1]
    assert form.focusWidget() is form.title_edit
    qtbot.keyClicks(form.title_edit, "No link yet")
    assert not form.save()
    assert "Link to is required" in warnings[-1]
    assert form.focusWidget() is form.link_button
    assert row(db_path, "SELECT count(*) FROM opportunities") == (0,)


def test_save_and_new_leaves_an_empty_form(
    qtbot, services: FormServices, account: RecordRef, db_path: Path
) -> None:
    draft = services.opportunities.new()
    draft.link = account
    form = open_form(qtbot, services, draft)
    qtbot.keyClicks(form.title_edit, "First")
    form.save_new_action.trigger()
    assert row(db_path, "SELECT title FROM opportunities") == ("First",)
    assert form.record_id is None
    assert form.title_edit.text() == ""
    assert form.lines_editor.lines() == []
    assert form.stage_combo.currentText() == "Prospecting"
    assert not form.is_dirty()


def test_close_won_locks_and_reopen_unlocks_with_stage_history(
    qtbot,
    services: FormServices,
    account: RecordRef,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved = services.opportunities.create(Opportunity(title="Deal", link=account, probability=40))
    form = open_form(qtbot, services, saved)
    monkeypatch.setattr(CloseDialog, "ask", classmethod(lambda cls, *a: date(2026, 11, 27)))
    form.close_won_action.trigger()
    assert row(db_path, "SELECT status, probability, actual_close_date FROM opportunities") == (
        "won",
        100,
        "2026-11-27",
    )
    assert form.banner.isVisible() and "Closed Won" in form.banner.text()
    assert not form.title_edit.isEnabled()
    assert not form.lines_editor.add_button.isEnabled()
    assert form.reopen_action.isEnabled() and not form.save_action.isEnabled()

    form.reopen_action.trigger()
    assert row(db_path, "SELECT status FROM opportunities") == ("open",)
    assert form.title_edit.isEnabled() and not form.banner.isVisible()
    history = services.opportunities.stage_history(saved.id or 0)
    assert [(h.to_stage_name, h.note) for h in history[-2:]] == [
        ("Closed Won", ""),
        ("Prospecting", "reopened"),
    ]


def test_choosing_closed_lost_in_the_stage_list_asks_the_date(
    qtbot,
    services: FormServices,
    account: RecordRef,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved = services.opportunities.create(Opportunity(title="Deal", link=account, probability=40))
    form = open_form(qtbot, services, saved)
    asked: list[object] = []
    monkeypatch.setattr(CloseDialog, "ask", classmethod(lambda cls, *a: asked.append(a) or TODAY))
    form.stage_combo.setCurrentIndex(form.stage_combo.findText("Closed Lost"))
    assert asked and form.probability_spin.value() == 0
    form.save_close_action.trigger()
    assert row(db_path, "SELECT status, probability FROM opportunities") == ("lost", 0)


def test_unsaved_changes_ask_save_discard_cancel(
    qtbot,
    services: FormServices,
    account: RecordRef,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved = services.opportunities.create(Opportunity(title="Deal", link=account))
    form = open_form(qtbot, services, saved)
    qtbot.keyClicks(form.title_edit, " changed")
    monkeypatch.setattr(OpportunityForm, "ask_unsaved", lambda self: "cancel")
    form.close()
    assert form.isVisible()
    monkeypatch.setattr(OpportunityForm, "ask_unsaved", lambda self: "save")
    form.close()
    assert row(db_path, "SELECT title FROM opportunities") == ("Deal changed",)


def test_changed_elsewhere_shows_both_and_can_keep_mine(
    qtbot,
    services: FormServices,
    account: RecordRef,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved = services.opportunities.create(Opportunity(title="Deal", link=account))
    form = open_form(qtbot, services, saved)
    theirs = services.opportunities.get(saved.id or 0)
    theirs.competitors = "Theirs"
    services.opportunities.update(theirs)
    form.title_edit.setText("Mine")
    shown: list[list[tuple[str, str, str]]] = []

    def choose(cls, parent, title, differences):
        shown.append(list(differences))
        return "cancel" if len(shown) == 1 else "keep_mine"

    monkeypatch.setattr(ConflictDialog, "ask", classmethod(choose))
    assert not form.save()  # cancelled: nothing written, typing kept
    assert form.title_edit.text() == "Mine"
    assert row(db_path, "SELECT title, competitors FROM opportunities") == ("Deal", "Theirs")
    assert ("Title", "Mine", "Deal") in shown[0]
    assert form.save()
    assert row(db_path, "SELECT title FROM opportunities") == ("Mine",)


# -- found by the bug hunt ---------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "<b>Jan</b> & Piet said: price_list_v2 is _final_",
        "[offer](http://x) ![logo](y)",
        "line one\n\n\nafter two blank lines\n  indented",
        "# not a heading\n1. not a list",
    ],
)
def test_comments_are_kept_exactly_as_typed(
    qtbot, services: FormServices, account: RecordRef, db_path: Path, typed: str
) -> None:
    saved = services.opportunities.create(Opportunity(title="Deal", link=account))
    form = open_form(qtbot, services, saved)
    form.tabs.setCurrentIndex(1)
    form.comments_edit.setFocus()
    form.comments_edit.insertPlainText(typed)
    assert form.save()
    assert row(db_path, "SELECT comments FROM opportunities") == (typed,)
    form.close()
    again = open_form(qtbot, services, services.opportunities.get(saved.id or 0))
    assert again.comments_edit.toPlainText() == typed
    assert not again.is_dirty()


def test_saving_another_field_keeps_comments_written_elsewhere(
    qtbot, services: FormServices, account: RecordRef, db_path: Path
) -> None:
    """Comments from the demo data, an import or the bulk edit are plain text: a form that
    saves another field writes them back unchanged (no lines joined, nothing escaped)."""
    comments = "Called about the order.\nSecond line: 10 * 2 = 20, see price_list_v2."
    saved = services.opportunities.create(
        Opportunity(title="Deal", link=account, comments=comments)
    )
    form = open_form(qtbot, services, saved)
    assert form.comments_edit.toPlainText() == comments
    qtbot.keyClicks(form.title_edit, " changed")
    assert form.save()
    assert row(db_path, "SELECT title, comments FROM opportunities") == ("Deal changed", comments)


def test_closed_won_chosen_then_undone_leaves_no_actual_close_date(
    qtbot,
    services: FormServices,
    account: RecordRef,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved = services.opportunities.create(Opportunity(title="Deal", link=account, probability=40))
    form = open_form(qtbot, services, saved)
    monkeypatch.setattr(CloseDialog, "ask", classmethod(lambda cls, *a: date(2026, 11, 27)))
    prospecting = form.stage_combo.currentIndex()
    form.stage_combo.setCurrentIndex(form.stage_combo.findText("Closed Won"))
    form.stage_combo.setCurrentIndex(prospecting)  # changed their mind
    assert form.probability_spin.value() == 40
    assert not form.is_dirty()  # nothing left to save: closing asks nothing
    qtbot.keyClicks(form.title_edit, " changed")
    assert form.save()
    assert row(db_path, "SELECT title, status, actual_close_date FROM opportunities") == (
        "Deal changed",
        "open",
        None,
    )


@pytest.mark.parametrize("page", [0, 2])
def test_alt_s_saves_and_closes_from_the_general_and_history_pages(
    qtbot, services: FormServices, account: RecordRef, db_path: Path, page: int
) -> None:
    saved = services.opportunities.create(Opportunity(title="Deal", link=account))
    form = open_form(qtbot, services, saved)
    form.title_edit.setText("Deal changed")
    form.tabs.setCurrentIndex(page)
    target = form.title_edit if page == 0 else form.history_page
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert row(db_path, "SELECT title FROM opportunities") == ("Deal changed",)
    assert not form.isVisible()


def test_every_mnemonic_of_the_general_page_is_unique(qtbot, services: FormServices) -> None:
    """Alt+letter focuses one field; a letter two labels share (or the Alt+S of Save & Close)
    only cycles focus or does nothing."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel

    form = open_form(qtbot, services)
    letters: list[str] = ["S"]  # Alt+S: Save & Close
    page = form.tabs.currentWidget()
    for kind in (QLabel, QAbstractButton):
        for widget in page.findChildren(kind):
            match = re.search(r"&([^&])", widget.text().replace("&&", ""))
            if widget.isVisible() and match:
                letters.append(match.group(1).upper())
    assert sorted(letters) == sorted(set(letters))


def test_changed_elsewhere_names_what_differs(
    qtbot,
    services: FormServices,
    account: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The conflict dialog shows names, not record numbers, and only what really differs:
    their save gave the same product lines new row ids, which is no difference."""
    saved = services.opportunities.create(
        Opportunity(
            title="Deal",
            link=account,
            lines=[OpportunityLine("Till", Decimal("1250.00"), Decimal(2))],
        )
    )
    form = open_form(qtbot, services, saved)
    theirs = services.opportunities.get(saved.id or 0)
    chris = next(u for u in services.lookups.users() if u.name == "Chris Colleague")
    theirs.assigned_to_id = chris.id
    theirs.stage_id = next(s.id for s in services.lookups.stages() if s.name == "Qualification")
    services.opportunities.update(theirs)
    form.title_edit.setText("Mine")
    shown: list[list[tuple[str, str, str]]] = []
    monkeypatch.setattr(
        ConflictDialog, "ask", classmethod(lambda cls, p, t, d: shown.append(list(d)))
    )
    assert not form.save()
    owner_name = form.assigned_combo.currentText()
    assert sorted(shown[0]) == [
        ("Assigned to", owner_name, "Chris Colleague"),
        ("Sales stage", "", "Qualification"),
        ("Title", "Mine", "Deal"),
    ]


def test_long_linked_and_initiator_names_do_not_widen_the_general_page(
    qtbot, services: FormServices, uow_factory: Callable[[], UnitOfWork]
) -> None:
    """A long name ends in "…" (the tooltip has it all) instead of pushing the Sales
    information, the stage and the lines' buttons out of the window."""
    from bcm_desktop.domain.entities import InitiatorRef
    from bcm_desktop.domain.enums import InitiatorKind, LinkKind

    name = "Stichting Regionaal Samenwerkingsverband Voortgezet Onderwijs Midden-Nederland"
    with uow_factory() as uow:
        account_id = uow.records.add_account(name, city="Utrecht")
        uow.commit()
    saved = services.opportunities.create(
        Opportunity(
            title="Deal",
            link=RecordRef(LinkKind.ACCOUNT, account_id),
            initiated_by=InitiatorRef(InitiatorKind.ACCOUNT, account_id),
        )
    )
    form = open_form(qtbot, services, saved)
    form.resize(900, 760)
    qtbot.waitUntil(lambda: form.width() == 900)
    general = form.tabs.widget(0)
    assert not general.horizontalScrollBar().isVisible()
    assert form.lines_editor.add_button.visibleRegion().boundingRect().width() == (
        form.lines_editor.add_button.width()
    )
    assert name in form.initiator_label.text() and name in form.initiator_label.toolTip()
    assert name in form.link_label.text()


def test_text_pasted_with_line_breaks_into_title_and_competitors_saves_on_one_line(
    qtbot, services: FormServices, account: RecordRef, db_path: Path
) -> None:
    """A title copied from an e-mail carries line breaks and tabs the line edit hides;
    saving refused them as "control characters" the user could not see or find."""
    from PySide6.QtGui import QGuiApplication

    saved = services.opportunities.create(Opportunity(title="Deal", link=account))
    form = open_form(qtbot, services, saved)
    QGuiApplication.clipboard().setText("Tills for\r\nthe new\tshop\n")
    for edit in (form.title_edit, form.competitors_edit):
        edit.setFocus()
        edit.selectAll()
        qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        assert edit.text() == "Tills for the new shop "
    assert form.save()
    assert row(db_path, "SELECT title, competitors FROM opportunities") == (
        "Tills for the new shop",
        "Tills for the new shop",
    )


def test_a_new_reminder_is_stored_on_the_minute_it_shows(
    qtbot, services: FormServices, account: RecordRef, db_path: Path
) -> None:
    saved = services.opportunities.create(Opportunity(title="Deal", link=account))
    form = open_form(qtbot, services, saved)
    qtbot.mouseClick(form.reminder_check, Qt.MouseButton.LeftButton)
    assert form.reminder_check.isChecked()
    reminder = form.reminder_edit.value()
    assert reminder is not None and (reminder.second, reminder.microsecond) == (0, 0)
    assert form.save()
    stored = row(db_path, "SELECT reminder_at FROM opportunities")[0]
    assert stored.endswith(":00.000000") or stored.endswith(":00")


def tab_through(qtbot, start, steps: int) -> list[str]:
    from PySide6.QtWidgets import QApplication

    start.setFocus()
    names = []
    for _ in range(steps):
        widget = QApplication.focusWidget()
        names.append(widget.objectName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    return names


def test_tab_walks_through_blank_dates_and_out_of_the_tables(
    qtbot, services: FormServices, account: RecordRef
) -> None:
    """Tab used to stay for ever in a blank date field ("None" has no day, month and year
    to step through) and in the activities and history tables (it moved from cell to cell)."""
    stage_id = services.opportunities.new().stage_id  # a stage with activities
    saved = services.opportunities.create(
        Opportunity(title="Deal", link=account, stage_id=stage_id)
    )
    form = open_form(qtbot, services, saved)
    assert form.close_date_edit.value() is None and form.expiration_edit.value() is None
    order = tab_through(qtbot, form.probability_spin, 12)
    assert order[:11] == [
        "probability",
        "closeDate",
        "paymentTerms",
        "expirationDate",
        "deliveryDate",
        "source",
        "initiatedByButton",
        "competitors",
        "stage",
        "reminder",
        "activitiesTable",
    ]
    assert order[11] == "linesTable"
    form.tabs.setCurrentIndex(2)
    assert tab_through(qtbot, form.history_page.view, 2) == ["historyView", "historyNew"]


def test_the_next_form_opens_in_the_size_the_user_gave_the_last_one(
    qtbot, services: FormServices, tmp_path: Path
) -> None:
    """The form saved its size on closing but never read it back: every form opened at the
    default size again, however often the user enlarged it (the other forms remember)."""
    from PySide6.QtCore import QSettings

    previous = QSettings.defaultFormat()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    try:
        first = open_form(qtbot, services)
        first.resize(760, 640)
        qtbot.waitUntil(lambda: first.width() == 760)
        first.close()
        second = open_form(qtbot, services)
        assert (second.width(), second.height()) == (760, 640)
    finally:
        QSettings.setDefaultFormat(previous)


def test_a_first_form_shows_the_whole_ribbon_where_the_screen_is_wide_enough(
    qtbot, services: FormServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QRect, QSettings
    from PySide6.QtGui import QScreen

    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 1920, 1040))
    previous = QSettings.defaultFormat()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    try:
        form = OpportunityForm(services, services.opportunities.new())
        qtbot.addWidget(form)
        assert form.width() >= form.toolbar.sizeHint().width()
    finally:
        QSettings.setDefaultFormat(previous)


def test_reopen_after_a_colleague_changed_the_record_shows_their_version(
    qtbot,
    services: FormServices,
    account: RecordRef,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Reopen used to fail with "changed elsewhere… reload it" for ever: a closed form has
    no Save to meet the conflict dialog and nothing to reload with."""
    from bcm_desktop.domain.enums import StageKind

    service = services.opportunities
    won = service.close(
        service.create(Opportunity(title="Deal", link=account)).id or 0, StageKind.WON, 1
    )
    form = open_form(qtbot, services, won)
    reopened = service.reopen(won.id or 0, won.version)  # a colleague, meanwhile
    service.close(won.id or 0, StageKind.LOST, reopened.version, date(2026, 11, 20))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    form.reopen_action.trigger()
    assert told and "someone else" in told[0]
    assert "Closed Lost" in form.banner.text()
    form.reopen_action.trigger()
    assert row(db_path, "SELECT status FROM opportunities") == ("open",)
    assert form.title_edit.isEnabled()


def test_saving_a_record_a_colleague_closed_meanwhile_offers_their_version(
    qtbot,
    services: FormServices,
    account: RecordRef,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bcm_desktop.domain.enums import StageKind

    service = services.opportunities
    saved = service.create(Opportunity(title="Deal", link=account))
    form = open_form(qtbot, services, saved)
    service.close(saved.id or 0, StageKind.WON, saved.version)
    qtbot.keyClicks(form.title_edit, " changed")
    shown: list[list[tuple[str, str, str]]] = []
    monkeypatch.setattr(
        ConflictDialog, "ask", classmethod(lambda cls, p, t, d: shown.append(list(d)) or "reload")
    )
    assert not form.save()
    assert ("Status", "Open", "Closed Won") in shown[0]
    assert "Closed Won" in form.banner.text() and form.reopen_action.isEnabled()


def test_a_blank_date_can_be_typed_into(
    qtbot, services: FormServices, account: RecordRef, db_path: Path
) -> None:
    """Digits typed into a blank ("None") date were dropped, and Up made it 2 January 1900."""
    from PySide6.QtCore import QLocale

    saved = services.opportunities.create(Opportunity(title="Deal", link=account))
    previous = QLocale()
    QLocale.setDefault(QLocale.c())  # day month year: d MM yyyy
    try:
        form = open_form(qtbot, services, saved)
    finally:
        QLocale.setDefault(previous)
    form.delivery_edit.setFocus()
    qtbot.keyClicks(form.delivery_edit, "15012027")
    assert form.delivery_edit.value() == date(2027, 1, 15)
    form.close_date_edit.setFocus()
    qtbot.keyClick(form.close_date_edit, Qt.Key.Key_Up)
    assert form.close_date_edit.value() == date.today()
    assert form.save()
    assert row(db_path, "SELECT delivery_date, close_date FROM opportunities") == (
        "2027-01-15",
        date.today().isoformat(),
    )


def test_details_page_has_keys_for_comments_and_add_timestamp(
    qtbot, services: FormServices
) -> None:
    form = open_form(qtbot, services)
    form.tabs.setCurrentIndex(1)
    form.tabs.tabBar().setFocus()
    qtbot.keyClick(form.tabs.tabBar(), Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert form.focusWidget() is form.comments_edit
    qtbot.keyClick(form.comments_edit, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: form.comments_edit.toPlainText() != "")
    form.tabs.setCurrentIndex(0)
    form.title_edit.setFocus()
    qtbot.keyClick(form.title_edit, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert form.focusWidget() is form.close_date_edit  # the General page keeps its Alt+C


def test_closing_one_opportunity_asks_in_the_singular(qtbot) -> None:
    from bcm_desktop.domain.enums import StageKind

    one = CloseDialog(StageKind.WON, 1, 0, TODAY)
    many = CloseDialog(StageKind.LOST, 3, 1, TODAY)
    qtbot.addWidget(one)
    qtbot.addWidget(many)
    assert one.message.text().startswith("Mark the opportunity as Closed Won?")
    assert many.message.text().startswith("Mark 2 opportunities as Closed Lost?")


def test_changed_elsewhere_names_a_user_added_after_the_form_opened(
    qtbot,
    services: FormServices,
    account: RecordRef,
    uow_factory: Callable[[], UnitOfWork],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved = services.opportunities.create(Opportunity(title="Deal", link=account))
    form = open_form(qtbot, services, saved)
    with uow_factory() as uow:
        newcomer = uow.users.add("Noor Newcomer", "noor")
        uow.commit()
    theirs = services.opportunities.get(saved.id or 0)
    theirs.assigned_to_id = newcomer.id
    services.opportunities.update(theirs)
    form.title_edit.setText("Mine")
    shown: list[list[tuple[str, str, str]]] = []
    monkeypatch.setattr(
        ConflictDialog, "ask", classmethod(lambda cls, p, t, d: shown.append(list(d)))
    )
    assert not form.save()
    assert ("Assigned to", "", "Noor Newcomer") in shown[0]
