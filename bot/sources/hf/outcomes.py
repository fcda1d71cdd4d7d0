"""How one HTTP request to Hugging Face ended, as a short label for ``Metrics.hf_request``.

A small closed set, so the metric stays bounded: an operator sees at a glance whether Hugging
Face answers, refuses (a rate limit, a server error) or cannot be reached at all.
"""

from __future__ import annotations

import asyncio

import httpx

from bot.sources.errors import MalformedResponse


def status_outcome(status: int) -> str:
    """An answer's label by its HTTP status."""
    if status < 300:
        return "ok"
    if status == 404:
        return "not_found"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "server_error"
    return "rejected"


def failure_outcome(error: BaseException) -> str:
    """The label of a request that got no usable answer."""
    if isinstance(error, asyncio.CancelledError):
        return "cancelled"  # a caller's deadline (the interactive guard, a day's) ran out
    if isinstance(error, httpx.ConnectError):
        return "unreachable"  # refused, or the name did not resolve
    if isinstance(error, httpx.TimeoutException):
        return "timeout"
    if isinstance(error, httpx.DecodingError | MalformedResponse):
        return "malformed"  # undecodable, or larger than we read
    if isinstance(error, httpx.TransportError):
        return "network_error"
    return "error"
