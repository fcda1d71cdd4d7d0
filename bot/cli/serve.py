"""``paperbot run``, ``shell`` and ``ask``: the bot itself, on the adapters the settings name.

``run`` registers every configured adapter's poster, starts the adapters, then the digest
scheduler (whose catch-up may post at once, so Discord must be logged in first), and serves
until SIGTERM/SIGINT or until an adapter ends by itself; then it stops everything. ``--role web``
or ``worker`` runs only part of that (``bot/cli/roles.py``). The console ending (end of input)
exits 0; a server that stopped serving (the Discord gateway given up, the Slack server gone)
exits 70.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.console import Console

from bot.cli.adapter_settings import (
    TURN_ON,
    AdapterSettings,
    HealthSettings,
    load_adapter_settings,
    load_health_settings,
)
from bot.cli.adapters import ask_console, configured_adapters
from bot.cli.exit_codes import EXIT_CONFIG
from bot.cli.roles import NOTHING_TO_RUN, Role, plan
from bot.cli.runtime import Runtime, runtime
from bot.facade import Adapter
from bot.metrics import NO_METRICS, Metrics
from bot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from bot.cli.health import PrometheusMetrics

log = logging.getLogger("paperbot.run")

EXIT_ADAPTER_DIED = 70  # EX_SOFTWARE: a supervisor (systemd, Kubernetes) restarts the process


async def cmd_run(settings: Settings, console: Console, args: argparse.Namespace) -> int:
    chosen = load_adapter_settings()
    health = load_health_settings()
    role = Role(getattr(args, "role", Role.ALL))
    if not chosen.any:
        console.print(f"Nothing to run. Turn on an adapter with {TURN_ON}.", markup=False)
        return EXIT_CONFIG
    if not plan(role, chosen).any:
        console.print(f"Nothing to run. {NOTHING_TO_RUN[role]}", markup=False)
        return EXIT_CONFIG
    return await serve(settings, chosen, console, health, role)


async def cmd_shell(settings: Settings, console: Console, _args: argparse.Namespace) -> int:
    """The local trial: no catalog sync, so it runs the same with no network (and no warnings
    about it in the chat); ``PAPERBOT_CONSOLE=1 paperbot run`` is the console as a service."""
    no_sync = settings.model_copy(update={"sync_minutes": 0})
    return await serve(no_sync, AdapterSettings(console=True), console, index_first=False)


async def cmd_ask(settings: Settings, console: Console, args: argparse.Namespace) -> int:
    async with runtime(settings, console) as rt:
        return await ask_console(rt.core, console, " ".join(args.text))


async def serve(
    settings: Settings,
    chosen: AdapterSettings,
    console: Console,
    health: HealthSettings | None = None,
    role: Role = Role.ALL,
    *,
    index_first: bool = True,
) -> int:
    """With ``index_first`` (a server) the search index is brought up to date before anything
    is served; without it (the shell) that runs while the prompt is already up, and a search
    typed meanwhile waits for it."""
    port = health.port if health is not None else None
    host = health.host if health is not None else ""
    prometheus = _prometheus() if port is not None else None  # only /metrics shows them
    metrics: Metrics = prometheus if prometheus is not None else NO_METRICS
    parts_run = plan(role, chosen)
    async with runtime(settings, console, metrics) as rt:
        indexing = asyncio.ensure_future(rt.db.read(rt.db.search_index.sync))
        if index_first:
            await indexing
        adapters = configured_adapters(parts_run.serve, rt.core, console, rt.db)
        posting = configured_adapters(parts_run.post_only, rt.core, console, rt.db)
        started: list[Adapter] = []
        for adapter in [*adapters, *posting]:
            rt.core.register_poster(adapter.platform, adapter.poster)
        digests = rt.digests if parts_run.scheduler else None
        server = None
        if port is not None and prometheus is not None:
            from bot.cli.health import HealthServer, Parts

            # /readyz names every adapter this role serves: one not started yet is not ready
            parts = Parts(rt.db, adapters, digests, rt.hf_guards, rt.hf_pacer)
            server = HealthServer(parts, prometheus, host, port)
            try:
                await server.start()
            except OSError as error:  # taken, or an address this host does not have
                raise SettingsError(
                    f"PAPERBOT_METRICS_PORT: cannot listen on {host}:{port} "
                    f"({error.strerror or error})"
                ) from None
        stop = asyncio.Event()
        try:
            with _stopping_on_signals(stop):  # from here: a SIGTERM while starting stops cleanly
                for adapter in adapters:
                    await adapter.start()
                    started.append(adapter)
                if digests is not None:  # after the adapters: Discord posts once logged in
                    await digests.start()
                ended = await _until_stopped(started, stop)
        finally:
            await _stop(rt, started)
            if server is not None:
                await server.stop()
            try:  # its thread ends before the database closes
                await indexing
            except Exception:  # in the background: searches since have said so themselves
                log.exception("bringing the search index up to date failed")
    if ended is None or ended.ends_by_itself:
        return 0
    log.error("the %s adapter stopped serving; exiting for a restart", ended.platform)
    return EXIT_ADAPTER_DIED


def _prometheus() -> PrometheusMetrics:
    """The metrics /metrics serves; loaded only then, so a shell or ``ask`` never imports them."""
    from prometheus_client import CollectorRegistry

    from bot.cli.health import PrometheusMetrics

    return PrometheusMetrics(CollectorRegistry(auto_describe=True))


@contextlib.contextmanager
def _stopping_on_signals(stop: asyncio.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set ``stop`` while the block runs."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        yield
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


async def _until_stopped(adapters: list[Adapter], stop: asyncio.Event) -> Adapter | None:
    """Until ``stop`` is set (None), or an adapter ends by itself (that adapter)."""
    waits = [asyncio.ensure_future(adapter.wait()) for adapter in adapters]
    stopper = asyncio.ensure_future(stop.wait())
    try:
        done, _ = await asyncio.wait([*waits, stopper], return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            return None
        return next(adapter for adapter, wait in zip(adapters, waits, strict=True) if wait in done)
    finally:
        for task in [*waits, stopper]:
            task.cancel()


async def _stop(rt: Runtime, adapters: list[Adapter]) -> None:
    """Digests first (they post through the adapters), then each adapter, all within the one
    deadline of ``rt.stop``, which the runtime's last drain shares."""
    deadline = rt.stop.deadline()
    log.info("stopping: finishing acknowledged work, %.0f s at most", deadline.left())
    await rt.digests.stop(deadline)
    for adapter in reversed(adapters):
        try:
            await adapter.stop(deadline)
        except Exception:
            log.exception("stopping the %s adapter failed", adapter.platform)
