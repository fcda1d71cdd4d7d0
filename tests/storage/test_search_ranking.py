"""Search ranks every match by relevance, alike on SQLite and PostgreSQL (docs/architecture.md)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from bot.search_query import parse_search_query
from loopback.ports import make_paper
from storage.db import Database
from storage.papers import upsert_papers
from storage.search import search_catalog

FILLER = "We measure accuracy on benchmarks and compare training methods across tasks."


def ids(db: Database, text: str) -> list[str]:
    query = parse_search_query(text)
    return [p.id for p in db.read_now(lambda s: search_catalog(s, query, db.search_index)).papers]


def test_the_best_match_wins_over_many_more_upvoted_partial_matches(db: Database) -> None:
    popular = [
        make_paper(f"2301.{i:05d}", f"Quillwort study {i}", summary=FILLER, upvotes=1000 + i)
        for i in range(300)
    ]
    target = make_paper(
        "2401.00001",
        "Quillwort pruning for sparse zorbulate networks",
        summary="Pruning quillwort zorbulate networks.",
        upvotes=0,
    )
    db.write_now(lambda s: upsert_papers(s, [*popular, target]))
    sentence = "how can we prune sparse zorbulate networks with quillwort to make them cheaper"
    assert ids(db, sentence)[0] == "2401.00001"


def test_the_best_match_is_found_among_more_matches_than_the_bonuses_reorder(
    db: Database,
) -> None:
    """The candidates are the best BM25 matches, not the most upvoted of all matches."""
    popular = [
        make_paper(f"2301.{i:05d}", f"Study {i}", summary="Quillwort " + FILLER, upvotes=1000 + i)
        for i in range(100)
    ]
    target = make_paper("2401.00001", "Quillwort", summary=FILLER, upvotes=0)
    db.write_now(lambda s: upsert_papers(s, [*popular, target]))
    assert ids(db, "quillwort")[0] == "2401.00001"


def test_a_long_query_leaves_out_words_most_papers_have(db: Database) -> None:
    """Past six words, a word in more than 5% of the papers no longer finds papers alone."""
    common = [make_paper(f"2301.{i:05d}", f"Networks {i}", summary=FILLER) for i in range(40)]
    target = make_paper("2401.00001", "Quillwort zorbulate fennel borage chervil sorrel")
    db.write_now(lambda s: upsert_papers(s, [*common, target]))
    query = "quillwort zorbulate fennel borage chervil sorrel networks"
    assert ids(db, query) == ["2401.00001"]


def test_a_long_query_keeps_its_six_rarest_words_and_those_in_5_percent(db: Database) -> None:
    """The six rarest by how many papers have them, not the first six by name; a word in
    exactly 5% of the papers still finds papers on its own, one in more does not."""
    fillers = [make_paper(f"2301.{i:05d}", f"Study {i}", summary=FILLER) for i in range(37)]
    target = make_paper("2401.00001", "Quillwort zorbulate plinth gloam snarkle")
    exactly_five_percent = [
        make_paper("2401.00002", "Frobnic one"),
        make_paper("2401.00003", "Frobnic two"),
    ]
    db.write_now(lambda s: upsert_papers(s, [*fillers, target, *exactly_five_percent]))
    # "accuracy" is in the 37 fillers' abstracts, and sorts first by name
    sentence = "accuracy quillwort zorbulate plinth gloam snarkle wuggle frobnic limit:20"
    assert sorted(ids(db, sentence)) == ["2401.00001", "2401.00002", "2401.00003"]
    six_words = ids(db, "accuracy quillwort zorbulate plinth gloam snarkle")
    assert six_words[:2] == ["2401.00001", "2301.00000"]  # six words: every one counts


def test_upvotes_break_near_ties_only(db: Database) -> None:
    db.write_now(
        lambda s: upsert_papers(
            s,
            [
                make_paper("2401.00001", "Quillwort zorbulate networks", summary=FILLER),
                make_paper("2401.00002", "Quillwort networks", summary=FILLER, upvotes=5000),
                make_paper("2401.00003", "Quillwort zorbulate networks", summary=FILLER, upvotes=9),
                make_paper("2401.00004", "Quillwort zorbulate networks", summary=FILLER, upvotes=1),
            ],
        )
    )
    expected = ["2401.00003", "2401.00004", "2401.00001", "2401.00002"]
    assert ids(db, "quillwort zorbulate networks") == expected  # one upvote is more than none


def test_the_query_as_a_phrase_ranks_above_its_words_scattered(db: Database) -> None:
    db.write_now(
        lambda s: upsert_papers(
            s,
            [
                make_paper(
                    "2401.00001",
                    "Networks of experts",
                    summary="Sparse zorbulate routing with a quillwort gate.",
                    upvotes=50,
                ),
                make_paper(
                    "2401.00002",
                    "Networks of experts",
                    summary="A quillwort zorbulate routes tokens sparsely.",
                ),
            ],
        )
    )
    assert ids(db, "quillwort zorbulate") == ["2401.00002", "2401.00001"]


def test_decomposed_and_full_width_text_finds_the_same_papers(db: Database) -> None:
    composed = "Caf\u00e9 quillwort networks"
    db.write_now(
        lambda s: upsert_papers(
            s,
            [
                make_paper("2401.00001", composed),
                make_paper("2401.00002", "\uff3a\uff4f\uff52\uff42 adapters"),  # full-width "Zorb"
            ],
        )
    )
    decomposed = unicodedata.normalize("NFD", "café")
    assert decomposed != "café"
    assert ids(db, decomposed) == ["2401.00001"]
    assert ids(db, "cafe") == ["2401.00001"]
    assert ids(db, "\uff51\uff55\uff49\uff4c\uff4c\uff57\uff4f\uff52\uff54") == ["2401.00001"]
    assert ids(db, "zorb") == ["2401.00002"]
    assert ids(db, "\uff41\uff55\uff54\uff48\uff4f\uff52\uff1a\uff58 zorb") == []  # author:x


def test_author_with_an_exclusion_and_no_other_words_honours_the_exclusion(db: Database) -> None:
    db.write_now(
        lambda s: upsert_papers(
            s,
            [
                make_paper("2401.00001", "Vision transformers", authors=("Tri Dao",), upvotes=9),
                make_paper("2401.00002", "Fast attention kernels", authors=("Tri Dao",)),
                make_paper("2401.00003", "Kernels", authors=("Jane Doe",)),
            ],
        )
    )
    assert ids(db, 'author:"tri dao"') == ["2401.00001", "2401.00002"]
    assert ids(db, 'author:"tri dao" -vision') == ["2401.00002"]


def test_author_matches_names_only(db: Database) -> None:
    db.write_now(
        lambda s: upsert_papers(
            s,
            [
                make_paper("2401.00001", "What Dao found", summary="Tri Dao said so."),
                make_paper("2401.00002", "Kernels", authors=("Tri Dao",)),
            ],
        )
    )
    assert ids(db, 'author:"tri dao"') == ["2401.00002"]


@pytest.mark.usefixtures("machine_in_new_york")
def test_since_is_a_utc_day_whatever_the_database_or_machine_time_zone(db: Database) -> None:
    if db.dialect == "postgresql":  # a server far east of UTC moved the old bound by 14 hours
        db.engine.dispose()
        event.listen(db.engine, "connect", _kiritimati)
    db.write_now(
        lambda s: upsert_papers(
            s,
            [
                make_paper(
                    "2401.00001",
                    "Quillwort late",
                    published_at=datetime(2024, 6, 1, 0, 30, tzinfo=UTC),
                ),
                make_paper(
                    "2401.00002",
                    "Quillwort early",
                    published_at=datetime(2024, 5, 31, 23, 30, tzinfo=UTC),
                ),
            ],
        )
    )
    assert ids(db, "quillwort since:2024-06-01") == ["2401.00001"]
    assert ids(db, "since:2024-06-01") == ["2401.00001"]


def _kiritimati(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("SET TIME ZONE 'Pacific/Kiritimati'")
    cursor.close()
    connection.commit()


def test_filter_only_queries_list_the_most_upvoted_matches(db: Database) -> None:
    new = datetime(2025, 1, 1, tzinfo=UTC)
    db.write_now(
        lambda s: upsert_papers(
            s,
            [
                make_paper(f"2401.{i:05d}", f"Paper {i}", upvotes=i, published_at=new)
                for i in range(9)
            ],
        )
    )
    query = parse_search_query("since:2024-01-01 limit:3")
    result = db.read_now(lambda s: search_catalog(s, query, db.search_index))
    assert [p.id for p in result.papers] == ["2401.00008", "2401.00007", "2401.00006"]
    assert result.scores == (0.0, 0.0, 0.0)  # listed, not ranked: no relevance to show
