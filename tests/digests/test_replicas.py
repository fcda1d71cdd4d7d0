"""Two scheduler processes against one database: one post per subscription and date.

Real subprocesses, started together (each waits at a barrier until both are ready). On
PostgreSQL only the holder of the advisory lock schedules; without the lock (or on SQLite, where
every process leads) the claims in ``digest_run`` alone keep the posts single.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.model.digests import RunState
from storage.db import Database
from storage.papers import upsert_papers
from tests.digests.helpers import ROOT, local, make_desk, paper
from tests.support.databases import migrated_database
from tests.support.processes import child_env

THU = date(2026, 6, 11)
NOW = local("2026-06-12 09:00:30", "Europe/Berlin")
CHANNELS = 25


def seed(db: Database) -> None:
    desk = make_desk(db)
    db.write_now(lambda s: upsert_papers(s, [paper(f"2606.{i:05d}", THU, i) for i in range(40)]))
    for i in range(CHANNELS):
        desk.subscribe("daily 09:00 Europe/Berlin top 3", f"C{i}")


def run_two(db: Database, tmp_path: Path, *extra: str, hold: float) -> list[dict[str, object]]:
    out, go = tmp_path / "posts.jsonl", tmp_path / "go"
    procs = []
    for n in range(2):
        ready = tmp_path / f"ready{n}"
        command = [sys.executable, "-m", "tests.digests.replica", "--url", db.url]
        command += ["--now", NOW.isoformat(), "--out", str(out), "--ready", str(ready)]
        command += ["--go", str(go), "--hold", str(hold), *extra]
        procs.append(
            subprocess.Popen(command, cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, text=True)
        )
    try:
        reports = release_together(procs, tmp_path, go)
    finally:
        for proc in procs:  # a replica left behind by a failed assertion must not outlive us
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    posts = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return [*reports, {"posts": posts}]


def release_together(
    procs: list[subprocess.Popen[str]], tmp_path: Path, go: Path
) -> list[dict[str, object]]:
    """Wait (bounded) for both replicas to be ready, start them at once, read their reports."""
    deadline = time.monotonic() + 30
    while not all((tmp_path / f"ready{n}").exists() for n in range(2)):
        assert time.monotonic() < deadline, "the replicas did not start"
        assert all(p.poll() is None for p in procs), "a replica exited before the barrier"
        time.sleep(0.01)
    go.touch()
    reports = []
    for proc in procs:
        stdout, _ = proc.communicate(timeout=45)
        assert proc.returncode == 0
        reports.append(json.loads(stdout.strip().splitlines()[-1]))
    return reports


def assert_one_post_per_channel(db: Database, posts: list[dict[str, object]]) -> None:
    assert Counter(str(p["channel"]) for p in posts) == {f"C{i}": 1 for i in range(CHANNELS)}
    desk = make_desk(db)
    subs = [desk.subscribe("daily 09:00 Europe/Berlin top 3", f"C{i}") for i in range(CHANNELS)]
    runs = [desk.run(sub, THU) for sub in subs]
    assert all(run is not None and run.state is RunState.POSTED for run in runs)


@pytest.mark.postgres
def test_two_processes_on_postgresql_one_leader_one_post_each(tmp_path: Path) -> None:
    with migrated_database("postgresql", tmp_path) as db:
        seed(db)
        first, second, result = run_two(db, tmp_path, hold=3.0)  # both start while one leads
        assert sorted([bool(first["leader"]), bool(second["leader"])]) == [False, True]
        posts = result["posts"]
        assert isinstance(posts, list)
        assert {p["pid"] for p in posts} == {next(r["pid"] for r in (first, second) if r["leader"])}
        assert_one_post_per_channel(db, posts)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_two_schedulers_without_the_lock_still_post_once(tmp_path: Path, dialect: str) -> None:
    with migrated_database(dialect, tmp_path) as db:
        seed(db)
        *_, result = run_two(db, tmp_path, "--no-lock", hold=0.0)
        posts = result["posts"]
        assert isinstance(posts, list)
        assert_one_post_per_channel(db, posts)
