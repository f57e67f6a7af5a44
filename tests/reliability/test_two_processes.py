"""Two programs on one database file: the second save of a record gets "changed elsewhere"
instead of silently overwriting the first (no lost update)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.opportunities import OpportunityService

EDITOR = """
import sys
from bcm_desktop.domain.errors import ConflictError
from bcm_desktop.repository.database import open_database
from bcm_desktop.repository.unit_of_work import unit_of_work_factory
from bcm_desktop.services.opportunities import OpportunityService

database = open_database(sys.argv[1])
service = OpportunityService(unit_of_work_factory(database), None)
opp = service.get(int(sys.argv[2]))          # both open the form
print("loaded", flush=True)
sys.stdin.readline()                          # the user types, then saves
opp.title = sys.argv[3]
try:
    service.update(opp)
    print("saved", flush=True)
except ConflictError as error:
    print("conflict:", error.message, flush=True)
database.close()
"""


def start(db_path: Path, opp_id: int, title: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    process = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(db_path), str(opp_id), title],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "loaded"
    return process


def finish(process: subprocess.Popen[str]) -> str:
    out, _ = process.communicate("save\n", timeout=60)
    return out.strip()


def test_second_save_is_a_conflict_not_a_lost_update(
    uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef, db_path: Path
) -> None:
    opp = OpportunityService(uow_factory, owner.id).create(
        Opportunity(title="Original", link=account)
    )
    first = start(db_path, opp.id or 0, "First colleague's title")
    second = start(db_path, opp.id or 0, "Second colleague's title")
    assert finish(first) == "saved"
    answer = finish(second)
    assert answer.startswith("conflict:") and "changed by someone else" in answer
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT title, version FROM opportunities").fetchone() == (
            "First colleague's title",
            2,
        )
