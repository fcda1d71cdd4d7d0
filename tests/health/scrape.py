"""Scraping a health server over loopback, for the health and metrics tests."""

from __future__ import annotations

from collections.abc import Sequence

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.cli.health import HealthServer, Parts, PrometheusMetrics
from bot.facade import Adapter, Poster
from bot.scheduling.service import DigestService
from bot.stop_deadline import Deadline
from storage.db import Database


class FakeAdapter:
    """Just enough of an ``Adapter`` for /readyz: its name and whether it is serving."""

    def __init__(self, platform: str, serving: bool = True) -> None:
        self.platform = platform
        self.serving = serving
        self.ends_by_itself = False
        self.poster: Poster = NotImplemented

    async def start(self) -> None: ...
    async def wait(self) -> None: ...
    async def stop(self, deadline: Deadline | None = None) -> None: ...


async def scrape_parts(path: str, parts: Parts, metrics: PrometheusMetrics) -> httpx.Response:
    """GET ``path`` from a health server started for it on a free loopback port."""
    server = HealthServer(parts, metrics, "127.0.0.1", 0)
    await server.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as http:
            return await http.get(path, timeout=30)
    finally:
        await server.stop()


async def scrape_once(
    path: str,
    db: Database,
    adapters: Sequence[Adapter],
    digests: DigestService | None,
    metrics: PrometheusMetrics,
) -> httpx.Response:
    return await scrape_parts(path, Parts(db, adapters, digests), metrics)


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """Every sample called ``name`` in a Prometheus page, by its sorted labels."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found
