"""A parsed search as plain data: what the storage layer's search index is asked for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEFAULT_LIMIT = 5


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

    @property
    def has_text(self) -> bool:
        """True when there is something to match on, not only filters or exclusions."""
        return bool(self.terms or self.prefixes or self.phrases)

    @property
    def is_empty(self) -> bool:
        return not (self.has_text or self.author or self.since)

    def describe(self) -> str:
        """The query as we understood it, for reply headings."""
        parts = [*self.terms, *(f"{p}*" for p in self.prefixes)]
        parts += [f'"{" ".join(p)}"' for p in self.phrases]
        parts += [f"-{e}" for e in self.excluded]
        if self.author:
            parts.append(f"author:{' '.join(self.author)}")
        if self.since:
            parts.append(f"since:{self.since.isoformat()}")
        return " ".join(parts)
