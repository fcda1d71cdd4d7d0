"""Paper upserts: a sighting refreshes what it knows and keeps the rest, atomically per paper."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from bot.model import Paper, UpsertResult
from loopback.ports import make_paper
from storage.db import Database
from storage.papers import get_paper, get_papers, merge_sighting, upsert_papers
from tests.support.concurrency import run_together
from tests.support.databases import migrated_database, skip_without_postgres

LATER = datetime(2026, 6, 13, tzinfo=UTC)
# Every field set, and a second sighting of it with every field different (comments grown).
FULL = make_paper(
    "2401.00001",
    "Quillwort networks",
    summary="An abstract.",
    authors=("Ada", "Grace"),
    published_at=datetime(2026, 6, 10, 9, tzinfo=UTC),
    hf_daily_date=date(2026, 6, 12),
    upvotes=3,
    num_comments=4,
    github_repo="https://github.com/x/y",
    github_stars=7,
    project_page="https://example.org/q",
    ai_summary="Ferns, networked.",
    ai_keywords=("ferns", "graphs"),
    thumbnail="https://example.org/q.png",
    organization="fernlab",
    organization_name="Fern Lab",
    submitted_by="ada",
    submitted_by_name="Ada L.",
)
RENEWED = replace(
    FULL,
    title="Quillwort networks, revised",
    summary="A new abstract.",
    authors=("Ada", "Grace", "Alan"),
    published_at=datetime(2026, 6, 11, 9, tzinfo=UTC),
    hf_daily_date=date(2026, 6, 13),
    upvotes=2,
    num_comments=5,
    github_repo="https://github.com/x/z",
    github_stars=0,
    project_page="https://example.org/r",
    ai_summary="Ferns, rewired.",
    ai_keywords=("mosses",),
    thumbnail="https://example.org/r.png",
    fetched_at=LATER,
    organization="mosslab",
    organization_name="Moss Lab",
    submitted_by="grace",
    submitted_by_name="Grace H.",
)
# A sighting that knows only the id and a new upvote count.
BARE = Paper(id="2401.00001", title="", upvotes=9, fetched_at=LATER)


def as_utc(paper: Paper) -> Paper:
    """The paper with its times in UTC (SQLite hands them back without a zone)."""

    def utc(moment: datetime | None) -> datetime | None:
        if moment is None or moment.tzinfo is not None:
            return moment
        return moment.replace(tzinfo=UTC)

    return replace(paper, published_at=utc(paper.published_at), fetched_at=utc(paper.fetched_at))


def stamps(db: Database) -> list[tuple[str, int]]:
    """Each paper's id and ``search_seq``, in stamp order."""
    query = text("SELECT id, search_seq FROM paper ORDER BY search_seq")
    return db.read_now(lambda s: [(r[0], r[1]) for r in s.execute(query)])


def stored(db: Database, paper_id: str) -> Paper:
    paper = db.read_now(lambda s: get_paper(s, paper_id))
    assert paper is not None
    return paper


def test_a_sighting_refreshes_upvotes_and_keeps_what_it_lacks(db: Database) -> None:
    full = make_paper(
        "2401.00001",
        "Quillwort networks",
        summary="An abstract.",
        authors=("Ada",),
        ai_keywords=("ferns",),
        github_repo="https://github.com/x/y",
        github_stars=7,
        num_comments=4,
        upvotes=3,
        hf_daily_date=date(2026, 6, 12),
    )
    db.write_now(lambda s: upsert_papers(s, [full]))
    bare = make_paper("2401.00001", "Quillwort networks", upvotes=9, fetched_at=LATER)
    result = db.write_now(lambda s: upsert_papers(s, [bare]))
    assert (result.added, result.updated) == (0, 1)
    paper = stored(db, "2401.00001")
    assert paper.upvotes == 9
    assert paper.fetched_at is not None
    assert paper.fetched_at.date() == LATER.date()
    assert paper.summary == "An abstract."
    assert (paper.authors, paper.ai_keywords) == (("Ada",), ("ferns",))
    assert (paper.github_repo, paper.github_stars, paper.num_comments) == (
        "https://github.com/x/y",
        7,
        4,
    )
    assert paper.hf_daily_date == date(2026, 6, 12)


def test_upvotes_may_go_down_but_comments_only_grow(db: Database) -> None:
    db.write_now(lambda s: upsert_papers(s, [make_paper("1", "T", upvotes=5, num_comments=3)]))
    db.write_now(lambda s: upsert_papers(s, [make_paper("1", "T", upvotes=2, num_comments=1)]))
    paper = stored(db, "1")
    assert (paper.upvotes, paper.num_comments) == (2, 3)


def test_concurrent_upserts_of_the_same_new_papers_all_succeed_on_postgresql(
    tmp_path: object,
) -> None:
    skip_without_postgres()
    with migrated_database("postgresql", tmp_path) as db:  # type: ignore[arg-type]
        for round_ in range(3):
            ids = [f"2607.{round_}{i:04d}" for i in range(50)]

            def write(worker: int, ids: list[str] = ids) -> None:
                # Each writer sees the papers in its own order and with its own upvotes.
                order = ids if worker % 2 else list(reversed(ids))
                papers = [make_paper(i, f"Paper {i}", upvotes=worker) for i in order]
                db.write_now(lambda s: upsert_papers(s, papers))

            assert run_together(8, write) == []
            found = db.read_now(partial(get_papers, paper_ids=ids))
            assert sorted(found) == ids
            assert {p.upvotes for p in found.values()} <= set(range(8))


def test_merging_a_sighting_with_every_field_new_gives_the_sighting() -> None:
    assert merge_sighting(FULL, RENEWED) == RENEWED


def test_merging_a_bare_sighting_keeps_every_known_field_but_upvotes_and_fetch_time() -> None:
    assert merge_sighting(FULL, BARE) == replace(FULL, upvotes=9, fetched_at=LATER)


def test_merging_keeps_the_larger_comment_count_and_takes_zero_stars() -> None:
    merged = merge_sighting(FULL, replace(FULL, num_comments=1, github_stars=0))
    assert (merged.num_comments, merged.github_stars) == (4, 0)
    assert merge_sighting(FULL, replace(FULL, github_stars=None)).github_stars == 7


def test_a_sighting_with_every_field_new_is_stored_whole(db: Database) -> None:
    db.write_now(lambda s: upsert_papers(s, [FULL]))
    db.write_now(lambda s: upsert_papers(s, [RENEWED]))
    assert as_utc(stored(db, FULL.id)) == RENEWED


def test_a_bare_sighting_changes_only_upvotes_and_fetch_time_in_storage(db: Database) -> None:
    db.write_now(lambda s: upsert_papers(s, [FULL]))
    db.write_now(lambda s: upsert_papers(s, [BARE]))
    assert as_utc(stored(db, FULL.id)) == replace(FULL, upvotes=9, fetched_at=LATER)


def test_a_sighting_that_adds_nothing_is_counted_but_not_stamped_again(db: Database) -> None:
    db.write_now(lambda s: upsert_papers(s, [FULL]))
    before = stamps(db)
    lacking = Paper(id=FULL.id, title="", upvotes=FULL.upvotes, fetched_at=FULL.fetched_at)
    for sighting in (FULL, lacking, replace(FULL, num_comments=1, github_stars=None)):
        result = db.write_now(partial(upsert_papers, papers=[sighting]))
        assert result == UpsertResult(added=0, updated=1, ids=(FULL.id,))
    assert stamps(db) == before


def test_a_batch_keeps_each_papers_last_sighting_and_reports_ids_once(db: Database) -> None:
    batch = [make_paper("b", "B", upvotes=1), make_paper("a", "A"), make_paper("b", "B", upvotes=5)]
    result = db.write_now(lambda s: upsert_papers(s, batch))
    assert result == UpsertResult(added=2, updated=0, ids=("b", "a"))
    assert stored(db, "b").upvotes == 5


def test_an_empty_batch_writes_nothing(db: Database) -> None:
    assert db.write_now(lambda s: upsert_papers(s, [])) == UpsertResult()
    assert stamps(db) == []


def test_a_paper_without_a_fetch_time_is_refused(db: Database) -> None:
    unfetched = Paper(id="2401.00009", title="Never fetched")
    with pytest.raises(ValueError, match=r"^paper 2401\.00009 has no fetched_at$"):
        db.write_now(lambda s: upsert_papers(s, [unfetched]))


def test_batches_larger_than_a_chunk_are_written_whole_and_stamped_in_id_order(
    db: Database,
) -> None:
    ids = [f"2601.{i:05d}" for i in range(1201)]
    shuffled = random.Random(7).sample(ids, len(ids))
    result = db.write_now(lambda s: upsert_papers(s, [make_paper(i, i) for i in shuffled]))
    assert (result.added, result.updated, result.ids) == (1201, 0, tuple(shuffled))
    assert stamps(db) == [(i, n) for n, i in enumerate(ids, start=1)]

    changed = ids[::2]  # every other paper, in each chunk; the rest seen again unchanged
    again = [make_paper(i, i, upvotes=1 if i in changed else 0) for i in shuffled]
    result = db.write_now(lambda s: upsert_papers(s, again))
    assert (result.added, result.updated) == (0, 1201)
    restamped = [(i, n) for n, i in enumerate(changed, start=1202)]
    kept = [(i, n) for n, i in enumerate(ids, start=1) if i not in changed]
    assert stamps(db) == kept + restamped


def test_new_and_refreshed_papers_of_a_batch_are_stamped_in_id_order(db: Database) -> None:
    db.write_now(lambda s: upsert_papers(s, [make_paper("b", "B")]))
    batch = [make_paper("c", "C"), make_paper("b", "B", upvotes=4), make_paper("a", "A")]
    db.write_now(lambda s: upsert_papers(s, batch))
    assert stamps(db) == [("a", 2), ("b", 3), ("c", 4)]


def test_a_postgresql_writer_holds_the_stamp_lock_in_its_transaction(tmp_path: Path) -> None:
    skip_without_postgres()
    held = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
    )

    def upsert_counting_locks(session: Session) -> tuple[int, int]:
        before = session.execute(held).scalar_one()
        upsert_papers(session, [make_paper("2401.00001", "Quillwort networks")])
        return before, session.execute(held).scalar_one()

    with migrated_database("postgresql", tmp_path) as db:
        assert db.write_now(upsert_counting_locks) == (0, 1)
