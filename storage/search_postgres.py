"""PostgreSQL catalog search: a generated tsvector under GIN, ranked by weighted ts_rank_cd."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from bot.model.search import SearchQuery

# ts_rank_cd weights in {D, C, B, A} order: authors, summary, keywords, title.
WEIGHTS = "{0.2, 0.1, 0.4, 1.0}"
TIE_DIGITS = 3  # scores this close count as a tie, broken by upvotes


def tsquery_expression(query: SearchQuery, *, any_word: bool = False) -> str | None:
    """A ``to_tsquery`` string built from sanitised words (letters and digits only)."""
    positives = list(query.terms)
    positives += [f"{p}:*" for p in query.prefixes]
    positives += ["(" + " <-> ".join(p) + ")" for p in query.phrases]
    if not positives:
        return None
    expression = "(" + (" | " if any_word else " & ").join(positives) + ")"
    for word in query.excluded:
        expression += f" & !{word}"
    return expression


def ranked_ids(session: Session, query: SearchQuery, *, any_word: bool) -> list[str]:
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
        score = f"ts_rank_cd('{WEIGHTS}', p.search_vector, to_tsquery('english', :tsq), 1)"
        order = f"round(({score})::numeric, {TIE_DIGITS}) DESC, p.upvotes DESC, p.id"
    sql = f"SELECT p.id FROM paper p WHERE {' AND '.join(where)} ORDER BY {order} LIMIT :limit"
    return [row[0] for row in session.execute(text(sql), params)]
