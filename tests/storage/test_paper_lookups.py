"""Reading the catalog: papers by id, the count, the newest Daily Papers day, trending windows."""

from __future__ import annotations

from datetime import date

from loopback.ports import make_paper
from storage.db import Database
from storage.papers import (
    count_papers,
    get_paper,
    get_papers,
    latest_daily_date,
    trending,
    upsert_papers,
)
from tests.support.queries import delete_paper

JUNE_10, JUNE_11, JUNE_12 = date(2026, 6, 10), date(2026, 6, 11), date(2026, 6, 12)


def catalog(db: Database) -> None:
    """Two papers on 10 June, three on 11 June (two tied), one on 12 June, one undated.

    Of the tied two, the later id is written first, so the rows' own order is not the ids'.
    """
    tied_first = make_paper("c11", "Eleventh, tied", hf_daily_date=JUNE_11, upvotes=20)
    db.write_now(lambda s: upsert_papers(s, [tied_first]))
    papers = [
        make_paper("d10", "Tenth", hf_daily_date=JUNE_10, upvotes=50),
        make_paper("e10", "Tenth too", hf_daily_date=JUNE_10, upvotes=1),
        make_paper("a11", "Eleventh, tied too", hf_daily_date=JUNE_11, upvotes=20),
        make_paper("b11", "Eleventh, most upvoted", hf_daily_date=JUNE_11, upvotes=30),
        make_paper("f12", "Twelfth", hf_daily_date=JUNE_12, upvotes=5),
        make_paper("g00", "Never on Daily Papers", upvotes=99),
    ]
    db.write_now(lambda s: upsert_papers(s, papers))


def trending_ids(db: Database, start: date, end: date, limit: int = 10) -> list[str]:
    return [p.id for p in db.read_now(lambda s: trending(s, start, end, limit))]


def test_trending_has_both_end_days_most_upvoted_first_ties_by_id(db: Database) -> None:
    catalog(db)
    assert trending_ids(db, JUNE_11, JUNE_11) == ["b11", "a11", "c11"]
    assert trending_ids(db, JUNE_10, JUNE_12) == ["d10", "b11", "a11", "c11", "f12", "e10"]
    assert trending_ids(db, JUNE_11, JUNE_12) == ["b11", "a11", "c11", "f12"]


def test_trending_returns_at_most_the_limit(db: Database) -> None:
    catalog(db)
    assert trending_ids(db, JUNE_10, JUNE_12, limit=2) == ["d10", "b11"]


def test_latest_daily_date_is_the_newest_day_on_or_before_the_one_given(db: Database) -> None:
    assert db.read_now(latest_daily_date) is None
    catalog(db)
    assert db.read_now(latest_daily_date) == JUNE_12
    assert db.read_now(lambda s: latest_daily_date(s, on_or_before=JUNE_11)) == JUNE_11
    assert db.read_now(lambda s: latest_daily_date(s, on_or_before=date(2026, 6, 9))) is None


def test_papers_are_found_by_id_and_unknown_ids_are_left_out(db: Database) -> None:
    catalog(db)
    found = db.read_now(lambda s: get_papers(s, ["a11", "zzz", "f12"]))
    assert {i: p.title for i, p in found.items()} == {"a11": "Eleventh, tied too", "f12": "Twelfth"}
    assert db.read_now(lambda s: get_paper(s, "zzz")) is None
    paper = db.read_now(lambda s: get_paper(s, "b11"))
    assert paper is not None
    assert (paper.id, paper.upvotes) == ("b11", 30)


def test_a_deleted_paper_is_gone_and_no_longer_counted(db: Database) -> None:
    assert db.read_now(count_papers) == 0
    catalog(db)
    assert db.read_now(count_papers) == 7
    db.write_now(lambda s: delete_paper(s, "b11"))
    assert db.read_now(count_papers) == 6
    assert db.read_now(lambda s: get_paper(s, "b11")) is None
    assert db.read_now(lambda s: get_paper(s, "a11")) is not None
