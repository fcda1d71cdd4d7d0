"""Report each Discord REST call that fails, by HTTP status: a trace on discord.py's session.

discord.py sends every REST call (its HTTP client, interaction callbacks and follow-ups alike)
through one aiohttp session, which takes trace hooks; so one trace sees them all, including the
429s discord.py waits out by itself, and the adapter's error handling is left as it is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace

import aiohttp

ErrorSink = Callable[[str], None]


def api_error_trace(on_error: ErrorSink) -> aiohttp.TraceConfig:
    """A trace telling ``on_error`` the status of each answer of 400 or more ("403", "429"),
    or "timeout" / "unreachable" for a request that got none."""

    async def answered(
        _session: aiohttp.ClientSession,
        _context: SimpleNamespace,
        end: aiohttp.TraceRequestEndParams,
    ) -> None:
        if end.response.status >= 400:
            on_error(str(end.response.status))

    async def failed(
        _session: aiohttp.ClientSession,
        _context: SimpleNamespace,
        failure: aiohttp.TraceRequestExceptionParams,
    ) -> None:
        if isinstance(failure.exception, asyncio.CancelledError):
            return  # the caller stopped waiting: not Discord's doing
        on_error("timeout" if isinstance(failure.exception, TimeoutError) else "unreachable")

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(answered)
    trace.on_request_exception.append(failed)
    return trace
