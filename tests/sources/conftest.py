"""Fixtures for source tests: the loopback fake HF server and clients pointed at it."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from bot.sources.hf.client import HuggingFaceClient
from loopback.hf import FakeHfServer, recorded_catalog
from tests.sources.fake_time import FakeTime


@pytest.fixture
def hf_server() -> Iterator[FakeHfServer]:
    """A fresh fake server (fresh recordings and script) over the session's recorded catalog."""
    with FakeHfServer(recorded_catalog()) as server:
        yield server


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture(scope="session")
def ssl_context() -> ssl.SSLContext:
    """Loading CA certificates costs ~50 ms per client; the fake is plain HTTP, so share one."""
    return ssl.create_default_context()


@pytest.fixture
def transport(ssl_context: ssl.SSLContext) -> httpx.AsyncHTTPTransport:
    """A real TCP transport, just cheap to build."""
    return httpx.AsyncHTTPTransport(verify=ssl_context)


@pytest.fixture
async def hf(
    hf_server: FakeHfServer, fake_time: FakeTime, transport: httpx.AsyncHTTPTransport
) -> AsyncIterator[HuggingFaceClient]:
    """A client of the fake server that waits on the fake clock (max 3 retries)."""
    async with HuggingFaceClient(
        hf_server.base_url,
        transport=transport,
        max_retries=3,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        timeout=5.0,
    ) as client:
        yield client
