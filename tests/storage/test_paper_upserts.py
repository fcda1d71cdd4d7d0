"""Paper upserts: a sighting refreshes what it knows and keeps the rest, atomically per paper."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial

from bot.model import Paper
from storage.db import Database
from storage.papers import get_paper, get_papers, upsert_papers
from tests.support.concurrency import run_together
from tests.support.databases import migrated_database, skip_without_postgres
from tests.support.fakes import make_paper

LATER = datetime(2026, 6, 13, tzinfo=UTC)


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
