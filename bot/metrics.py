"""What the core counts, as a port: the composition root plugs in Prometheus, tests a fake.

The core calls these after each command and vote; it knows no metrics library, and by default
counts nothing (``NO_METRICS``).
"""

from __future__ import annotations

from typing import Protocol


class Metrics(Protocol):
    def command(self, name: str, outcome: str, seconds: float) -> None:
        """A command ran: its name (or "unknown"), its reply's outcome and how long it took."""
        ...

    def vote(self, source: str, effect: str) -> None:
        """A vote event was handled: "click" or "reaction", and its effect."""
        ...


class NoMetrics:
    def command(self, name: str, outcome: str, seconds: float) -> None:
        pass

    def vote(self, source: str, effect: str) -> None:
        pass


NO_METRICS: Metrics = NoMetrics()
