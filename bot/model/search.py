"""A parsed search as plain data: what the storage layer's search index is asked for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEFAULT_LIMIT = 5

# Words that carry no topic: the grammar drops them when a query has other words and trims them
# from phrase ends; the search index skips them when it pairs adjacent words.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "this",
        "to",
        "via",
        "was",
        "we",
        "were",
        "which",
        "with",
    ]
)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    terms: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    since: date | None = None
    limit: int = DEFAULT_LIMIT
    truncated: bool = False
    joined: tuple[tuple[str, ...], ...] = ()  # hyphenated words: better in order, not required
    organization: tuple[str, ...] = ()  # org:NAME, the words of a Hugging Face organization

    @property
    def has_text(self) -> bool:
        """True when there is something to match on, not only filters or exclusions."""
        return bool(self.terms or self.prefixes or self.phrases or self.joined)

    @property
    def is_empty(self) -> bool:
        return not (self.has_text or self.author or self.organization or self.since)

    def describe(self) -> str:
        """The query as we understood it, for reply headings."""
        parts = [*self.terms, *(f"{p}*" for p in self.prefixes)]
        parts += [f'"{" ".join(p)}"' for p in self.phrases]
        parts += ["-".join(j) for j in self.joined]
        parts += [f"-{e}" for e in self.excluded]
        if self.author:
            parts.append(f"author:{' '.join(self.author)}")
        if self.organization:
            parts.append(f"org:{' '.join(self.organization)}")
        if self.since:
            parts.append(f"since:{self.since.isoformat()}")
        return " ".join(parts)
