"""Failures the HF client survives or reports as typed errors: 429, 5xx, dropped connections,
answers that are not what the schema promises. Waiting happens on a fake clock, never for real."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from bot.sources.errors import (
    InvalidRequest,
    MalformedResponse,
    RateLimited,
    UpstreamUnavailable,
)
from bot.sources.hf.client import HuggingFaceClient
from loopback.hf import FakeHfServer
from tests.sources.fake_time import FakeTime

JUNE_12 = date(2026, 6, 12)


# -- rate limits ------------------------------------------------------------------------------


async def test_429_then_200_succeeds_after_waiting_at_least_retry_after(
    hf: HuggingFaceClient, hf_server: FakeHfServer, fake_time: FakeTime
) -> None:
    hf_server.respond_next(429, headers={"Retry-After": "7"})

    papers = await hf.daily_papers(JUNE_12)

    assert len(papers) == 30
    assert len(hf_server.requests) == 2
    assert len(fake_time.sleeps) == 1
    assert fake_time.sleeps[0] >= 7


async def test_retry_after_as_an_http_date_is_measured_from_the_servers_date(
    hf: HuggingFaceClient, hf_server: FakeHfServer, fake_time: FakeTime
) -> None:
    server_now = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)
    hf_server.respond_next(
        429,
        headers={
            "Date": format_datetime(server_now, usegmt=True),
            "Retry-After": format_datetime(server_now + timedelta(seconds=30), usegmt=True),
        },
    )

    await hf.daily_papers(JUNE_12)

    assert fake_time.sleeps == [pytest.approx(30)]


async def test_hf_ratelimit_header_reset_is_waited_for(
    hf: HuggingFaceClient, hf_server: FakeHfServer, fake_time: FakeTime
) -> None:
    hf_server.respond_next(
        429,
        headers={
            "RateLimit": '"api";r=0;t=123',
            "RateLimit-Policy": '"fixed window";"api";q=500;w=300',
        },
    )

    await hf.daily_papers(JUNE_12)

    assert fake_time.sleeps == [pytest.approx(123)]


@pytest.mark.parametrize(
    "headers",
    [
        {"RateLimit": "limit=500, remaining=0, reset=40"},
        {"RateLimit-Remaining": "0", "RateLimit-Reset": "40"},
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "40"},
        {
            "Date": "Fri, 12 Jun 2026 09:00:00 GMT",
            "X-RateLimit-Reset": str(int(datetime(2026, 6, 12, 9, 0, 40, tzinfo=UTC).timestamp())),
        },
    ],
    ids=["draft-combined", "ratelimit-reset", "x-ratelimit-reset", "x-ratelimit-reset-epoch"],
)
async def test_older_ratelimit_reset_forms_are_waited_for(
    hf: HuggingFaceClient,
    hf_server: FakeHfServer,
    fake_time: FakeTime,
    headers: dict[str, str],
) -> None:
    hf_server.respond_next(429, headers=headers)

    await hf.daily_papers(JUNE_12)

    assert fake_time.sleeps == [pytest.approx(40)]


async def test_with_no_or_short_hints_backoff_grows_exponentially(
    hf: HuggingFaceClient, hf_server: FakeHfServer, fake_time: FakeTime
) -> None:
    hf_server.respond_next(429, times=3, headers={"Retry-After": "0"})

    await hf.daily_papers(JUNE_12)

    # base 0.5 s doubling, with jitter keeping each wait between half and all of its ceiling
    for retry, slept in enumerate(fake_time.sleeps):
        ceiling = 0.5 * 2**retry
        assert ceiling / 2 <= slept <= ceiling
    assert len(fake_time.sleeps) == 3


async def test_still_429_after_max_retries_raises_rate_limited_with_retry_after(
    hf: HuggingFaceClient, hf_server: FakeHfServer, fake_time: FakeTime
) -> None:
    hf_server.respond_next(429, times=4, headers={"Retry-After": "9"})

    with pytest.raises(RateLimited) as raised:
        await hf.daily_papers(JUNE_12)

    assert raised.value.retry_after == pytest.approx(9)
    assert len(hf_server.requests) == 4  # the first try and max_retries=3
    assert len(fake_time.sleeps) == 3


async def test_a_wait_longer_than_a_quota_window_is_reported_not_slept(
    hf: HuggingFaceClient, hf_server: FakeHfServer, fake_time: FakeTime
) -> None:
    hf_server.respond_next(429, headers={"Retry-After": "3600"})

    with pytest.raises(RateLimited) as raised:
        await hf.paper("2606.10423")

    assert raised.value.retry_after == pytest.approx(3600)
    assert fake_time.sleeps == []
    assert len(hf_server.requests) == 1


async def test_an_exhausted_window_on_a_success_holds_the_next_call(
    hf: HuggingFaceClient, hf_server: FakeHfServer, fake_time: FakeTime
) -> None:
    """HF says ``r=0`` before it says 429: wait for the reset instead of spending a request."""
    hf_server.respond_next(200, json=[], headers={"RateLimit": '"api";r=0;t=50'})

    await hf.daily_papers(JUNE_12)
    assert fake_time.sleeps == []
    await hf.daily_papers(JUNE_12)

    assert fake_time.sleeps == [pytest.approx(50)]
    assert len(hf_server.requests) == 2


# -- server errors and the network ------------------------------------------------------------


async def test_500s_then_success_is_retried_transparently(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.respond_next(500)
    hf_server.respond_next(503, headers={"Retry-After": "2"})

    papers = await hf.daily_papers(JUNE_12)

    assert len(papers) == 30
    assert len(hf_server.requests) == 3


async def test_persistent_500_raises_upstream_unavailable_after_max_retries(
    hf: HuggingFaceClient, hf_server: FakeHfServer, fake_time: FakeTime
) -> None:
    hf_server.respond_next(500, times=10)

    with pytest.raises(UpstreamUnavailable, match="HTTP 500"):
        await hf.daily_papers(JUNE_12)

    assert len(hf_server.requests) == 4
    assert len(fake_time.sleeps) == 3


async def test_backoff_never_exceeds_60_seconds(
    hf_server: FakeHfServer, fake_time: FakeTime, transport: httpx.AsyncHTTPTransport
) -> None:
    hf_server.respond_next(502, times=12)
    async with HuggingFaceClient(
        hf_server.base_url,
        transport=transport,
        max_retries=11,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    ) as client:
        with pytest.raises(UpstreamUnavailable):
            await client.paper("2606.10423")

    assert len(fake_time.sleeps) == 11
    assert max(fake_time.sleeps) <= 60
    assert min(fake_time.sleeps[-3:]) >= 30  # capped, not reset


async def test_a_ratelimit_header_on_a_500_is_not_a_reason_to_wait(
    hf: HuggingFaceClient, hf_server: FakeHfServer, fake_time: FakeTime
) -> None:
    hf_server.respond_next(500, headers={"RateLimit": '"api";r=480;t=250'})

    await hf.daily_papers(JUNE_12)

    assert fake_time.sleeps[0] <= 0.5


async def test_a_dropped_connection_is_retried(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.disconnect_next()

    papers = await hf.daily_papers(JUNE_12)

    assert len(papers) == 30
    assert len(hf_server.requests) == 2


async def test_persistent_network_failure_raises_upstream_unavailable(
    hf: HuggingFaceClient, hf_server: FakeHfServer, fake_time: FakeTime
) -> None:
    hf_server.disconnect_next(times=4)

    with pytest.raises(UpstreamUnavailable, match="unreachable"):
        await hf.search("attention", 5)

    assert len(hf_server.requests) == 4


async def test_nothing_listening_raises_upstream_unavailable(
    fake_time: FakeTime, transport: httpx.AsyncHTTPTransport
) -> None:
    with FakeHfServer() as gone:
        base_url = gone.base_url  # a port that was just free, now closed
    async with HuggingFaceClient(
        base_url, transport=transport, max_retries=1, sleep=fake_time.sleep, clock=fake_time.clock
    ) as client:
        with pytest.raises(UpstreamUnavailable):
            await client.daily_papers(JUNE_12)

    assert len(fake_time.sleeps) == 1


async def test_a_client_that_fails_fast_gives_up_on_a_refused_connection_at_once(
    fake_time: FakeTime, transport: httpx.AsyncHTTPTransport
) -> None:
    """What people waiting on a command get: a dead Hugging Face costs no retries."""
    with FakeHfServer() as gone:
        base_url = gone.base_url  # a port that was just free, now closed
    async with HuggingFaceClient(
        base_url,
        transport=transport,
        connect_retries=0,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    ) as client:
        with pytest.raises(UpstreamUnavailable, match="after 1 attempt"):
            await client.search("attention", 5)

    assert fake_time.sleeps == []


async def test_a_client_that_fails_fast_still_retries_a_dropped_connection(
    hf_server: FakeHfServer, fake_time: FakeTime, transport: httpx.AsyncHTTPTransport
) -> None:
    """A reset mid-answer is a flaky network, not a dead host: retried as before."""
    hf_server.disconnect_next()
    async with HuggingFaceClient(
        hf_server.base_url,
        transport=transport,
        connect_retries=0,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    ) as client:
        papers = await client.daily_papers(JUNE_12)

    assert len(papers) == 30


# -- answers that break the schema ------------------------------------------------------------


async def test_malformed_json_raises_malformed_response_without_retrying(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.respond_next(200, body='[{"paper": {"id": "2606.1')

    with pytest.raises(MalformedResponse):
        await hf.daily_papers(JUNE_12)

    assert len(hf_server.requests) == 1


async def test_an_object_where_a_list_belongs_raises_malformed_response(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.respond_next(200, json={"papers": []}, times=2)

    with pytest.raises(MalformedResponse):
        await hf.daily_papers(JUNE_12)
    with pytest.raises(MalformedResponse):
        await hf.search("attention", 5)


async def test_an_item_without_a_paper_id_raises_malformed_response(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.respond_next(200, json=[{"paper": {"title": "No id"}, "numComments": 0}])

    with pytest.raises(MalformedResponse, match="id"):
        await hf.daily_papers(JUNE_12)


async def test_a_paper_lookup_answered_with_a_list_raises_malformed_response(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.respond_next(200, json=[])

    with pytest.raises(MalformedResponse):
        await hf.paper("2606.10423")


async def test_a_client_error_is_reported_not_retried(
    hf: HuggingFaceClient, hf_server: FakeHfServer, fake_time: FakeTime
) -> None:
    hf_server.respond_next(400, json={"error": "Invalid week"})

    with pytest.raises(InvalidRequest, match="Invalid week"):
        await hf.listed_papers({"week": "2026-W99"})

    assert fake_time.sleeps == []
    assert len(hf_server.requests) == 1


async def test_a_client_error_without_json_still_explains_itself(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.respond_next(
        403, body="<html>Forbidden</html>", headers={"Content-Type": "text/html"}
    )

    with pytest.raises(InvalidRequest, match="HTTP 403"):
        await hf.daily_papers(JUNE_12)
