"""What an operator sees of Hugging Face: requests by outcome and the last good catalog sync in
/metrics, and whether calls go through (or are skipped after a failure) in /readyz and /metrics,
which never makes the process unready: the catalog still answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.catalog_sync import CatalogSync
from bot.cli.health import Parts, PrometheusMetrics
from bot.deps import Deps
from bot.model import Paper
from bot.scheduling.service import DigestService
from bot.sources.errors import PaperNotFound, UpstreamUnavailable
from bot.sources.guarded import GuardedSource
from bot.sources.hf.client import HuggingFaceClient
from bot.sources.hf.pacing import RequestPacer
from loopback.hf import FakeHfServer, HfCatalog, recorded_catalog
from loopback.ports import FakeSource, FixedClock, MonotonicClock
from storage.db import Database
from tests.health.scrape import samples, scrape_once, scrape_parts
from tests.sources.fake_time import FakeTime

JUNE_12 = date(2026, 6, 12)


async def test_requests_to_hugging_face_are_counted_by_outcome(
    sqlite_db: Database, metrics: PrometheusMetrics
) -> None:
    fake_time = FakeTime()
    with FakeHfServer(recorded_catalog()) as server:
        address = server.base_url  # a port that was free, and is closed after the block
        server.respond_next(429, headers={"Retry-After": "2"}, path="/api/daily_papers")
        server.respond_next(503, path="/api/daily_papers")
        async with HuggingFaceClient(
            server.base_url, sleep=fake_time.sleep, clock=fake_time.clock, metrics=metrics
        ) as client:
            assert await client.daily_papers(JUNE_12)  # after a 429 and a 503
            with pytest.raises(PaperNotFound):
                await client.paper("2606.99999")
    async with HuggingFaceClient(address, connect_retries=0, metrics=metrics) as gone:
        with pytest.raises(UpstreamUnavailable):
            await gone.search("attention", 5)  # nothing listens there any more

    page = (await scrape_once("/metrics", sqlite_db, [], None, metrics)).text
    assert samples(page, "paperbot_hf_requests_total") == {
        (("outcome", "rate_limited"),): 1,
        (("outcome", "server_error"),): 1,
        (("outcome", "ok"),): 1,
        (("outcome", "not_found"),): 1,
        (("outcome", "unreachable"),): 1,
    }


async def test_the_last_sync_that_fetched_every_day_shows_and_a_failed_one_leaves_it(
    db: Database, metrics: PrometheusMetrics
) -> None:
    clock = FixedClock(datetime(2026, 6, 12, 6, 0, tzinfo=UTC))
    fake_time = FakeTime()
    name = "paperbot_catalog_last_sync_timestamp_seconds"
    with FakeHfServer(HfCatalog.empty()) as server:
        async with HuggingFaceClient(
            server.base_url, sleep=fake_time.sleep, clock=fake_time.clock, now=clock
        ) as client:
            sync = CatalogSync(db, client, clock, minutes=15, metrics=metrics)
            never = (await scrape_once("/metrics", db, [], None, metrics)).text
            await sync.run()
            synced_at = clock.now.timestamp()
            clock.now += timedelta(minutes=15)
            server.respond_next(500, times=1000)  # Hugging Face fails every request now
            await sync.run()
            after = (await scrape_once("/metrics", db, [], None, metrics)).text

    assert samples(never, name) == {(): 0}
    assert samples(after, name) == {(): synced_at}


class DownSource(FakeSource):
    """A source whose every call fails as an unreachable Hugging Face does."""

    async def search(self, query: str, limit: int) -> list[Paper]:
        raise UpstreamUnavailable("Hugging Face unreachable (ConnectError) after 1 attempt(s)")


async def test_readyz_and_metrics_show_whether_hugging_face_calls_go_through(
    deps: Deps, digests: DigestService, metrics: PrometheusMetrics
) -> None:
    clock = MonotonicClock()
    commands = GuardedSource(DownSource(), timeout=4, cool_down=120, clock=clock)
    fake_time = FakeTime()
    pacer = RequestPacer(sleep=fake_time.sleep, clock=fake_time.clock)
    offline = GuardedSource(None, timeout=60)
    parts = Parts(deps.db, [], digests, {"commands": commands, "digests": offline}, pacer)

    before = await scrape_parts("/readyz", parts, metrics)
    with pytest.raises(UpstreamUnavailable):
        await commands.search("lora", 5)
    clock.now += 20
    pacer.hold(30)
    down = await scrape_parts("/readyz", parts, metrics)
    page = (await scrape_parts("/metrics", parts, metrics)).text

    assert before.status_code == 200, before.text
    assert before.text.splitlines()[-2:] == [
        "hugging face for commands: calls go through",
        "hugging face for digests: off (paperbot runs offline (PAPERBOT_OFFLINE is set))",
    ]
    assert down.status_code == 200, down.text  # the catalog answers meanwhile: still ready
    assert down.text.splitlines()[-3:] == [
        "hugging face for commands: skipped for 100 s more after: Hugging Face unreachable "
        "(ConnectError) after 1 attempt(s) (answers come from the catalog)",
        "hugging face for digests: off (paperbot runs offline (PAPERBOT_OFFLINE is set))",
        "hugging face quota: held 30 s more by its rate limit",
    ]
    assert samples(page, "paperbot_hf_available") == {
        (("path", "commands"),): 0,
        (("path", "digests"),): 0,
    }
    assert samples(page, "paperbot_hf_rate_limit_hold_seconds") == {(): 30}
