"""A paper seen again refreshes the catalog: new upvotes win, missing fields keep what we knew."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.ingest import ingest_days
from loopback.ports import FakeSource, make_paper
from storage.db import Database
from storage.papers import get_paper, trending, upsert_papers

DAY = date(2026, 6, 12)


async def test_a_re_ingest_refreshes_upvotes_and_the_trending_order(db: Database) -> None:
    first = make_paper("2606.00001", "First", hf_daily_date=DAY, upvotes=50)
    second = make_paper("2606.00002", "Second", hf_daily_date=DAY, upvotes=5)
    source = FakeSource(papers={p.id: p for p in (first, second)})
    await ingest_days(db, source, [DAY])
    source.papers[second.id] = replace(second, upvotes=120)
    again = await ingest_days(db, source, [DAY])
    assert (again.added, again.updated) == (0, 2)
    stored = db.read_now(lambda s: get_paper(s, second.id))
    assert stored is not None
    assert stored.upvotes == 120
    assert [p.id for p in db.read_now(lambda s: trending(s, DAY, DAY, 5))] == [second.id, first.id]


def test_a_sighting_without_an_abstract_keeps_the_stored_one(db: Database) -> None:
    full = make_paper("2606.00001", "A paper", summary="What it does, at length.", upvotes=3)
    db.write_now(lambda s: upsert_papers(s, [full]))
    bare = make_paper("2606.00001", "A paper", summary="", upvotes=9)  # e.g. a search hit
    db.write_now(lambda s: upsert_papers(s, [bare]))
    stored = db.read_now(lambda s: get_paper(s, "2606.00001"))
    assert stored is not None
    assert (stored.summary, stored.upvotes) == ("What it does, at length.", 9)
