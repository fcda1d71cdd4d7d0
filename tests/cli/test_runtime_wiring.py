"""``paperbot run``'s wiring: what an adapter hands the core is what the digests use."""

from __future__ import annotations

from rich.console import Console

from bot.cli.runtime import runtime
from bot.settings import Settings
from storage.db import Database
from tests.digests.helpers import RecordingPoster


async def test_a_poster_an_adapter_registers_with_the_core_posts_the_digests(
    sqlite_db: Database,
) -> None:
    settings = Settings(database_url=sqlite_db.url, offline=True, load_sample=False)
    async with runtime(settings, Console(quiet=True)) as rt:
        poster = RecordingPoster()
        rt.core.register_poster("slack", poster)
        runner = rt.digests.scheduler.runner
        assert runner.platforms == frozenset({"slack"})
        assert runner.posters["slack"] is poster
