"""Processes that start together on one catalog index it once between them, not once each."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.search_query import parse_search_query
from loopback.ports import make_paper
from storage import migrate
from storage.db import Database
from storage.papers import upsert_papers
from storage.search import search_catalog


def ids(db: Database, words: str) -> list[str]:
    query = parse_search_query(words)
    return [p.id for p in db.read_now(lambda s: search_catalog(s, query, db.search_index)).papers]


def add(db: Database, paper_id: str, title: str) -> None:
    db.write_now(lambda s: upsert_papers(s, [make_paper(paper_id, title)]))


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="paperbot.search")
    return caplog


def seen(log: pytest.LogCaptureFixture) -> list[str]:
    """What each index did to get its first copy of a catalog: "built" or "copied"."""
    messages = [r.getMessage() for r in log.records if r.name == "paperbot.search"]
    return [m.split()[2] for m in messages]  # "search index built …" / "search index copied …"


@contextmanager
def process(url: str, base: Path) -> Iterator[Database]:
    """A Database as another process on this machine would open it, disposed at the end."""
    db = Database(url, search_dir=base)
    try:
        yield db
    finally:
        db.dispose()


def test_processes_after_the_first_copy_its_build_and_catch_up_from_it(
    db: Database, tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    add(db, "2401.00001", "Quillwort networks")
    base = tmp_path / "shared-index"
    with ExitStack() as running:  # all three run at once, so each has its own slot
        first, second, third = (running.enter_context(process(db.url, base)) for _ in range(3))
        assert ids(first, "quillwort") == ["2401.00001"]
        assert ids(second, "quillwort") == ["2401.00001"]
        add(db, "2401.00002", "Quillwort trees")  # after the shared build: caught up from it
        assert sorted(ids(third, "quillwort")) == ["2401.00001", "2401.00002"]
        assert first.search_index.directory != second.search_index.directory
    assert seen(log) == ["built", "copied", "copied"]


def test_a_shared_build_of_another_catalog_is_not_copied(
    tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    base = tmp_path / "shared-index"
    with ExitStack() as running:
        one = running.enter_context(process(f"sqlite:///{tmp_path / 'one.db'}", base))
        two = running.enter_context(process(f"sqlite:///{tmp_path / 'two.db'}", base))
        for db in (one, two):
            migrate.upgrade(db)
        add(one, "2401.00001", "Quillwort networks")
        add(two, "2401.00009", "Zorbulate trees")
        assert ids(one, "quillwort") == ["2401.00001"]
        assert ids(two, "quillwort") == []
        assert ids(two, "zorbulate") == ["2401.00009"]
    assert seen(log) == ["built", "built"]


def test_a_shared_build_ahead_of_the_catalog_is_not_copied(
    db: Database, tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    """A database restored from a backup, older than the build: its own papers are indexed."""
    add(db, "2401.00001", "Quillwort networks")
    add(db, "2401.00002", "Zorbulate trees")
    base = tmp_path / "shared-index"
    with ExitStack() as running:
        first = running.enter_context(process(db.url, base))
        assert ids(first, "zorbulate") == ["2401.00002"]
        restore = [
            "DELETE FROM paper WHERE id = '2401.00002'",
            "UPDATE paper SET title = 'Fennel networks' WHERE id = '2401.00001'",
        ]
        db.write_now(lambda s: [s.execute(text(sql)) for sql in restore])
        second = running.enter_context(process(db.url, base))
        assert ids(second, "fennel") == ["2401.00001"]
        assert ids(second, "quillwort") == []
    assert seen(log) == ["built", "built"]
