"""More like this: the papers whose text shares a paper's most telling words, from the index.

tantivy's own ``MoreLikeThisQuery`` reads a document's stored fields, and the index stores only
ids (the text lives in the database), so the query is built here the way Lucene's is: the
paper's analysed words (title, AI keywords, abstract; stopwords left out) ranked by tf-idf, the
best ``TERMS`` of them each an optional clause on the combined text field, boosted by how often
the paper says it. BM25 scores the catalog against that. Each score is divided by the paper's
own score, so 1.0 is "says what this paper says" and likenesses to different papers add up
(``bot.team_taste``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import tantivy
from sqlmodel import Session

from bot.model import Paper
from storage.papers import get_papers
from storage.search_index import Hit, SearchIndex
from storage.search_text import SCHEMA, content_words

TERMS = 25  # words of the paper the query asks for
COMMON_SHARE = 0.3  # a word in more of the catalog than this says nothing about a topic

SHOULD, MUST = tantivy.Occur.Should, tantivy.Occur.Must


def like_query(index: SearchIndex, paper: Paper) -> tantivy.Query | None:
    """The paper's ``TERMS`` most telling words as one query; None when it has none (a paper
    whose every word is its own, or the index is empty)."""
    size = index.size
    counts = Counter(w for w in content_words(paper) if len(w) > 1 and not w.isdigit())
    weighted: list[tuple[float, str, int]] = []
    for word, tf in counts.items():
        df = index.doc_freq(word)
        if df < 2 or df > COMMON_SHARE * size:  # in this paper alone, or in too many
            continue
        idf = math.log(1 + (size - df + 0.5) / (df + 0.5))
        weighted.append((tf * idf, word, tf))
    best = sorted(weighted, key=lambda w: (-w[0], w[1]))[:TERMS]
    if not best:
        return None
    clauses = [(SHOULD, _boosted(word, 1 + math.log(tf))) for _, word, tf in best]
    return tantivy.Query.boolean_query(clauses)


def similar_papers(
    session: Session, index: SearchIndex, paper: Paper, limit: int
) -> list[tuple[Paper, float]]:
    """The ``limit`` papers most like ``paper`` (not itself), best first, with their likeness."""
    index.sync(session)
    query = like_query(index, paper)
    if query is None:
        return []
    own = _own_score(index, query, paper.id)
    hits = [h for h in index.search(query, limit + 1) if h.paper_id != paper.id][:limit]
    found = get_papers(session, [h.paper_id for h in hits])
    return [(found[h.paper_id], h.score / own) for h in hits if h.paper_id in found]


def likeness(
    session: Session, index: SearchIndex, sources: Sequence[Paper], candidates: Sequence[str]
) -> dict[str, dict[str, float]]:
    """How like each source paper each candidate is (by id; 0 where nothing is shared, and a
    source is not compared with itself): one query per source, scored on the candidates only."""
    index.sync(session)
    found: dict[str, dict[str, float]] = {}
    for source in sources:
        query = like_query(index, source)
        if query is None:
            continue
        hits = _among(index, query, [*candidates, source.id])
        own = next((h.score for h in hits if h.paper_id == source.id), 0.0)
        if own <= 0:
            continue
        found[source.id] = {
            h.paper_id: h.score / own for h in hits if h.paper_id != source.id and h.score > 0
        }
    return found


def _own_score(index: SearchIndex, query: tantivy.Query, paper_id: str) -> float:
    """The query's score on the paper it was made from: what "as alike as can be" scores."""
    hits = _among(index, query, [paper_id])
    return hits[0].score if hits and hits[0].score > 0 else 1.0


def _among(index: SearchIndex, query: tantivy.Query, paper_ids: list[str]) -> list[Hit]:
    """The query's scores on the papers ``paper_ids`` alone (0 for those it does not match)."""
    only = tantivy.Query.term_set_query(SCHEMA, "id", paper_ids)
    clauses = [(MUST, tantivy.Query.const_score_query(only, 0.0)), (SHOULD, query)]
    return index.search(tantivy.Query.boolean_query(clauses), len(paper_ids))


def _boosted(word: str, boost: float) -> tantivy.Query:
    term = tantivy.Query.term_query(SCHEMA, "text", word)
    return tantivy.Query.boost_query(term, boost)
