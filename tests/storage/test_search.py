"""Catalog search: the same tests, and the same ranking, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.model import Paper
from bot.search_query import parse_search_query
from loopback.ports import make_paper
from storage.db import Database
from storage.papers import upsert_papers
from storage.search import SearchResult, search_catalog
from tests.support.queries import delete_paper

FILLER = (
    "We study how models learn representations from data, measure their accuracy on benchmarks "
    "and compare training methods across several tasks and settings in detail."
)


def search(db: Database, text: str) -> SearchResult:
    query = parse_search_query(text)
    return db.read_now(lambda s: search_catalog(s, query, db.search_index))


def ids(db: Database, text: str) -> list[str]:
    return [p.id for p in search(db, text).papers]


def fill(db: Database, papers: list[Paper], filler: int = 30) -> None:
    others = [
        make_paper(f"2301.{i:05d}", f"Filler study {i}", summary=FILLER) for i in range(filler)
    ]
    db.write_now(lambda s: upsert_papers(s, [*others, *papers]))


def test_title_outranks_keywords_outranks_abstract(db: Database) -> None:
    fill(
        db,
        [
            make_paper(  # the most upvoted: only the keyword bonus puts 00002 above it
                "2401.00003", "A study of methods", summary=f"{FILLER} Zorbulate.", upvotes=50
            ),
            make_paper(
                "2401.00002", "A study of methods", summary=FILLER, ai_keywords=("zorbulate",)
            ),
            make_paper("2401.00001", "A zorbulate study", summary=FILLER),
        ],
    )
    assert ids(db, "zorbulate") == ["2401.00001", "2401.00002", "2401.00003"]


def test_a_word_said_more_often_ranks_higher_than_upvotes(db: Database) -> None:
    """Nothing but BM25 tells these apart: no title, keyword or phrase bonus applies."""
    fill(
        db,
        [
            make_paper("2401.00001", "A study", summary=f"{FILLER} Zorbulate.", upvotes=90),
            make_paper(
                "2401.00002", "A study", summary=f"{FILLER} Zorbulate, zorbulate, zorbulate."
            ),
        ],
    )
    assert ids(db, "zorbulate") == ["2401.00002", "2401.00001"]


def test_equal_papers_score_alike_however_many_match(db: Database) -> None:
    """Every candidate gets its bonuses, not only the first ten (tantivy's default top-k)."""
    same = [make_paper(f"2401.{i:05d}", "Quillwort zorbulate networks") for i in range(15)]
    fill(db, same)
    scores = search(db, "quillwort zorbulate limit:15").scores
    assert len(scores) == 15
    assert len(set(scores)) == 1


def test_equal_matches_are_ordered_by_upvotes(db: Database) -> None:
    fill(
        db,
        [
            make_paper("2401.00001", "Quillwort networks", summary=FILLER, upvotes=3),
            make_paper("2401.00002", "Quillwort networks", summary=FILLER, upvotes=90),
        ],
    )
    assert ids(db, "quillwort") == ["2401.00002", "2401.00001"]


def test_words_are_stemmed(db: Database) -> None:
    fill(db, [make_paper("2401.00001", "Parameter-efficient adaptation of transformers")])
    assert ids(db, "adapting transformer") == ["2401.00001"]


def test_quoted_phrases_need_the_words_in_order(db: Database) -> None:
    fill(
        db,
        [
            make_paper("2401.00001", "Low-rank experts for language models"),
            make_paper("2401.00002", "Rank the experts, low and high"),
        ],
    )
    assert ids(db, '"low rank" experts') == ["2401.00001"]
    assert sorted(ids(db, "low rank experts")) == ["2401.00001", "2401.00002"]


def test_a_quoted_phrase_of_three_words_needs_them_adjacent(db: Database) -> None:
    fill(
        db,
        [
            make_paper("2401.00001", "A quillwort root growth model"),
            make_paper("2401.00002", "Root causes of quillwort growth"),
            # every adjacent pair of the phrase is here, but not the three words in a row
            make_paper("2401.00003", "Quillwort root systems and root growth"),
        ],
    )
    assert ids(db, '"quillwort root growth"') == ["2401.00001"]
    assert sorted(ids(db, "quillwort root growth")) == ["2401.00001", "2401.00002", "2401.00003"]


def test_a_three_word_phrase_answer_looks_past_papers_without_it_in_a_row(db: Database) -> None:
    """The index finds the phrase's pairs anywhere in a paper; the papers read for the answer
    are checked, and those without the words in a row are replaced by the next matches."""
    fill(
        db,
        [
            make_paper("2401.00001", "Quillwort root growth", upvotes=100),
            make_paper("2401.00002", "Quillwort root systems and root growth", upvotes=50),
            make_paper("2401.00003", "A quillwort root growth model", summary=FILLER),
        ],
    )
    assert ids(db, '"quillwort root growth" limit:2') == ["2401.00001", "2401.00003"]
    assert ids(db, '"quillwort root growth" limit:1') == ["2401.00001"]


def test_a_quoted_phrase_left_with_one_word_for_the_index_is_that_word(db: Database) -> None:
    """The grammar keeps ``_`` as a word (``\\w``); the index's words are letters and digits."""
    fill(db, [make_paper("2401.00001", "Quillwort networks")])
    assert ids(db, '"quillwort _"') == ["2401.00001"]


def test_a_quoted_phrase_skips_stopwords_between_its_words(db: Database) -> None:
    fill(
        db,
        [
            make_paper("2401.00001", "Language models of code"),
            make_paper("2401.00002", "Code for language models"),
        ],
    )
    assert ids(db, '"models for code"') == ["2401.00001"]


def test_a_quoted_phrase_matches_an_author_name(db: Database) -> None:
    fill(
        db,
        [
            make_paper("2401.00001", "Quillwort one", authors=("Tri Dao",)),
            make_paper("2401.00002", "Quillwort two", authors=("Dao Tri",)),
        ],
    )
    assert ids(db, '"tri dao"') == ["2401.00001"]


def test_prefix_terms_match_word_beginnings(db: Database) -> None:
    fill(db, [make_paper("2401.00001", "Zorbulation at scale"), make_paper("2401.00002", "Zorb")])
    assert sorted(ids(db, "zorbu*")) == ["2401.00001"]


def test_excluded_words_remove_matches(db: Database) -> None:
    fill(
        db,
        [
            make_paper("2401.00001", "Quillwort vision models"),
            make_paper("2401.00002", "Quillwort language models"),
        ],
    )
    assert ids(db, "quillwort -vision") == ["2401.00002"]


def test_author_since_and_limit_filters(db: Database) -> None:
    old = datetime(2023, 5, 1, tzinfo=UTC)
    new = datetime(2025, 5, 1, tzinfo=UTC)
    fill(
        db,
        [
            make_paper("2401.00001", "Quillwort one", authors=("Tri Dao",), published_at=old),
            make_paper("2401.00002", "Quillwort two", authors=("Jane Doe",), published_at=new),
            make_paper("2401.00003", "Quillwort three", authors=("Tri Dao",), published_at=new),
        ],
    )
    assert sorted(ids(db, 'quillwort author:"tri dao"')) == ["2401.00001", "2401.00003"]
    assert sorted(ids(db, "quillwort since:2024-01-01")) == ["2401.00002", "2401.00003"]
    assert ids(db, 'author:"Tri Dao" since:2024-01-01') == ["2401.00003"]
    assert len(ids(db, "quillwort limit:2")) == 2


def test_the_largest_limit_lists_that_many_matches(db: Database) -> None:
    new = datetime(2025, 5, 1, tzinfo=UTC)
    fill(db, [make_paper(f"2401.{i:05d}", f"Quillwort {i}", published_at=new) for i in range(25)])
    assert len(ids(db, "quillwort limit:20")) == 20
    assert len(ids(db, "since:2024-01-01 limit:20")) == 20


def test_when_no_paper_has_every_word_any_word_matches(db: Database) -> None:
    fill(db, [make_paper("2401.00001", "Quillwort networks")])
    query = parse_search_query("quillwort nonexistentword")
    result = db.read_now(lambda s: search_catalog(s, query, db.search_index))
    assert [p.id for p in result.papers] == ["2401.00001"]
    assert result.matched_any


def test_a_paper_with_every_word_is_not_a_partial_match(db: Database) -> None:
    fill(db, [make_paper("2401.00001", "Quillwort zorbulate networks")])
    assert not search(db, "quillwort zorbulate").matched_any
    assert not search(db, "quillwort").matched_any  # one word: found means every word
    assert search(db, "nonexistentword otherword").papers == []
    assert not search(db, "nonexistentword otherword").matched_any


def test_a_quoted_phrase_found_with_some_of_the_other_words_is_a_partial_match(
    db: Database,
) -> None:
    fill(db, [make_paper("2401.00001", "Low-rank experts")])
    result = search(db, '"low rank" zorbulate experts')
    assert [p.id for p in result.papers] == ["2401.00001"]
    assert result.matched_any


def test_a_hyphenated_word_ranks_its_words_together_first_without_needing_them(
    db: Database,
) -> None:
    fill(
        db,
        [
            make_paper("2401.00001", "Zorbulate methods for quillwort", upvotes=50),
            make_paper("2401.00002", "Quillwort zorbulate methods"),
            make_paper("2401.00003", "Quillwort methods", upvotes=90),
            make_paper("2401.00004", "Plinth methods"),
        ],
    )
    assert ids(db, "quillwort-zorbulate") == ["2401.00002", "2401.00001", "2401.00003"]
    assert sorted(ids(db, "plinth quillwort-zorbulate")) == [
        "2401.00001",
        "2401.00002",
        "2401.00003",
        "2401.00004",
    ]


def test_a_hyphenated_word_of_stopwords_only_needs_both_words(db: Database) -> None:
    """Its words make no pair (pairs skip stopwords), so it is the two words, anywhere."""
    fill(
        db,
        [
            make_paper("2401.00001", "Quillworts of the north"),
            make_paper("2401.00002", "Quillworts of note"),
        ],
    )
    result = search(db, "of-the")
    assert [p.id for p in result.papers] == ["2401.00001", "2401.00002"]
    assert not result.matched_any


def test_a_hyphenated_word_found_only_apart_is_a_partial_match(db: Database) -> None:
    """The paper has both words, but not the hyphenated word as such."""
    fill(db, [make_paper("2401.00001", "Zorbulate methods for quillwort")])
    result = search(db, "quillwort-zorbulate")
    assert [p.id for p in result.papers] == ["2401.00001"]
    assert result.matched_any


def test_index_follows_updates_and_deletes(db: Database) -> None:
    fill(db, [make_paper("2401.00001", "Quillwort networks")])
    db.write_now(lambda s: upsert_papers(s, [make_paper("2401.00001", "Zorbulate networks")]))
    assert ids(db, "quillwort") == []
    assert ids(db, "zorbulate") == ["2401.00001"]
    db.write_now(lambda s: delete_paper(s, "2401.00001"))
    assert ids(db, "zorbulate") == []


def test_index_rolls_back_with_the_paper(db: Database) -> None:
    fill(db, [])

    def add_then_fail(session: object) -> None:
        upsert_papers(session, [make_paper("2401.00001", "Quillwort networks")])  # type: ignore[arg-type]
        raise RuntimeError("crash after the write")

    with pytest.raises(RuntimeError):
        db.write_now(add_then_fail)  # type: ignore[arg-type]
    assert ids(db, "quillwort") == []


HOSTILE = [
    '"unbalanced quote',
    "*",
    "lora*",
    "attention AND",
    "NEAR(attention model)",
    "(((",
    ")",
    "-",
    "- -",
    "🚀 🔥 emoji",
    "'; DROP TABLE paper; --",
    "title:lora",
    "col : x",
    "^lora",
    "a:b:c",
    "NOT",
    "OR OR OR",
    "\\x00 \x00 nul",
    "x" * 10_000,
    " ".join(["attention"] * 2_000),
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_return_results_or_nothing_never_raise(
    sample_catalog: Database, text: str
) -> None:
    assert len(search(sample_catalog, text).papers) <= parse_search_query(text).limit


def test_real_sample_search_finds_titles(sample_catalog: Database) -> None:
    papers = search(sample_catalog, "lora limit:5").papers
    assert len(papers) == 5
    assert all("lora" in p.title.lower() for p in papers[:3])


def test_trending_day_window_has_that_days_papers(sample_catalog: Database) -> None:
    from storage.papers import trending

    day = date(2026, 6, 12)
    papers = sample_catalog.read_now(lambda s: trending(s, day, day, 50))
    assert len(papers) == 30
    assert [p.upvotes for p in papers] == sorted((p.upvotes for p in papers), reverse=True)


def test_since_follows_a_corrected_publication_date(db: Database) -> None:
    early, late = datetime(2023, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
    fill(db, [make_paper("2401.00001", "Quillwort networks", published_at=early)])
    assert ids(db, "quillwort since:2024-06-01") == []
    fixed = make_paper("2401.00001", "Quillwort networks", published_at=late)
    db.write_now(lambda s: upsert_papers(s, [fixed]))
    assert ids(db, "quillwort since:2024-06-01") == ["2401.00001"]


def test_a_quoted_phrase_found_without_any_of_the_other_words_is_a_partial_match(
    db: Database,
) -> None:
    fill(db, [make_paper("2401.00001", "Low-rank adapters")])
    result = search(db, '"low rank" zorbulate')
    assert [p.id for p in result.papers] == ["2401.00001"]
    assert result.matched_any
    assert search(db, '"quillwort networks" zorbulate').papers == []  # the phrase must match


def test_papers_with_the_phrase_and_the_other_words_come_before_those_with_the_phrase_only(
    db: Database,
) -> None:
    fill(
        db,
        [
            make_paper("2401.00001", "Low-rank adapters", upvotes=90),
            make_paper("2401.00002", "Low-rank zorbulate adapters"),
        ],
    )
    result = search(db, '"low rank" zorbulate')
    assert [p.id for p in result.papers] == ["2401.00002", "2401.00001"]
    assert not result.matched_any
