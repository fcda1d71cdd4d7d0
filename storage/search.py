"""Full-text search over the catalog, on SQLite (FTS5) or PostgreSQL (tsvector).

Both rank the title above AI keywords above the abstract above author names, break near-ties by
Hugging Face upvotes, and are fed only by ``SearchQuery``'s sanitised words, so no user text is
ever interpreted as query syntax. When every word together finds nothing, ``search_catalog``
retries with any word, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.model import Paper
from bot.model.search import SearchQuery
from storage import search_postgres, search_sqlite
from storage.common_terms import CommonTerms
from storage.papers import get_papers


@dataclass(frozen=True, slots=True)
class SearchResult:
    papers: list[Paper]
    matched_any: bool = False  # True when no paper had every word and we fell back to any word


def search_catalog(
    session: Session, query: SearchQuery, common: CommonTerms | None = None
) -> SearchResult:
    """Search the catalog; ``common`` (SQLite) lets broad queries skip uninformative words."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    common_words = common.get(session) if common is not None and sqlite else frozenset()

    def run(any_word: bool) -> list[Paper]:
        if sqlite:
            ids = search_sqlite.ranked_ids(session, query, any_word=any_word, common=common_words)
        else:
            ids = search_postgres.ranked_ids(session, query, any_word=any_word)
        found = get_papers(session, ids) if ids else {}
        return [found[i] for i in ids if i in found]

    papers = run(any_word=False)
    if papers or not query.has_text or _word_count(query) < 2:
        return SearchResult(papers)
    return SearchResult(run(any_word=True), matched_any=True)


def _word_count(query: SearchQuery) -> int:
    return len(query.terms) + len(query.prefixes) + len(query.phrases)
