"""Relevance scores: BM25 over the combined field plus the bonuses docs/architecture.md lists.

The papers of each test have the same words, as many, in another place: their BM25 is the same,
so their scores differ by exactly the bonuses of where the words stand.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from bot.model import Paper
from loopback.ports import make_paper
from storage.db import Database
from storage.papers import upsert_papers
from storage.search_plan import EVERY_WORD
from tests.storage.test_search import search


def scores(db: Database, text: str) -> dict[str, float]:
    result = search(db, text)
    return dict(zip((p.id for p in result.papers), result.scores, strict=True))


def paper(number: int, title: str, summary: str, **fields: object) -> Paper:
    return make_paper(f"2401.{number:05d}", title, summary=summary, **fields)


def points_over_the_last(db: Database, query: str, papers: list[Paper]) -> list[float]:
    """How much more each paper scores than the last of ``papers``."""
    db.write_now(lambda s: upsert_papers(s, papers))
    got = scores(db, f"{query} limit:10")
    return [got[p.id] - got[papers[-1].id] for p in papers[:-1]]


def test_a_word_in_the_title_earns_2_points_and_in_the_keywords_1(db: Database) -> None:
    papers = [
        paper(1, "Quillwort study", "plain alpha beta"),
        paper(2, "Plain study", "alpha beta", ai_keywords=("quillwort",)),
        paper(3, "Plain study", "quillwort alpha beta"),
    ]
    assert points_over_the_last(db, "quillwort", papers) == pytest.approx([2.0, 1.0], abs=1e-3)
    # Okapi BM25 alone in the abstract: with every paper as long, one occurrence scores the idf
    # of a word that all three papers have.
    alone = scores(db, "quillwort")["2401.00003"]
    assert alone == pytest.approx(math.log(1 + 0.5 / 3.5), rel=1e-3)


def test_the_title_and_keyword_points_are_shared_out_between_the_words(db: Database) -> None:
    papers = [
        paper(1, "Quillwort study", "plain alpha zorbulate beta"),
        paper(2, "Plain study", "alpha zorbulate beta", ai_keywords=("quillwort",)),
        paper(3, "Plain study", "quillwort alpha zorbulate beta"),
    ]
    got = points_over_the_last(db, "quillwort zorbulate", papers)
    assert got == pytest.approx([1.0, 0.5], abs=1e-3)


def test_the_words_in_order_earn_3_points_in_the_title_and_2_anywhere(db: Database) -> None:
    papers = [
        paper(1, "Quillwort zorbulate", "plain study alpha beta"),
        paper(2, "Plain study", "alpha quillwort zorbulate beta"),
        paper(3, "Plain study", "quillwort alpha zorbulate beta"),
    ]
    # the title's words (1 + 1), in order there (3), and so in order in the text (2)
    got = points_over_the_last(db, "quillwort zorbulate", papers)
    assert got == pytest.approx([7.0, 2.0], abs=1e-3)


def test_the_words_in_order_in_the_title_may_have_two_words_between(db: Database) -> None:
    papers = [
        paper(1, "Quillwort of the zorbulate", "plain study alpha"),
        paper(2, "Plain study", "quillwort of the alpha zorbulate"),
    ]
    # the title's words (1 + 1), in order there with "of the" between (3), and the pair in the
    # text, which skips stopwords (2)
    got = points_over_the_last(db, "quillwort zorbulate", papers)
    assert got == pytest.approx([7.0], abs=1e-3)


def test_each_adjacent_pair_of_a_longer_query_earns_its_share_of_1_point(db: Database) -> None:
    papers = [
        paper(1, "Plain study", "alpha quillwort zorbulate plinth"),
        paper(2, "Plain study", "quillwort zorbulate alpha plinth"),
        paper(3, "Plain study", "zorbulate alpha quillwort plinth"),
    ]
    # all the pairs in order (2), and each of the two pairs (1/2 each)
    got = points_over_the_last(db, "quillwort zorbulate plinth", papers)
    assert got == pytest.approx([3.0, 0.5], abs=1e-3)


def test_the_every_word_marker_is_not_part_of_a_score(db: Database) -> None:
    papers = [paper(1, "Plain study", "quillwort alpha zorbulate"), paper(2, "Plain", "quillwort")]
    db.write_now(lambda s: upsert_papers(s, papers))
    result = search(db, "quillwort zorbulate limit:10")
    assert [p.id for p in result.papers] == ["2401.00001", "2401.00002"]
    assert not result.matched_any
    assert 0 < result.scores[1] < result.scores[0] < 10 < EVERY_WORD


def test_filters_add_nothing_to_the_score(db: Database) -> None:
    new = datetime(2025, 5, 1, tzinfo=UTC)
    papers = [
        paper(1, "Quillwort study", "plain alpha beta", authors=("Tri Dao",), published_at=new),
        paper(2, "Plain study", "quillwort alpha beta"),
    ]
    db.write_now(lambda s: upsert_papers(s, papers))
    alone = {"2401.00001": pytest.approx(scores(db, "quillwort")["2401.00001"], abs=1e-4)}
    assert scores(db, 'quillwort author:"tri dao"') == alone
    assert scores(db, "quillwort since:2024-01-01") == alone
