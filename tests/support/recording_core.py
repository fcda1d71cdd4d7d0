"""The real core, noting what it handled, for tests of adapters that answer after they ack."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core, LinkResponder, SharedLinks, VoteEvent, VoteOutcome, VoteResponder


class RecordingCore(Core):
    """The real core, noting each vote it handled: adapters handle events after
    acknowledging them, so tests wait on what it handled."""

    def __init__(self, deps: Deps, dispatcher: Dispatcher) -> None:
        super().__init__(deps, dispatcher)
        self.outcomes: list[VoteOutcome] = []
        self.cards_shown: list[int] = []  # per link_shared event handled, how many cards
        self._handled = asyncio.Condition()

    async def handle_vote(self, event: VoteEvent, responder: VoteResponder) -> VoteOutcome:
        outcome = await super().handle_vote(event, responder)
        await self._note(self.outcomes, outcome)
        return outcome

    async def handle_links(self, shared: SharedLinks, responder: LinkResponder) -> int:
        shown = await super().handle_links(shared, responder)
        await self._note(self.cards_shown, shown)
        return shown

    async def _note(self, handled: list[Any], what: Any) -> None:
        async with self._handled:
            handled.append(what)
            self._handled.notify_all()

    async def handled(self, count: int) -> None:
        """Until ``count`` votes were handled; fails after 5 s."""
        await self._until(lambda: len(self.outcomes) >= count)

    async def links_handled(self, count: int) -> None:
        """Until ``count`` link_shared events were handled; fails after 5 s."""
        await self._until(lambda: len(self.cards_shown) >= count)

    async def _until(self, check: Callable[[], bool]) -> None:
        async with self._handled:
            await asyncio.wait_for(self._handled.wait_for(check), 5.0)
