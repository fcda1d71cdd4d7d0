"""Papers as BibTeX ``@misc`` entries, the way arXiv's own export cites a preprint.

Values are written in braces with LaTeX's special characters escaped, so any title or author
name gives an entry a BibTeX parser reads back unchanged (non-ASCII letters stay as UTF-8, which
biber and modern BibTeX read). Keys are ``lastnameYEARword``, made unique within one export.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.model import Paper

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "and",
        "to",
        "with",
        "via",
        "is",
        "are",
        "from",
        "by",
        "at",
        "as",
    ]
)
_NEW_STYLE_ID = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")


def escape(text: str) -> str:
    """``text`` as a BibTeX value: LaTeX specials escaped, line breaks and runs of spaces one."""
    flat = " ".join(text.split())
    return "".join(_SPECIAL.get(char, char) for char in flat)


def year_of(paper: Paper) -> int | None:
    """The year it appeared: its publication date, else its Daily Papers day, else its id."""
    if paper.published_at is not None:
        return paper.published_at.year
    if paper.hf_daily_date is not None:
        return paper.hf_daily_date.year
    found = _NEW_STYLE_ID.fullmatch(paper.id)
    return 2000 + int(found[1]) if found else None


def _ascii_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def base_key(paper: Paper) -> str:
    surname = _ascii_word(paper.authors[0].split()[-1]) if paper.authors else ""
    words = (_ascii_word(word) for word in paper.title.split())
    first_word = next((w for w in words if w and w not in _STOPWORDS), "")
    year = year_of(paper)
    key = f"{surname}{year or ''}{first_word}"
    return key or "arxiv" + _ascii_word(paper.id)


def entry(paper: Paper, key: str) -> str:
    fields = [("title", "{" + escape(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(escape(name) for name in paper.authors)))
    year = year_of(paper)
    if year is not None:
        fields.append(("year", str(year)))
    fields += [
        ("eprint", escape(paper.id)),
        ("archivePrefix", "arXiv"),
        ("url", escape(paper.arxiv_url)),
    ]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{key},\n{body}}}\n"


def bibliography(papers: Iterable[Paper]) -> str:
    """One entry per paper (a paper twice is written once), keys unique (``…a``, ``…b``)."""
    seen_ids: set[str] = set()
    used: set[str] = set()
    entries: list[str] = []
    for paper in papers:
        if paper.id in seen_ids:
            continue
        seen_ids.add(paper.id)
        base = key = base_key(paper)
        collisions = 0
        while key in used:
            collisions += 1
            key = base + (chr(ord("a") + collisions - 1) if collisions <= 26 else str(collisions))
        used.add(key)
        entries.append(entry(paper, key))
    return "\n".join(entries)
