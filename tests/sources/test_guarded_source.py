"""Interactive commands never wait long on Hugging Face, and stop asking while it is down."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date

import pytest

from bot.model import Paper
from bot.sources.errors import PaperNotFound, UpstreamUnavailable
from bot.sources.guarded import GuardedSource
from loopback.ports import FakeSource, MonotonicClock, make_paper


@dataclass
class SlowSource:
    calls: list[str] = field(default_factory=list)

    async def daily_papers(self, day: date) -> list[Paper]:
        raise NotImplementedError

    async def paper(self, paper_id: str) -> Paper:
        self.calls.append(paper_id)
        await asyncio.sleep(5)
        raise AssertionError("should have timed out")

    async def search(self, query: str, limit: int) -> list[Paper]:
        raise NotImplementedError


async def test_a_slow_source_times_out_then_is_skipped_until_the_cool_down_ends() -> None:
    clock, slow = MonotonicClock(), SlowSource()
    guarded = GuardedSource(slow, timeout=0.05, cool_down=60, clock=clock)
    with pytest.raises(UpstreamUnavailable, match="did not answer"):
        await guarded.paper("2401.00001")
    with pytest.raises(UpstreamUnavailable, match="unavailable"):
        await guarded.paper("2401.00002")
    assert slow.calls == ["2401.00001"]  # the second call did not wait on the outage again
    clock.now += 61
    with pytest.raises(UpstreamUnavailable):
        await guarded.paper("2401.00003")
    assert slow.calls == ["2401.00001", "2401.00003"]


async def test_answers_and_not_found_pass_through_without_tripping() -> None:
    source = FakeSource(papers={"2401.00001": make_paper("2401.00001", "Known")})
    guarded = GuardedSource(source, timeout=1, clock=MonotonicClock())
    assert (await guarded.paper("2401.00001")).title == "Known"
    with pytest.raises(PaperNotFound):
        await guarded.paper("2401.99999")
    assert (await guarded.paper("2401.00001")).title == "Known"


async def test_offline_mode_says_so() -> None:
    with pytest.raises(UpstreamUnavailable, match="PAPERBOT_OFFLINE"):
        await GuardedSource(None, timeout=1).search("lora", 5)
