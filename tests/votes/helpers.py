"""Building vote events and a channel with paper messages, as an adapter would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.deps import Deps
from bot.model import Channel, SentMessage, Tally
from bot.settings import Settings
from bot.votes.events import ButtonVote, ReactionChange, VoteEvent
from bot.votes.service import VoteReceipt, VoteRecorder
from loopback.ports import FakeSource, FixedClock, make_paper
from storage.db import Database
from storage.papers import upsert_papers
from storage.posted_messages import record_posted
from tests.support.queries import paper_tally

T0 = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)
PAPERS = ("2606.00001", "2606.00002", "2606.00003")


@dataclass
class VoteDesk:
    """Sends vote events as a platform adapter would, and reads tallies back."""

    deps: Deps
    workspace: str = "T1"
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def click(self, user: str, paper: str, value: int, *, at: datetime | None = None) -> ButtonVote:
        return ButtonVote("test", self.workspace, "C1", user, paper, value, self._id(), at or T0)

    def react(
        self,
        user: str,
        paper: str,
        emoji: str,
        *,
        added: bool = True,
        at: datetime | None = None,
        message: str | None = None,
        by_bot: bool = False,
        event_id: str | None = None,
    ) -> ReactionChange:
        return ReactionChange(
            "test", self.workspace, "C1", message or f"m-{paper}", user, emoji, added,
            event_id or self._id(), at or T0, by_bot,
        )  # fmt: skip

    async def send(self, event: VoteEvent) -> VoteReceipt:
        """Record the event as adapters do, in a recorder of its own: one transaction per event,
        so concurrent sends race on the vote rows as separate processes' events would."""
        return await VoteRecorder(self.deps).record(event)

    def tally(self, paper: str) -> Tally:
        return self.deps.db.read_now(lambda s: paper_tally(s, "test", self.workspace, paper))

    def _id(self) -> str:
        return f"{self.workspace}-ev-{next(self.ids)}"


async def open_desk(db: Database, workspace: str = "T1") -> VoteDesk:
    """Papers in the catalog, each posted alone (``m-<paper>``) and all three in ``digest``."""
    db.write_now(lambda s: upsert_papers(s, [make_paper(p, f"Paper {p}") for p in PAPERS]))
    deps = Deps(
        Settings(database_url=db.url), db, FakeSource(), FixedClock(T0 + timedelta(hours=1))
    )
    messages = [SentMessage(f"m-{p}", (p,)) for p in PAPERS]
    messages.append(SentMessage("digest", PAPERS))
    channel = Channel("test", workspace, "C1")
    db.write_now(lambda s: record_posted(s, channel, messages, T0))
    return VoteDesk(deps, workspace)
