"""The core's ports: small protocols the composition root fills with real parts or test fakes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.model import Paper
from bot.reply import Reply


class PaperSource(Protocol):
    """Somewhere to fetch papers the catalog does not have yet (Hugging Face, in production)."""

    async def daily_papers(self, day: date) -> list[Paper]:
        """Every paper listed on Daily Papers for ``day`` (all pages); ``[]`` on empty days."""
        ...

    async def paper(self, paper_id: str) -> Paper:
        """One paper by arXiv id; raises ``PaperNotFound`` when the source does not know it."""
        ...

    async def search(self, query: str, limit: int) -> list[Paper]:
        """The source's own search, used when the local catalog has too little."""
        ...


@dataclass(frozen=True, slots=True)
class Channel:
    """Where to post: a channel of a workspace on a platform."""

    platform: str
    workspace: str
    channel: str


@dataclass(frozen=True, slots=True)
class SentMessage:
    """One message a poster sent, and the papers it shows (for reactions and votes)."""

    ref: str
    paper_ids: tuple[str, ...] = ()


class PostRejected(Exception):
    """The platform refused the post; ``retry_after`` is set when it asked us to slow down (429)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Poster(Protocol):
    """Posts a reply into a channel unprompted (digests); each adapter provides one."""

    async def post(self, channel: Channel, reply: Reply) -> list[SentMessage]:
        """Send ``reply``, split into as many messages as the platform's limits need."""
        ...
