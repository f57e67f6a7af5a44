"""Asks for the actual close date when opportunities are marked Closed Won or Closed Lost."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import StageKind
from ...domain.validation import EARLIEST_DATE, LATEST_DATE


def _tr(text: str) -> str:
    return QCoreApplication.translate("CloseDialog", text)


class CloseDialog(QDialog):
    def __init__(
        self, kind: StageKind, count: int, closed: int, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("closeDialog")
        won = kind is StageKind.WON
        self.setWindowTitle(_tr("Mark as Closed Won") if won else _tr("Mark as Closed Lost"))
        open_count = count - closed
        if open_count == 1:
            text = (
                _tr("Mark the opportunity as Closed Won? Its probability becomes 100 %.")
                if won
                else _tr("Mark the opportunity as Closed Lost? Its probability becomes 0 %.")
            )
        else:
            text = (
                _tr("Mark {count} opportunities as Closed Won? Their probability becomes 100 %.")
                if won
                else _tr(
                    "Mark {count} opportunities as Closed Lost? Their probability becomes 0 %."
                )
            ).format(count=f"{open_count:,}")
        if closed:
            text += " " + _tr("{closed} already closed will stay as they are.").format(
                closed=f"{closed:,}"
            )
        self.message = QLabel(text, self)
        self.message.setWordWrap(True)
        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.date_edit.setObjectName("actualCloseDate")
        self.date_edit.setCalendarPopup(True)
        # The dates a record may hold (a form refuses others); Qt's own range starts in 1752.
        self.date_edit.setDateRange(
            QDate(EARLIEST_DATE.year, EARLIEST_DATE.month, EARLIEST_DATE.day),
            QDate(LATEST_DATE.year, LATEST_DATE.month, LATEST_DATE.day),
        )
        self.date_edit.setAccessibleName(_tr("Actual close date"))
        form = QFormLayout()
        form.addRow(_tr("&Actual close date:"), self.date_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def actual_close_date(self) -> date:
        value = self.date_edit.date()
        return date(value.year(), value.month(), value.day())

    @classmethod
    def ask(
        cls, parent: QWidget | None, kind: StageKind, count: int, closed: int, today: date
    ) -> date | None:
        """Run the dialog; the chosen actual close date, or ``None`` when cancelled."""
        dialog = cls(kind, count, closed, today, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.actual_close_date()
            return None
        finally:
            dialog.deleteLater()
