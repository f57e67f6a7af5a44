"""Enumerations shared by every layer."""

from __future__ import annotations

from enum import StrEnum


class StageKind(StrEnum):
    """Whether a sales stage is still open or closes the opportunity."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"

    @property
    def is_closed(self) -> bool:
        return self is not StageKind.OPEN


class LinkKind(StrEnum):
    """What an opportunity or project is linked to (exactly one of these)."""

    ACCOUNT = "account"
    CONTACT = "contact"


class InitiatorKind(StrEnum):
    """What started an opportunity (S-3, Initiated by), and the kinds of record the Link to
    dialog lists."""

    ACCOUNT = "account"
    CONTACT = "contact"
    MARKETING = "marketing"
    # Only a "Link to Record" target of a history item (S-8); never an initiator.
    OPPORTUNITY = "opportunity"


class HistoryKind(StrEnum):
    """The six kinds of communication history item (S-8)."""

    NOTE = "note"
    PHONE_LOG = "phone_log"
    TASK = "task"
    EMAIL = "email"
    APPOINTMENT = "appointment"
    FILE = "file"


class ListKind(StrEnum):
    """Customizable drop-down lists (S-4). Sales stages have their own table."""

    TYPE = "type"
    PAYMENT_TERMS = "payment_terms"
    SOURCE = "source"
    PROJECT_TYPE = "project_type"
    MARKETING_TYPE = "marketing_type"


class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    DEFERRED = "deferred"
    COMPLETED = "completed"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class ProjectStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class MarketingStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class CallDirection(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"
