"""A stop keeps what was already acknowledged: votes being recorded when the process is asked
to stop are stored before the database is let go (issue 18; PostgreSQL lost them)."""

from __future__ import annotations

import asyncio

from rich.console import Console

from bot.cli.runtime import runtime
from bot.settings import Settings
from loopback.responders import RecordingResponder
from storage.db import Database
from tests.votes.helpers import PAPERS, open_desk

P1 = PAPERS[0]
CLICKS = 40


async def test_votes_in_flight_when_the_runtime_stops_are_all_stored(db: Database) -> None:
    desk = await open_desk(db)
    settings = Settings(database_url=db.url, offline=True, load_sample=False)
    async with runtime(settings, Console(quiet=True)) as rt:
        clicks = [desk.click(f"U{i}", P1, 1) for i in range(CLICKS)]
        for click in clicks:  # deferred on Discord: nobody waits for them any more
            asyncio.get_running_loop().create_task(rt.core.handle_vote(click, RecordingResponder()))
        await asyncio.sleep(0)  # they are queued in the recorder, the first batch under way
    assert desk.tally(P1).up == CLICKS
