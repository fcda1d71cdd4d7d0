"""New papers go in as plain inserts on the driver (a first start's sample): they must store
exactly what the merging upsert stores, and a paper another writer inserted meanwhile is merged."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from bot.model import Paper, UpsertResult
from storage import papers as catalog
from storage.db import Database, insert_new_rows
from storage.papers import merge_sighting, upsert_papers
from storage.tables import PAPER_TABLE
from tests.storage.test_paper_upserts import FULL

FETCHED = datetime(2026, 6, 13, 8, 30, 15, 123456, tzinfo=UTC)
# Every column set, times to the microsecond, text beyond ASCII.
EVERY_FIELD = replace(
    FULL,
    title="Quillwort networks — ß, 東京, emoji 🌿",
    summary="An abstract.\n\nIts second paragraph.",
    authors=("Ada Lovelace", 'Grace "Amazing" Hopper'),
    published_at=datetime(2026, 6, 10, 9, 1, 2, 999999, tzinfo=UTC),
    fetched_at=FETCHED,
)
# Only what a paper must have: every optional column left empty.
BARE = Paper(id="2401.00002", title="Bare", fetched_at=FETCHED)


def raw_rows(session: Session) -> list[tuple[Any, ...]]:
    """Every column of every paper, as the database holds it."""
    return [tuple(row) for row in session.execute(text("SELECT * FROM paper ORDER BY id"))]


def stored_by_the_merging_upsert(session: Session, papers: list[Paper]) -> list[tuple[Any, ...]]:
    """What SQLAlchemy's own execution of the merging upsert stores, stamped as upsert_papers
    stamps (from 1, in id order)."""
    written = sorted(papers, key=lambda p: p.id)
    rows = [catalog._row_values(p) | {"search_seq": n} for n, p in enumerate(written, start=1)]
    session.execute(catalog._upsert_statement(session), rows)
    return raw_rows(session)


def test_new_papers_are_stored_exactly_as_the_merging_upsert_stores_them(
    db: Database, sample_papers: list[Paper]
) -> None:
    papers = [EVERY_FIELD, BARE, *sample_papers[:300]]

    result = db.write_now(lambda s: upsert_papers(s, papers))
    inserted = db.read_now(raw_rows)
    db.write_now(lambda s: s.execute(text("DELETE FROM paper")))
    merged = db.write_now(lambda s: stored_by_the_merging_upsert(s, papers))

    assert (result.added, result.updated) == (len(papers), 0)
    assert len(inserted) == len(papers)
    assert inserted == merged


def test_inserting_skips_rows_already_there_and_counts_the_rest(db: Database) -> None:
    db.write_now(lambda s: upsert_papers(s, [EVERY_FIELD]))
    rows = [
        catalog._row_values(p) | {"search_seq": 9}
        for p in (replace(EVERY_FIELD, title="Not this"), BARE)
    ]

    assert db.write_now(lambda s: insert_new_rows(s, PAPER_TABLE, rows)) == 1
    assert db.write_now(lambda s: insert_new_rows(s, PAPER_TABLE, [])) == 0
    titles = db.read_now(lambda s: s.execute(text("SELECT title FROM paper ORDER BY id")).all())
    assert [t for (t,) in titles] == [EVERY_FIELD.title, BARE.title]


def test_a_paper_another_writer_inserted_after_the_read_is_merged_not_lost(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.write_now(lambda s: upsert_papers(s, [EVERY_FIELD]))
    sighting = Paper(id=EVERY_FIELD.id, title="", upvotes=9, fetched_at=FETCHED)
    # The read before the write misses it, as if another writer's insert had just committed.
    monkeypatch.setattr(catalog, "get_papers", lambda _session, _ids: {})

    result = db.write_now(lambda s: upsert_papers(s, [sighting, BARE]))

    assert result == UpsertResult(added=2, updated=0, ids=(EVERY_FIELD.id, BARE.id))
    monkeypatch.undo()
    found = db.read_now(lambda s: catalog.get_papers(s, [EVERY_FIELD.id, BARE.id]))
    expected = merge_sighting(EVERY_FIELD, sighting)
    assert found[EVERY_FIELD.id].upvotes == expected.upvotes == 9
    assert found[EVERY_FIELD.id].title == EVERY_FIELD.title
    assert found[EVERY_FIELD.id].summary == EVERY_FIELD.summary
    assert found[BARE.id].title == BARE.title
