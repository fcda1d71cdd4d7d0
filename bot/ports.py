"""The core's ports: small protocols the composition root fills with real parts or test fakes."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from bot.calendar_periods import CalendarPeriod
from bot.model import Channel, Paper
from bot.model.hub import HubCitations
from bot.reply import Reply
from bot.reply_split import MessageLimits


class PaperSource(Protocol):
    """Somewhere to fetch papers the catalog does not have yet (Hugging Face, in production)."""

    async def daily_papers(self, day: date) -> list[Paper]:
        """Every paper listed on Daily Papers for ``day`` (all pages); ``[]`` on empty days."""
        ...

    async def period_papers(self, period: CalendarPeriod) -> list[Paper]:
        """Every paper Daily Papers lists for a calendar day, ISO week or month."""
        ...

    async def paper(self, paper_id: str) -> Paper:
        """One paper by arXiv id; raises ``PaperNotFound`` when the source does not know it."""
        ...

    async def search(self, query: str, limit: int) -> list[Paper]:
        """The source's own search, used when the local catalog has too little."""
        ...

    async def hub_citations(self, paper_id: str) -> HubCitations:
        """The models, datasets and Spaces on the Hub whose cards cite the paper."""
        ...


class PostRejected(Exception):
    """The platform refused the post; ``retry_after`` is set when it asked us to slow down (429)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Poster(Protocol):
    """Posts into a channel unprompted (digests, alerts); each adapter provides one.

    One call sends exactly one message, so the digest ledger can record each message as it goes
    and a retry resumes at the first one not sent.
    """

    @property
    def limits(self) -> MessageLimits:
        """What one message may carry on this platform (the core splits to fit)."""
        ...

    async def send(self, channel: Channel, message: Reply) -> str:
        """Send one message (already within ``limits``); returns the platform's reference to it.

        Raises ``PostRejected`` when the platform refuses (with ``retry_after`` on a 429).
        """
        ...


class ScheduleSink(Protocol):
    """Tells the live digest scheduler that a subscription changed, so its job follows."""

    def subscription_changed(self, subscription_id: int) -> None: ...

    def subscription_removed(self, subscription_id: int) -> None: ...
