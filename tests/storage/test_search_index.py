"""Each process's search index follows the catalog: other writers, lost or foreign indexes."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tantivy
from sqlalchemy import event, text

from bot.search_query import parse_search_query
from loopback.ports import make_paper
from storage import migrate, search_index
from storage.db import Database
from storage.papers import count_papers, upsert_papers
from storage.search import search_catalog
from storage.search_index import FORMAT, SETTLE_AFTER, Hit, SearchIndex
from storage.search_slots import claim_slot, default_search_dir


def ids(db: Database, words: str) -> list[str]:
    query = parse_search_query(words)
    return [p.id for p in db.read_now(lambda s: search_catalog(s, query, db.search_index)).papers]


def add(db: Database, paper_id: str, title: str) -> None:
    db.write_now(lambda s: upsert_papers(s, [make_paper(paper_id, title)]))


def test_a_replica_sees_papers_another_process_wrote(db: Database, tmp_path: Path) -> None:
    replica = Database(db.url, search_dir=tmp_path / "replica")
    try:
        add(db, "2401.00001", "Quillwort networks")
        assert ids(replica, "quillwort") == ["2401.00001"]
        add(replica, "2401.00002", "Zorbulate networks")
        add(db, "2401.00001", "Renamed quillwort study")
        assert ids(db, "zorbulate") == ["2401.00002"]
        assert ids(replica, "renamed") == ["2401.00001"]
        assert ids(replica, "networks") == ["2401.00002"]
    finally:
        replica.dispose()


def test_writes_are_stamped_in_commit_order(db: Database) -> None:
    add(db, "2401.00001", "Quillwort one")
    add(db, "2401.00002", "Quillwort two")
    add(db, "2401.00001", "Quillwort one, revised")
    stamps = text("SELECT id, search_seq FROM paper ORDER BY search_seq")
    rows = db.read_now(lambda s: [tuple(r) for r in s.execute(stamps)])
    assert [r[0] for r in rows] == ["2401.00002", "2401.00001"]
    assert rows[0][1] < rows[1][1]


def indexed_catalog(tmp_path: Path, name: str = "catalog.db") -> str:
    """A SQLite catalog with one paper, searched once (so indexed) in ``tmp_path / "index"``."""
    url = f"sqlite:///{tmp_path / name}"
    first = Database(url, search_dir=tmp_path / "index")
    migrate.upgrade(first)
    add(first, "2401.00001", "Quillwort networks")
    assert ids(first, "quillwort") == ["2401.00001"]
    first.dispose()
    return url


def test_a_lost_index_is_rebuilt_from_the_catalog(tmp_path: Path) -> None:
    url = indexed_catalog(tmp_path)
    shutil.rmtree(tmp_path / "index")

    second = Database(url, search_dir=tmp_path / "index")
    try:
        assert ids(second, "quillwort") == ["2401.00001"]
    finally:
        second.dispose()


def test_a_kept_index_catches_up_on_what_it_missed(tmp_path: Path) -> None:
    url = indexed_catalog(tmp_path)
    writer = Database(url, search_dir=None)
    add(writer, "2401.00002", "Quillwort trees")
    writer.dispose()

    second = Database(url, search_dir=tmp_path / "index")
    try:
        assert sorted(ids(second, "quillwort")) == ["2401.00001", "2401.00002"]
    finally:
        second.dispose()


def test_an_index_of_another_catalog_is_rebuilt(tmp_path: Path) -> None:
    indexed_catalog(tmp_path, "one.db")
    two = Database(f"sqlite:///{tmp_path / 'two.db'}", search_dir=tmp_path / "index")
    try:
        migrate.upgrade(two)
        add(two, "2401.00009", "Zorbulate trees")
        assert ids(two, "quillwort") == []
        assert ids(two, "zorbulate") == ["2401.00009"]
    finally:
        two.dispose()


def rename_behind_its_back(url: str) -> None:
    """The row changes without a new stamp: only an index rebuilt from the catalog sees it."""
    writer = Database(url, search_dir=None)
    writer.write_now(lambda s: s.execute(text("UPDATE paper SET title = 'Zorbulate networks'")))
    writer.dispose()


def test_a_kept_index_is_reused_not_rebuilt(tmp_path: Path) -> None:
    url = indexed_catalog(tmp_path)
    rename_behind_its_back(url)

    second = Database(url, search_dir=tmp_path / "index")
    try:
        assert ids(second, "quillwort") == ["2401.00001"]  # the kept index, as it was
        assert ids(second, "zorbulate") == []
    finally:
        second.dispose()


@pytest.mark.parametrize(
    "state_text",
    [
        lambda kept: json.dumps(kept | {"format": FORMAT - 1}),
        lambda kept: json.dumps(kept | {"seq": str(kept["seq"])}),
        lambda kept: json.dumps([kept]),
        lambda kept: "{",
    ],
    ids=["older format", "seq not a number", "not an object", "not JSON"],
)
def test_an_index_of_another_format_or_an_unreadable_state_is_rebuilt(
    tmp_path: Path, state_text: Callable[[dict[str, Any]], str]
) -> None:
    url = indexed_catalog(tmp_path)
    rename_behind_its_back(url)
    state = tmp_path / "index" / "slot-0" / "state.json"
    state.write_text(state_text(json.loads(state.read_text(encoding="utf-8"))), encoding="utf-8")
    shutil.rmtree(tmp_path / "index" / "shared")  # the slot was the only copy of the index

    second = Database(url, search_dir=tmp_path / "index")
    try:
        assert ids(second, "zorbulate") == ["2401.00001"]
        assert ids(second, "quillwort") == []
    finally:
        second.dispose()


def catch_up_reads(db: Database, words: str) -> list[str]:
    """The statements a search runs to bring its index up to date beyond the newest stamp."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        ids(db, words)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert [s for s in statements if "max(search_seq)" in s]
    return [s for s in statements if "search_seq >" in s or "count(*)" in s]


def test_a_search_with_nothing_new_indexes_nothing(db: Database) -> None:
    """Only the newest stamp is read: no changed rows are asked for, no catalog is counted."""
    add(db, "2401.00001", "Quillwort networks")
    assert ids(db, "quillwort") == ["2401.00001"]
    assert catch_up_reads(db, "quillwort") == []


def test_a_catch_up_reads_the_changed_rows_without_counting_the_catalog(db: Database) -> None:
    """Counting the catalog is for a rebuild only (it sizes the rebuild's segments)."""
    add(db, "2401.00001", "Quillwort networks")
    assert ids(db, "quillwort") == ["2401.00001"]
    add(db, "2401.00002", "Quillwort trees")
    reads = catch_up_reads(db, "trees")
    assert [s for s in reads if "search_seq >" in s]
    assert not [s for s in reads if "count(*)" in s]
    assert ids(db, "quillwort") == ["2401.00001", "2401.00002"]


def test_an_empty_catalog_finds_nothing_and_stays_indexed(db: Database) -> None:
    """A new install searched before its first ingest."""
    assert ids(db, "quillwort") == []
    assert catch_up_reads(db, "since:2024-01-01") == []


def test_a_catalog_behind_its_index_is_indexed_again(db: Database) -> None:
    """A database restored from a backup: its newest stamp is older than the index's."""
    add(db, "2401.00001", "Quillwort networks")
    add(db, "2401.00002", "Zorbulate trees")
    assert ids(db, "quillwort") == ["2401.00001"]
    restore = [
        "DELETE FROM paper WHERE id = '2401.00002'",
        "UPDATE paper SET title = 'Fennel networks' WHERE id = '2401.00001'",
    ]
    db.write_now(lambda s: [s.execute(text(sql)) for sql in restore])
    assert ids(db, "fennel") == ["2401.00001"]
    assert ids(db, "quillwort") == []
    assert catch_up_reads(db, "fennel") == []  # indexed again once, not at every search


def test_a_large_catalog_is_indexed_into_one_segment(sample_catalog: Database) -> None:
    assert ids(sample_catalog, "lora limit:1")
    index = sample_catalog.search_index
    assert index.size >= SETTLE_AFTER  # so its first sync was the rebuild of a large catalog
    assert index.segments == 1  # one term dictionary, not one per segment


def test_without_a_folder_the_index_lives_in_memory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    memory = Database(url, search_dir=None)
    try:
        migrate.upgrade(memory)
        add(memory, "2401.00001", "Quillwort networks")
        assert ids(memory, "quillwort") == ["2401.00001"]
        add(memory, "2401.00002", "Quillwort trees")
        assert sorted(ids(memory, "quillwort")) == ["2401.00001", "2401.00002"]
    finally:
        memory.dispose()
    assert not list(tmp_path.glob("*search*"))  # no index folder beside the file


@pytest.fixture
def commits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry (the searcher's size before it) for each commit of any search index."""
    seen: list[int] = []
    commit = SearchIndex._commit

    def counted(index: SearchIndex) -> None:
        seen.append(index.size)
        commit(index)

    monkeypatch.setattr(SearchIndex, "_commit", counted)
    return seen


def test_a_small_rebuild_commits_once(db: Database, commits: list[int]) -> None:
    db.write_now(
        lambda s: upsert_papers(s, [make_paper(f"2401.0000{i}", "Quillwort") for i in range(3)])
    )
    assert len(ids(db, "quillwort")) == 3
    assert len(commits) == 1


def rebuild_from_scratch(db: Database) -> None:
    shutil.rmtree(db.url.removeprefix("sqlite:///") + "-search")
    assert ids(db, "lora limit:1")
    assert db.search_index.size >= SETTLE_AFTER  # so that was a large rebuild


def test_a_rebuild_that_fits_one_segment_commits_once(
    catalog_db: Database, commits: list[int]
) -> None:
    """The sample fits the rebuild's writer: one segment, no merge to wait for."""
    rebuild_from_scratch(catalog_db)
    assert len(commits) == 1
    assert catalog_db.search_index.segments == 1


def test_a_large_rebuild_commits_eighths_and_later_writes_are_still_indexed(
    catalog_db: Database, commits: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight commits of an eighth of the catalog each: tantivy merges eight segments of one size
    into one (docs/architecture.md). Then the rebuild's writer is closed; a catch-up opens one
    and commits once."""
    monkeypatch.setattr(search_index, "ONE_SEGMENT", SETTLE_AFTER)  # the sample is larger
    add(catalog_db, "2401.99998", "Fennel study")  # the sample is a multiple of eight: no longer
    rebuild_from_scratch(catalog_db)
    rebuilt = len(commits)
    eighth = -(-catalog_db.read_now(count_papers) // 8)
    assert rebuilt == catalog_db.search_index.size // eighth + 1  # and once at the end
    add(catalog_db, "2401.99999", "Quillwort networks")
    assert ids(catalog_db, "quillwort") == ["2401.99999"]
    assert len(commits) == rebuilt + 1


def test_a_search_lists_at_most_its_limit(db: Database) -> None:
    db.write_now(
        lambda s: upsert_papers(s, [make_paper(f"2401.0000{i}", "Quillwort") for i in range(3)])
    )
    db.read_now(db.search_index.sync)
    everything = tantivy.Query.all_query()
    assert [len(db.search_index.search(everything, n)) for n in (0, 1, 2, 5)] == [0, 1, 2, 3]


def test_an_index_that_never_synced_is_empty() -> None:
    index = SearchIndex(None)
    everything = tantivy.Query.all_query()
    assert (index.size, index.segments, index.doc_freq("quillwort")) == (0, 0, 0)
    assert index.search(everything, 5) == []
    assert index.scores(everything, [Hit("2401.00001", 1.0, 0)]) == [0.0]


def test_processes_on_one_machine_take_separate_slots(tmp_path: Path) -> None:
    first, second = claim_slot(tmp_path, slots=2), claim_slot(tmp_path, slots=2)
    assert first.directory is not None
    assert second.directory not in (None, first.directory)
    assert claim_slot(tmp_path, slots=2).directory is None  # all taken: in memory
    first.release()
    first.release()  # a second release changes nothing
    assert claim_slot(tmp_path, slots=2).directory == first.directory


def test_a_slot_folder_is_made_with_its_missing_parents(tmp_path: Path) -> None:
    """A server's index lives deep in a user cache that may not exist yet."""
    base = tmp_path / "cache" / "paperbot" / "search"
    assert claim_slot(base).directory == base / "slot-0"


def test_default_index_places() -> None:
    assert default_search_dir("sqlite:///tmp/x/paperbot.db") == Path("tmp/x/paperbot.db-search")
    assert default_search_dir("sqlite:////tmp/paperbot.db") == Path("/tmp/paperbot.db-search")
    assert default_search_dir("sqlite:///:memory:") is None
    assert default_search_dir("sqlite://") is None
    server = default_search_dir("postgresql+psycopg://u@h/db")
    assert server is not None
    assert server != default_search_dir("postgresql+psycopg://u@h/other")


def test_a_server_index_lives_in_the_users_cache_under_a_digest_of_its_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    url = "postgresql+psycopg://u@h/db"
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    assert default_search_dir(url) == tmp_path / "paperbot" / "search" / digest
