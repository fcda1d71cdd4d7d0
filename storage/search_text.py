"""Search text analysis: how papers and queries become the index's terms, in one place.

The index (``storage.search_index``) analyses papers and the plan (``storage.search_plan``)
analyses queries with the same analyzers and schema, so both import them from here and neither
imports the other. Anything changed here changes what is indexed: bump ``search_index.FORMAT``.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import tantivy

from bot.model import Paper
from bot.model.search import STOPWORDS

NO_DATE = -(2**62)  # the "published" value of papers without a date: before any since: bound


def normalise(value: str) -> str:
    """NFKC: decomposed accents and full-width letters become the characters users type."""
    return unicodedata.normalize("NFKC", value)


def _analyzer(*, stem: bool) -> tantivy.TextAnalyzer:
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(64))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )
    if stem:
        builder = builder.filter(tantivy.Filter.stemmer("english"))
    return builder.build()


WORDS = _analyzer(stem=True)  # titles, keywords, abstracts: folded and stemmed
NAMES = _analyzer(stem=False)  # author names and word* prefixes: folded only


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    # No positions in the combined field (a third of the index): phrases there are word pairs.
    # Its words arrive analysed (``Analysis``), so tantivy only splits them at the spaces.
    builder.add_text_field("text", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("title", tokenizer_name="words")  # positions: the title phrase bonus
    builder.add_text_field("keywords", tokenizer_name="words", index_option="basic")
    builder.add_text_field("authors", tokenizer_name="names")  # author:"First Last" is a phrase
    builder.add_text_field("org", tokenizer_name="names")  # org:"Google DeepMind" is a phrase
    builder.add_text_field("pairs", tokenizer_name="whitespace", index_option="basic")
    builder.add_integer_field("published", indexed=True, fast=True)
    builder.add_integer_field("upvotes", stored=True, fast=True)
    return builder.build()


SCHEMA = _schema()
_STOP_TOKENS = frozenset(token for word in STOPWORDS for token in WORDS.analyze(word))


@dataclass(frozen=True, slots=True)
class Texts:
    """A paper's text as the index analyses it: ``prose`` is title, keywords and abstract."""

    title: str
    keywords: str
    authors: str
    prose: str

    @classmethod
    def of(cls, title: str, keywords: Sequence[str], summary: str, authors: Sequence[str]) -> Texts:
        joined = " ; ".join(keywords)
        title = normalise(title)
        prose = normalise("\n".join([title, joined, summary]))
        return cls(title, normalise(joined), normalise(" ; ".join(authors)), prose)


def word_pairs(tokens: list[str]) -> list[str]:
    """Adjacent pairs of words that carry meaning (stopwords skipped), as single index terms.

    A pair is one term lookup at query time where a phrase query over common words would walk
    their positions in most of the catalog: the phrase bonuses cost tens of milliseconds that way.
    """
    return [f"{a}_{b}" for a, b in itertools.pairwise(_content(tokens))]


# Every ASCII character that is not a letter or digit, as a space: the words analyzer splits at
# each of them, so a run of text between them, analysed alone, gives the tokens it gives in place.
_SEPARATORS = {c: " " for c in range(128) if not chr(c).isalnum()}


class Analysis:
    """``WORDS``' analysis of many texts in a row, each distinct run of text analysed once.

    An index build meets the same few hundred thousand words in paper after paper: stemming
    each of them every time was most of its Python time. The tokens are exactly
    ``WORDS.analyze``'s (see ``_SEPARATORS``); the memo is bounded and lives as long as the build.
    """

    def __init__(self, limit: int = 300_000) -> None:
        self._limit = limit
        self._every: dict[str, str] = {}
        self._content = _Memo(self)

    def words(self, text: str) -> tuple[str, str]:
        """``text``'s analysed words, and the pairs of those that are not stopwords (see
        ``word_pairs``), each as one string separated by spaces, as the index takes them."""
        if len(self._every) >= self._limit:  # between texts, so a text's runs stay till its end
            self._every.clear()
            self._content.clear()
        runs = text.translate(_SEPARATORS).split()
        content = " ".join(map(self._content.__getitem__, runs)).split()
        pairs = " ".join(map("_".join, itertools.pairwise(content)))
        return " ".join(map(self._every.__getitem__, runs)), pairs

    def analyse(self, run: str) -> str:
        """Analyse a run not seen yet: remember its words, return its content words."""
        tokens = WORDS.analyze(run)
        self._every[run] = " ".join(tokens)
        return " ".join(t for t in tokens if t not in _STOP_TOKENS)


class _Memo(dict[str, str]):
    """A run's content words, analysed by ``Analysis`` the first time the run is looked up."""

    def __init__(self, analysis: Analysis) -> None:
        super().__init__()
        self._analysis = analysis

    def __missing__(self, run: str) -> str:
        found = self[run] = self._analysis.analyse(run)
        return found


def has_in_order(paper: Paper, runs: Iterable[list[str]]) -> bool:
    """Whether each run of analysed words is in ``paper``'s text, adjacent once stopwords are
    skipped (what a chain of word pairs means): the check of a quoted phrase of three words or
    more, which the index, having no positions, can match with pairs from different places."""
    texts = Texts.of(paper.title, paper.ai_keywords, paper.summary, paper.authors)
    content = "_".join(_content(WORDS.analyze(texts.prose + "\n" + texts.authors)))
    return all(f"_{'_'.join(_content(run))}_" in f"_{content}_" for run in runs)


def content_words(paper: Paper) -> list[str]:
    """The analysed words of a paper's title, keywords and abstract, stopwords left out: what
    a more-like-this query picks its words from (``storage.similar``)."""
    texts = Texts.of(paper.title, paper.ai_keywords, paper.summary, paper.authors)
    return _content(WORDS.analyze(texts.prose))


def _content(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in _STOP_TOKENS]


def epoch(value: datetime | str | None) -> int:
    """A stored publication time as the "published" value: seconds since 1970, naive as UTC."""
    if value is None:
        return NO_DATE
    if isinstance(value, str):  # SQLite hands back text for raw SQL
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())


def since_bound(day: Any) -> int:
    """A ``since:`` date as the first second of that day in UTC, like the stored times."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def analyse(analyzer: tantivy.TextAnalyzer, words: Iterable[str]) -> list[str]:
    return [token for word in words for token in analyzer.analyze(normalise(word))]
