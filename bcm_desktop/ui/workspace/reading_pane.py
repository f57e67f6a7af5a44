"""The reading pane: the selected opportunity's main fields, products and latest history."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QTextBrowser, QWidget

from ...domain.enums import StageKind
from ...domain.listing import OpportunityDetails
from .. import formatting

HISTORY_KINDS = {
    "note": "Business note",
    "phone_log": "Phone log",
    "task": "Task",
    "email": "E-mail",
    "appointment": "Appointment",
    "file": "File",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReadingPane", text)


class ReadingPane(QTextBrowser):
    """Shows one record read-only; an empty pane says what to do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readingPane")
        self.setAccessibleName(_tr("Reading pane"))
        self.setOpenLinks(False)
        self.setMinimumWidth(220)
        self.show_details(None)

    def show_details(self, details: OpportunityDetails | None) -> None:
        if details is None:
            self.setHtml(
                "<p style='color:#777; margin:12px'>"
                + escape(_tr("Select an opportunity to read it here."))
                + "</p>"
            )
            return
        self.setHtml(render(details, QLocale()))


def render(details: OpportunityDetails, locale: QLocale) -> str:
    row = details.row
    money = lambda amount: formatting.money(amount, locale)  # noqa: E731
    day = lambda value: formatting.short_date(value, locale)  # noqa: E731
    status = {
        StageKind.WON: _tr("Closed Won"),
        StageKind.LOST: _tr("Closed Lost"),
    }.get(row.status)
    fields = [
        (_tr("Account or contact"), row.link_name),
        (_tr("Assigned to"), row.assigned_to),
        (_tr("Sales stage"), row.stage),
        (_tr("Probability"), formatting.percent(row.probability, locale)),
        (_tr("Total"), money(row.products_total)),
        (_tr("Expected revenue"), money(row.expected_revenue)),
        (_tr("Close date"), day(row.close_date)),
        (_tr("Actual close date"), day(details.actual_close_date)),
        (_tr("Type"), row.type),
        (_tr("Payment terms"), details.payment_terms),
        (_tr("Source"), row.source),
        (_tr("Initiated by"), details.initiated_by),
        (_tr("Competitors"), details.competitors),
        (_tr("Expiration date"), day(details.expiration_date)),
        (_tr("Delivery date"), day(details.delivery_date)),
        (_tr("Categories"), ", ".join(details.categories)),
    ]
    parts = [f"<h2 style='margin:4px 0'>{escape(row.title)}</h2>"]
    if status:
        color = "#1b7f3b" if row.status is StageKind.WON else "#a12a2a"
        parts.append(f"<p style='color:{color}; font-weight:bold; margin:2px 0'>{status}</p>")
    parts.append("<table cellspacing='0' cellpadding='2'>")
    for label, value in fields:
        if value:
            parts.append(
                f"<tr><td style='color:#555; padding-right:10px'>{escape(label)}</td>"
                f"<td>{escape(value)}</td></tr>"
            )
    parts.append("</table>")
    parts.append(f"<h3 style='margin:10px 0 4px 0'>{escape(_tr('Products and services'))}</h3>")
    if details.lines:
        parts.append("<table cellspacing='0' cellpadding='2' width='100%'>")
        for name, quantity, price, total in details.lines:
            parts.append(
                f"<tr><td>{escape(name)}</td>"
                f"<td align='right'>{escape(formatting.quantity(quantity, locale))}"
                f" × {escape(money(price))}</td>"
                f"<td align='right'>{escape(money(total))}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append(f"<p style='color:#777'>{escape(_tr('None yet.'))}</p>")
    parts.append(f"<h3 style='margin:10px 0 4px 0'>{escape(_tr('Latest history'))}</h3>")
    if details.latest_history:
        parts.append("<table cellspacing='0' cellpadding='2'>")
        for item in details.latest_history:
            kind = _tr(HISTORY_KINDS.get(item.kind, item.kind))
            parts.append(
                f"<tr><td style='color:#555; padding-right:10px'>"
                f"{escape(formatting.short_datetime(item.occurred_at, locale))}</td>"
                f"<td>{escape(kind)}</td><td>{escape(item.subject)}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append(f"<p style='color:#777'>{escape(_tr('No history items.'))}</p>")
    if details.comments.strip():
        parts.append(f"<h3 style='margin:10px 0 4px 0'>{escape(_tr('Comments'))}</h3>")
        preview = details.comments[:2000]
        parts.append(f"<p>{escape(preview).replace(chr(10), '<br>')}</p>")
    return "".join(parts)
