"""The form's ribbon actions: Print / Save as PDF, E-mail, Meeting Request and Categorize."""

from __future__ import annotations

import io
import re
import sqlite3
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QDateTime, QTime, QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QColorDialog, QFileDialog, QMessageBox

from bcm_desktop.domain.entities import (
    InitiatorRef,
    Opportunity,
    OpportunityLine,
    RecordRef,
    User,
)
from bcm_desktop.domain.enums import InitiatorKind, LinkKind, ListKind, StageKind
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.link_queries import LinkQueries
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.catalog import CatalogService
from bcm_desktop.services.categories import CategoryService
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.links import LinkService
from bcm_desktop.services.lookups import Lookups
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.ui.dialogs.categories_dialog import CategoriesDialog
from bcm_desktop.ui.dialogs.meeting_dialog import Meeting, MeetingDialog, next_full_hour
from bcm_desktop.ui.forms import opportunity_form
from bcm_desktop.ui.forms.opportunity_form import FormServices, OpportunityForm

TODAY = date(2026, 11, 28)
TITLE = "Kassa's & pinautomaten 2027"


@pytest.fixture
def services(
    database: Database, uow_factory: Callable[[], UnitOfWork], owner: User
) -> FormServices:
    return FormServices(
        opportunities=OpportunityService(uow_factory, owner.id, today=lambda: TODAY),
        lookups=Lookups(uow_factory),
        catalog=CatalogService(uow_factory),
        links=LinkService(LinkQueries(database), uow_factory),
        history=HistoryService(uow_factory),
        today=lambda: TODAY,
        categories=CategoryService(uow_factory),
    )


@pytest.fixture(autouse=True)
def never_block(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No modal box may open: questions answer Yes, messages are collected."""
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
def linked_account(uow_factory: Callable[[], UnitOfWork]) -> RecordRef:
    with uow_factory() as uow:
        account_id = uow.records.add_account(
            "Bakkerij de Vries, Utrecht", email="info@devries.example", city="Utrecht"
        )
        uow.commit()
    return RecordRef(LinkKind.ACCOUNT, account_id)


def saved(services: FormServices, link: RecordRef | None) -> Opportunity:
    draft = Opportunity(
        title=TITLE,
        link=link,
        probability=40,
        close_date=date(2027, 3, 31),
        competitors="Acme Kassa",
        comments="Called about the order.\nSecond line.",
        lines=[
            OpportunityLine("Till", Decimal("1250.00"), Decimal(2)),
            OpportunityLine("Training", Decimal("99.99"), Decimal(3)),
        ],
    )
    return services.opportunities.create(draft)


def open_form(qtbot, services: FormServices, opp: Opportunity | None = None) -> OpportunityForm:
    form = OpportunityForm(services, opp or services.opportunities.new())
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def pdf_text(data: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated in place (no PDF library needed)."""
    out = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


# -- Print and Save as PDF ---------------------------------------------------------------


def test_save_as_pdf_writes_a_pdf_with_the_summary(
    qtbot, services: FormServices, linked_account: RecordRef, tmp_path: Path, monkeypatch
) -> None:
    form = open_form(qtbot, services, saved(services, linked_account))
    asked: list[str] = []

    def fake_save(_parent, _title, default, _filter):
        asked.append(default)
        return str(tmp_path / "summary"), "PDF files (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    form.pdf_action.trigger()

    assert asked == ["Kassa's & pinautomaten 2027.pdf"]
    path = tmp_path / "summary.pdf"
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 5000
    assert re.search(rb"/Type\s*/Page[^s]", data)  # at least one page
    # Qt writes text as glyph ids with a ToUnicode map; pypdf reads the text back through it.
    inflated = pdf_text(data)
    assert b"/ToUnicode" in inflated
    pdf = PdfReader(io.BytesIO(data))
    extracted = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert TITLE in extracted
    assert "Till" in extracted and "Acme Kassa" in extracted
    text = form.summary().toPlainText()
    for expected in (TITLE, "Bakkerij de Vries, Utrecht", "Till", "Training", "Acme Kassa"):
        assert expected in text
    assert "2,799.97" in text or "2.799,97" in text or "2799.97" in text


def test_summary_names_type_payment_terms_source_and_initiated_by(
    qtbot, services: FormServices, linked_account: RecordRef, uow_factory
) -> None:
    """The printout carries every field of the General page a customer file needs."""
    with uow_factory() as uow:
        kinds = {kind: uow.lists.items(kind)[0] for kind in ListKind}
        fair = uow.records.add_marketing_activity("Spring fair")
        uow.commit()
    opp = saved(services, linked_account)
    opp.type_id = kinds[ListKind.TYPE].id
    opp.payment_terms_id = kinds[ListKind.PAYMENT_TERMS].id
    opp.source_id = kinds[ListKind.SOURCE].id
    opp.initiated_by = InitiatorRef(InitiatorKind.MARKETING, fair)
    opp = services.opportunities.update(opp)
    form = open_form(qtbot, services, opp)
    text = form.summary().toPlainText()
    for label, value in (
        ("Type", kinds[ListKind.TYPE].name),
        ("Payment terms", kinds[ListKind.PAYMENT_TERMS].name),
        ("Source", kinds[ListKind.SOURCE].name),
        ("Initiated by", "Spring fair"),
    ):
        assert f"{label}\n{value}" in text, (label, value, text)


def test_print_opens_a_preview_of_the_summary(
    qtbot, services: FormServices, linked_account: RecordRef, monkeypatch
) -> None:
    form = open_form(qtbot, services, saved(services, linked_account))
    shown: list[QPrintPreviewDialog] = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    form.print_action.trigger()
    assert len(shown) == 1
    assert form.print_action.shortcut().toString() == "Ctrl+P"


# -- E-mail ------------------------------------------------------------------------------


def test_email_opens_mailto_with_the_title_as_subject(
    qtbot, services: FormServices, linked_account: RecordRef, opened: list[QUrl]
) -> None:
    form = open_form(qtbot, services, saved(services, linked_account))
    assert form.email_action.isEnabled()
    form.email_action.trigger()
    assert len(opened) == 1
    url = opened[0]
    assert url.scheme() == "mailto"
    assert url.path() == "info@devries.example"
    encoded = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    assert encoded == "mailto:info@devries.example?subject=Kassa%27s%20%26%20pinautomaten%202027"
    assert url.query(QUrl.ComponentFormattingOption.FullyDecoded) == f"subject={TITLE}"


def test_email_is_disabled_without_an_address_or_a_saved_link(
    qtbot, services: FormServices, account: RecordRef
) -> None:
    unsaved = open_form(qtbot, services)
    assert not unsaved.email_action.isEnabled()
    assert not unsaved.meeting_action.isEnabled()
    no_address = open_form(qtbot, services, saved(services, account))
    assert not no_address.email_action.isEnabled()
    assert no_address.email_action.toolTip() == (
        "The linked account or contact has no e-mail address"
    )
    assert no_address.meeting_action.isEnabled()  # the request can go to anyone


# -- Meeting Request ---------------------------------------------------------------------


def test_meeting_request_writes_and_opens_an_ics_file(
    qtbot,
    services: FormServices,
    linked_account: RecordRef,
    opened: list[QUrl],
    tmp_path: Path,
    monkeypatch,
) -> None:
    form = open_form(qtbot, services, saved(services, linked_account))
    start = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    asked: list[str] = []

    def fake_ask(_parent, subject, now=None):
        asked.append(subject)
        return Meeting(subject, start, timedelta(minutes=45), "Oudegracht 1, Utrecht")

    monkeypatch.setattr(MeetingDialog, "ask", fake_ask)
    monkeypatch.setattr(opportunity_form, "meeting_folder", lambda: tmp_path)
    form.meeting_action.trigger()

    assert asked == [TITLE]
    files = list(tmp_path.glob("*.ics"))
    assert len(files) == 1
    assert opened == [QUrl.fromLocalFile(str(files[0]))]
    text = files[0].read_bytes().decode("utf-8")
    unfolded = text.replace("\r\n ", "")
    assert "METHOD:REQUEST\r\n" in unfolded
    assert "DTSTART:20261201T130000Z\r\n" in unfolded
    assert "DTEND:20261201T134500Z\r\n" in unfolded
    assert "LOCATION:Oudegracht 1\\, Utrecht\r\n" in unfolded
    assert 'CN="Bakkerij de Vries, Utrecht":mailto:info@devries.example' in unfolded


def test_meeting_dialog_defaults_to_the_next_full_hour(qtbot) -> None:
    now = QDateTime(QDate(2026, 11, 28), QTime(9, 20))
    assert next_full_hour(now).time() == QTime(10, 0)
    assert next_full_hour(QDateTime(QDate(2026, 11, 28), QTime(10, 0))).time() == QTime(10, 0)
    dialog = MeetingDialog("Nieuwe kassa", now)
    qtbot.addWidget(dialog)
    assert dialog.subject_edit.text() == "Nieuwe kassa"
    dialog.location_edit.setText("  Zwolle ")
    meeting = dialog.meeting()
    assert meeting.location == "Zwolle"
    assert meeting.duration == timedelta(minutes=60)
    expected = QDateTime(QDate(2026, 11, 28), QTime(10, 0)).toSecsSinceEpoch()
    assert meeting.start.timestamp() == expected
    assert meeting.end - meeting.start == timedelta(hours=1)


# -- Categorize --------------------------------------------------------------------------


def test_toggling_a_category_saves_it(
    qtbot, services: FormServices, linked_account: RecordRef, db_path: Path
) -> None:
    assert services.categories is not None
    hot = services.categories.add("Hot lead", "#d03030")
    services.categories.add("Referral")
    opp = saved(services, linked_account)
    form = open_form(qtbot, services, opp)
    assert form.categorize_action.isEnabled()
    form.fill_categories_menu()
    action = form.categorize_menu.findChild(type(form.print_action), f"category_{hot.id}")
    assert action is not None and not action.isChecked()
    assert not action.icon().isNull()  # the colour swatch
    action.setChecked(True)
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT category_id FROM opportunity_categories WHERE opportunity_id = ?", (opp.id,)
        ).fetchall()
    assert rows == [(hot.id,)]
    form.fill_categories_menu()  # reflects what is stored
    checked = [a.text() for a in form.categorize_menu.actions() if a.isChecked()]
    assert checked == ["Hot lead"]


def test_categorize_is_disabled_for_unsaved_and_closed_records(
    qtbot, services: FormServices, linked_account: RecordRef
) -> None:
    assert not open_form(qtbot, services).categorize_action.isEnabled()
    opp = saved(services, linked_account)
    closed = services.opportunities.close(opp.id or 0, StageKind.WON, opp.version, TODAY)
    form = open_form(qtbot, services, closed)
    assert not form.categorize_action.isEnabled()
    assert form.print_action.isEnabled()  # a closed record can still be printed


def test_manage_categories_add_rename_recolour_delete(
    qtbot, services: FormServices, monkeypatch, never_block: list[str]
) -> None:
    assert services.categories is not None
    dialog = CategoriesDialog(services.categories)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Hot lead")
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#FF8800"))
    dialog.color_button.click()
    dialog.add_button.click()
    assert [(c.name, c.color) for c in services.categories.all()] == [("Hot lead", "#ff8800")]

    dialog.add_button.click()  # the same name again is refused
    assert never_block and "already exists" in never_block[-1]

    dialog.name_edit.setText("Warm lead")
    dialog.no_color_button.click()
    dialog.rename_button.click()
    assert [(c.name, c.color) for c in services.categories.all()] == [("Warm lead", "")]

    dialog.delete_button.click()
    assert services.categories.all() == []
    assert dialog.changed
