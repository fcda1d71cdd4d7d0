"""Which words are in so many papers that ranking by them costs more than it tells (SQLite).

FTS5's bm25 reads a term's whole posting list to weigh it: 20 ms for a word in most of a
200,000-paper catalog, where its weight is close to nothing anyway. Search still filters on such
words but leaves them out of the ranking. Reading the vocabulary is itself a full pass over the
index, so the set is computed once and kept for a while; a stale set only costs speed, never
changes which papers match.
"""

from __future__ import annotations

import threading
import time
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import snowballstemmer
from sqlalchemy import text
from sqlmodel import Session

COMMON_DOCS = 10_000  # a word in more papers than this is common
MAX_AGE = 6 * 3600.0

_stemmer = snowballstemmer.stemmer("porter")  # the same algorithm as FTS5's porter tokenizer


@lru_cache(maxsize=4096)
def index_form(word: str) -> str:
    """The token FTS5 stores for ``word``: folded to lower case, diacritics removed, stemmed."""
    folded = unicodedata.normalize("NFKD", word.lower())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return str(_stemmer.stemWord(plain))


class CommonTerms:
    def __init__(
        self,
        threshold: int = COMMON_DOCS,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold = threshold
        self.max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._terms: frozenset[str] = frozenset()
        self._computed_at: float | None = None

    def get(self, session: Session) -> frozenset[str]:
        with self._lock:
            fresh = (
                self._computed_at is not None and self._clock() - self._computed_at < self.max_age
            )
            if not fresh:
                self._terms = self._read(session)
                self._computed_at = self._clock()
            return self._terms

    def _read(self, session: Session) -> frozenset[str]:
        session.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.paper_fts_terms "
                "USING fts5vocab(main, paper_fts, 'row')"
            )
        )
        rows = session.execute(
            text("SELECT term FROM temp.paper_fts_terms WHERE doc > :n"), {"n": self.threshold}
        )
        return frozenset(row[0] for row in rows)
