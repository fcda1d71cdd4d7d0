"""The search grammar users type, parsed into a safe, structured query.

Nothing the user types is ever query syntax: words are reduced to runs of letters and digits,
which storage.search_plan makes into tantivy queries term by term (no query parser), so operators
(AND, NEAR, parentheses) and SQL fragments are just more words.
Grammar: words, ``word*`` prefixes, ``"quoted phrases"`` (which must match), hyphenated words such
as ``LLM-as-a-judge`` (ranked higher in that order, not required, so a pasted sentence still
finds its paper), ``-excluded`` words, and the filters
``author:NAME`` (or ``author:"First Last"``), ``org:NAME`` (a Hugging Face organization, by its
handle or its name: ``org:"Google DeepMind"``), ``since:YYYY-MM-DD`` and ``limit:N``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import TypeVar

from bot.model.search import DEFAULT_LIMIT, STOPWORDS, SearchQuery
from bot.usage import UsageError

MAX_LIMIT = 20
MAX_TERMS = 24
MAX_TERM_CHARS = 64

T = TypeVar("T")


_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(
    r"""(?P<filter>(?P<key>author|org|since|limit):(?:"(?P<qval>[^"]*)"?|(?P<val>\S*)))"""
    r"""|"(?P<phrase>[^"]*)"?"""
    r"""|(?P<word>\S+)""",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    """Lower-cased runs of letters and digits (NFKC, as the index stores text), cut to length."""
    normal = unicodedata.normalize("NFKC", text)
    return [w[:MAX_TERM_CHARS] for w in _WORD.findall(normal.lower())]


def parse_search_query(text: str) -> SearchQuery:
    terms: list[str] = []
    prefixes: list[str] = []
    phrases: list[tuple[str, ...]] = []
    joined: list[tuple[str, ...]] = []
    excluded: list[str] = []
    author: tuple[str, ...] = ()
    organization: tuple[str, ...] = ()
    since: date | None = None
    limit = DEFAULT_LIMIT

    # NFKC first: decomposed accents (macOS copy-paste) and full-width letters and colons are
    # the plain characters they look like, for the filters and for the index alike.
    for match in _TOKEN.finditer(unicodedata.normalize("NFKC", text)):
        if match["filter"]:
            key = match["key"].lower()
            value = match["qval"] if match["qval"] is not None else match["val"]
            if key == "author":
                author = tuple(words(value))
            elif key == "org":
                organization = tuple(words(value))
            elif key == "since":
                since = _parse_since(value)
            else:
                limit = _parse_limit(value)
        elif match["phrase"] is not None:
            _add_words(words(match["phrase"]), terms, phrases)
        else:
            _add_word_token(match["word"], terms, prefixes, joined, excluded)

    has_other = bool(prefixes or author or organization)
    terms, phrases = _without_stopwords(terms, phrases, has_other=has_other)
    kinds = (
        _unique(terms),
        _unique(prefixes),
        _unique(phrases),
        _unique(joined),
        _unique(excluded),
    )
    return SearchQuery(
        terms=kinds[0][:MAX_TERMS],
        prefixes=kinds[1][:MAX_TERMS],
        phrases=kinds[2][:MAX_TERMS],
        joined=kinds[3][:MAX_TERMS],
        excluded=kinds[4][:MAX_TERMS],
        author=author[:8],
        organization=organization[:8],
        since=since,
        limit=limit,
        truncated=any(len(kind) > MAX_TERMS for kind in kinds),  # some words were left out
    )


def _unique(items: list[T]) -> tuple[T, ...]:
    """The items in order, each once."""
    return tuple(dict.fromkeys(items))


def _without_stopwords(
    terms: list[str], phrases: list[tuple[str, ...]], *, has_other: bool
) -> tuple[list[str], list[tuple[str, ...]]]:
    """Trim stopwords from phrase ends, and drop stopword terms when something else is left."""
    trimmed: list[tuple[str, ...]] = []
    for phrase in phrases:
        words = list(phrase)
        while len(words) > 1 and words[0] in STOPWORDS:
            words.pop(0)
        while len(words) > 1 and words[-1] in STOPWORDS:
            words.pop()
        if len(words) == 1:
            terms.append(words[0])
        else:
            trimmed.append(tuple(words))
    content = [t for t in terms if t not in STOPWORDS]
    if content or trimmed or has_other:
        return content, trimmed
    return terms, trimmed


def _add_words(found: list[str], terms: list[str], phrases: list[tuple[str, ...]]) -> None:
    """One word is a term; several (``"low rank"``, or ``LLM-as-a-judge`` when ``phrases`` is the
    joined list) are kept in order."""
    if len(found) == 1:
        terms.append(found[0])
    elif found:
        phrases.append(tuple(found[:8]))


def _add_word_token(
    token: str,
    terms: list[str],
    prefixes: list[str],
    joined: list[tuple[str, ...]],
    excluded: list[str],
) -> None:
    if token.startswith("-") and len(token) > 1:
        excluded.extend(words(token[1:])[:1])
        return
    found = words(token)
    if token.endswith("*") and len(found) == 1:
        prefixes.append(found[0])
        return
    _add_words(found, terms, joined)


def _parse_since(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"since: takes a date like 2025-01-31, not {value[:40]!r}") from None


def _parse_limit(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or len(value) > 6 or int(value) < 1:
        raise UsageError(f"limit: takes a number from 1 to {MAX_LIMIT}, not {value[:40]!r}")
    return min(int(value), MAX_LIMIT)
