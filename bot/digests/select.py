"""Choose a digest's papers: filter by the channel's keywords, organizations, authors and minimum
upvotes, leave out what the channel has seen lately, rank by Hugging Face upvotes (or first by
the team's preference, for a for-team digest), keep the top N. Pure, so it is tested without a
database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from bot.model import Paper
from bot.model.digests import DigestSpec


@dataclass(frozen=True, slots=True)
class Selection:
    papers: tuple[Paper, ...]
    listed: int  # papers Hugging Face listed for the window
    matched: int  # of those, passing the keyword and upvote filters
    already_shown: int  # of those, left out because the channel saw them in the last 7 days

    def why_empty(self) -> str:
        if self.listed == 0:
            return "Hugging Face listed no papers"
        if self.matched == 0:
            return f"none of the {self.listed} papers matched the filters"
        return f"all {self.matched} matching papers were shown in this channel in the last 7 days"


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A keyword matches at a word start, any spacing, any case: "reward model" finds
    "Reward  Models"; it does not match inside a word ("rl" does not match "world")."""
    words = keyword.split()
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)


def matches_keywords(paper: Paper, patterns: Iterable[re.Pattern[str]]) -> bool:
    text = "\n".join((paper.title, " ; ".join(paper.ai_keywords), paper.summary))
    return any(pattern.search(text) for pattern in patterns)


def fold(text: str) -> str:
    """Names as people type them: accents and case left out ("Niccolo" finds "Niccolò")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_pattern(name: str) -> re.Pattern[str]:
    """A name matches whole words in order ("LeCun" finds "Yann LeCun", "Ada" not "Adam")."""
    return re.compile(keyword_pattern(fold(name)).pattern + r"(?!\w)")


def _by_name(
    names: Iterable[str], named: Callable[[Paper], Iterable[str | None]]
) -> Callable[[Paper], bool]:
    """Whether any of ``names`` is one of what ``named`` gives for a paper (every paper when
    ``names`` is empty)."""
    patterns = [name_pattern(n) for n in names if n.split()]

    def matches(paper: Paper) -> bool:
        found = [fold(n) for n in named(paper) if n]
        return not patterns or any(p.search(n) for p in patterns for n in found)

    return matches


def _organization(paper: Paper) -> tuple[str | None, ...]:
    return (paper.organization, paper.organization_name)


def _authors(paper: Paper) -> tuple[str, ...]:
    return paper.authors


def rank_key(paper: Paper) -> tuple[int, int, str]:
    return (-paper.upvotes, -paper.num_comments, paper.id)


def select_papers(
    papers: Iterable[Paper],
    spec: DigestSpec,
    shown: Collection[str],
    preferred: Mapping[str, float] | None = None,
) -> Selection:
    """``preferred`` scores papers for the team (``bot.digests.for_team``): higher goes first."""
    listed = {p.id: p for p in papers}
    patterns = [keyword_pattern(k) for k in spec.keywords if k.split()]
    of_organization = _by_name(spec.organizations, _organization)
    by_authors = _by_name(spec.authors, _authors)
    matching = [
        p
        for p in listed.values()
        if p.upvotes >= spec.min_upvotes
        and (not patterns or matches_keywords(p, patterns))
        and of_organization(p)
        and by_authors(p)
    ]
    prefer = preferred or {}
    fresh = sorted(
        (p for p in matching if p.id not in shown),
        key=lambda p: (-prefer.get(p.id, 0.0), *rank_key(p)),
    )
    return Selection(
        papers=tuple(fresh[: spec.top_n]),
        listed=len(listed),
        matched=len(matching),
        already_shown=len(matching) - len(fresh),
    )
