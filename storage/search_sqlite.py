"""SQLite catalog search: FTS5 matching, bm25 ranking, bounded work on broad queries.

Two bounds keep a 200,000-paper catalog fast. The index is in upvote order (see
``storage.papers.search_rowid``), so only the ``CANDIDATES`` most upvoted matches are ranked. And
bm25 reads the whole posting list of every word it weighs, so a query with a word found in most
papers (``storage.common_terms``) ranks its candidates by title matches, then by upvotes.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from bot.model.search import SearchQuery
from storage.common_terms import index_form

# bm25 column weights for paper_fts(paper_id, title, keywords, summary, authors, published).
BM25 = "bm25(paper_fts, 0.0, 10.0, 4.0, 1.0, 2.0, 0.0)"
TIE_DIGITS = 2  # bm25 scores this close count as a tie, broken by upvotes
CANDIDATES = 200
_TOKEN = re.compile(r"\w+")


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


def has_common_word(query: SearchQuery, common: frozenset[str]) -> bool:
    """True when weighing some word of ``query`` would mean reading a huge posting list."""
    words = [*query.terms, *(w for phrase in query.phrases for w in phrase)]
    if any(index_form(w) in common for w in words):
        return True
    return any(c.startswith(p) for p in query.prefixes for c in common)


def ranked_ids(
    session: Session, query: SearchQuery, *, any_word: bool, common: frozenset[str]
) -> list[str]:
    match = fts5_expression(query, any_word=any_word)
    params: dict[str, Any] = {"limit": query.limit}
    if query.since:
        params["since"] = query.since.isoformat()
    if match is None:
        since = " AND p.published_at >= :since" if query.since else ""
        sql = (
            f"SELECT p.id FROM paper p WHERE 1=1{since} ORDER BY p.upvotes DESC, p.id LIMIT :limit"
        )
        return [row[0] for row in session.execute(text(sql), params)]

    # The CANDIDATES most upvoted matches, walking the index backwards (it is in upvote order;
    # the publication time for since: is stored beside the text, so no join is needed).
    # bm25 is computed for those rows only, unless a common word would make it read too much.
    exact = not has_common_word(query, common)
    column = BM25 if exact else "f.title"
    since = " AND f.published >= :since" if query.since else ""
    rows: list[Any] = list(
        session.execute(
            text(
                f"SELECT f.rowid, f.paper_id, {column} FROM paper_fts f "
                f"WHERE paper_fts MATCH :match{since} ORDER BY f.rowid DESC LIMIT :cap"
            ),
            params | {"match": match, "cap": CANDIDATES},
        )
    )
    if exact:  # best bm25 first; near-ties by upvotes, which the rowid carries
        rows.sort(key=lambda r: (round(r[2], TIE_DIGITS), -r[0]))
    else:  # broad words: a match in the title first, then by upvotes
        rows.sort(key=lambda r: (not title_matches(r[2], query, any_word=any_word), -r[0]))
    return [paper_id for _, paper_id, _ in rows[: query.limit]]


def title_matches(title: str, query: SearchQuery, *, any_word: bool) -> bool:
    """Whether ``title`` has the query's words, as the index sees words (folded and stemmed).

    Checked here on the few candidates rather than with a second pass over the index.
    """
    stems = [index_form(w) for w in _TOKEN.findall(title)]
    present = set(stems)
    checks = [index_form(t) in present for t in query.terms]
    checks += [any(s.startswith(p) for s in present) for p in query.prefixes]
    checks += [_contains(stems, [index_form(w) for w in phrase]) for phrase in query.phrases]
    return any(checks) if any_word else all(checks)


def _contains(stems: list[str], phrase: list[str]) -> bool:
    size = len(phrase)
    return any(stems[i : i + size] == phrase for i in range(len(stems) - size + 1))
