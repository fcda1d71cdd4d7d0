"""Paper links people post in a channel: each answered with the paper's card (an unfurl).

Only links count (``huggingface.co/papers/…``, ``arxiv.org/abs|pdf/…``), never a bare id in
conversation. A link to a paper Hugging Face does not know, or asked while it is down, gets
no card and no error: the person asked nothing, so nothing in the channel should answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.deps import Deps
from bot.model import Channel, Tally
from bot.paper_ids import parse_paper_ref
from bot.paper_lookup import lookup_paper
from bot.reply import PaperCard, Reply
from bot.sources.errors import PaperNotFound, SourceError
from storage.votes import tallies

MAX_LINKS = 3  # cards for one message: a pasted reading list should not flood the channel
_URL = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"*_~"  # sentence punctuation and markdown after a pasted link


@dataclass(frozen=True, slots=True)
class SharedLinks:
    """Links someone posted in a channel, as the platform reported them, in order."""

    platform: str
    workspace: str
    channel: str
    user: str
    urls: tuple[str, ...]


def urls_in(text: str) -> tuple[str, ...]:
    """The web links in a message's text, without the punctuation that followed them."""
    return tuple(match.rstrip(_TRAILING) for match in _URL.findall(text))


def paper_links(urls: Iterable[str]) -> dict[str, str]:
    """Link -> arXiv id, for the first link to each paper, at most ``MAX_LINKS``."""
    found: dict[str, str] = {}
    for url in urls:
        paper_id = parse_paper_ref(url) if _URL.match(url) else None
        if paper_id is not None and paper_id not in found.values():
            found[url] = paper_id
        if len(found) == MAX_LINKS:
            break
    return found


async def link_card(deps: Deps, channel: Channel, paper_id: str) -> Reply | None:
    """The paper's card with the team's tally, as one message; None when there is no paper to
    show (unknown to Hugging Face, or Hugging Face unavailable and the catalog without it)."""
    try:
        paper = await lookup_paper(deps, paper_id)
    except (PaperNotFound, SourceError):
        return None
    found = await deps.db.read(
        lambda s: tallies(s, channel.platform, channel.workspace, [paper_id])
    )
    return Reply((PaperCard(paper, tally=found.get(paper_id, Tally())),))
