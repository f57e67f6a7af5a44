"""Database users and the built-in defaults of a new database (DESIGN §3)."""

from __future__ import annotations

import getpass
from collections.abc import Callable

from ..domain.entities import User
from ..domain.enums import ListKind, StageKind
from ..domain.errors import PermissionDeniedError
from ..repository.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]

DEFAULT_STAGES: list[tuple[str, StageKind, int, list[tuple[str, int | None]]]] = [
    ("Prospecting", StageKind.OPEN, 10, [("Identify decision makers", 3), ("First call", 2)]),
    ("Qualification", StageKind.OPEN, 20, [("Confirm budget", 5), ("Confirm timeline", 5)]),
    ("Needs analysis", StageKind.OPEN, 40, [("Discovery meeting", 7), ("Write down needs", 3)]),
    ("Proposal", StageKind.OPEN, 60, [("Prepare quote", 3), ("Send proposal", 1)]),
    ("Negotiation", StageKind.OPEN, 80, [("Review terms", 5), ("Final offer", 2)]),
    ("Closed Won", StageKind.WON, 100, []),
    ("Closed Lost", StageKind.LOST, 0, []),
]
DEFAULT_LISTS: dict[ListKind, list[str]] = {
    ListKind.TYPE: ["New business", "Existing business", "Renewal", "Upsell"],
    ListKind.PAYMENT_TERMS: ["Due on receipt", "Net 15 days", "Net 30 days", "Net 60 days"],
    ListKind.SOURCE: [
        "Advertisement",
        "Referral",
        "Trade show",
        "Website",
        "Cold call",
        "Existing customer",
        "Partner",
    ],
    ListKind.PROJECT_TYPE: ["Implementation", "Consulting", "Support", "Training"],
    ListKind.MARKETING_TYPE: ["E-mail campaign", "Direct mail", "Event", "Advertisement"],
}


def os_login() -> str:
    """The operating-system login of whoever runs the program."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "user"


def ensure_defaults(uow_factory: UowFactory, login: str, display_name: str | None = None) -> bool:
    """Give a database without users its owner, stages and lists. True if it did anything."""
    with uow_factory() as uow:
        if uow.users.count():
            return False
        uow.users.add(display_name or login, login, is_owner=True)
        for index, (name, kind, probability, activities) in enumerate(DEFAULT_STAGES):
            uow.stages.add(
                name,
                kind=kind,
                is_default=index == 0,
                default_probability=probability,
                activities=activities,
            )
        for kind_, names in DEFAULT_LISTS.items():
            for name in names:
                uow.lists.add(kind_, name)
        uow.commit()
    return True


def resolve_current_user(uow_factory: UowFactory, login: str) -> User:
    """The database user for ``login``, or a clear refusal when the database is not shared."""
    with uow_factory() as uow:
        user = uow.users.by_login(login)
    if user is None or not user.active:
        raise PermissionDeniedError(
            f"“{login}” is not a user of this database. Ask the database owner to share it "
            "with you (File → Share database), or start with --user NAME."
        )
    return user


def list_users(uow_factory: UowFactory) -> list[User]:
    """The people an opportunity can be assigned to (S-9)."""
    with uow_factory() as uow:
        return uow.users.all()
