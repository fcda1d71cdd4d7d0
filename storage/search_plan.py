"""How a parsed ``SearchQuery`` becomes tantivy queries: BM25 plus bounded bonuses.

The score of a paper is Okapi BM25 over one combined field (title, AI keywords, abstract and
authors together), plus bonuses that are bounded whatever the query's length: the query's words
in the title, in the AI keywords, all of them in order (a phrase) in the title or anywhere, and
adjacent pairs of them in order. Measured on real Daily Papers (docs/benchmarks.md), scoring
fields separately and summing lets one title word outscore three abstract words, while bounded
bonuses keep BM25's recall and lift topic queries. Quoted phrases, ``author:``, ``org:`` and
``since:`` must match; ``-words`` must not; of every other word (and hyphenated words, as
phrases) at least one must, unless a quoted phrase carries the query: then the other words rank
but are not needed, so ``"low rank" zorbulate`` falls back to the papers that say "low rank",
as partial matches, the way ``low rank zorbulate`` falls back to papers with some of its words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import tantivy

from bot.model.search import SearchQuery
from storage.search_text import NAMES, SCHEMA, WORDS, analyse, since_bound, word_pairs

TITLE_BONUS = 2.0  # every word in the title; shared out between the words
KEYWORD_BONUS = 1.0  # every word in the AI keywords; shared out likewise
PHRASE_IN_TITLE = 3.0  # all the words, in order, in the title
PHRASE_IN_TEXT = 2.0  # every adjacent pair of the words, in order, somewhere in the paper
PAIRS_IN_TEXT = 1.0  # adjacent pairs of words in order anywhere; shared out between the pairs
LONG_QUERY = 6  # words; a longer query ranks its candidates by its informative words only
COMMON_SHARE = 0.05  # a word in more than this share of the papers is not informative
EVERY_WORD = 1_000.0  # a marker score, not a bonus: see ``bonus_query``
PHRASE_SLOP = 2  # words the query left out (stopwords) may stand between (pairs skip them)

MUST, SHOULD, MUST_NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot
Clause = tuple[tantivy.Occur, tantivy.Query]


@dataclass(frozen=True, slots=True)
class Plan:
    """BM25 finds the candidates (a plain disjunction of words, which tantivy prunes with
    block-max WAND); the bonuses are then scored on those candidates only, since phrase queries
    over common words cost tens of milliseconds when run over the whole catalog."""

    ranked: tantivy.Query | None  # BM25 over every match; None when the query is filters only
    bonuses: tuple[tantivy.Query, ...]  # scored on the candidates only (see ``bonus_query``)
    every_word: tantivy.Query | None  # papers with every word (to tell "matched any" apart)
    filtered: tantivy.Query | None  # filters and exclusions alone, for filter-only queries
    in_order: tuple[list[str], ...] = ()  # quoted phrases of 3+ words, checked on the papers


def bonus_query(built: Plan, paper_ids: list[str]) -> tantivy.Query:
    """The bonuses of the papers ``paper_ids`` (the BM25 candidates), and of no other paper.

    A paper with every word also scores ``EVERY_WORD``, far above any bonus, to be told apart.
    """
    only = tantivy.Query.term_set_query(SCHEMA, "id", paper_ids)
    clauses = [(MUST, _const(only, 0.0))] + [(SHOULD, b) for b in built.bonuses]
    if built.every_word is not None:
        clauses.append((SHOULD, _const(built.every_word, EVERY_WORD)))
    return _boolean(clauses)


def plan(query: SearchQuery, doc_freq: Callable[[str], int] | None = None, size: int = 0) -> Plan:
    """``doc_freq`` and ``size`` (papers in the index) let long queries skip common words."""
    filters = _filters(query)
    words = [analyse(WORDS, [t]) for t in query.terms]
    words += [[t] for j in query.joined for t in analyse(WORDS, j)]
    words = [w for w in words if w]
    ranked_words = _informative(words, doc_freq, size)
    prefixes = [p for p in (analyse(NAMES, [p]) for p in query.prefixes) if len(p) == 1]
    quoted = [(analyse(WORDS, phrase), phrase) for phrase in query.phrases]
    phrases = [p for p, _ in quoted if p]
    raws = [raw for p, raw in quoted if p]
    joined = [j for j in (analyse(WORDS, j) for j in query.joined) if len(j) > 1]
    optional = [_words(w) for w in words] + [_words(j) for j in joined]
    optional += [_prefix(p[0]) for p in prefixes]
    rank_by = [_words(w) for w in ranked_words] + optional[len(words) :]
    required = [_quoted(p, analyse(NAMES, raw)) for p, raw in zip(phrases, raws, strict=True)]
    if not optional and not required:
        filtered = _boolean(filters) if any(o == MUST for o, _ in filters) else None
        return Plan(None, (), None, filtered)

    clauses: list[Clause] = [(MUST, q) for q in required] + filters
    if not clauses:  # a pure disjunction: the shape block-max WAND prunes
        clauses = [(SHOULD, q) for q in rank_by]
    elif rank_by:  # needed, unless quoted phrases are there to match (see the module's doc)
        clauses.append((SHOULD if required else MUST, _boolean([(SHOULD, q) for q in rank_by])))
    flat = [token for w in words for token in w]
    every = [(MUST, q) for q in optional + required] + filters
    return Plan(
        ranked=_boolean(clauses),
        bonuses=tuple(_bonuses(flat)),
        every_word=_boolean(every) if len(optional) + len(required) > 1 else None,
        filtered=None,
        in_order=tuple(p for p in phrases if len(word_pairs(p)) > 1),
    )


def _informative(
    words: list[list[str]], doc_freq: Callable[[str], int] | None, size: int
) -> list[list[str]]:
    """A long query's words minus those in more than ``COMMON_SHARE`` of the papers.

    Such a word weighs next to nothing in BM25 but its posting list is most of the catalog, and
    a 30-word sentence has several: they still count in the bonuses. The ``LONG_QUERY`` rarest
    words are always kept.
    """
    if doc_freq is None or len(words) <= LONG_QUERY:
        return words
    freq = {w[0]: doc_freq(w[0]) for w in words}
    rarest = set(sorted(freq, key=freq.__getitem__)[:LONG_QUERY])
    return [w for w in words if w[0] in rarest or freq[w[0]] <= COMMON_SHARE * size]


def _filters(query: SearchQuery) -> list[Clause]:
    found: list[Clause] = []
    if author := analyse(NAMES, query.author):
        found.append((MUST, tantivy.Query.boost_query(_in_order("authors", author), 0.0)))
    if organization := analyse(NAMES, query.organization):
        found.append((MUST, tantivy.Query.boost_query(_in_order("org", organization), 0.0)))
    if query.since:
        bound = tantivy.Query.range_query(
            SCHEMA, "published", tantivy.FieldType.Integer, lower_bound=since_bound(query.since)
        )
        found.append((MUST, tantivy.Query.boost_query(bound, 0.0)))
    for word in query.excluded:
        if tokens := analyse(WORDS, [word]):
            found.append((MUST_NOT, _words(tokens)))
    return found


def _bonuses(tokens: list[str]) -> list[tantivy.Query]:
    if not tokens:
        return []
    share = 1.0 / len(tokens)
    found = [_const(_term("title", t), TITLE_BONUS * share) for t in tokens]
    found += [_const(_term("keywords", t), KEYWORD_BONUS * share) for t in tokens]
    pairs = [_term("pairs", p) for p in word_pairs(tokens)]
    if pairs:
        found.append(_const(_phrase("title", tokens, PHRASE_SLOP), PHRASE_IN_TITLE))
        found.append(_const(_boolean([(MUST, p) for p in pairs]), PHRASE_IN_TEXT))
    if len(pairs) > 1:
        found += [_const(p, PAIRS_IN_TEXT / len(pairs)) for p in pairs]
    return found


def _words(tokens: list[str]) -> tantivy.Query:
    """One word, or several adjacent in the combined field.

    That field has no positions (they were a third of the index): words are adjacent when each
    pair of neighbours is an indexed word pair, so stopwords between them are skipped (``"model
    for code"`` matches "model of code") and a chain of three or more words can, rarely, match
    pairs from different places; ``storage.search`` checks those on the papers' own text.
    """
    if len(tokens) == 1:
        return _term("text", tokens[0])
    pairs = word_pairs(tokens)
    if pairs:
        return _boolean([(MUST, _term("pairs", p)) for p in dict.fromkeys(pairs)])
    return _boolean([(MUST, _term("text", t)) for t in dict.fromkeys(tokens)])  # stopwords


def _quoted(tokens: list[str], names: list[str]) -> tantivy.Query:
    """A quoted phrase: adjacent in the text (see ``_words``), or in order in an author's name."""
    if len(names) < 2:
        return _words(tokens)
    return _boolean([(SHOULD, _words(tokens)), (SHOULD, _in_order("authors", names))])


def _in_order(field: str, tokens: list[str]) -> tantivy.Query:
    return _term(field, tokens[0]) if len(tokens) == 1 else _phrase(field, tokens, 0)


def _term(field: str, token: str) -> tantivy.Query:
    return tantivy.Query.term_query(SCHEMA, field, token)


def _phrase(field: str, tokens: list[str], slop: int) -> tantivy.Query:
    return tantivy.Query.phrase_query(SCHEMA, field, list(tokens), slop=slop)


def _prefix(token: str) -> tantivy.Query:
    return tantivy.Query.regex_query(SCHEMA, "text", re.escape(token) + ".*")


def _const(query: tantivy.Query, score: float) -> tantivy.Query:
    return tantivy.Query.const_score_query(query, score)


def _boolean(clauses: list[Clause]) -> tantivy.Query:
    return tantivy.Query.boolean_query(clauses)
