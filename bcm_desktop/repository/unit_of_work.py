"""The unit of work: one transaction per user action, rolled back unless committed."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..domain.errors import (
    ConflictError,
    DatabaseBusyError,
    DiskFullError,
    DomainError,
    ReadOnlyDatabaseError,
)
from .bulk import OpportunityBulk
from .catalog import ProductRepository
from .contacts import AccountRepository, ContactRepository
from .database import Database
from .deleted_items import DeletedItemsRepository
from .history import HistoryRepository
from .marketing import MarketingRepository
from .opportunity_activities import OpportunityActivityRepository
from .projects import ProjectRepository, TemplateRepository
from .reminders import ReminderRepository
from .repositories import (
    CategoryRepository,
    ListRepository,
    OpportunityRepository,
    RecordNames,
    SettingsRepository,
    StageHistoryRepository,
    StageRepository,
    UserRepository,
)
from .stage_editing import StageEditingRepository

# The services check uniqueness and references first; the database's own constraints only
# fire when someone else saved the same thing at the same moment.
INTEGRITY_MESSAGE = (
    "Someone else saved a conflicting change at the same moment (for example the same name). "
    "Nothing was saved; reload and try again."
)
READ_ONLY_MESSAGE = "The database is open read-only, so changes cannot be saved. Nothing was saved."
BUSY_MESSAGE = (
    "The database is busy: another program is writing to it. Try again in a moment. "
    "Nothing was saved."
)
DISK_FULL_MESSAGE = (
    "The disk is full, so the change could not be saved. Nothing was saved; "
    "free some space and try again."
)


class UnitOfWork:
    """Opens a session and its repositories; ``commit()`` makes the work permanent.

    Leaving the ``with`` block without ``commit()`` (or with an exception) rolls everything
    back, so a failed save leaves the database exactly as it was.
    """

    users: UserRepository
    stages: StageRepository
    lists: ListRepository
    settings: SettingsRepository
    records: RecordNames
    opportunities: OpportunityRepository
    stage_history: StageHistoryRepository
    categories: CategoryRepository
    bulk: OpportunityBulk
    products: ProductRepository
    history: HistoryRepository
    marketing: MarketingRepository
    deleted: DeletedItemsRepository
    projects: ProjectRepository
    project_templates: TemplateRepository
    stage_editing: StageEditingRepository
    opportunity_activities: OpportunityActivityRepository
    accounts: AccountRepository
    contacts: ContactRepository
    reminders: ReminderRepository

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    def __enter__(self) -> Self:
        session = self._session_factory()
        self._session = session
        self.users = UserRepository(session)
        self.stages = StageRepository(session)
        self.lists = ListRepository(session)
        self.settings = SettingsRepository(session)
        self.records = RecordNames(session)
        self.opportunities = OpportunityRepository(session)
        self.stage_history = StageHistoryRepository(session)
        self.categories = CategoryRepository(session)
        self.bulk = OpportunityBulk(session)
        self.products = ProductRepository(session)
        self.history = HistoryRepository(session)
        self.marketing = MarketingRepository(session)
        self.deleted = DeletedItemsRepository(session)
        self.projects = ProjectRepository(session)
        self.project_templates = TemplateRepository(session)
        self.stage_editing = StageEditingRepository(session)
        self.opportunity_activities = OpportunityActivityRepository(session)
        self.accounts = AccountRepository(session)
        self.contacts = ContactRepository(session)
        self.reminders = ReminderRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None
        # Driver errors never reach the user raw: they become readable domain errors.
        if isinstance(exc, StaleDataError):
            raise ConflictError(
                "The record was changed by someone else while you saved it. "
                "Reload it to see their changes."
            ) from exc
        if isinstance(exc, OperationalError):
            raise _friendly_operational_error(exc) from exc
        if isinstance(exc, IntegrityError):
            raise ConflictError(INTEGRITY_MESSAGE) from exc

    def commit(self) -> None:
        assert self._session is not None
        try:
            self._session.commit()
        except StaleDataError as exc:
            self._session.rollback()
            raise ConflictError(
                "The record was changed by someone else while you saved it. "
                "Reload it to see their changes."
            ) from exc
        except OperationalError as exc:
            self._session.rollback()
            raise _friendly_operational_error(exc) from exc
        except IntegrityError as exc:
            self._session.rollback()
            raise ConflictError(INTEGRITY_MESSAGE) from exc

    def flush(self) -> None:
        assert self._session is not None
        self._session.flush()


def _friendly_operational_error(exc: OperationalError) -> DomainError:
    message = str(exc.orig).lower()
    if "readonly" in message or "read-only" in message:
        return ReadOnlyDatabaseError(READ_ONLY_MESSAGE)
    if "locked" in message or "busy" in message:
        return DatabaseBusyError(BUSY_MESSAGE)
    if "disk" in message and "full" in message:
        return DiskFullError(DISK_FULL_MESSAGE)
    return DomainError(f"The database refused the change ({exc.orig}). Nothing was saved.")


def unit_of_work_factory(database: Database) -> Callable[[], UnitOfWork]:
    """What the composition root hands to services: a callable making a fresh unit of work."""
    return lambda: UnitOfWork(database.session_factory)
