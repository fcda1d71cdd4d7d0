"""Split a reply into messages that each fit a platform's limits.

Every reply an adapter sends, interactive or digest, goes through ``split_reply``: Discord takes
10 embeds and 6,000 characters a message, Slack 50 blocks and 40,000 characters, and a platform
that maps a reaction to one paper wants one card a message. Limits are neutral: a card count, a
size budget, and the adapter's own ``measure`` of what a part costs once rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import assert_never

from bot.reply import (
    Attachment,
    Heading,
    PaperCard,
    Part,
    Reply,
    Text,
    VoterList,
    submission_line,
)

Measure = Callable[[Part], int]

CARD_OVERHEAD = 200  # links, upvotes, tally line: what a rendered card adds to its text
VOTER_LINE = 60
ELLIPSIS = "…"


def neutral_size(part: Part) -> int:
    """Characters a part takes as plain text: a fair default for platforms without a measure."""
    match part:
        case Heading() | Text():
            return len(part.text)
        case PaperCard(paper=paper):
            authors = sum(len(a) + 2 for a in paper.authors) + len(submission_line(paper) or "")
            summary = len(paper.ai_summary or "") + len(paper.summary)
            return len(paper.title) + authors + summary + CARD_OVERHEAD
        case VoterList(voters=voters):
            return len(part.paper.title) + VOTER_LINE * len(voters)
        case Attachment(title=title, filename=filename):
            return len(title) + len(filename)  # the file itself is not part of the message
        case _:
            assert_never(part)


@dataclass(frozen=True, slots=True)
class MessageLimits:
    """How much one message may carry. None means no limit (the console).

    ``one_card_per_message`` sends leading text as its own message and then each card in a
    message of its own, so a reaction on any of them names exactly one paper.
    """

    max_cards: int | None = None
    max_chars: int | None = None
    one_card_per_message: bool = False
    measure: Measure = neutral_size

    def __post_init__(self) -> None:
        if self.max_cards is not None and self.max_cards < 1:
            raise ValueError("a message must be able to carry at least one card")
        if self.max_chars is not None and self.max_chars < 200:
            raise ValueError("a message must be able to carry at least 200 characters")

    @property
    def cards_per_message(self) -> int | None:
        return 1 if self.one_card_per_message else self.max_cards


def split_reply(reply: Reply, limits: MessageLimits) -> list[Reply]:
    """The reply as messages within ``limits``, parts in their order, cards keeping their ranks.

    Messages after the first repeat the reply's heading as "(continued, i/n)" when it had one,
    except one-card messages, which stand on their own. A part bigger than a whole message is cut
    to fit (a card's abstract and summary first, then its title). An attachment is a message of
    its own (Slack uploads a file apart from any message), never given a heading.
    """
    title = next((p.text for p in reply.parts if isinstance(p, Heading)), None)
    per_card = limits.one_card_per_message
    reserve = 0
    if title is not None and not per_card and limits.max_chars is not None:
        reserve = limits.measure(Heading(f"{title} (continued, 99/99)"))
    chunks = _pack(reply.parts, limits, reserve)
    texts = [chunk for chunk in chunks if not _is_file(chunk[0])]
    if title is not None and not per_card and len(texts) > 1:
        for i, chunk in enumerate(texts[1:], start=2):
            chunk.insert(0, Heading(f"{title} (continued, {i}/{len(texts)})"))
    return [Reply(tuple(parts), reply.outcome, reply.private) for parts in chunks]


def _pack(parts: tuple[Part, ...], limits: MessageLimits, reserve: int) -> list[list[Part]]:
    budget = limits.max_chars
    per_message = limits.cards_per_message
    chunks: list[list[Part]] = [[]]
    cards = size = 0
    for part in parts:
        if budget is not None:
            part = fit_part(part, budget - reserve, limits.measure)
        cost = limits.measure(part)
        is_card = isinstance(part, PaperCard)
        alone = _is_file(part) or bool(chunks[-1] and _is_file(chunks[-1][-1]))
        full_of_cards = is_card and per_message is not None and cards >= per_message
        leading_text = is_card and limits.one_card_per_message and cards == 0 and chunks[-1]
        too_big = budget is not None and chunks[-1] and size + cost > budget - reserve
        if alone or full_of_cards or leading_text or too_big:
            chunks.append([])
            cards = size = 0
        chunks[-1].append(part)
        size += cost
        cards += is_card
    return [chunk for chunk in chunks if chunk]


def _is_file(part: Part) -> bool:
    return isinstance(part, Attachment)


def fit_part(part: Part, budget: int, measure: Measure) -> Part:
    """``part`` cut down until ``measure`` says it fits in ``budget``; unchanged if it does."""
    if measure(part) <= budget:
        return part
    match part:
        case PaperCard(paper=paper):
            for _ in range(40):
                summary, ai_summary = _halve(paper.summary), _halve(paper.ai_summary or "")
                if (summary, ai_summary) == (paper.summary, paper.ai_summary or ""):
                    break
                paper = replace(paper, summary=summary, ai_summary=ai_summary or None)
                if measure(replace(part, paper=paper)) <= budget:
                    return replace(part, paper=paper)
            paper = replace(paper, authors=paper.authors[:3])
            while len(paper.title) > 20 and measure(replace(part, paper=paper)) > budget:
                paper = replace(paper, title=_halve(paper.title))
            return replace(part, paper=paper)
        case Text() | Heading():
            text = part.text
            while len(text) > 20 and measure(_retext(part, text)) > budget:
                text = _halve(text)
            return _retext(part, text)
        case VoterList(voters=voters):
            while len(voters) > 1 and measure(replace(part, voters=voters)) > budget:
                voters = voters[: len(voters) // 2]
            return replace(part, voters=voters)
        case Attachment():
            return part  # its title is short; the file is not counted against the message
        case _:
            assert_never(part)


def _retext(part: Text | Heading, text: str) -> Part:
    """A long paragraph is cut as plain text: its spans' markup would not survive the cut."""
    return Heading(text) if isinstance(part, Heading) else Text(text, part.tone)


def _halve(text: str) -> str:
    if len(text) <= 20:
        return "" if len(text) <= 1 else text
    return text[: len(text) // 2].rstrip() + ELLIPSIS
