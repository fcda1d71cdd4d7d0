"""Health and metrics on their own port: ``/healthz``, ``/readyz`` and ``/metrics``.

Composition-root code: it reads the database through the ``Database`` and asks each started
adapter whether it is serving (``Adapter.serving``), importing no adapter. ``paperbot run``
serves it when ``PAPERBOT_METRICS_PORT`` is set, in every mode (Discord-only included).

- ``/healthz``: 200 "ok" whenever the event loop gets to answer.
- ``/readyz``: one line per part (database, schema, each adapter, the digest scheduler); 200
  when every part is ready, 503 when one is not, its line saying what is wrong. Then, for
  information only, whether calls to Hugging Face go through or are skipped after a failure.
- ``/metrics``: Prometheus text from a registry of this process's own (no global registry).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from functools import partial

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from bot.facade import Adapter
from bot.scheduling.service import DigestService
from bot.sources.guarded import GuardedSource
from bot.sources.hf.pacing import RequestPacer
from storage import migrate
from storage.db import Database
from storage.papers import latest_daily_date

log = logging.getLogger("paperbot.health")

CHECK_TIMEOUT = 5.0  # a part that does not answer in this long is not ready
MAX_CODE = 40  # a platform's error code, cut: labels stay short
COMMAND_SECONDS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class PrometheusMetrics:
    """The core's ``bot.metrics.Metrics`` port, counted into ``registry``."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.commands = Counter(
            "paperbot_commands",
            "Commands handled, by command and outcome.",
            ["command", "outcome"],
            registry=registry,
        )
        self.command_seconds = Histogram(
            "paperbot_command_seconds",
            "Time to run a command and send its reply, by command.",
            ["command"],
            buckets=COMMAND_SECONDS,
            registry=registry,
        )
        self.votes = Counter(
            "paperbot_votes",
            "Vote events handled, by source (click or reaction) and effect.",
            ["source", "effect"],
            registry=registry,
        )
        self.catalog_newest_day = Gauge(
            "paperbot_catalog_newest_day_timestamp_seconds",
            "The newest Daily Papers day in the catalog (midnight UTC, Unix time); 0 when empty.",
            registry=registry,
        )

        self.search_index_behind = Gauge(
            "paperbot_search_index_behind_papers",
            "Papers written to the catalog that this process's search index has not taken in.",
            registry=registry,
        )
        # Issue 19's operations metrics: digests, Hugging Face, the platforms' APIs, the sync
        counter, gauge = partial(Counter, registry=registry), partial(Gauge, registry=registry)
        self.catalog_last_sync = gauge(
            "paperbot_catalog_last_sync_timestamp_seconds",
            "When this process last synced the catalog with every planned day fetched (Unix "
            "time); 0 until then, and on processes that do not sync (not the leader).",
        )
        self.digests = counter(
            "paperbot_digest_runs",
            "Digest attempts and closings by outcome: posted, failed (to be retried), gave_up, "
            "waiting, skipped, missed, taken_over.",
            ["outcome"],
        )
        self.digest_retries = counter(
            "paperbot_digest_retries",
            "Digest runs tried again after a failure, a wait or a lapsed claim.",
        )
        self.hf_requests = counter(
            "paperbot_hf_requests",
            "HTTP requests to Hugging Face by outcome (ok, not_found, rejected, rate_limited, "
            "server_error, unreachable, timeout, network_error, malformed, cancelled).",
            ["outcome"],
        )
        self.hf_available = gauge(
            "paperbot_hf_available",
            "1 while calls to Hugging Face go through, 0 while they are skipped after a failure "
            "(or offline); by path: commands, digests.",
            ["path"],
        )
        self.hf_hold = gauge(
            "paperbot_hf_rate_limit_hold_seconds",
            "Seconds until Hugging Face's rate limit lets this process's requests through again.",
        )
        self.api_errors = counter(
            "paperbot_platform_api_errors",
            "Slack and Discord API calls refused or failed, by platform and code (Slack's error, "
            "Discord's HTTP status, timeout, unreachable).",
            ["platform", "code"],
        )

    def command(self, name: str, outcome: str, seconds: float) -> None:
        self.commands.labels(name, outcome).inc()
        self.command_seconds.labels(name).observe(seconds)

    def vote(self, source: str, effect: str) -> None:
        self.votes.labels(source, effect).inc()

    def digest(self, outcome: str) -> None:
        self.digests.labels(outcome).inc()

    def digest_retry(self) -> None:
        self.digest_retries.inc()

    def hf_request(self, outcome: str) -> None:
        self.hf_requests.labels(outcome).inc()

    def api_error(self, platform: str, code: str) -> None:
        self.api_errors.labels(platform, code[:MAX_CODE]).inc()

    def catalog_synced(self, at: datetime) -> None:
        self.catalog_last_sync.set(at.timestamp())


Check = Callable[[], Awaitable[str]]  # returns how the part is; raises NotReady when it is not


class NotReady(Exception):
    """A part of the process that is not ready; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Parts:
    """What ``/readyz`` looks at: all of it lives in the composition root."""

    db: Database
    adapters: Sequence[Adapter]
    digests: DigestService | None  # None: this process's role runs no scheduler
    # Hugging Face by path ("commands", "digests") and its shared quota: shown, never failing
    # readiness (the catalog still answers, and a restart would not bring Hugging Face back)
    hf_guards: Mapping[str, GuardedSource] = field(default_factory=dict)
    hf_pacer: RequestPacer | None = None


class HealthServer:
    """An aiohttp server for the three endpoints, on ``host``:``port`` (0: any free port)."""

    def __init__(
        self, parts: Parts, metrics: PrometheusMetrics, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self._parts = parts
        self._metrics = metrics
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/metrics", self._metrics_page)
        self._app = app

    @property
    def port(self) -> int:
        """The port actually served (useful when configured as 0)."""
        return self._port

    async def start(self) -> None:
        runner = web.AppRunner(self._app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        log.info("health and metrics on http://%s:%d/", self._host, self._port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, _request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def _readyz(self, _request: web.Request) -> web.Response:
        lines: list[str] = []
        ready = True
        for name, check in self._checks():
            try:
                how = await asyncio.wait_for(check(), CHECK_TIMEOUT)
                lines.append(f"{name}: {how}")
            except NotReady as problem:
                ready = False
                lines.append(f"{name}: NOT READY: {problem}")
            except TimeoutError:
                ready = False
                lines.append(f"{name}: NOT READY: no answer in {CHECK_TIMEOUT:g} s")
            except Exception as error:
                ready = False
                log.warning("readiness check %s failed", name, exc_info=True)
                lines.append(f"{name}: NOT READY: {type(error).__name__}")
        lines.extend(hf_lines(self._parts))
        return web.Response(text="\n".join(lines) + "\n", status=200 if ready else 503)

    def _checks(self) -> list[tuple[str, Check]]:
        checks: list[tuple[str, Check]] = [("database", self._database), ("schema", self._schema)]
        for adapter in self._parts.adapters:
            checks.append((f"adapter {adapter.platform}", _adapter_check(adapter)))
        if self._parts.digests is not None:  # a web process schedules nothing
            checks.append(("scheduler", self._scheduler))
        return checks

    async def _database(self) -> str:
        gone = self._parts.db.gone()  # a deleted SQLite file still reads, through its open handle
        if gone is not None:
            raise NotReady(gone)
        try:
            await self._parts.db.read(latest_daily_date)
        except Exception as error:
            raise NotReady(f"unreachable ({type(error).__name__})") from error
        return "reachable"

    async def _schema(self) -> str:
        try:
            current = await asyncio.to_thread(migrate.current_revision, self._parts.db)
        except Exception as error:
            raise NotReady(f"unreadable ({type(error).__name__})") from error
        head = migrate.head_revision()
        if current != head:
            raise NotReady(f"at {current or 'nothing'}, not at head {head}")
        return f"at head {head}"

    async def _scheduler(self) -> str:
        digests = self._parts.digests
        if digests is None or not digests.running:
            raise NotReady("the digest scheduler is not running")
        return "running (leading)" if digests.leading else "running (standing by)"

    async def _metrics_page(self, _request: web.Request) -> web.Response:
        """The registry, with the gauges read from the database now (left as they were if it
        does not answer: the database's state is /readyz's to tell)."""
        db = self._parts.db
        try:
            newest = await asyncio.wait_for(db.read(latest_daily_date), CHECK_TIMEOUT)
            behind = await asyncio.wait_for(db.read(db.search_index.behind), CHECK_TIMEOUT)
        except Exception:
            log.warning("could not read the catalog's state for /metrics", exc_info=True)
        else:
            stamp = 0.0 if newest is None else datetime.combine(newest, time(), UTC).timestamp()
            self._metrics.catalog_newest_day.set(stamp)
            self._metrics.search_index_behind.set(behind)
        for path, guard in self._parts.hf_guards.items():
            self._metrics.hf_available.labels(path).set(guard.availability().available)
        if self._parts.hf_pacer is not None:
            self._metrics.hf_hold.set(self._parts.hf_pacer.held_for())
        body = generate_latest(self._metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def _adapter_check(adapter: Adapter) -> Check:
    async def check() -> str:
        if not adapter.serving:
            raise NotReady("not connected or not serving")
        return "serving"

    return check


def hf_lines(parts: Parts) -> list[str]:
    """/readyz's lines on Hugging Face: whether each path's calls go through, and the quota."""
    lines = []
    for path, guard in parts.hf_guards.items():
        now = guard.availability()
        if now.available:
            how = "calls go through"
        elif math.isinf(now.seconds_left):
            how = f"off ({now.reason})"
        else:
            how = (
                f"skipped for {now.seconds_left:.0f} s more after: {now.reason} "
                "(answers come from the catalog)"
            )
        lines.append(f"hugging face for {path}: {how}")
    held = 0.0 if parts.hf_pacer is None else parts.hf_pacer.held_for()
    if held > 0:
        lines.append(f"hugging face quota: held {held:.0f} s more by its rate limit")
    return lines
