"""A stop keeps what was already acknowledged: votes being recorded when the process is asked
to stop are stored before the database is let go (issue 18; PostgreSQL lost them); and the
whole stop, every stage together, keeps to one deadline."""

from __future__ import annotations

import asyncio

import pytest
from rich.console import Console

from bot.cli.runtime import runtime
from bot.cli.serve import _stop
from bot.facade import InFlight, Poster
from bot.reply import Reply
from bot.settings import Settings
from bot.stop_deadline import Deadline, Stop
from loopback.responders import RecordingResponder
from storage.db import Database
from tests.support.invoke import invocation
from tests.support.stop_clock import ManualClock, stop_or_wait
from tests.votes.helpers import PAPERS, open_desk

P1 = PAPERS[0]
CLICKS = 40
GRACE = 30.0


async def test_votes_in_flight_when_the_runtime_stops_are_all_stored(db: Database) -> None:
    desk = await open_desk(db)
    settings = Settings(database_url=db.url, offline=True, load_sample=False)
    async with runtime(settings, Console(quiet=True)) as rt:
        clicks = [desk.click(f"U{i}", P1, 1) for i in range(CLICKS)]
        for click in clicks:  # deferred on Discord: nobody waits for them any more
            asyncio.get_running_loop().create_task(rt.core.handle_vote(click, RecordingResponder()))
        await asyncio.sleep(0)  # they are queued in the recorder, the first batch under way
    assert desk.tally(P1).up == CLICKS


class StuckResponder(RecordingResponder):
    """A platform that never takes the answer: the command stays in flight."""

    async def send(self, message: Reply) -> str | None:
        await asyncio.Event().wait()
        return None


class StuckAdapter:
    """An adapter holding one acknowledged piece of work that never finishes. Given no
    deadline it waits a grace of its own on ``clock``, after the stop's: a stage left out of
    the shared deadline would be seen waiting past it."""

    ends_by_itself = False
    serving = True
    poster: Poster = NotImplemented

    def __init__(self, platform: str, clock: ManualClock) -> None:
        self.platform = platform
        self._clock = clock
        self._in_flight = InFlight(f"{platform} work")
        self._work: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._work = asyncio.get_running_loop().create_task(self._hold())

    async def _hold(self) -> None:
        with self._in_flight.track():
            await asyncio.Event().wait()

    async def wait(self) -> None: ...

    async def stop(self, deadline: Deadline | None = None) -> None:
        await self._in_flight.drain(deadline or Deadline(GRACE, self._clock))
        assert self._work is not None
        self._work.cancel()


async def test_every_stage_of_a_stop_waits_within_one_shared_deadline(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Digests, two adapters and the core, each with work that never ends: the stop takes the
    one deadline in all, not a grace per stage, and says what each left unfinished."""
    clock = ManualClock()
    settings = Settings(database_url=db.url, offline=True, load_sample=False)
    adapters = [StuckAdapter("one", clock), StuckAdapter("two", clock)]
    stuck: list[asyncio.Task[Reply]] = []

    async def serve_then_stop() -> None:
        async with runtime(settings, Console(quiet=True), stop=Stop(GRACE, clock)) as rt:
            await rt.digests.start()
            for adapter in adapters:
                await adapter.start()
            command = rt.core.handle_command(invocation("help"), StuckResponder())
            stuck.append(asyncio.get_running_loop().create_task(command))
            await asyncio.sleep(0)
            await _stop(rt, list(adapters))  # type: ignore[arg-type]

    stopping = asyncio.get_running_loop().create_task(serve_then_stop())
    try:
        assert await clock.waited_on() == GRACE  # the first stuck stage may use all of it
        clock.advance(GRACE)
        assert await stop_or_wait(stopping, clock), f"a stage waits on to {clock.waits}"
        await stopping
    finally:
        stopping.cancel()
        for task in stuck:
            task.cancel()
    unfinished = [r.getMessage() for r in caplog.records if "unfinished" in r.getMessage()]
    assert [line.split(" unfinished")[0] for line in unfinished] == [
        "stopping with 1 two work",
        "stopping with 1 one work",
        "stopping with 1 commands and votes",
    ]
