"""A fake clock and sleep for retry and pacing tests: waiting is recorded, never real."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FakeTime:
    """``sleep`` records the duration and moves ``clock`` forward by it, instantly."""

    now: float = 1_000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)

    @property
    def slept(self) -> float:
        return sum(self.sleeps)
