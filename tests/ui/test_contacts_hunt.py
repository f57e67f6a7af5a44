"""Defects found using Contact Management as a salesperson would: each test drove the real
widgets and failed before its fix; the database is read back afterwards."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from bcm_desktop.domain.entities import HistoryItem, User
from bcm_desktop.domain.enums import HistoryKind, TaskStatus
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.ui.forms import history_items
from bcm_desktop.ui.forms.manager import FormManager
from tests.ui import test_contact_workspace as base

# The Contact Management fixtures, shared with the workspace tests.
never_block = base.never_block
questions = base.questions
form_services = base.form_services
manager = base.manager
records = base.records
query = base.query


@pytest.fixture(autouse=True)
def item_forms_discard(monkeypatch: pytest.MonkeyPatch) -> None:
    """A history item form closed with changes (a failed test's teardown) discards them."""
    monkeypatch.setattr(history_items.HistoryItemForm, "ask_unsaved", lambda self: "discard")


def show(qtbot: Any, widget: Any) -> None:
    widget.show()
    qtbot.waitExposed(widget)


def click_row(qtbot: Any, view: Any, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.fixture
def colleague(uow_factory: Callable[[], UnitOfWork]) -> User:
    with uow_factory() as uow:
        user = uow.users.by_login("chris")
        assert user is not None
        return user


# -- the History page of an account or contact -----------------------------------------------


def test_opening_a_task_from_the_account_history_keeps_its_assignee(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    manager: FormManager,
    records: dict[str, int],
    uow_factory: Callable[[], UnitOfWork],
    colleague: User,
    db_path: Path,
) -> None:
    with uow_factory() as uow:
        task_id = uow.history.add(
            HistoryItem(
                HistoryKind.TASK,
                "Call back",
                status=TaskStatus.IN_PROGRESS,
                assigned_to_id=colleague.id,
                opportunity_id=records["Ovens"],
            )
        )
        uow.commit()
    shown_assignees: list[str] = []

    def save_unchanged(form: Any) -> int:
        shown_assignees.append(form.assigned_combo.currentText())
        form.accept()  # Save & Close without touching anything
        return 1

    monkeypatch.setattr(history_items.HistoryItemForm, "exec", save_unchanged)
    form = manager.open_account(records["Bakkerij de Vries"])
    assert form is not None
    show(qtbot, form)
    form.tabs.setCurrentWidget(form.history_page)
    page = form.history_page
    row = page.model.row_of(task_id)
    assert row is not None
    click_row(qtbot, page.view, row)
    assert page.open_button.isEnabled()
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert shown_assignees == ["Chris Colleague"]
    assert query(db_path, "SELECT assigned_to_id FROM history_items WHERE id = ?", task_id) == [
        (colleague.id,)
    ]
    # The page is read again and keeps the item selected.
    assert page.current_row() is not None and page.current_row().id == task_id


def test_show_filters_the_contact_history_by_kind(
    qtbot: Any,
    manager: FormManager,
    records: dict[str, int],
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        uow.history.add(HistoryItem(HistoryKind.PHONE_LOG, "Rang", contact_id=records["anna"]))
        uow.history.add(HistoryItem(HistoryKind.NOTE, "Met", contact_id=records["anna"]))
        uow.commit()
    form = manager.open_contact(records["anna"])
    assert form is not None
    show(qtbot, form)
    page = form.history_page
    assert page.model.rowCount() == 2
    page.filter_combo.setCurrentIndex(page.filter_combo.findData(HistoryKind.PHONE_LOG.value))
    subjects = [page.model.row_at(r).subject for r in range(page.model.rowCount())]
    assert subjects == ["Rang"]
    # Items are made from an opportunity (or imported): no New that would link elsewhere.
    assert not page.new_button.isVisible()


# -- the history item forms ------------------------------------------------------------------


@pytest.fixture
def history(form_services: Any) -> Any:
    return form_services.history


def test_alt_keys_of_the_phone_log_start_the_timer_and_save(
    qtbot: Any, history: Any, records: dict[str, int], db_path: Path
) -> None:
    clock = [100.0]
    item = HistoryItem(HistoryKind.PHONE_LOG, "", opportunity_id=records["Ovens"])
    form = history_items.PhoneLogForm(history, item, clock=lambda: clock[0])
    qtbot.addWidget(form)
    show(qtbot, form)
    qtbot.keyClicks(form.subject_edit, "Called about ovens")
    qtbot.keyClick(form.subject_edit, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    # Alt+T is Start Timer, not also a field label (a button's mnemonic clicks it shortly).
    qtbot.waitUntil(form.timer_running, timeout=1000)
    clock[0] += 75
    qtbot.keyClick(form.subject_edit, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: form.saved_item is not None, timeout=1000)  # Alt+S: Save & Close
    assert query(
        db_path,
        "SELECT subject, duration_seconds FROM history_items WHERE kind = 'phone_log'",
    ) == [("Called about ovens", 75)]


# -- keyboard --------------------------------------------------------------------------------


def mnemonics(widget: Any) -> list[str]:
    """The Alt+letter keys of the labels and buttons the user sees on ``widget``."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel

    keys = []
    for child in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        if not child.isVisibleTo(widget):
            continue
        match = re.search(r"&([^&])", child.text().replace("&&", ""))
        if match:
            keys.append(match.group(1).lower())
    return keys


@pytest.mark.parametrize("kind", ["account", "contact"])
def test_every_alt_key_of_the_general_page_is_taken_once(
    qtbot: Any, manager: FormManager, records: dict[str, int], kind: str
) -> None:
    if kind == "account":
        form: Any = manager.open_account(records["Bakkerij de Vries"])
    else:
        form = manager.open_contact(records["anna"])
    show(qtbot, form)
    keys = mnemonics(form.tabs.currentWidget())
    assert len(keys) > 8
    assert sorted(keys) == sorted(set(keys))


@pytest.mark.parametrize("kind", list(HistoryKind))
def test_every_alt_key_of_a_history_item_form_is_taken_once(
    qtbot: Any, history: Any, records: dict[str, int], kind: HistoryKind
) -> None:
    item = HistoryItem(kind, "x", file_name="a.txt", opportunity_id=records["Ovens"])
    form = history_items.form_class(kind)(history, item)
    qtbot.addWidget(form)
    show(qtbot, form)
    keys = mnemonics(form)
    assert "s" in keys and sorted(keys) == sorted(set(keys))


# -- open forms follow changes made elsewhere ------------------------------------------------


def test_an_open_contact_form_shows_its_opportunity_and_account_as_changed_elsewhere(
    qtbot: Any,
    manager: FormManager,
    records: dict[str, int],
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
) -> None:
    from decimal import Decimal

    from bcm_desktop.domain.entities import Opportunity, OpportunityLine, RecordRef
    from bcm_desktop.domain.enums import LinkKind
    from bcm_desktop.services.opportunities import OpportunityService

    opp = OpportunityService(uow_factory, owner.id).create(
        Opportunity(
            title="Bread slicer",
            link=RecordRef(LinkKind.CONTACT, records["anna"]),
            lines=[OpportunityLine(item_name="Slicer", unit_price=Decimal("300"))],
        )
    )
    contact = manager.open_contact(records["anna"])
    assert contact is not None
    show(qtbot, contact)
    assert contact.opportunities_model.index(0, 0).data() == "Bread slicer"
    # The salesperson opens the opportunity from the contact and renames it.
    contact._open_opportunity_row(0)
    opportunity = next(f for f in manager.forms if f.record_id == opp.id)
    opportunity.title_edit.setText("Two bread slicers")
    assert opportunity.save()
    assert contact.opportunities_model.index(0, 0).data() == "Two bread slicers"
    # Then renames the account the contact works for.
    account = manager.open_account(records["Bakkerij de Vries"])
    assert account is not None
    account.name_edit.setText("Bakkerij de Vries & Zonen")
    assert account.save()
    assert contact.account_label.text() == "Bakkerij de Vries & Zonen"
    assert not contact.is_dirty()


def test_an_open_contact_form_lists_an_item_added_on_its_opportunity(
    qtbot: Any,
    manager: FormManager,
    records: dict[str, int],
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
) -> None:
    """S-1.2: an item made on an opportunity shows in its contact's history, also in a
    contact form that is already open."""
    from bcm_desktop.domain.entities import Opportunity, RecordRef
    from bcm_desktop.domain.enums import LinkKind
    from bcm_desktop.services.opportunities import OpportunityService

    opp = OpportunityService(uow_factory, owner.id).create(
        Opportunity(title="Bread slicer", link=RecordRef(LinkKind.CONTACT, records["anna"]))
    )
    contact = manager.open_contact(records["anna"])
    assert contact is not None
    show(qtbot, contact)
    assert contact.history_page.model.rowCount() == 0
    opportunity = manager.open_opportunity(opp.id or 0)
    assert opportunity is not None
    with uow_factory() as uow:
        uow.history.add(HistoryItem(HistoryKind.NOTE, "Quote sent", opportunity_id=opp.id))
        uow.commit()
    opportunity.history_page.changed.emit()  # what the page says after New → Business note
    page = contact.history_page
    assert [page.model.row_at(r).subject for r in range(page.model.rowCount())] == ["Quote sent"]


@pytest.mark.parametrize("answer", ["save", "discard", "cancel"])
def test_escape_in_a_phone_log_being_timed_asks_before_dropping_it(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    history: Any,
    records: dict[str, int],
    db_path: Path,
    answer: str,
) -> None:
    asked: list[str] = []

    def ask(form: Any) -> str:
        asked.append(form.subject_edit.text())
        return answer

    monkeypatch.setattr(history_items.HistoryItemForm, "ask_unsaved", ask)
    clock = [0.0]
    item = HistoryItem(HistoryKind.PHONE_LOG, "", opportunity_id=records["Ovens"])
    form = history_items.PhoneLogForm(history, item, clock=lambda: clock[0])
    qtbot.addWidget(form)
    show(qtbot, form)
    qtbot.keyClicks(form.subject_edit, "Complaint")
    qtbot.mouseClick(form.timer_button, Qt.MouseButton.LeftButton)
    clock[0] = 42
    qtbot.keyClick(form.subject_edit, Qt.Key.Key_Escape)
    assert asked == ["Complaint"]
    stored = query(db_path, "SELECT subject, duration_seconds FROM history_items WHERE kind = ?",
                   "phone_log")  # fmt: skip
    assert stored == ([("Complaint", 42)] if answer == "save" else [])
    assert form.isVisible() == (answer == "cancel")


def test_escape_in_an_untouched_item_form_closes_it_without_asking(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    history: Any,
    records: dict[str, int],
) -> None:
    asked: list[bool] = []
    monkeypatch.setattr(
        history_items.HistoryItemForm, "ask_unsaved", lambda form: asked.append(True) or "save"
    )
    for kind in HistoryKind:
        item = HistoryItem(kind, "", opportunity_id=records["Ovens"])
        form = history_items.form_class(kind)(history, item)
        qtbot.addWidget(form)
        show(qtbot, form)
        qtbot.keyClick(form.subject_edit, Qt.Key.Key_Escape)
        assert not form.isVisible()
    assert asked == []


# -- File → Import ---------------------------------------------------------------------------

ICS_EVENT = (
    "BEGIN:VEVENT\r\nSUMMARY:{summary}\r\nLOCATION:{location}\r\n"
    "DTSTART:{start}\r\nDTEND:{end}\r\nEND:VEVENT\r\n"
)


def import_ics(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, form_services: Any, events: list[str]
) -> Any:
    from PySide6.QtWidgets import QFileDialog

    from bcm_desktop.domain.enums import InitiatorKind
    from bcm_desktop.domain.links import LinkCandidate
    from bcm_desktop.ui import history_import
    from bcm_desktop.ui.dialogs.link_dialog import LinkDialog

    source = tmp_path / "agenda.ics"
    source.write_text("BEGIN:VCALENDAR\r\n" + "".join(events) + "END:VCALENDAR\r\n", "utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    return history_import, LinkCandidate, InitiatorKind, LinkDialog


def test_ics_with_a_multi_line_location_is_imported_on_one_line(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    form_services: Any,
    records: dict[str, int],
    db_path: Path,
) -> None:
    events = [
        ICS_EVENT.format(
            summary="Demo", location="Utrecht", start="20261110T090000Z", end="20261110T100000Z"
        ),
        ICS_EVENT.format(
            summary="Visit\\nwarehouse",
            location="Oudegracht 1\\nUtrecht",
            start="20261111T090000Z",
            end="20261111T100000Z",
        ),
    ]
    history_import, link_candidate, initiator, link_dialog = import_ics(
        monkeypatch, tmp_path, form_services, events
    )
    account = records["Acme Holding"]
    monkeypatch.setattr(
        link_dialog,
        "ask",
        staticmethod(lambda *a, **k: link_candidate(initiator.ACCOUNT, account, "Acme Holding")),
    )
    result = history_import.import_appointment(None, form_services.history, form_services.links)
    assert result is not None and len(result.items) == 2
    assert query(
        db_path,
        "SELECT subject, location FROM history_items WHERE account_id = ? ORDER BY id",
        account,
    ) == [("Demo", "Utrecht"), ("Visit warehouse", "Oudegracht 1 Utrecht")]


def test_an_ics_import_refused_halfway_stores_none_of_its_appointments(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    form_services: Any,
    records: dict[str, int],
    db_path: Path,
    never_block: list[str],
) -> None:
    events = [
        ICS_EVENT.format(
            summary="Demo", location="Utrecht", start="20261110T090000Z", end="20261110T100000Z"
        ),
        ICS_EVENT.format(
            summary="Ancient", location="", start="18500101T090000Z", end="18500101T100000Z"
        ),
    ]
    history_import, link_candidate, initiator, link_dialog = import_ics(
        monkeypatch, tmp_path, form_services, events
    )
    account = records["Acme Holding"]
    monkeypatch.setattr(
        link_dialog,
        "ask",
        staticmethod(lambda *a, **k: link_candidate(initiator.ACCOUNT, account, "Acme Holding")),
    )
    result = history_import.import_appointment(None, form_services.history, form_services.links)
    assert result is None
    assert "1900" in never_block[-1]
    assert query(db_path, "SELECT count(*) FROM history_items WHERE account_id = ?", account) == [
        (0,)
    ]


# -- pasting ---------------------------------------------------------------------------------


def paste(qtbot: Any, edit: Any, text: str) -> None:
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().setText(text)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_End)
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_an_address_block_or_spreadsheet_cells_pasted_into_account_fields_are_saved(
    qtbot: Any, manager: FormManager, db_path: Path, never_block: list[str]
) -> None:
    form = manager.new_account()
    assert form is not None
    show(qtbot, form)
    paste(qtbot, form.name_edit, "Bakkerij\tJansen\r\n")  # two cells copied from a sheet
    paste(qtbot, form.street_edit, "Oudegracht 1\nbis")  # an address block from an e-mail
    assert form.name_edit.text() == "Bakkerij Jansen "
    assert form.street_edit.text() == "Oudegracht 1 bis"
    assert form.save(), never_block
    assert query(db_path, "SELECT name, street FROM accounts WHERE id = ?", form.record_id) == [
        ("Bakkerij Jansen", "Oudegracht 1 bis")
    ]


def test_a_subject_pasted_with_a_line_break_into_a_history_item_is_saved(
    qtbot: Any, history: Any, records: dict[str, int], db_path: Path, never_block: list[str]
) -> None:
    item = HistoryItem(HistoryKind.APPOINTMENT, "", opportunity_id=records["Ovens"])
    form = history_items.AppointmentForm(history, item)
    qtbot.addWidget(form)
    show(qtbot, form)
    paste(qtbot, form.subject_edit, "Demo\nnew ovens")
    paste(qtbot, form.location_edit, "Oudegracht 1\nUtrecht")
    assert form.save(), never_block
    assert query(db_path, "SELECT subject, location FROM history_items WHERE kind = ?",
                 "appointment") == [("Demo new ovens", "Oudegracht 1 Utrecht")]  # fmt: skip


# -- deleting several --------------------------------------------------------------------------


def test_deleting_two_accounts_of_which_one_cannot_go_deletes_neither(
    qtbot: Any,
    database: Any,
    form_services: Any,
    manager: FormManager,
    records: dict[str, int],
    questions: list[str],
    never_block: list[str],
    db_path: Path,
) -> None:
    from bcm_desktop.repository.orm import BusinessProjectRow
    from bcm_desktop.services.contact_listing import account_listing, contact_listing
    from bcm_desktop.ui.workspace.contacts import (
        ContactManagementServices,
        ContactManagementWorkspace,
    )

    with database.session_factory() as session:
        session.add(BusinessProjectRow(name="Dike works", link_account_id=records["Zeeland BV"]))
        session.commit()
    workspace = ContactManagementWorkspace(
        ContactManagementServices(
            account_listing(database), contact_listing(database), form_services
        ),
        manager,
    )
    qtbot.addWidget(workspace)
    workspace.resize(1100, 500)
    show(qtbot, workspace)
    view = workspace.accounts.view
    qtbot.waitUntil(lambda: workspace.accounts.model.rowCount() == 4)
    names = [workspace.accounts.model.index(r, 0).data() for r in range(4)]
    for name, modifier in (
        ("Acme Holding", Qt.KeyboardModifier.NoModifier),
        ("Zeeland BV", Qt.KeyboardModifier.ControlModifier),
    ):
        rect = view.visualRect(workspace.accounts.model.index(names.index(name), 0))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    assert len(workspace.accounts.selected_ids()) == 2
    assert workspace.delete_selected() == 0
    assert "business project" in never_block[-1]
    assert query(db_path, "SELECT name FROM accounts WHERE name IN (?, ?) ORDER BY name",
                 "Acme Holding", "Zeeland BV") == [("Acme Holding",), ("Zeeland BV",)]  # fmt: skip


def test_moving_an_appointment_start_keeps_its_length(
    qtbot: Any, history: Any, records: dict[str, int], db_path: Path
) -> None:
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    item = HistoryItem(
        HistoryKind.APPOINTMENT,
        "Workshop",
        occurred_at=start,
        end_at=start + timedelta(hours=2),
        opportunity_id=records["Ovens"],
    )
    form = history_items.AppointmentForm(history, history.create(item))
    qtbot.addWidget(form)
    show(qtbot, form)
    # The customer asks for half an hour later, then for the next day.
    form.date_edit.setDateTime(form.date_edit.dateTime().addSecs(30 * 60))
    form.date_edit.setDateTime(form.date_edit.dateTime().addDays(1))
    assert form.save()
    saved = form.saved_item
    assert saved is not None and saved.occurred_at is not None and saved.end_at is not None
    assert saved.occurred_at == start + timedelta(days=1, minutes=30)
    assert saved.end_at - saved.occurred_at == timedelta(hours=2)


def test_the_contact_history_sorted_by_kind_is_in_the_order_the_names_read(
    qtbot: Any,
    qtmodeltester: Any,
    manager: FormManager,
    records: dict[str, int],
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    from PySide6.QtCore import QPoint

    with uow_factory() as uow:
        for kind in (HistoryKind.FILE, HistoryKind.NOTE, HistoryKind.PHONE_LOG):
            uow.history.add(
                HistoryItem(kind, kind.value, file_name="a.txt", contact_id=records["anna"]),
                b"x" if kind is HistoryKind.FILE else None,
            )
        uow.commit()
    form = manager.open_contact(records["anna"])
    assert form is not None
    show(qtbot, form)
    form.tabs.setCurrentWidget(form.history_page)
    page = form.history_page
    qtmodeltester.check(page.model)
    header = page.view.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(1) + 10, 5),
    )
    kinds = [page.model.index(r, 1).data() for r in range(page.model.rowCount())]
    assert kinds == sorted(kinds, key=str.casefold) or kinds == sorted(
        kinds, key=str.casefold, reverse=True
    )
    assert kinds[0] in ("Business note", "Phone log")


def test_minutes_typed_while_the_phone_timer_runs_are_kept(
    qtbot: Any, history: Any, records: dict[str, int], db_path: Path
) -> None:
    clock = [0.0]
    item = HistoryItem(HistoryKind.PHONE_LOG, "Support call", opportunity_id=records["Ovens"])
    form = history_items.PhoneLogForm(history, item, clock=lambda: clock[0])
    qtbot.addWidget(form)
    show(qtbot, form)
    qtbot.mouseClick(form.timer_button, Qt.MouseButton.LeftButton)
    clock[0] = 10
    form.tick()
    # The call began five minutes before the timer: the user types 5 into the minutes.
    form.minutes_spin.setFocus()
    form.minutes_spin.selectAll()
    qtbot.keyClicks(form.minutes_spin, "5")
    clock[0] = 20
    form.tick()
    assert (form.minutes_spin.value(), form.seconds_spin.value()) == (5, 20)
    assert form.save()
    assert query(
        db_path, "SELECT duration_seconds FROM history_items WHERE subject = 'Support call'"
    ) == [(320,)]
