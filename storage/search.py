"""Full-text search over the catalog: FTS5 + bm25 on SQLite, tsvector + ts_rank_cd on PostgreSQL.

Both rank the title above AI keywords above the abstract above author names, break near-ties by
Hugging Face upvotes, and are fed only by ``SearchQuery``'s sanitised words, so no user text is
ever interpreted as query syntax. When every word together finds nothing, ``search_catalog``
retries with any word, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from bot.model import Paper
from bot.search_query import SearchQuery
from storage.papers import get_papers

# bm25 column weights for paper_fts(paper_id, title, keywords, summary, authors).
_BM25 = "bm25(paper_fts, 0.0, 10.0, 4.0, 1.0, 2.0)"
# ts_rank_cd weights in {D, C, B, A} order: authors, summary, keywords, title.
_PG_WEIGHTS = "{0.2, 0.1, 0.4, 1.0}"
# Scores this close count as a tie, broken by upvotes.
_TIE_DIGITS = 2
# A broad query is ranked over its most upvoted matches only: bm25 costs per scored match.
CANDIDATES = 500


@dataclass(frozen=True, slots=True)
class SearchResult:
    papers: list[Paper]
    matched_any: bool = False  # True when no paper had every word and we fell back to any word


def search_catalog(session: Session, query: SearchQuery) -> SearchResult:
    run = _search_sqlite if session.get_bind().dialect.name == "sqlite" else _search_postgres
    papers = run(session, query, any_word=False)
    if papers or not query.has_text or _word_count(query) < 2:
        return SearchResult(papers)
    return SearchResult(run(session, query, any_word=True), matched_any=True)


def _word_count(query: SearchQuery) -> int:
    return len(query.terms) + len(query.prefixes) + len(query.phrases)


# --- SQLite -------------------------------------------------------------------------------------


def _fts_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def fts5_expression(query: SearchQuery, *, any_word: bool = False) -> str | None:
    """The FTS5 MATCH expression for ``query``; every word is a quoted string, never an operator."""
    positives = [_fts_string(t) for t in query.terms]
    positives += [_fts_string(p) + " *" for p in query.prefixes]
    positives += [_fts_string(" ".join(p)) for p in query.phrases]
    parts: list[str] = []
    if positives:
        parts.append("(" + (" OR " if any_word else " AND ").join(positives) + ")")
    if query.author:
        parts.append("authors : " + _fts_string(" ".join(query.author)))
    if not parts:
        return None
    expression = " AND ".join(parts)
    for word in query.excluded:
        expression = f"({expression}) NOT {_fts_string(word)}"
    return expression


def _search_sqlite(session: Session, query: SearchQuery, *, any_word: bool) -> list[Paper]:
    expression = fts5_expression(query, any_word=any_word)
    params: dict[str, Any] = {"limit": query.limit}
    since = ""
    if query.since:
        since = " AND p.published_at >= :since"
        params["since"] = query.since.isoformat()
    if expression is None:
        sql = (
            f"SELECT p.id FROM paper p WHERE 1=1{since} ORDER BY p.upvotes DESC, p.id LIMIT :limit"
        )
        return _in_order(session, [row[0] for row in session.execute(text(sql), params)])

    # Rank only the CANDIDATES most upvoted matches (the index is in upvote order, so finding
    # them costs no scoring); queries with fewer matches are ranked exactly, over all of them.
    params |= {"match": expression, "cap": CANDIDATES}
    floor = session.execute(
        text(
            "SELECT min(rowid) FROM (SELECT f.rowid FROM paper_fts f "
            f"JOIN paper p ON p.id = f.paper_id WHERE paper_fts MATCH :match{since} "
            "ORDER BY f.rowid DESC LIMIT :cap)"
        ),
        params,
    ).scalar()
    if floor is None:
        return []
    sql = (
        f"SELECT p.id FROM paper_fts f JOIN paper p ON p.id = f.paper_id "
        f"WHERE paper_fts MATCH :match AND f.rowid >= :floor{since} "
        f"ORDER BY round({_BM25}, {_TIE_DIGITS}), p.upvotes DESC, p.id LIMIT :limit"
    )
    ids = [row[0] for row in session.execute(text(sql), params | {"floor": floor})]
    return _in_order(session, ids)


# --- PostgreSQL ---------------------------------------------------------------------------------


def tsquery_expression(query: SearchQuery, *, any_word: bool = False) -> str | None:
    """A ``to_tsquery`` string built from sanitised words (letters and digits only)."""
    positives = [t for t in query.terms]
    positives += [f"{p}:*" for p in query.prefixes]
    positives += ["(" + " <-> ".join(p) + ")" for p in query.phrases]
    if not positives:
        return None
    expression = "(" + (" | " if any_word else " & ").join(positives) + ")"
    for word in query.excluded:
        expression += f" & !{word}"
    return expression


def _search_postgres(session: Session, query: SearchQuery, *, any_word: bool) -> list[Paper]:
    expression = tsquery_expression(query, any_word=any_word)
    params: dict[str, Any] = {"limit": query.limit}
    where = ["TRUE"]
    if expression is not None:
        where.append("p.search_vector @@ to_tsquery('english', :tsq)")
        params["tsq"] = expression
    if query.author:
        where.append("p.search_vector @@ to_tsquery('simple', :author)")
        params["author"] = " <-> ".join(f"{w}:D" for w in query.author)
    if query.since:
        where.append("p.published_at >= :since")
        params["since"] = query.since
    if expression is None:
        order = "p.upvotes DESC, p.id"
    else:
        score = f"ts_rank_cd('{_PG_WEIGHTS}', p.search_vector, to_tsquery('english', :tsq), 1)"
        order = f"round(({score})::numeric, {_TIE_DIGITS + 1}) DESC, p.upvotes DESC, p.id"
    sql = f"SELECT p.id FROM paper p WHERE {' AND '.join(where)} ORDER BY {order} LIMIT :limit"
    ids = [row[0] for row in session.execute(text(sql), params)]
    return _in_order(session, ids)


def _in_order(session: Session, ids: list[str]) -> list[Paper]:
    found = get_papers(session, ids) if ids else {}
    return [found[i] for i in ids if i in found]
