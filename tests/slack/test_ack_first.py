"""Acknowledged commands wait for their burst's acks, run a few at a time, and are never lost."""

from __future__ import annotations

import asyncio

import pytest

from adapters.slack.ack_first import AckFirstQueue
from bot.stop_deadline import Deadline

WAIT = 10  # seconds before a test that should finish in milliseconds is called hung


class Journal:
    """Records when each piece of work started and finished, and how many ran at once."""

    def __init__(self, hold: float = 0.0, failing: frozenset[int] = frozenset()) -> None:
        self.events: list[str] = []
        self.running = 0
        self.most_at_once = 0
        self._hold = hold
        self._failing = failing

    async def run(self, work: int) -> None:
        self.events.append(f"start {work}")
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            await asyncio.sleep(self._hold)
            if work in self._failing:
                raise RuntimeError(f"work {work} failed")
        finally:
            self.running -= 1
            self.events.append(f"end {work}")

    def started(self) -> list[int]:
        return [int(event.split()[1]) for event in self.events if event.startswith("start")]


async def test_no_work_starts_while_a_burst_is_still_being_acknowledged() -> None:
    journal = Journal()
    queue = AckFirstQueue(journal.run, quiet=0.3)
    for work in range(20):
        queue.add(work)
        journal.events.append(f"ack {work}")
        await asyncio.sleep(0)  # the loop turns between requests, as it does between acks
    await asyncio.wait_for(queue.drain(), WAIT)
    first_start = journal.events.index("start 0")
    assert journal.events[:first_start] == [f"ack {work}" for work in range(20)]
    assert journal.started() == list(range(20))  # in the order acknowledged


async def test_steady_traffic_cannot_hold_work_back_forever() -> None:
    journal = Journal()
    queue = AckFirstQueue(journal.run, quiet=0.05, longest=0.02)
    for work in range(40):
        queue.add(work)
        await asyncio.sleep(0.005)  # never quiet for 50 ms
    assert "start 0" in journal.events  # started before the traffic stopped
    await asyncio.wait_for(queue.drain(), WAIT)
    assert journal.started() == list(range(40))


async def test_at_most_limit_commands_run_at_once() -> None:
    journal = Journal(hold=0.01)
    queue = AckFirstQueue(journal.run, quiet=0.0, limit=3)
    for work in range(12):
        queue.add(work)
    await asyncio.wait_for(queue.drain(), WAIT)
    assert journal.most_at_once == 3
    assert sorted(journal.started()) == list(range(12))


async def test_a_failing_command_is_logged_and_the_rest_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    journal = Journal(failing=frozenset({1}))
    queue = AckFirstQueue(journal.run, quiet=0.0, limit=1)
    for work in range(3):
        queue.add(work)
    await asyncio.wait_for(queue.drain(), WAIT)
    assert journal.started() == [0, 1, 2]
    assert "failed after it was acknowledged" in caplog.text


async def test_drain_at_stop_runs_what_is_still_waiting_for_quiet() -> None:
    journal = Journal()
    queue = AckFirstQueue(journal.run, quiet=0.05)
    queue.add(1)
    queue.add(2)
    assert journal.events == []  # still waiting for the burst to end
    await asyncio.wait_for(queue.drain(), WAIT)
    assert journal.started() == [1, 2]
    assert journal.running == 0
    assert journal.events.count("end 1") == journal.events.count("end 2") == 1


class TickingClock:
    """A stop clock that moves one second each time it is read: a drain that spins without
    yielding to the event loop uses its deadline up at once instead of hanging the test."""

    def __init__(self) -> None:
        self._now = 0.0

    def now(self) -> float:
        self._now += 1.0
        return self._now

    async def sleep_until(self, when: float) -> None:
        await asyncio.get_running_loop().create_future()  # only reading it moves its time


async def test_a_drain_that_finished_everything_leaves_the_stop_deadline_to_the_next_stage(
    caplog: pytest.LogCaptureFixture,
) -> None:
    journal = Journal()
    queue = AckFirstQueue(journal.run, quiet=0.0)
    queue.add(1)
    queue.add(2)
    deadline = Deadline(10_000.0, TickingClock())
    await queue.drain(deadline)
    assert journal.started() == [1, 2]
    assert not deadline.passed
    assert "not started or done" not in caplog.text
