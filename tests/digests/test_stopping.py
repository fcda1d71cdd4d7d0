"""A leader asked to stop in the middle of posting a digest finishes it within the stop's
deadline, or hands it over: the claim released at once and the messages already sent kept, so
the next run posts only the rest. Either way the header goes out once and every card once
(issue 18: the job was cancelled, the claim held for its lease, the header posted twice)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from bot.model import Channel
from bot.model.digests import RunState
from bot.reply import Reply
from bot.scheduling.scheduler import HAND_OVER, DigestScheduler
from bot.stop_deadline import Deadline
from tests.digests.helpers import Desk, RecordingPoster, local, minutes, paper
from tests.support.stop_clock import ManualClock

DUE = local("2026-06-12 09:00", "Europe/Berlin")
THU = DUE.date() - timedelta(days=1)
IDS = ("2606.00101", "2606.00102", "2606.00103")
GRACE = 30.0


class HeldPoster(RecordingPoster):
    """Posts the header, then holds the first card until ``release`` is set."""

    def __init__(self) -> None:
        super().__init__(one_card_per_message=True)
        self.holding = asyncio.Event()
        self.release = asyncio.Event()

    async def send(self, channel: Channel, message: Reply) -> str:
        if message.papers and not self.in_channel():
            raise AssertionError("a card before the header")
        if message.papers and len(self.in_channel()) == 1:
            self.holding.set()
            await self.release.wait()
        return await super().send(channel, message)


def digest_mid_post(desk: Desk) -> tuple[HeldPoster, DigestScheduler]:
    """A leader due to post a three-card digest, with a poster that will hold its first card."""
    desk.subscribe("daily 09:00 Europe/Berlin")
    desk.add_papers(*(paper(i, THU, 10 + n) for n, i in enumerate(IDS)))
    desk.clock.now = DUE + minutes(1)
    poster = HeldPoster()
    desk.runner.posters = {"test": poster}  # type: ignore[assignment]
    return poster, DigestScheduler(desk.runner)


async def next_run(desk: Desk, poster: HeldPoster) -> None:
    """The next leader (a new process, same database and platform) starts and catches up."""
    runner = desk.restarted().runner
    runner.posters = {"test": poster}  # type: ignore[assignment]
    leader = DigestScheduler(runner)
    await leader.start()
    leader.stop()


def assert_posted_once(posts: RecordingPoster) -> None:
    """The header once, each card once, in the one channel."""
    messages = posts.in_channel()
    headers = [m.heading for m in messages if not m.paper_ids]
    cards = Counter(i for m in messages for i in m.paper_ids)
    assert len(headers) == 1, headers
    assert cards == Counter(IDS), cards


async def test_a_leader_stopped_mid_digest_finishes_it_within_the_stop_deadline(
    desk: Desk,
) -> None:
    poster, leader = digest_mid_post(desk)
    catching_up = asyncio.create_task(leader.start())  # the start's catch-up posts it
    await poster.holding.wait()
    clock = ManualClock()
    stopping = asyncio.create_task(leader.drain(Deadline(GRACE, clock)))
    assert await clock.waited_on() == GRACE - HAND_OVER  # the stop waits for the digest
    poster.release.set()
    await stopping
    await catching_up

    (run,) = desk.runs(desk.subscribe("daily 09:00 Europe/Berlin"))
    assert run.state is RunState.POSTED
    await next_run(desk, poster)
    assert_posted_once(poster)


async def test_a_digest_still_posting_at_the_deadline_is_handed_over_and_finished_next_run(
    desk: Desk,
) -> None:
    poster, leader = digest_mid_post(desk)
    catching_up = asyncio.create_task(leader.start())
    await poster.holding.wait()
    clock = ManualClock()
    stopping = asyncio.create_task(leader.drain(Deadline(GRACE, clock)))
    await clock.waited_on()
    clock.advance(GRACE - HAND_OVER)  # the card never goes out in time: the run is cancelled
    await stopping
    await catching_up

    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    (run,) = desk.runs(sub)
    assert run.state is RunState.FAILED  # handed over: due again now, not held for its lease
    assert run.next_attempt_at is not None
    assert run.next_attempt_at <= desk.clock.now
    assert len(run.chunks) == 1  # the header, recorded as sent
    poster.release.set()  # the next process's platform answers
    await next_run(desk, poster)  # well within the old claim's lease
    assert desk.runs(sub)[0].state is RunState.POSTED
    assert_posted_once(poster)
