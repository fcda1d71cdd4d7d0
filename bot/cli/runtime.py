"""The wired core of one paperbot process: database, Hugging Face, the facade, the scheduler.

Built in dependency order, nothing closed by mutation: the digest service gets the poster
registry (empty until adapters start and fill it), the command dependencies get the digest
service as their schedule sink, and the facade gets both.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.console import Console

from bot.catalog_sync import CatalogSync
from bot.commands.table import build_dispatcher
from bot.deps import Deps, utc_now
from bot.facade import Core, Posters
from bot.ingest import load_sample_until_complete
from bot.metrics import NO_METRICS, Metrics
from bot.scheduling.service import DigestService, build_digest_service
from bot.settings import Settings
from bot.sources.guarded import GuardedSource
from bot.stop_deadline import Stop
from storage import migrate
from storage.db import Database

if TYPE_CHECKING:
    from bot.sources.hf.client import HuggingFaceClient
    from bot.sources.hf.pacing import RequestPacer

DIGEST_SOURCE_TIMEOUT = 60.0  # digests run in the background: Hugging Face may take its time


@dataclass(frozen=True, slots=True)
class Runtime:
    settings: Settings
    db: Database
    hf: HuggingFaceClient | None
    deps: Deps
    core: Core
    digests: DigestService
    stop: Stop  # its deadline bounds the whole stop: every stage, the last drain included
    # What /readyz and /metrics say of Hugging Face: each guarded path, and the shared quota
    hf_guards: Mapping[str, GuardedSource] = field(default_factory=dict)
    hf_pacer: RequestPacer | None = None


@asynccontextmanager
async def runtime(
    settings: Settings, console: Console, metrics: Metrics = NO_METRICS, stop: Stop | None = None
) -> AsyncIterator[Runtime]:
    """Open the database (migrated, sample loaded on first start) and wire the core over it;
    the core counts its commands and votes into ``metrics``, and digests, Hugging Face requests
    and catalog syncs too. Leaving it drains the core within ``stop``'s deadline (started then,
    unless the caller's stop already started it)."""
    stop = stop or Stop()
    db = open_database(settings, console)
    hf, hf_interactive = _hf_clients(settings, metrics)
    posters = Posters()
    background = GuardedSource(hf, timeout=DIGEST_SOURCE_TIMEOUT, cool_down=60.0)
    digests = build_digest_service(
        Deps(settings=settings, db=db, source=background, clock=utc_now, metrics=metrics),
        posters,
        catalog_sync(settings, db, hf, metrics),
    )
    interactive = GuardedSource(hf_interactive, timeout=settings.interactive_timeout)
    deps = Deps(settings=settings, db=db, source=interactive, clock=utc_now, schedule=digests)
    core = Core(deps, build_dispatcher(), posters, metrics=metrics)
    guards = {"commands": interactive, "digests": background}
    pacer = None if hf is None else hf.pacer
    try:
        yield Runtime(settings, db, hf, deps, core, digests, stop, guards, pacer)
    finally:
        # Votes and commands still being handled write to the database: they finish first
        # (PostgreSQL lost deferred Discord votes to a dispose under their batch).
        await core.drain(stop.deadline())
        for client in (hf, hf_interactive):
            if client is not None:
                await client.aclose()
        db.dispose()


def catalog_sync(
    settings: Settings,
    db: Database,
    hf: HuggingFaceClient | None,
    metrics: Metrics = NO_METRICS,
) -> CatalogSync | None:
    """The catalog sync the scheduler runs: through the client with every retry (a 429 is
    waited out, not given up on), unless offline or ``PAPERBOT_SYNC_MINUTES`` is 0."""
    if hf is None or settings.sync_minutes == 0:
        return None
    return CatalogSync(db, hf, utc_now, minutes=settings.sync_minutes, metrics=metrics)


def _hf_clients(
    settings: Settings, metrics: Metrics = NO_METRICS
) -> tuple[HuggingFaceClient | None, HuggingFaceClient | None]:
    """Hugging Face for ingest and digests (every retry), and for people waiting on a command:
    a refused or unresolvable host fails at once rather than being retried until the deadline.
    Both keep to one request quota. Offline, the HTTP client is not even imported."""
    if settings.offline:
        return None, None
    from bot.sources.hf.client import HuggingFaceClient, hf_pacer

    pacer = hf_pacer(settings.hf_secret)
    base, token = settings.hf_base_url, settings.hf_secret
    return (
        HuggingFaceClient(base, token=token, pacer=pacer, metrics=metrics),
        HuggingFaceClient(base, token=token, pacer=pacer, connect_retries=0, metrics=metrics),
    )


def open_database(settings: Settings, console: Console) -> Database:
    db = Database(settings.database_url)
    migrate.upgrade(db)  # creates a SQLite file's folder; DatabaseUnavailable if it cannot work
    if settings.load_sample:
        with console.status("First start: loading the bundled sample of real papers…"):
            loaded = load_sample_until_complete(db, utc_now())
        if loaded:
            console.print(f"Loaded {loaded:,} sample papers into the catalog.", style="dim")
    return db
