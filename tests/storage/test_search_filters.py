"""Search filters on both databases: since: with or without words, author: on authors only, and
exclusions kept when search falls back to any word. About which papers match, not their order."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.search_query import parse_search_query
from loopback.ports import make_paper
from storage.db import Database
from storage.papers import upsert_papers
from storage.search import search_catalog

OLD = datetime(2023, 5, 1, 12, tzinfo=UTC)
NEW = datetime(2025, 5, 1, 12, tzinfo=UTC)


def found(db: Database, text: str) -> set[str]:
    query = parse_search_query(text)
    return {p.id for p in db.read_now(lambda s: search_catalog(s, query, db.search_index)).papers}


def test_since_alone_filters_by_publication_date(db: Database) -> None:
    db.write_now(
        lambda s: upsert_papers(
            s,
            [
                make_paper("2305.00001", "Old and popular", published_at=OLD, upvotes=900),
                make_paper("2505.00001", "New", published_at=NEW, upvotes=1),
                make_paper("2505.00002", "Newer", published_at=NEW, upvotes=2),
            ],
        )
    )
    assert found(db, "since:2024-01-01 limit:20") == {"2505.00001", "2505.00002"}
    query = parse_search_query("since:2024-01-01")
    result = db.read_now(lambda s: search_catalog(s, query, db.search_index))
    assert result.scores == (0.0, 0.0)  # no relevance: listed by upvotes
    assert result.matched_any is False  # false, not None: the CLI prints it


def test_author_matches_author_names_only(db: Database) -> None:
    db.write_now(
        lambda s: upsert_papers(
            s,
            [
                make_paper("2401.00001", "Quillwort by Dao", authors=("Tri Dao",)),
                make_paper("2401.00002", "Dao quillwort revisited", authors=("Jane Doe",)),
                make_paper(
                    "2401.00003", "Quillwort", summary="Following Dao et al.", authors=("Al Bo",)
                ),
            ],
        )
    )
    assert found(db, "author:dao limit:20") == {"2401.00001"}
    assert found(db, "quillwort author:dao limit:20") == {"2401.00001"}


def test_an_author_is_one_name_not_the_end_of_one_and_the_start_of_the_next(db: Database) -> None:
    db.write_now(
        lambda s: upsert_papers(
            s,
            [
                make_paper("2401.00001", "Quillwort", authors=("Xiang Li", "Wei Zhang")),
                make_paper("2401.00002", "Zorbulate", authors=("Li Wei",)),
            ],
        )
    )
    assert found(db, 'author:"li wei" limit:20') == {"2401.00002"}
    assert found(db, '"li wei" limit:20') == {"2401.00002"}


def test_author_names_match_without_their_accents(db: Database) -> None:
    db.write_now(
        lambda s: upsert_papers(
            s, [make_paper("2401.00001", "Quillwort", authors=("José Müller",))]
        )
    )
    assert found(db, 'author:"jose muller"') == {"2401.00001"}


def test_excluded_words_still_exclude_when_any_word_matches(db: Database) -> None:
    db.write_now(
        lambda s: upsert_papers(
            s,
            [
                make_paper("2401.00001", "Quillwort vision models"),
                make_paper("2401.00002", "Quillwort language models"),
                make_paper("2401.00003", "Zorbulate vision study"),
                make_paper("2401.00004", "Zorbulate audio study"),
            ],
        )
    )
    query = parse_search_query("quillwort zorbulate -vision limit:20")
    result = db.read_now(lambda s: search_catalog(s, query, db.search_index))
    assert result.matched_any  # no paper has both words
    assert {p.id for p in result.papers} == {"2401.00002", "2401.00004"}


def test_author_is_the_name_in_order_with_nothing_between(db: Database) -> None:
    db.write_now(
        lambda s: upsert_papers(
            s,
            [
                make_paper("2401.00001", "Quillwort one", authors=("Tri Dao",)),
                make_paper("2401.00002", "Quillwort two", authors=("Tri Quoc Dao",)),
                make_paper("2401.00003", "Quillwort three", authors=("Dao Tri",)),
            ],
        )
    )
    assert found(db, 'author:"tri dao" limit:20') == {"2401.00001"}
    assert found(db, '"tri dao" limit:20') == {"2401.00001"}


def test_exclusions_alone_find_nothing(db: Database) -> None:
    db.write_now(lambda s: upsert_papers(s, [make_paper("2401.00001", "Quillwort networks")]))
    assert found(db, "-vision") == set()
