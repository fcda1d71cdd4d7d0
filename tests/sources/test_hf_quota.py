"""The client paces itself to HF's quota: 500 calls per 5 minutes, 1,000 with a token."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from bot.sources.hf.client import HuggingFaceClient
from tests.sources.fake_time import FakeTime


def empty_days(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=[])


@pytest.mark.parametrize(("token", "free_calls"), [(None, 500), ("hf_test_token", 1000)])
async def test_the_first_call_past_the_quota_waits_for_the_window(
    fake_time: FakeTime, token: str | None, free_calls: int
) -> None:
    async with HuggingFaceClient(
        "http://127.0.0.1:9",  # never reached: the transport answers in-process
        token=token,
        transport=httpx.MockTransport(empty_days),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    ) as client:
        for _ in range(free_calls):
            await client.daily_papers(date(2026, 6, 13))
        assert fake_time.sleeps == []
        await client.daily_papers(date(2026, 6, 13))
    assert fake_time.sleeps == [pytest.approx(300)]
