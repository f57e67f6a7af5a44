"""The History page of an open opportunity and the six item forms, driven like a user (S-8).

Every modal ``exec()`` is replaced by a function that fills the form with qtbot and presses
its buttons, so nothing blocks; what was saved is then read back from the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from PySide6.QtCore import QDate, QDateTime, QPoint, QSettings, Qt, QTime, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from bcm_desktop.app import build_main_window
from bcm_desktop.domain.entities import HistoryItem, Opportunity, RecordRef, User
from bcm_desktop.domain.enums import CallDirection, HistoryKind, Priority, TaskStatus
from bcm_desktop.domain.history import MAX_FILE_SIZE
from bcm_desktop.domain.ics import parse_events
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.link_queries import LinkQueries
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.catalog import CatalogService
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.links import LinkService
from bcm_desktop.services.lookups import Lookups
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.ui.dialogs.link_dialog import LinkDialog
from bcm_desktop.ui.forms.history_items import (
    AppointmentForm,
    EmailForm,
    FileForm,
    HistoryItemForm,
    PhoneLogForm,
)
from bcm_desktop.ui.forms.history_page import HistoryModel
from bcm_desktop.ui.forms.opportunity_form import FormServices, OpportunityForm
from tests.conftest import OWNER_LOGIN

LEFT = Qt.MouseButton.LeftButton
START = QDateTime(QDate(2026, 11, 20), QTime(14, 30))

Filler = Callable[[Any], None]


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path) -> Iterator[None]:
    """Form geometry goes to an INI file in tmp_path, not the user's configuration."""
    previous = QSettings.defaultFormat()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    yield
    QSettings.setDefaultFormat(previous)


@pytest.fixture(autouse=True)
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No message box opens: warnings are collected, questions answer Yes."""
    seen: list[str] = []
    monkeypatch.setattr(OpportunityForm, "ask_unsaved", lambda self: "discard")
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda _p, _t, text, *a, **k: seen.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return seen


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []

    def fake_open(url: QUrl) -> bool:
        urls.append(QUrl(url))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake_open))
    return urls


@pytest.fixture
def history(uow_factory: Callable[[], UnitOfWork], owner: User) -> HistoryService:
    return HistoryService(uow_factory, owner.id)


@pytest.fixture
def services(
    database: Database,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    history: HistoryService,
) -> FormServices:
    return FormServices(
        opportunities=OpportunityService(uow_factory, owner.id),
        lookups=Lookups(uow_factory),
        catalog=CatalogService(uow_factory),
        links=LinkService(LinkQueries(database), uow_factory),
        history=history,
    )


@pytest.fixture
def opportunity(services: FormServices, account: RecordRef) -> Opportunity:
    return services.opportunities.create(Opportunity("Kassa's voor de bakkerij", link=account))


@pytest.fixture
def form(qtbot: Any, services: FormServices, opportunity: Opportunity) -> OpportunityForm:
    widget = OpportunityForm(services, opportunity)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def run_form(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[[Filler], list[Any]]:
    """Make every item form's ``exec()`` run ``fill`` on it instead of waiting for a user."""

    def install(fill: Filler) -> list[Any]:
        shown: list[Any] = []

        def fake_exec(self: HistoryItemForm) -> int:
            qtbot.addWidget(self)
            self.show()
            shown.append(self)
            fill(self)
            return self.result()

        monkeypatch.setattr(HistoryItemForm, "exec", fake_exec)
        return shown

    return install


def type_into(qtbot: Any, widget: Any, text: str) -> None:
    """Type ``text``: printable ASCII as key clicks, a line break as Return (QTest aborts on
    other characters, so those are pasted in as a user's input method would)."""
    widget.clear()
    for chunk in re.findall(r"[ -~]+|\n|[^ -~\n]+", text):
        if chunk == "\n":
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        elif chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        elif hasattr(widget, "insertPlainText"):
            widget.insertPlainText(chunk)
        else:
            widget.insert(chunk)


def save(qtbot: Any, dialog: HistoryItemForm) -> None:
    qtbot.mouseClick(dialog.save_button, LEFT)


def items_of(history: HistoryService, opportunity: Opportunity) -> list[HistoryItem]:
    return [history.get(row.id) for row in history.for_opportunity(opportunity.id or 0)]


def new_from_menu(form: OpportunityForm, kind: HistoryKind) -> None:
    form.history_action.trigger()  # Home → Show → History
    assert form.tabs.currentWidget() is form.history_page
    page = form.history_page
    assert page.new_button.isEnabled()
    assert page.new_button.menu() is page.new_menu
    page.new_actions[kind].trigger()


# -- creating each kind from the New menu --------------------------------------------------


def test_business_note(qtbot, form, run_form, history, opportunity) -> None:
    def fill(dialog: HistoryItemForm) -> None:
        type_into(qtbot, dialog.subject_edit, "Bezoek: kassa’s besproken")
        dialog.date_edit.setDateTime(START)
        type_into(qtbot, dialog.body_edit, "Wil twee kassa's en een pinautomaat.")
        save(qtbot, dialog)

    shown = run_form(fill)
    new_from_menu(form, HistoryKind.NOTE)
    (item,) = items_of(history, opportunity)
    assert item.kind is HistoryKind.NOTE
    assert item.subject == "Bezoek: kassa’s besproken"
    assert item.body == "Wil twee kassa's en een pinautomaat."
    assert item.occurred_at == START.toUTC().toPython().replace(tzinfo=UTC)
    assert item.opportunity_id == opportunity.id
    assert shown[0].result() == QDialog.DialogCode.Accepted
    assert form.history_page.model.rowCount() == 1


def test_phone_log_with_typed_duration(qtbot, form, run_form, history, opportunity) -> None:
    def fill(dialog: PhoneLogForm) -> None:
        type_into(qtbot, dialog.subject_edit, "Prijs nagebeld")
        dialog.minutes_spin.setValue(12)
        dialog.seconds_spin.setValue(30)
        dialog.direction_combo.setCurrentIndex(dialog.direction_combo.findText("Incoming"))
        save(qtbot, dialog)

    run_form(fill)
    new_from_menu(form, HistoryKind.PHONE_LOG)
    (item,) = items_of(history, opportunity)
    assert (item.kind, item.subject) == (HistoryKind.PHONE_LOG, "Prijs nagebeld")
    assert (item.duration_seconds, item.direction) == (750, CallDirection.INCOMING)


def test_task(qtbot, form, run_form, history, opportunity, owner) -> None:
    def fill(dialog: Any) -> None:
        type_into(qtbot, dialog.subject_edit, "Offerte sturen")
        dialog.due_edit.set_value(date(2026, 12, 4))
        dialog.status_combo.setCurrentIndex(dialog.status_combo.findText("In progress"))
        dialog.priority_combo.setCurrentIndex(dialog.priority_combo.findText("High"))
        dialog.percent_spin.setValue(50)
        dialog.reminder_edit.set_value(datetime(2026, 12, 3, 8, 0, tzinfo=UTC))
        dialog.assigned_combo.setCurrentIndex(dialog.assigned_combo.findText(owner.name))
        save(qtbot, dialog)

    run_form(fill)
    new_from_menu(form, HistoryKind.TASK)
    (item,) = items_of(history, opportunity)
    assert item.subject == "Offerte sturen"
    assert item.due_date == date(2026, 12, 4)
    assert (item.status, item.priority, item.percent_complete) == (
        TaskStatus.IN_PROGRESS,
        Priority.HIGH,
        50,
    )
    assert item.reminder_at == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    assert item.assigned_to_id == owner.id


def test_email_send_opens_mailto_and_logs_what_was_sent(
    qtbot, form, run_form, history, opportunity, opened
) -> None:
    def fill(dialog: EmailForm) -> None:
        type_into(qtbot, dialog.to_edit, "Anna Jansen <anna@example.nl>")
        type_into(qtbot, dialog.subject_edit, "Offerte kassa’s & pin")
        type_into(qtbot, dialog.body_edit, "Beste Anna,\nzie de offerte.")
        qtbot.mouseClick(dialog.send_button, LEFT)

    shown = run_form(fill)
    new_from_menu(form, HistoryKind.EMAIL)
    assert shown[0].result() == QDialog.DialogCode.Accepted
    (url,) = opened
    assert url.scheme() == "mailto"
    encoded = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    address, _, query = encoded.removeprefix("mailto:").partition("?")
    assert address == "anna@example.nl"
    assert parse_qs(query) == {
        "subject": ["Offerte kassa’s & pin"],
        "body": ["Beste Anna,\r\nzie de offerte."],
    }
    (item,) = items_of(history, opportunity)
    assert (item.kind, item.email_to) == (HistoryKind.EMAIL, "Anna Jansen <anna@example.nl>")
    assert item.body == "Beste Anna,\nzie de offerte."


def test_email_send_without_address_opens_nothing(
    qtbot, form, run_form, history, opportunity, opened, messages
) -> None:
    def fill(dialog: EmailForm) -> None:
        type_into(qtbot, dialog.subject_edit, "Offerte")
        qtbot.mouseClick(dialog.send_button, LEFT)
        dialog.reject()

    run_form(fill)
    new_from_menu(form, HistoryKind.EMAIL)
    assert opened == []
    assert "address" in messages[-1]
    assert items_of(history, opportunity) == []


def test_appointment(qtbot, form, run_form, history, opportunity) -> None:
    def fill(dialog: AppointmentForm) -> None:
        type_into(qtbot, dialog.subject_edit, "Demo kassa")
        type_into(qtbot, dialog.location_edit, "Utrecht, Oudegracht 1")
        dialog.date_edit.setDateTime(START)
        dialog.end_edit.setDateTime(START.addSecs(90 * 60))
        type_into(qtbot, dialog.attendees_edit, "Anna <anna@example.nl>")
        save(qtbot, dialog)

    run_form(fill)
    new_from_menu(form, HistoryKind.APPOINTMENT)
    (item,) = items_of(history, opportunity)
    assert (item.subject, item.location) == ("Demo kassa", "Utrecht, Oudegracht 1")
    assert item.end_at is not None and item.occurred_at is not None
    assert item.end_at - item.occurred_at == timedelta(minutes=90)
    assert item.attendees == "Anna <anna@example.nl>"


def test_appointment_ending_before_it_starts_is_refused(
    qtbot, form, run_form, history, opportunity, messages
) -> None:
    def fill(dialog: AppointmentForm) -> None:
        type_into(qtbot, dialog.subject_edit, "Demo")
        dialog.date_edit.setDateTime(START)
        dialog.end_edit.setDateTime(START.addSecs(-60))
        save(qtbot, dialog)
        assert dialog.isVisible()  # stays open with what was typed
        assert dialog.subject_edit.text() == "Demo"
        dialog.reject()

    run_form(fill)
    new_from_menu(form, HistoryKind.APPOINTMENT)
    assert messages == ["An appointment cannot end before it starts."]
    assert items_of(history, opportunity) == []


def test_file_is_chosen_from_disk_and_stored(
    qtbot, form, run_form, history, opportunity, tmp_path, monkeypatch
) -> None:
    source = tmp_path / "Offerte 2027.pdf"
    content = b"%PDF-1.4\n" + bytes(range(256)) * 100
    source.write_bytes(content)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), "All files (*)")
    )

    def fill(dialog: FileForm) -> None:
        assert dialog.subject_edit.text() == "Offerte 2027.pdf"
        assert "Offerte 2027.pdf" in dialog.file_label.text()
        type_into(qtbot, dialog.body_edit, "Getekende versie")
        save(qtbot, dialog)

    run_form(fill)
    new_from_menu(form, HistoryKind.FILE)
    (item,) = items_of(history, opportunity)
    assert (item.kind, item.file_name, item.file_size) == (
        HistoryKind.FILE,
        "Offerte 2027.pdf",
        len(content),
    )
    assert history.file_content(item.id or 0) == content


def test_cancelled_file_choice_creates_nothing(
    form, run_form, history, opportunity, monkeypatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    shown = run_form(lambda dialog: pytest.fail("no form without a file"))
    new_from_menu(form, HistoryKind.FILE)
    assert shown == []
    assert items_of(history, opportunity) == []


def test_too_large_file_is_refused_before_reading(
    form, run_form, history, opportunity, tmp_path, monkeypatch, messages
) -> None:
    big = tmp_path / "film.mp4"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_SIZE + 1)  # sparse: no 50 MB written
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(big), ""))
    shown = run_form(lambda dialog: pytest.fail("no form for a refused file"))
    new_from_menu(form, HistoryKind.FILE)
    assert shown == []
    assert "too large" in messages[-1] and "50.0 MB" in messages[-1]
    assert items_of(history, opportunity) == []


# -- opening, the file buttons, deleting, filtering, sorting ------------------------------


def add(history: HistoryService, opportunity: Opportunity, kind: HistoryKind, subject: str,
        days: int, **fields: Any) -> HistoryItem:  # fmt: skip
    when = datetime(2026, 11, 1, 9, 0, tzinfo=UTC) + timedelta(days=days)
    content = fields.pop("content", None)
    return history.create(
        HistoryItem(kind, subject, occurred_at=when, opportunity_id=opportunity.id, **fields),
        content,
    )


def row_of(form: OpportunityForm, subject: str) -> int:
    model = form.history_page.model
    for row in range(model.rowCount()):
        if model.index(row, HistoryModel.SUBJECT).data() == subject:
            return row
    raise AssertionError(f"{subject!r} is not listed")


def double_click(qtbot: Any, form: OpportunityForm, subject: str) -> None:
    view = form.history_page.view
    rect = view.visualRect(form.history_page.model.index(row_of(form, subject), 2))
    qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), LEFT, pos=rect.center())


def test_double_click_opens_the_item_for_editing(
    qtbot, services, history, opportunity, run_form
) -> None:
    add(history, opportunity, HistoryKind.PHONE_LOG, "Eerste belletje", 0,
        duration_seconds=60, direction=CallDirection.OUTGOING)  # fmt: skip
    form = OpportunityForm(services, opportunity)
    qtbot.addWidget(form)
    form.show()
    form.show_history()

    def fill(dialog: PhoneLogForm) -> None:
        assert isinstance(dialog, PhoneLogForm)
        assert dialog.minutes_spin.value() == 1
        type_into(qtbot, dialog.subject_edit, "Eerste belletje (terug)")
        dialog.direction_combo.setCurrentIndex(dialog.direction_combo.findText("Incoming"))
        save(qtbot, dialog)

    run_form(fill)
    double_click(qtbot, form, "Eerste belletje")
    (item,) = items_of(history, opportunity)
    assert (item.subject, item.direction) == ("Eerste belletje (terug)", CallDirection.INCOMING)
    assert item.version == 2
    assert form.history_page.model.index(0, 2).data() == "Eerste belletje (terug)"


def test_opening_an_item_and_cancelling_tells_nobody(
    qtbot, services, history, opportunity, run_form
) -> None:
    """A cancelled open changed nothing: no lists, forms or reminders need to read again."""
    add(history, opportunity, HistoryKind.NOTE, "Visit", 0)
    form = OpportunityForm(services, opportunity)
    qtbot.addWidget(form)
    form.show()
    form.show_history()
    told: list[bool] = []
    form.history_page.changed.connect(lambda: told.append(True))
    run_form(lambda dialog: dialog.reject())
    double_click(qtbot, form, "Visit")
    assert told == []

    def edit(dialog: Any) -> None:
        type_into(qtbot, dialog.subject_edit, "Visit (2)")
        save(qtbot, dialog)

    run_form(edit)
    double_click(qtbot, form, "Visit")
    assert told == [True]


def test_file_open_writes_a_temporary_copy_and_save_as_writes_elsewhere(
    qtbot, services, history, opportunity, run_form, opened, tmp_path, monkeypatch
) -> None:
    content = "Prijslijst € 2027\n".encode() * 1000
    add(history, opportunity, HistoryKind.FILE, "Prijslijst", 0,
        file_name="prijslijst 2027.txt", content=content)  # fmt: skip
    target = tmp_path / "out" / "kopie.txt"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    form = OpportunityForm(services, opportunity)
    qtbot.addWidget(form)
    form.show()
    form.show_history()

    def fill(dialog: FileForm) -> None:
        qtbot.mouseClick(dialog.open_button, LEFT)
        qtbot.mouseClick(dialog.save_as_button, LEFT)
        dialog.reject()

    run_form(fill)
    double_click(qtbot, form, "Prijslijst")
    (url,) = opened
    copy = Path(url.toLocalFile())
    assert copy.name == "prijslijst 2027.txt"
    assert copy.read_bytes() == content
    assert target.read_bytes() == content


def test_appointment_export_writes_an_ics_file(
    qtbot, history, opportunity, tmp_path, monkeypatch
) -> None:
    item = add(history, opportunity, HistoryKind.APPOINTMENT, "Demo, kassa", 0,
               end_at=datetime(2026, 11, 1, 10, 30, tzinfo=UTC), location="Utrecht",
               attendees="Anna <anna@example.nl>")  # fmt: skip
    target = tmp_path / "demo"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog = AppointmentForm(history, item)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.export_button, LEFT)
    (event,) = parse_events((tmp_path / "demo.ics").read_text("utf-8"))
    assert (event.summary, event.location) == ("Demo, kassa", "Utrecht")
    assert event.start == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    assert event.end == datetime(2026, 11, 1, 10, 30, tzinfo=UTC)
    assert event.attendees == ("Anna <anna@example.nl>",)


def test_phone_timer_counts_with_the_injected_clock(qtbot, history, opportunity) -> None:
    now = [1000.0]
    dialog = PhoneLogForm(
        history, HistoryItem(HistoryKind.PHONE_LOG, "Call", opportunity_id=opportunity.id),
        clock=lambda: now[0],
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.timer_button, LEFT)
    assert dialog.timer_running() and dialog.timer_button.text() == "Pause &Timer"
    now[0] += 65
    dialog.ticker.timeout.emit()
    assert (dialog.minutes_spin.value(), dialog.seconds_spin.value()) == (1, 5)
    now[0] += 60
    qtbot.mouseClick(dialog.timer_button, LEFT)  # pause at 2:05
    now[0] += 600  # paused time does not count
    assert (dialog.minutes_spin.value(), dialog.seconds_spin.value()) == (2, 5)
    qtbot.mouseClick(dialog.timer_button, LEFT)  # resume
    now[0] += 10
    save(qtbot, dialog)
    (item,) = items_of(history, opportunity)
    assert item.duration_seconds == 135
    assert not dialog.ticker.isActive()


def test_delete_asks_and_removes_the_item(
    qtbot, services, history, opportunity, monkeypatch
) -> None:
    keep = add(history, opportunity, HistoryKind.NOTE, "Blijft", 0)
    add(history, opportunity, HistoryKind.NOTE, "Weg", 1)
    form = OpportunityForm(services, opportunity)
    qtbot.addWidget(form)
    form.show()
    form.show_history()
    page = form.history_page
    asked: list[str] = []

    def answer_no(_parent, _title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.No

    page.view.selectRow(row_of(form, "Weg"))
    monkeypatch.setattr(QMessageBox, "question", answer_no)
    qtbot.mouseClick(page.delete_button, LEFT)
    assert len(items_of(history, opportunity)) == 2
    assert "Weg" in asked[0]

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)  # the Del key does what the button does
    assert [item.id for item in items_of(history, opportunity)] == [keep.id]
    assert page.model.rowCount() == 1
    assert not page.delete_button.isEnabled()  # nothing selected any more


def test_kind_filter_and_date_sort(qtbot, services, history, opportunity, qtmodeltester) -> None:
    add(history, opportunity, HistoryKind.NOTE, "Oud", 0)
    add(history, opportunity, HistoryKind.TASK, "Taak", 1)
    add(history, opportunity, HistoryKind.NOTE, "Nieuw", 2)
    form = OpportunityForm(services, opportunity)
    qtbot.addWidget(form)
    form.show()
    form.show_history()
    page = form.history_page
    qtmodeltester.check(page.model)

    def subjects() -> list[str]:
        return [page.model.index(r, 2).data() for r in range(page.model.rowCount())]

    assert subjects() == ["Nieuw", "Taak", "Oud"]  # newest first
    header = page.view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), LEFT, pos=header.rect().topLeft() + _offset(header, 0))
    assert subjects() == ["Oud", "Taak", "Nieuw"]

    page.filter_combo.setCurrentIndex(page.filter_combo.findText("Business note"))
    assert subjects() == ["Oud", "Nieuw"]  # the date order stays
    page.filter_combo.setCurrentIndex(page.filter_combo.findText("Task"))
    assert subjects() == ["Taak"]
    page.filter_combo.setCurrentIndex(page.filter_combo.findText("Phone log"))
    assert subjects() == []
    assert "No items of this kind" in page.empty_label.text()
    qtmodeltester.check(page.model)


def _offset(header: Any, section: int) -> QPoint:
    return QPoint(header.sectionViewportPosition(section) + 20, header.height() // 2)


def test_unsaved_opportunity_has_no_new(qtbot, services) -> None:
    form = OpportunityForm(services, services.opportunities.new())
    qtbot.addWidget(form)
    assert not form.history_page.new_button.isEnabled()
    assert "Save the opportunity" in form.history_page.empty_label.text()


# -- File → Import ------------------------------------------------------------------------

EML = (
    b"From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.de>\r\n"
    b"To: verkoop@bakkerij.example\r\n"
    b"Subject: =?utf-8?q?Bestelling_kassa=E2=80=99s?=\r\n"
    b"Date: Tue, 03 Nov 2026 10:15:00 +0100\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    b"Graag twee kassa=E2=80=99s, =E2=82=AC 2.500.\r\n"
)


@pytest.fixture
def window(qtbot: Any, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BCM_DESKTOP_DATA_DIR", str(tmp_path / "data"))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    made = build_main_window(database, OWNER_LOGIN, settings=settings)
    qtbot.addWidget(made, before_close_func=lambda w: w.wait_for_workers())
    return made


def test_import_eml_links_it_to_an_opportunity_through_link_to_record(
    qtbot, window, opportunity, history, tmp_path, monkeypatch
) -> None:
    source = tmp_path / "bestelling.eml"
    source.write_bytes(EML)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    seen: dict[str, Any] = {}

    def drive(dialog: LinkDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        seen["title"] = dialog.windowTitle()
        seen["item_type"] = dialog.item_type.currentText()
        qtbot.keyClicks(dialog.search_edit, "bakk")
        qtbot.waitUntil(lambda: not dialog.search_pending())
        view = dialog.results
        rect = view.visualRect(dialog.model.index(0, 0))
        seen["row"] = dialog.model.index(0, 0).data()
        qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())
        qtbot.mouseClick(dialog.ok_button, LEFT)
        return dialog.result()

    monkeypatch.setattr(LinkDialog, "exec", drive)
    assert window.import_email_action in window.import_menu.actions()
    window.import_email_action.trigger()

    assert seen == {
        "title": "Link to Record",
        "item_type": "Opportunities",
        "row": "Kassa's voor de bakkerij",
    }
    (item,) = items_of(history, opportunity)
    assert item.kind is HistoryKind.EMAIL
    assert item.subject == "Bestelling kassa’s"
    assert item.email_from == "Jürgen Müller <juergen@example.de>"
    assert item.body == "Graag twee kassa’s, € 2.500."
    assert item.occurred_at == datetime(2026, 11, 3, 9, 15, tzinfo=UTC)
    assert "Imported 1 item" in window.statusBar().currentMessage()


def test_import_ics_links_its_appointment(
    qtbot, window, opportunity, history, tmp_path, monkeypatch
) -> None:
    source = tmp_path / "demo.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Demo caf\u00e9\r\nLOCATION:Utrecht\r\n"
        "DTSTART:20261110T090000Z\r\nDTEND:20261110T100000Z\r\n"
        "ATTENDEE;CN=Anna:mailto:anna@example.nl\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        "utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))

    def drive(dialog: LinkDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.refresh()
        dialog.accept()  # the first match is highlighted: the only opportunity
        return dialog.result()

    monkeypatch.setattr(LinkDialog, "exec", drive)
    window.import_appointment_action.trigger()
    (item,) = items_of(history, opportunity)
    assert (item.kind, item.subject, item.location) == (
        HistoryKind.APPOINTMENT,
        "Demo café",
        "Utrecht",
    )
    assert item.end_at == datetime(2026, 11, 10, 10, 0, tzinfo=UTC)
    assert item.attendees == "Anna <anna@example.nl>"


def test_unreadable_import_says_so_and_asks_nothing(
    window, tmp_path, monkeypatch, messages, history, opportunity
) -> None:
    source = tmp_path / "kapot.eml"
    source.write_bytes(b"\x00\x01 not an e-mail")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    monkeypatch.setattr(LinkDialog, "exec", lambda self: pytest.fail("nothing to link"))
    window.import_email_action.trigger()
    assert "“kapot.eml” cannot be imported" in messages[-1]
    assert items_of(history, opportunity) == []


def test_an_import_shows_in_the_reading_pane_of_the_current_opportunity(
    qtbot, opportunity, window, history, tmp_path, monkeypatch
) -> None:
    # The reading pane kept saying "No history items." after an import linked one to the
    # opportunity it shows.
    sales = window.sales
    sales.view.setCurrentIndex(sales.model.index(0, 0))
    assert "No history items." in sales.reading_pane.toPlainText()
    source = tmp_path / "demo.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Demo in Utrecht\r\n"
        "DTSTART:20261110T090000Z\r\nDTEND:20261110T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        "utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))

    def drive(dialog: LinkDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.refresh()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(LinkDialog, "exec", drive)
    window.import_appointment_action.trigger()
    assert len(items_of(history, opportunity)) == 1
    assert "Demo in Utrecht" in sales.reading_pane.toPlainText()


def test_a_note_added_in_a_form_shows_in_the_reading_pane(
    qtbot, opportunity, window, run_form, history
) -> None:
    # The Sales reading pane kept "No history items." for the opportunity it shows after a
    # note was added on that opportunity's History page.
    sales = window.sales
    sales.view.setCurrentIndex(sales.model.index(0, 0))
    assert "No history items." in sales.reading_pane.toPlainText()
    assert window.form_manager is not None
    form = window.form_manager.open_opportunity(opportunity.id or 0)
    assert form is not None
    qtbot.addWidget(form)

    def fill(dialog: HistoryItemForm) -> None:
        type_into(qtbot, dialog.subject_edit, "Called about the tills")
        save(qtbot, dialog)

    run_form(fill)
    new_from_menu(form, HistoryKind.NOTE)
    assert len(items_of(history, opportunity)) == 1
    assert "Called about the tills" in sales.reading_pane.toPlainText()
