"""The vote use case adapters call: record an event, get the updated card back.

``VoteRecorder`` applies the events that arrive together (a burst of reactions on a digest, a
gateway replay) in one transaction per batch, in arrival order, with a fixed number of
statements per batch (``bot.votes.batch``): what lets PostgreSQL keep up with hundreds of events
a second. A failed batch is retried as batches of one, so a bad event fails alone. A receipt's
card shows the tally after its whole batch (docs/architecture.md, Votes).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.deps import Deps
from bot.reply import PaperCard
from bot.votes.batch import record_votes
from bot.votes.events import Effect, VoteEvent, VoteResult
from storage.votes import TeamPaper, papers_with_tallies

log = logging.getLogger(__name__)

# Events that change nothing need no card update.
SILENT = frozenset({Effect.DUPLICATE, Effect.STALE, Effect.IGNORED})


@dataclass(frozen=True, slots=True)
class VoteReceipt:
    result: VoteResult
    card: PaperCard | None  # the card with its new tally, when the tally may have changed


def apply_votes(
    session: Session, events: Sequence[VoteEvent], values: Mapping[str, int], now: datetime
) -> list[VoteReceipt]:
    """Record ``events`` in order; each receipt's card shows its paper's tally after them all."""
    results = record_votes(session, events, values, now)
    # The team paper whose card each event changed, or None.
    keys = [
        None
        if result.effect in SILENT or result.paper_id is None
        else (event.platform, event.workspace, result.paper_id)
        for event, result in zip(events, results, strict=True)
    ]
    found = papers_with_tallies(session, {key for key in keys if key is not None})
    cards: dict[TeamPaper | None, PaperCard] = {
        key: PaperCard(paper, tally=tally) for key, (paper, tally) in found.items()
    }
    return [VoteReceipt(r, cards.get(key)) for r, key in zip(results, keys, strict=True)]


class VoteRecorder:
    """Queues vote events and applies them in batches, one transaction per batch.

    Events are spread over ``lanes`` by person: each person's events keep their order in one
    lane, and lanes lock disjoint vote rows, so parallel batches cannot deadlock each other.
    A batch costs a fixed number of round trips whatever its size, so one lane, whose batches
    grow with the backlog, does the most per round trip; it is the default on both databases
    (docs/benchmarks.md). More lanes suit a database server with cores of its own.
    """

    def __init__(self, deps: Deps, max_batch: int = 64, lanes: int = 1) -> None:
        self._deps = deps
        self._max_batch = max_batch
        self._pending: list[list[tuple[VoteEvent, asyncio.Future[VoteReceipt]]]] = [
            [] for _ in range(max(1, lanes))
        ]
        self._drainers: list[asyncio.Task[None] | None] = [None] * len(self._pending)

    async def record(self, event: VoteEvent) -> VoteReceipt:
        future: asyncio.Future[VoteReceipt] = asyncio.get_running_loop().create_future()
        lane = hash((event.platform, event.workspace, event.user)) % len(self._pending)
        self._pending[lane].append((event, future))
        drainer = self._drainers[lane]
        if drainer is None or drainer.done():
            self._drainers[lane] = asyncio.create_task(self._drain(lane))
        return await future

    async def _drain(self, lane: int) -> None:
        pending = self._pending[lane]
        while pending:
            batch = pending[: self._max_batch]
            del pending[: self._max_batch]
            try:
                await self._apply(batch)
            except Exception as error:  # a bug, as the database's failures are handled inside:
                log.exception("recording a batch of %d vote events failed", len(batch))
                for _, future in batch:  # its callers hear of it, and the lane goes on
                    _settle(future, error=error)

    async def _apply(self, batch: list[tuple[VoteEvent, asyncio.Future[VoteReceipt]]]) -> None:
        values, now = self._deps.settings.reaction_values, self._deps.clock()

        async def write(events: list[VoteEvent]) -> list[VoteReceipt]:
            return await self._deps.db.write(lambda s: apply_votes(s, events, values, now))

        try:
            receipts = await write([event for event, _ in batch])
        except Exception:
            log.warning("a batch of %d vote events failed; applying them one by one", len(batch))
            for event, future in batch:  # each a batch of one, so a bad event fails alone
                try:
                    [receipt] = await write([event])
                except Exception as error:
                    _settle(future, error=error)
                else:
                    _settle(future, receipt)
            return
        for (_, future), receipt in zip(batch, receipts, strict=True):
            _settle(future, receipt)


def _settle(
    future: asyncio.Future[VoteReceipt],
    receipt: VoteReceipt | None = None,
    error: BaseException | None = None,
) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    elif receipt is not None:
        future.set_result(receipt)
