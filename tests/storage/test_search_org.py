"""``org:`` finds the papers a Hugging Face organization put on Daily Papers, by its handle or its
name, on SQLite and PostgreSQL."""

from __future__ import annotations

from bot.model import Paper
from bot.search_query import parse_search_query
from loopback.ports import make_paper
from storage.db import Database
from storage.papers import upsert_papers
from storage.search import search_catalog

DEEPMIND = {"organization": "google-deepmind", "organization_name": "Google DeepMind"}
PAPERS = [
    make_paper("2401.00001", "Quillwort networks", upvotes=5, **DEEPMIND),
    make_paper("2401.00002", "Quillwort at scale", upvotes=9, organization="google"),
    make_paper("2401.00003", "Quillwort for Google DeepMind fans", upvotes=50),
    make_paper("2401.00004", "Plinth methods", upvotes=1, **DEEPMIND),
]


def ids(db: Database, text: str, papers: list[Paper] = PAPERS) -> list[str]:
    db.write_now(lambda s: upsert_papers(s, papers))
    query = parse_search_query(text)
    return [p.id for p in db.read_now(lambda s: search_catalog(s, query, db.search_index)).papers]


def test_a_quoted_name_matches_the_organizations_name_in_order(db: Database) -> None:
    assert ids(db, 'org:"Google DeepMind"') == ["2401.00001", "2401.00004"]  # by upvotes
    assert ids(db, 'org:"DeepMind Google"') == []


def test_a_handle_or_one_word_of_the_name_matches_too(db: Database) -> None:
    assert ids(db, "org:google-deepmind limit:10") == ["2401.00001", "2401.00004"]
    assert ids(db, "org:GOOGLE") == ["2401.00002", "2401.00001", "2401.00004"]


def test_org_filters_a_ranked_search_and_the_text_never_counts_as_the_organization(
    db: Database,
) -> None:
    assert ids(db, "quillwort org:deepmind") == ["2401.00001"]


def test_a_paper_renamed_by_a_later_sighting_is_found_by_its_new_organization(
    db: Database,
) -> None:
    ids(db, "org:google")
    moved = make_paper(
        "2401.00004", "Plinth methods", organization="meta", organization_name="Meta"
    )
    assert ids(db, "org:meta", [moved]) == ["2401.00004"]
    assert ids(db, "org:deepmind", [moved]) == ["2401.00001"]
