"""The plain anchor for bench/digest.py: the same digests through the same poster, with no
scheduler and no database.

Each subscription's papers are the day's papers that pass its filters, the most upvoted first,
sent five cards a message; a message answered 429 is sent again after its Retry-After. At most
``at_once`` digests post at the same time, as paperbot's digest policy allows, and one waiting
out a Retry-After leaves its place to another, as paperbot's does.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.model import Channel, Paper
from bot.ports import Poster, PostRejected
from bot.reply import Heading, PaperCard, Reply


@dataclass(frozen=True, slots=True)
class PlainDigest:
    channel: Channel
    top: int
    keywords: tuple[str, ...] = ()
    min_upvotes: int = 0


def choose(papers: Sequence[Paper], digest: PlainDigest) -> list[Paper]:
    patterns = [re.compile(r"(?<!\w)" + re.escape(k), re.IGNORECASE) for k in digest.keywords]

    def wanted(paper: Paper) -> bool:
        text = "\n".join((paper.title, " ; ".join(paper.ai_keywords), paper.summary))
        return not patterns or any(p.search(text) for p in patterns)

    matching = [p for p in papers if p.upvotes >= digest.min_upvotes and wanted(p)]
    matching.sort(key=lambda p: (-p.upvotes, p.id))
    return matching[: digest.top]


async def post_all(
    poster: Poster,
    papers: Sequence[Paper],
    digests: Sequence[PlainDigest],
    cards_a_message: int,
    at_once: int = 20,
) -> None:
    gate = asyncio.Semaphore(at_once)

    async def one(digest: PlainDigest) -> None:
        chosen = choose(papers, digest)
        messages = [chosen[i : i + cards_a_message] for i in range(0, len(chosen), cards_a_message)]
        sent = 0
        while sent < len(messages):
            wait = 0.0
            async with gate:
                while sent < len(messages):
                    heading = (Heading("Daily papers"),) if sent == 0 else ()
                    cards = tuple(PaperCard(p, rank) for rank, p in enumerate(messages[sent]))
                    try:
                        await poster.send(digest.channel, Reply(heading + cards))
                    except PostRejected as refused:
                        wait = refused.retry_after or 1.0
                        break
                    sent += 1
            await asyncio.sleep(wait)

    await asyncio.gather(*(one(d) for d in digests))
