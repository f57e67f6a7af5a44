"""Read side of the "Link to" dialog: find accounts, contacts, marketing activities and
opportunities by name.

A search matches when the typed text is a case-insensitive prefix of the name, of any later
word of the name, or (for business contacts) of the e-mail address. Matches are read in two
ranked steps, each ordered by name and cut off with a LIMIT:

1. names that *start* with the text — on SQLite a range ``name >= :p AND name < :p_next`` on
   the NOCASE-collated name column, which the ``name`` index answers directly however many
   records there are (elsewhere a portable ``lower(name) LIKE :p%``);
2. only while there is room left: names with a later word that starts with the text, and
   contacts whose e-mail does. This is a ``LIKE '% text%'`` scan along the name index; the
   LIMIT stops it as soon as the page is full.

So "bak" lists "Bakkerij de Vries" before "De Bakker & Zn". One more row than asked is read to
know whether there are more matches than shown, without counting them all. Case folding is
SQLite's NOCASE: ASCII letters only, the same rule the lists sort by.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, not_, or_, select

from ..domain.entities import InitiatorRef, RecordRef
from ..domain.enums import InitiatorKind
from ..domain.links import LinkCandidate, LinkSearchKind, LinkSearchResult
from .database import Database
from .orm import AccountRow, ContactRow, ListItemRow, MarketingActivityRow, OpportunityRow
from .queries import escape_like

ACC = AccountRow.__table__.c
CON = ContactRow.__table__.c
MKT = MarketingActivityRow.__table__.c
OPP = OpportunityRow.__table__.c
TYPES = ListItemRow.__table__.c

DEFAULT_LIMIT = 200
MAX_SEARCH_LENGTH = 255  # longer than any name: a longer text can only match nothing
_KIND_ORDER = {
    InitiatorKind.ACCOUNT: 0,
    InitiatorKind.CONTACT: 1,
    InitiatorKind.MARKETING: 2,
    InitiatorKind.OPPORTUNITY: 3,
}
# What precedes a "later word" of a name: "de Vries", "Jansen-Smit".
_WORD_SEPARATORS = (" ", "-")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x1f\x7f\s]+")
_LAST_CODE_POINT = 0x10FFFF


def fold(text: str) -> str:
    """Fold case the way SQLite's NOCASE collation does: ASCII letters only."""
    return text.translate(_ASCII_LOWER)


def normalize_search(text: str) -> str:
    """The search text as it is matched: control characters and runs of spaces become one
    space, the ends are stripped, ASCII letters are lower-cased."""
    return fold(_CONTROL_OR_SPACE.sub(" ", text).strip())[:MAX_SEARCH_LENGTH]


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest text, in NOCASE order, above every text that starts with ``prefix``.

    ``prefix`` must be folded already. The last character is raised to the next one NOCASE can
    tell apart; ``A``–``Z`` are skipped because NOCASE reads them as ``a``–``z``, and surrogates
    because they are not characters. ``None`` means there is no upper bound.
    """
    while prefix:
        code = ord(prefix[-1]) + 1
        if ord("A") <= code <= ord("Z"):
            code = ord("Z") + 1
        elif 0xD800 <= code <= 0xDFFF:
            code = 0xE000
        if code <= _LAST_CODE_POINT:
            return prefix[:-1] + chr(code)
        prefix = prefix[:-1]
    return None


class _Matcher:
    """The conditions for one search text on one dialect.

    On SQLite plain ``LIKE`` already ignores ASCII case (and is three times faster than
    ``lower(x) LIKE``), and names carry the NOCASE collation the prefix range needs. Other
    databases get the portable ``ILIKE``.
    """

    def __init__(self, text: str, *, sqlite: bool) -> None:
        self.text = text
        self.escaped = escape_like(text)
        self.upper = prefix_upper_bound(text)
        self.sqlite = sqlite

    def _like(self, column: ColumnElement[Any], pattern: str) -> ColumnElement[bool]:
        if self.sqlite:
            return column.like(pattern, escape="\\")
        return column.ilike(pattern, escape="\\")

    def starts(self, column: ColumnElement[Any], *, nocase: bool) -> ColumnElement[bool]:
        """``column`` starts with the text; an index range when ``column`` is NOCASE."""
        if self.sqlite and nocase:
            lower_bound: ColumnElement[bool] = column >= self.text
            return lower_bound if self.upper is None else and_(lower_bound, column < self.upper)
        return self._like(column, f"{self.escaped}%")

    def later_word(self, column: ColumnElement[Any]) -> ColumnElement[bool]:
        """A word after the first one in ``column`` starts with the text."""
        return or_(
            *(self._like(column, f"%{separator}{self.escaped}%") for separator in _WORD_SEPARATORS)
        )


def _sort_key(candidate: LinkCandidate) -> tuple[str, int, int]:
    return (fold(candidate.name), _KIND_ORDER[candidate.ref_kind], candidate.id)


def _join(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


class LinkQueries:
    """Searches for the Link to and Initiated by dialogs, each in one short read transaction."""

    def __init__(self, database: Database) -> None:
        self._db = database
        # The prefix range relies on the NOCASE collation the schema gives names on SQLite.
        self._sqlite = database.is_sqlite

    # -- searching -----------------------------------------------------------------------

    def search(
        self, kind: LinkSearchKind, text: str, limit: int = DEFAULT_LIMIT
    ) -> LinkSearchResult:
        """The first ``limit`` records of ``kind`` matching ``text`` (everything when empty).

        Records whose name starts with the text come first, then those matching by a later
        word or e-mail; each group is in name order.
        """
        if limit <= 0:
            raise ValueError("limit must be positive")
        search = normalize_search(text)
        matched: list[LinkCandidate] = []
        with self._db.read_connection() as connection:
            for record_kind in kind.record_kinds:
                matched.extend(self._search_one(connection, record_kind, search, limit + 1))
        if len(kind.record_kinds) > 1:
            matched = self._merge(matched, search)
        return LinkSearchResult(tuple(matched[:limit]), more=len(matched) > limit)

    def _search_one(
        self, connection: Any, kind: InitiatorKind, search: str, wanted: int
    ) -> list[LinkCandidate]:
        """Up to ``wanted`` candidates of one kind: name-prefix matches, then the others."""
        select_rows, name, to_candidate = self._shape(kind)
        # Account and contact names are NOCASE on SQLite (indexed, sorted without lower());
        # marketing activities are few, so a case-folding scan serves them everywhere.
        nocase = kind is not InitiatorKind.MARKETING
        order = (name if nocase else func.lower(name), self._id(kind))
        if not search:
            rows = connection.execute(select_rows.order_by(*order).limit(wanted))
            return [to_candidate(row) for row in rows]
        matcher = _Matcher(search, sqlite=self._sqlite)
        first = matcher.starts(name, nocase=nocase)
        found = [
            to_candidate(row)
            for row in connection.execute(select_rows.where(first).order_by(*order).limit(wanted))
        ]
        if len(found) < wanted:
            later = matcher.later_word(name)
            if kind is InitiatorKind.CONTACT:
                later = or_(later, matcher.starts(CON.email, nocase=False))
            query = select_rows.where(not_(first), later).order_by(*order)
            rows = connection.execute(query.limit(wanted - len(found)))
            found.extend(to_candidate(row) for row in rows)
        return found

    @staticmethod
    def _merge(matched: list[LinkCandidate], search: str) -> list[LinkCandidate]:
        """Interleave the kinds of an "All" search: name-prefix matches first, by name."""
        if not search:
            return sorted(matched, key=_sort_key)
        return sorted(
            matched,
            key=lambda c: (not fold(c.name).startswith(search), *_sort_key(c)),
        )

    # -- one record ----------------------------------------------------------------------

    def get(self, ref: RecordRef | InitiatorRef) -> LinkCandidate | None:
        """The candidate row of one record, or ``None`` when it no longer exists."""
        kind = InitiatorKind(ref.kind.value)
        select_rows, _name, to_candidate = self._shape(kind)
        with self._db.read_connection() as connection:
            row = connection.execute(select_rows.where(self._id(kind) == ref.id)).first()
        return None if row is None else to_candidate(row)

    def name_of(self, ref: RecordRef | InitiatorRef) -> str | None:
        """The display name of one record, or ``None`` when it no longer exists."""
        candidate = self.get(ref)
        return None if candidate is None else candidate.name

    def email_of(self, ref: RecordRef | InitiatorRef) -> str:
        """The e-mail address of an account or business contact; empty when it has none or
        no longer exists (marketing activities have no address)."""
        kind = InitiatorKind(ref.kind.value)
        column = {InitiatorKind.ACCOUNT: ACC, InitiatorKind.CONTACT: CON}.get(kind)
        if column is None:
            return ""
        with self._db.read_connection() as connection:
            email = connection.execute(select(column.email).where(column.id == ref.id)).scalar()
        return (email or "").strip()

    # -- shapes --------------------------------------------------------------------------

    @staticmethod
    def _id(kind: InitiatorKind) -> Any:
        return {
            InitiatorKind.ACCOUNT: ACC.id,
            InitiatorKind.CONTACT: CON.id,
            InitiatorKind.OPPORTUNITY: OPP.id,
        }.get(kind, MKT.id)

    def _shape(self, kind: InitiatorKind) -> tuple[Select[Any], Any, Any]:
        """The select, the name column and the row-to-candidate function for one kind."""
        if kind is InitiatorKind.ACCOUNT:
            return (
                select(ACC.id, ACC.name, ACC.city, ACC.email),
                ACC.name,
                _account_candidate,
            )
        if kind is InitiatorKind.CONTACT:
            return (
                select(CON.id, CON.full_name, ACC.name, CON.job_title, CON.email)
                .select_from(ContactRow.__table__)
                .outerjoin(AccountRow.__table__, ACC.id == CON.account_id),
                CON.full_name,
                _contact_candidate,
            )
        if kind is InitiatorKind.OPPORTUNITY:
            # Titles are NOCASE on SQLite with a (title, id) index, like account names.
            linked_account = AccountRow.__table__.alias("linked_account")
            return (
                select(OPP.id, OPP.title, linked_account.c.name, CON.full_name)
                .select_from(OpportunityRow.__table__)
                .outerjoin(linked_account, linked_account.c.id == OPP.link_account_id)
                .outerjoin(ContactRow.__table__, CON.id == OPP.link_contact_id),
                OPP.title,
                _opportunity_candidate,
            )
        return (
            select(MKT.id, MKT.name, TYPES.name, MKT.start_date, MKT.end_date)
            .select_from(MarketingActivityRow.__table__)
            .outerjoin(ListItemRow.__table__, TYPES.id == MKT.type_id),
            MKT.name,
            _marketing_candidate,
        )


def _account_candidate(row: Sequence[Any]) -> LinkCandidate:
    account_id, name, city, email = row
    return LinkCandidate(InitiatorKind.ACCOUNT, account_id, name, _join(city, email))


def _contact_candidate(row: Sequence[Any]) -> LinkCandidate:
    contact_id, name, account_name, job_title, email = row
    return LinkCandidate(
        InitiatorKind.CONTACT, contact_id, name, _join(account_name or job_title or "", email)
    )


def _marketing_candidate(row: Sequence[Any]) -> LinkCandidate:
    activity_id, name, type_name, start, end = row
    start_date: date | None = start
    end_date: date | None = end
    return LinkCandidate(
        InitiatorKind.MARKETING, activity_id, name, type_name or "", start_date, end_date
    )


def _opportunity_candidate(row: Sequence[Any]) -> LinkCandidate:
    opportunity_id, title, account_name, contact_name = row
    return LinkCandidate(
        InitiatorKind.OPPORTUNITY, opportunity_id, title, account_name or contact_name or ""
    )
