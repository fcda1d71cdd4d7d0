"""Choose a digest's papers: filter by the channel's keywords and minimum upvotes, leave out what
the channel has seen lately, rank by Hugging Face upvotes, keep the top N. Pure, so it is tested
without a database.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
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


def rank_key(paper: Paper) -> tuple[int, int, str]:
    return (-paper.upvotes, -paper.num_comments, paper.id)


def select_papers(papers: Iterable[Paper], spec: DigestSpec, shown: Collection[str]) -> Selection:
    listed = {p.id: p for p in papers}
    patterns = [keyword_pattern(k) for k in spec.keywords if k.split()]
    matching = [
        p
        for p in listed.values()
        if p.upvotes >= spec.min_upvotes and (not patterns or matches_keywords(p, patterns))
    ]
    fresh = sorted((p for p in matching if p.id not in shown), key=rank_key)
    return Selection(
        papers=tuple(fresh[: spec.top_n]),
        listed=len(listed),
        matched=len(matching),
        already_shown=len(matching) - len(fresh),
    )
