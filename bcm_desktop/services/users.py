"""Database users: who the database is shared with (S-9), and a new database's defaults.

The people an opportunity can be assigned to are the users of the database. The owner
shares the database (File → Share Database…) by adding a colleague's operating-system login;
the colleague opens the same database file (for example in a shared folder) and is
recognised by that login. Only the owner adds, edits and removes users.

Decisions where BCM's text is silent:

- Removing a user never deletes the row: opportunities, tasks and other records keep showing
  who they were assigned to. A removed user (``active`` off) is no longer an Assigned to
  choice and cannot open the database. Adding the same login again brings the user back.
- Logins compare case-insensitively (Windows logins do), so "Anna" and "anna" are one user.
- The login cannot be changed once added: it is how the person is recognised. A different
  login is a different user (remove the old one, add the new one).
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Callable

from ..domain.entities import User
from ..domain.enums import ListKind, StageKind
from ..domain.errors import PermissionDeniedError, ValidationError
from ..domain.validation import MAX_NAME, clean_text
from ..repository.unit_of_work import UnitOfWork
from .ownership import is_acting_owner, require_owner

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
    if user is None:
        raise PermissionDeniedError(
            f"“{login}” is not a user of this database. Ask the database owner to add your "
            "login in File → Share Database…, or start with --user NAME to use another login."
        )
    if not user.active:
        raise PermissionDeniedError(
            f"“{login}” is not a user of this database any more: the database owner removed "
            f"{user.name}. Ask the owner to add your login again in File → Share Database…, "
            "or start with --user NAME to use another login."
        )
    return user


def list_users(uow_factory: UowFactory) -> list[User]:
    """The people an opportunity can be assigned to (S-9)."""
    with uow_factory() as uow:
        return uow.users.all()


OWNER_ONLY = "Only the database owner can share the database and change its users."
MAX_LOGIN = 255
# Something@something.tld: enough to catch a name typed in the e-mail box or a missing
# domain, without refusing the unusual but valid addresses a stricter pattern would.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class UserService:
    """File → Share Database…: the users of the database, changed on behalf of ``user_id``.

    Every changing method checks, in the same transaction as the change, that the acting user
    is the (active) database owner, so the rule holds for the dialog, a script or a second
    user on the shared database alike. Reading the list is open to every user.
    """

    def __init__(self, uow_factory: UowFactory, user_id: int | None) -> None:
        self._uow = uow_factory
        self._user_id = user_id

    # -- reading -------------------------------------------------------------------------

    def is_owner(self) -> bool:
        """Whether the acting user may share the database (the UI greys out otherwise)."""
        with self._uow() as uow:
            return is_acting_owner(uow, self._user_id)

    def users(self, include_inactive: bool = False) -> list[User]:
        """The users by name; with ``include_inactive`` the removed ones too."""
        with self._uow() as uow:
            return uow.users.all(active_only=not include_inactive)

    def assigned_count(self, user_id: int) -> int:
        """How many opportunities are assigned to the user (they stay so after removal)."""
        with self._uow() as uow:
            uow.users.get(user_id)
            return uow.users.assigned_opportunities(user_id)

    # -- writing -------------------------------------------------------------------------

    def add(self, name: str, email: str, login: str) -> User:
        """Share the database with ``login``; a removed login is brought back (reactivated)
        with the name and e-mail given."""
        clean_name, clean_email = _check_name(name), _check_email(email)
        clean_login = _check_login(login)
        with self._uow() as uow:
            self._check_owner(uow)
            existing = uow.users.by_login(clean_login)
            if existing is not None and existing.active:
                raise ValidationError(
                    f"The login “{existing.login}” already belongs to {existing.name}. "
                    "Each login can be added once.",
                    "login",
                )
            if existing is not None:
                user = uow.users.update(
                    existing.id, name=clean_name, email=clean_email, active=True
                )
            else:
                user = uow.users.add(clean_name, clean_login, clean_email)
            uow.commit()
        return user

    def update(self, user_id: int, name: str, email: str) -> User:
        """Change a user's name and e-mail address (the login stays: it identifies them)."""
        clean_name, clean_email = _check_name(name), _check_email(email)
        with self._uow() as uow:
            self._check_owner(uow)
            uow.users.get(user_id)
            user = uow.users.update(user_id, name=clean_name, email=clean_email)
            uow.commit()
        return user

    def remove(self, user_id: int) -> User:
        """Stop sharing with a user: they can no longer open the database or be assigned
        records; what is assigned to them stays assigned. The owner cannot be removed."""
        with self._uow() as uow:
            self._check_owner(uow)
            user = uow.users.get(user_id)
            if user_id == self._user_id:
                raise ValidationError(
                    "You cannot remove yourself: you are the database owner.", "user"
                )
            if user.is_owner:
                raise ValidationError(
                    f"{user.name} is the database owner and cannot be removed.", "user"
                )
            if not user.active:
                return user  # already removed: nothing to do
            user = uow.users.update(user_id, active=False)
            uow.commit()
        return user

    # -- rules ---------------------------------------------------------------------------

    def _check_owner(self, uow: UnitOfWork) -> None:
        require_owner(uow, self._user_id, OWNER_ONLY)


def _check_name(name: str) -> str:
    return clean_text(name, "Name", "name", required=True, max_length=MAX_NAME)


def _check_email(email: str) -> str:
    text = clean_text(email, "E-mail", "email", max_length=MAX_NAME)
    if text and not _EMAIL.match(text):
        raise ValidationError(
            f"E-mail: “{text}” is not an e-mail address. Type it as name@example.com, "
            "or leave it empty.",
            "email",
        )
    return text


def _check_login(login: str) -> str:
    text = clean_text(login, "Login", "login", required=True, max_length=MAX_LOGIN)
    if any(character.isspace() for character in text):
        raise ValidationError(
            f"Login: “{text}” contains a space. A login is one word, the name the colleague "
            "signs in to their computer with (for example anna.jansen).",
            "login",
        )
    return text
