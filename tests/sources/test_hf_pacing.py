"""The request pacer keeps us under HF's 500 calls per 5 minutes, on a fake clock."""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
import pytest

from bot.sources.hf.client import HuggingFaceClient
from bot.sources.hf.pacing import RequestPacer
from loopback.hf import FakeHfServer
from tests.sources.fake_time import FakeTime


def pacer(fake_time: FakeTime, max_calls: int = 500, period: float = 300.0) -> RequestPacer:
    return RequestPacer(max_calls, period, sleep=fake_time.sleep, clock=fake_time.clock)


async def test_500_calls_pass_and_the_501st_waits_for_the_window(fake_time: FakeTime) -> None:
    window = pacer(fake_time)
    for _ in range(500):
        await window.acquire()
    assert fake_time.sleeps == []

    await window.acquire()

    assert fake_time.sleeps == [pytest.approx(300)]


async def test_the_window_slides_one_call_at_a_time(fake_time: FakeTime) -> None:
    window = pacer(fake_time, max_calls=3, period=10)
    start = fake_time.now
    for second in range(3):
        fake_time.now = start + second
        await window.acquire()

    await window.acquire()  # at start+2: waits for the call at start+0 to age out
    await window.acquire()  # at start+10: waits for the call at start+1

    assert fake_time.sleeps == [pytest.approx(8), pytest.approx(1)]


async def test_concurrent_callers_never_exceed_the_window(fake_time: FakeTime) -> None:
    window = pacer(fake_time, max_calls=5, period=10)
    granted: list[float] = []

    async def call() -> None:
        await window.acquire()
        granted.append(fake_time.now)

    await asyncio.gather(*(call() for _ in range(23)))

    assert len(granted) == 23
    for at in granted:
        assert sum(1 for other in granted if at <= other < at + 10) <= 5


async def test_hold_stops_every_call_until_it_ends(fake_time: FakeTime) -> None:
    window = pacer(fake_time)
    window.hold(42)

    await window.acquire()

    assert fake_time.sleeps == [pytest.approx(42)]


def test_a_pacer_needs_room_for_one_call() -> None:
    with pytest.raises(ValueError, match="max_calls"):
        RequestPacer(0, 300)


async def test_client_asks_the_pacer_before_every_request(
    hf_server: FakeHfServer, fake_time: FakeTime, transport: httpx.AsyncHTTPTransport
) -> None:
    async with HuggingFaceClient(
        hf_server.base_url,
        transport=transport,
        pacer=pacer(fake_time, max_calls=2, period=60),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    ) as client:
        for _ in range(3):
            await client.daily_papers(date(2026, 6, 12))

    assert len(hf_server.requests) == 3
    assert fake_time.sleeps == [pytest.approx(60)]


async def test_retries_count_against_the_window_too(
    hf_server: FakeHfServer, fake_time: FakeTime, transport: httpx.AsyncHTTPTransport
) -> None:
    hf_server.respond_next(500, times=2)
    async with HuggingFaceClient(
        hf_server.base_url,
        transport=transport,
        pacer=pacer(fake_time, max_calls=2, period=60),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    ) as client:
        await client.daily_papers(date(2026, 6, 12))

    assert len(hf_server.requests) == 3
    assert fake_time.slept == pytest.approx(60)  # the third call waited for the first to age out
