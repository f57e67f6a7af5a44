"""Rules of communication history items (S-8): what each of the six kinds needs to be saved."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from .entities import HistoryItem
from .enums import CallDirection, HistoryKind, Priority, TaskStatus
from .errors import ValidationError
from .validation import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_LONG_TEXT,
    MAX_NAME,
    check_date,
    check_percent,
    clean_text,
)

MAX_FILE_SIZE = 50 * 1024 * 1024  # 50 MB: the database keeps the content of every file
MAX_DURATION_SECONDS = 24 * 3600 - 1  # a phone call of a day is a typing error
MAX_ADDRESSES = 4000  # the width of the To and attendees columns
MAX_FROM = 1000

KIND_NAMES = {
    HistoryKind.NOTE: "Business note",
    HistoryKind.PHONE_LOG: "Phone log",
    HistoryKind.TASK: "Task",
    HistoryKind.EMAIL: "E-mail",
    HistoryKind.APPOINTMENT: "Appointment",
    HistoryKind.FILE: "File",
}


def size_text(size: int) -> str:
    """A byte count as people read it: ``512 bytes``, ``12.3 KB``, ``50.0 MB``."""
    if size < 1024:
        return f"{size:,} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def check_file_size(size: int) -> None:
    """Refuse a file larger than :data:`MAX_FILE_SIZE`, naming both sizes."""
    if size > MAX_FILE_SIZE:
        raise ValidationError(
            f"The file is too large to store: {size_text(size)}, "
            f"at most {size_text(MAX_FILE_SIZE)} is allowed.",
            "file",
        )


def _check_moment(value: datetime | None, label: str, field: str) -> None:
    if value is None:
        return
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(f"{label} has no time zone.", field)
    check_date(value.date(), label, field)


def _link_count(item: HistoryItem) -> int:
    links = (item.opportunity_id, item.account_id, item.contact_id, item.project_id)
    return sum(1 for link in links if link is not None)


def validated(item: HistoryItem) -> HistoryItem:
    """The item with its text cleaned, or ``ValidationError`` naming the first bad field.

    Every kind needs a subject and exactly one link. A phone log needs a direction and a
    duration within a day; a task a percentage from 0 to 100 (Completed means 100 %); an
    appointment an end no earlier than its start; a file a name.
    """
    label = KIND_NAMES[item.kind]
    subject = clean_text(item.subject, "Subject", "subject", required=True)
    body = clean_text(item.body, "Notes", "body", max_length=MAX_LONG_TEXT, multiline=True)
    if item.occurred_at is None:
        raise ValidationError(f"A {label.lower()} needs a date.", "occurred_at")
    _check_moment(item.occurred_at, "Date", "occurred_at")
    if _link_count(item) != 1:
        raise ValidationError(
            f"A {label.lower()} is linked to exactly one record: an opportunity, an account "
            "or a business contact.",
            "link",
        )
    cleaned = replace(item, subject=subject, body=body)
    kind = item.kind
    if kind is HistoryKind.PHONE_LOG:
        cleaned = _phone_log(cleaned)
    elif kind is HistoryKind.TASK:
        cleaned = _task(cleaned)
    elif kind is HistoryKind.EMAIL:
        cleaned = replace(
            cleaned,
            email_from=clean_text(item.email_from, "From", "email_from", max_length=MAX_FROM),
            email_to=clean_text(item.email_to, "To", "email_to", max_length=MAX_ADDRESSES),
        )
    elif kind is HistoryKind.APPOINTMENT:
        cleaned = _appointment(cleaned)
    elif kind is HistoryKind.FILE:
        name = clean_text(item.file_name, "File name", "file_name", required=True)
        if "/" in name or "\\" in name:
            raise ValidationError("File name cannot contain / or \\.", "file_name")
        cleaned = replace(cleaned, file_name=name[:MAX_NAME])
    return cleaned


def _phone_log(item: HistoryItem) -> HistoryItem:
    if not isinstance(item.direction, CallDirection):
        raise ValidationError("Choose whether the call was incoming or outgoing.", "direction")
    seconds = item.duration_seconds or 0
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise ValidationError("Duration must be zero or more minutes and seconds.", "duration")
    if seconds > MAX_DURATION_SECONDS:
        raise ValidationError(
            f"Duration is too long: {seconds // 60:,} minutes, a call lasts less than a day.",
            "duration",
        )
    return replace(item, duration_seconds=seconds)


def _task(item: HistoryItem) -> HistoryItem:
    status = item.status or TaskStatus.NOT_STARTED
    priority = item.priority or Priority.NORMAL
    percent = check_percent(
        item.percent_complete if item.percent_complete is not None else 0,
        "% Complete",
        "percent_complete",
    )
    if status is TaskStatus.COMPLETED:
        percent = 100
    if item.due_date is not None and not EARLIEST_DATE <= item.due_date <= LATEST_DATE:
        raise ValidationError("Due date must lie between 1900 and 9999.", "due_date")
    _check_moment(item.reminder_at, "Reminder", "reminder_at")
    return replace(item, status=status, priority=priority, percent_complete=percent)


def _appointment(item: HistoryItem) -> HistoryItem:
    location = clean_text(item.location, "Location", "location")
    attendees = clean_text(item.attendees, "Attendees", "attendees", max_length=MAX_ADDRESSES)
    end = item.end_at
    if end is None:
        raise ValidationError("An appointment needs an end time.", "end_at")
    _check_moment(end, "End", "end_at")
    start = item.occurred_at
    if start is not None and end < start:
        raise ValidationError("An appointment cannot end before it starts.", "end_at")
    return replace(item, location=location, attendees=attendees)
