"""A printable one-page summary of an opportunity, as a ``QTextDocument``, and PDF output."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from ...domain.entities import Opportunity, expected_revenue, products_total
from .. import formatting


def _tr(text: str) -> str:
    return QCoreApplication.translate("OpportunitySummary", text)


@dataclass(frozen=True)
class SummaryNames:
    """The display names the record itself holds only as ids."""

    linked: str = ""
    assigned_to: str = ""
    stage: str = ""
    type: str = ""
    payment_terms: str = ""
    source: str = ""
    initiated_by: str = ""


_STYLE = """
body { font-family: sans-serif; font-size: 10pt; }
h1 { font-size: 16pt; margin-bottom: 2px; }
h2 { font-size: 11pt; margin-top: 14px; margin-bottom: 4px; }
td, th { padding: 3px 6px; }
th { background: #e8e8e8; text-align: left; }
td.num, th.num { text-align: right; }
.sub { color: #555; }
"""


def _row(label: str, value: str) -> str:
    return f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"


def summary_html(opp: Opportunity, names: SummaryNames, locale: QLocale | None = None) -> str:
    """The summary as HTML; every value is escaped."""
    loc = locale or QLocale()
    total = products_total(opp.lines)
    facts = [
        (_tr("Linked to"), names.linked),
        (_tr("Assigned to"), names.assigned_to),
        (_tr("Type"), names.type),
        (_tr("Sales stage"), names.stage),
        (_tr("Probability"), formatting.percent(opp.probability, loc)),
        (_tr("Close date"), formatting.short_date(opp.close_date, loc)),
        (_tr("Expiration date"), formatting.short_date(opp.expiration_date, loc)),
        (_tr("Delivery date"), formatting.short_date(opp.delivery_date, loc)),
    ]
    if opp.actual_close_date is not None:
        facts.append((_tr("Actual close date"), formatting.short_date(opp.actual_close_date, loc)))
    facts += [
        (_tr("Payment terms"), names.payment_terms),
        (_tr("Source"), names.source),
        (_tr("Initiated by"), names.initiated_by),
    ]
    parts = [
        f"<html><head><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(opp.title or _tr('Untitled'))}</h1>",
        f"<p class='sub'>{escape(_tr('Opportunity'))}</p>",
        "<table cellspacing='0' border='0'>",
        *(_row(label, value) for label, value in facts if value),
        "</table>",
        f"<h2>{escape(_tr('Products and services'))}</h2>",
    ]
    if opp.lines:
        header = (
            f"<tr><th>{escape(_tr('Item'))}</th>"
            f"<th class='num'>{escape(_tr('Quantity'))}</th>"
            f"<th class='num'>{escape(_tr('Unit price'))}</th>"
            f"<th class='num'>{escape(_tr('Discount'))}</th>"
            f"<th class='num'>{escape(_tr('Line total'))}</th></tr>"
        )
        rows = [
            f"<tr><td>{escape(line.item_name)}</td>"
            f"<td class='num'>{escape(formatting.quantity(line.quantity, loc))}</td>"
            f"<td class='num'>{escape(formatting.money(line.unit_price, loc))}</td>"
            f"<td class='num'>{escape(formatting.money(line.discount, loc))}</td>"
            f"<td class='num'>{escape(formatting.money(line.line_total, loc))}</td></tr>"
            for line in opp.lines
        ]
        parts += [
            "<table width='100%' cellspacing='0' border='1' style='border-collapse:collapse'>",
            header,
            *rows,
            "</table>",
        ]
    else:
        parts.append(f"<p>{escape(_tr('No products or services.'))}</p>")
    parts += [
        "<table cellspacing='0'>",
        _row(_tr("Total"), formatting.money(total, loc)),
        _row(
            _tr("Expected revenue"), formatting.money(expected_revenue(opp.probability, total), loc)
        ),
        "</table>",
    ]
    if opp.competitors:
        parts += [f"<h2>{escape(_tr('Competitors'))}</h2>", f"<p>{escape(opp.competitors)}</p>"]
    if opp.comments:
        comments = escape(opp.comments).replace("\n", "<br/>")
        parts += [f"<h2>{escape(_tr('Comments'))}</h2>", f"<p>{comments}</p>"]
    parts.append("</body></html>")
    return "\n".join(parts)


def summary_document(
    opp: Opportunity, names: SummaryNames, locale: QLocale | None = None
) -> QTextDocument:
    """The summary laid out for an A4 page."""
    document = QTextDocument()
    document.setHtml(summary_html(opp, names, locale))
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, opp.title)
    return document


def print_to_pdf(document: QTextDocument, path: Path | str) -> None:
    """Write ``document`` as a PDF file (A4, 15 mm margins) at ``path``."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    printer.setDocName(document.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
    document.setPageSize(QSizeF())  # let print() lay it out for the printer's page
    document.print_(printer)
