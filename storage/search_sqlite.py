"""SQLite catalog search: FTS5 matching, bm25 ranking, bounded work on broad queries.

Two bounds keep a 200,000-paper catalog fast. The index is in upvote order (see
``storage.papers.search_rowid``), so only the ``CANDIDATES`` most upvoted matches are ranked; and
words in most papers (``storage.common_terms``) still filter but do not rank, because bm25 reads
their whole posting list to learn that they say little. A query of only such words ranks title
matches first, then by upvotes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from bot.search_query import SearchQuery
from storage.common_terms import index_form

# bm25 column weights for paper_fts(paper_id, title, keywords, summary, authors).
BM25 = "bm25(paper_fts, 0.0, 10.0, 4.0, 1.0, 2.0)"
TIE_DIGITS = 2  # bm25 scores this close count as a tie, broken by upvotes
CANDIDATES = 500


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _positives(query: SearchQuery) -> list[str]:
    found = [_quoted(t) for t in query.terms]
    found += [_quoted(p) + " *" for p in query.prefixes]
    found += [_quoted(" ".join(p)) for p in query.phrases]
    return found


def fts5_expression(query: SearchQuery, *, any_word: bool = False) -> str | None:
    """The FTS5 MATCH expression for ``query``; every word is a quoted string, never an operator."""
    parts: list[str] = []
    if positives := _positives(query):
        parts.append("(" + (" OR " if any_word else " AND ").join(positives) + ")")
    if query.author:
        parts.append("authors : " + _quoted(" ".join(query.author)))
    if not parts:
        return None
    expression = " AND ".join(parts)
    for word in query.excluded:
        expression = f"({expression}) NOT {_quoted(word)}"
    return expression


def informative_part(query: SearchQuery, common: frozenset[str]) -> SearchQuery:
    """The words of ``query`` worth ranking by: those not in ``common`` papers."""
    if not common:
        return query

    def rare(word: str) -> bool:
        return index_form(word) not in common

    return replace(
        query,
        terms=tuple(t for t in query.terms if rare(t)),
        prefixes=tuple(p for p in query.prefixes if not any(c.startswith(p) for c in common)),
        phrases=tuple(p for p in query.phrases if any(rare(w) for w in p)),
    )


def ranked_ids(
    session: Session, query: SearchQuery, *, any_word: bool, common: frozenset[str]
) -> list[str]:
    match = fts5_expression(query, any_word=any_word)
    params: dict[str, Any] = {"limit": query.limit}
    since = ""
    if query.since:
        since = " AND p.published_at >= :since"
        params["since"] = query.since.isoformat()
    if match is None:
        sql = (
            f"SELECT p.id FROM paper p WHERE 1=1{since} ORDER BY p.upvotes DESC, p.id LIMIT :limit"
        )
        return [row[0] for row in session.execute(text(sql), params)]

    params |= {"match": match, "cap": CANDIDATES}
    # Without a date filter the walk stays inside the index, where FTS5 can stop early.
    join = " JOIN paper p ON p.id = f.paper_id" if since else ""
    floor = session.execute(
        text(
            f"SELECT min(rowid) FROM (SELECT f.rowid FROM paper_fts f{join} "
            f"WHERE paper_fts MATCH :match{since} ORDER BY f.rowid DESC LIMIT :cap)"
        ),
        params,
    ).scalar()
    if floor is None:
        return []
    params["floor"] = floor
    candidates = (
        "SELECT f.rowid AS rid, p.id AS id, p.upvotes AS upvotes FROM paper_fts f "
        "JOIN paper p ON p.id = f.paper_id "
        f"WHERE paper_fts MATCH :match AND f.rowid >= :floor{since}"
    )

    informative = informative_part(query, common)
    if informative == query or not query.has_text:
        sql = (
            f"SELECT p.id FROM paper_fts f JOIN paper p ON p.id = f.paper_id "
            f"WHERE paper_fts MATCH :match AND f.rowid >= :floor{since} "
            f"ORDER BY round({BM25}, {TIE_DIGITS}), p.upvotes DESC, p.id LIMIT :limit"
        )
    elif informative.has_text:
        joiner = " OR " if any_word else " AND "
        params["rank"] = "(" + joiner.join(_positives(informative)) + ")"
        sql = (
            f"WITH candidate AS ({candidates}), scored AS ("
            f"SELECT rowid AS rid, {BM25} AS score FROM paper_fts "
            "WHERE paper_fts MATCH :rank AND rowid >= :floor) "
            "SELECT candidate.id FROM candidate LEFT JOIN scored USING (rid) "
            f"ORDER BY round(coalesce(scored.score, 0), {TIE_DIGITS}), candidate.upvotes DESC, "
            "candidate.id LIMIT :limit"
        )
    else:
        joiner = " OR " if any_word else " AND "
        params["title"] = "title : (" + joiner.join(_positives(query)) + ")"
        sql = (
            f"WITH candidate AS ({candidates}), titled AS ("
            "SELECT rowid AS rid FROM paper_fts WHERE paper_fts MATCH :title AND rowid >= :floor) "
            "SELECT candidate.id FROM candidate LEFT JOIN titled USING (rid) "
            "ORDER BY titled.rid IS NULL, candidate.upvotes DESC, candidate.id LIMIT :limit"
        )
    return [row[0] for row in session.execute(text(sql), params)]
