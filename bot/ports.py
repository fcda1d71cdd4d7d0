"""The core's ports: small protocols the composition root fills with real parts or test fakes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.model import Channel, Paper, SentMessage
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


class PostRejected(Exception):
    """The platform refused the post; ``retry_after`` is set when it asked us to slow down (429)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class MessageLimits:
    """How much one message may carry, in neutral terms; the core splits digests to fit.

    ``max_cards`` is what the platform's limit allows once a card is rendered (Slack: 50 blocks
    a message; Discord: 10 embeds); None means no limit (the console).
    """

    max_cards: int | None = None


class Poster(Protocol):
    """Posts a reply into a channel unprompted (digests); each adapter provides one."""

    @property
    def limits(self) -> MessageLimits:
        """What one message may carry on this platform."""
        ...

    async def post(self, channel: Channel, reply: Reply) -> list[SentMessage]:
        """Send ``reply`` (already within ``limits``); usually one message, never fewer."""
        ...


class ScheduleSink(Protocol):
    """Tells the live digest scheduler that a subscription changed, so its job follows."""

    def subscription_changed(self, subscription_id: int) -> None: ...

    def subscription_removed(self, subscription_id: int) -> None: ...
