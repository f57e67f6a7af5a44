"""Atomic writes under SIGKILL: a bulk action killed at a random moment leaves the database
exactly as before it or exactly as after it, and always passing ``integrity_check``."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bcm_desktop.demo import build_demo

RUNS = 24
OPPORTUNITIES = 6000

# A real bulk action through the services, as the workspace runs it: close every open
# opportunity as won (updates rows, writes stage history), or delete every opportunity (moves
# each with its rows into Deleted Items, then deletes them).
SCRIPT = """
import sys
from bcm_desktop.domain.enums import StageKind
from bcm_desktop.domain.listing import OpportunityFilter, RecordSelection
from bcm_desktop.repository.database import open_database
from bcm_desktop.repository.unit_of_work import unit_of_work_factory
from bcm_desktop.services.bulk import BulkActions

database = open_database(sys.argv[1])
uow = unit_of_work_factory(database)
with uow() as work:
    user = work.users.all()[-1].id
    owner = work.users.all()[0].id
bulk = BulkActions(uow, owner)
print("ready", flush=True)
selection = RecordSelection.matching(OpportunityFilter(search=sys.argv[2]))
if sys.argv[3] == "delete":
    bulk.delete(selection)
else:
    bulk.close(selection, StageKind.WON)
print("done", flush=True)
"""


def state(path: Path) -> str:
    """A fingerprint of everything the action may touch (times excluded)."""
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        digest = hashlib.sha256()
        for row in connection.execute(
            "SELECT id, status, probability, stage_id, expected_revenue_cents, version"
            " FROM opportunities ORDER BY id"
        ):
            digest.update(repr(row).encode())
        for row in connection.execute(
            "SELECT opportunity_id, to_stage_id, note FROM stage_history ORDER BY id"
        ):
            digest.update(repr(row).encode())
        for row in connection.execute(
            "SELECT (SELECT count(*) FROM opportunity_lines), (SELECT count(*) FROM history_items)"
        ):
            digest.update(repr(row).encode())
        for row in connection.execute(
            "SELECT record_id, title, length(snapshot) FROM deleted_items ORDER BY id"
        ):
            digest.update(repr(row).encode())
        return digest.hexdigest()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "template.sqlite"
    build_demo(path, OPPORTUNITIES, seed=7, owner_login="owner")
    return path


def run_action(database: Path, kill_after: float | None, action: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(database), "", action],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    if kill_after is None:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        return "done"
    time.sleep(kill_after)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    return "killed"


def copy_database(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)


@pytest.mark.parametrize(("action", "runs"), [("close", RUNS), ("delete", RUNS // 2)])
def test_kill_9_during_a_bulk_action_never_leaves_a_half_done_database(
    template: Path, tmp_path: Path, action: str, runs: int
) -> None:
    before = state(template)
    finished = tmp_path / "finished.sqlite"
    copy_database(template, finished)
    started = time.perf_counter()
    run_action(finished, None, action)
    duration = time.perf_counter() - started
    after = state(finished)
    assert after != before

    rng = random.Random(20261128)
    seen = {"before": 0, "after": 0}
    for run in range(runs):
        database = tmp_path / f"run{run}.sqlite"
        copy_database(template, database)
        run_action(database, rng.uniform(0, duration), action)
        found = state(database)  # asserts integrity_check first
        assert found in (before, after), f"run {run}: the database is in between"
        seen["before" if found == before else "after"] += 1
        for side in database.parent.glob(f"run{run}.sqlite*"):
            side.unlink()
    print(f"{runs} runs of {action} killed: {seen}; it took {duration:.2f}s unkilled")
    assert sum(seen.values()) == runs
