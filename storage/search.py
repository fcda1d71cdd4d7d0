"""Catalog search: the same ranking on SQLite and PostgreSQL, from the process's search index.

The index (``storage.search_index``) is brought up to date with the database, then ranks every
matching paper by BM25 plus bounded bonuses (``storage.search_plan``). Scores this close count as
a tie, broken by Hugging Face upvotes. Filter-only queries list the most upvoted matches. Only
``SearchQuery``'s sanitised words reach the index, so no user text is ever query syntax.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.model import Paper
from bot.model.search import SearchQuery
from storage.papers import get_papers
from storage.search_index import Hit, SearchIndex
from storage.search_plan import EVERY_WORD, bonus_query, plan
from storage.search_text import has_in_order

TIE = 0.1  # scores within the same step of this size are a near-tie, broken by upvotes
RERANKED = 40  # candidates beyond the limit that near-ties may lift into it
CANDIDATES = 60  # the best BM25 matches that the bonuses may reorder


@dataclass(frozen=True, slots=True)
class SearchResult:
    papers: list[Paper]
    matched_any: bool = False  # True when no paper had every word: these have some of them
    scores: tuple[float, ...] = ()  # the relevance of each paper (0 for filter-only queries)


def search_catalog(session: Session, query: SearchQuery, index: SearchIndex) -> SearchResult:
    index.sync(session)
    built = plan(query, index.doc_freq, index.size)
    if built.ranked is None:
        if built.filtered is None:
            return SearchResult([])
        hits = index.search(built.filtered, query.limit + RERANKED, by_upvotes=True)
        papers, scores = _in_catalog(session, hits, query.limit)
        return SearchResult(papers, False, scores)
    candidates = index.search(built.ranked, max(CANDIDATES, query.limit + RERANKED))
    extra = index.scores(bonus_query(built, [h.paper_id for h in candidates]), candidates)
    every = [score >= EVERY_WORD for score in extra]
    bonus = [score - EVERY_WORD if has else score for score, has in zip(extra, every, strict=True)]
    # Hit(...) rather than dataclasses.replace: 60 of these a query, and replace was 5% of one.
    rescored = zip(candidates, bonus, strict=True)
    hits = ranked([Hit(h.paper_id, h.score + b, h.upvotes, h.address) for h, b in rescored])
    papers, scores = _in_catalog(session, hits, query.limit, built.in_order)
    # Told apart on the candidates: a paper with every word is among the best BM25 matches.
    matched_any = bool(papers) and built.every_word is not None and not any(every)
    return SearchResult(papers, matched_any, scores)


def ranked(hits: list[Hit]) -> list[Hit]:
    """Best score first; near-ties by upvotes, then by id so the order is stable."""
    return sorted(hits, key=lambda h: (-int(h.score / TIE), -h.upvotes, h.paper_id))


def _in_catalog(
    session: Session, hits: list[Hit], limit: int, in_order: tuple[list[str], ...] = ()
) -> tuple[list[Paper], tuple[float, ...]]:
    """The first ``limit`` hits still in the catalog (another process may have deleted one)
    whose text has the runs of words ``in_order`` (see ``has_in_order``)."""

    def read(chosen: list[Hit]) -> dict[str, Paper]:
        found = get_papers(session, [h.paper_id for h in chosen])
        return {k: p for k, p in found.items() if not in_order or has_in_order(p, in_order)}

    found = read(hits[:limit])
    if len(found) < min(limit, len(hits)):
        found |= read(hits[limit:])
    kept = [h for h in hits if h.paper_id in found][:limit]
    return [found[h.paper_id] for h in kept], tuple(h.score for h in kept)
