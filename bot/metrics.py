"""What the core counts, as a port: the composition root plugs in Prometheus, tests a fake.

The core and the adapters call these as things happen; they know no metrics library, and by
default nothing is counted (``NO_METRICS``). Labels are small closed sets, so a scrape stays
bounded whatever users type.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Metrics(Protocol):
    def command(self, name: str, outcome: str, seconds: float) -> None:
        """A command ran: its name (or "unknown"), its reply's outcome and how long it took."""
        ...

    def vote(self, source: str, effect: str) -> None:
        """A vote event was handled: "click" or "reaction", and its effect."""
        ...

    def digest(self, outcome: str) -> None:
        """A digest attempt, or the closing of a run, ended: "posted", "failed" (tried again
        while the grace window lasts), "gave_up", "waiting", "skipped", "missed" or
        "taken_over"."""
        ...

    def digest_retry(self) -> None:
        """A digest run was tried again (after a failure, a wait, or a claim that lapsed)."""
        ...

    def hf_request(self, outcome: str) -> None:
        """One HTTP request to Hugging Face ended (``bot.sources.hf.outcomes``)."""
        ...

    def api_error(self, platform: str, code: str) -> None:
        """A platform's API refused a call or could not be reached: Slack's error code
        (``not_in_channel``), Discord's HTTP status, or "unreachable"."""
        ...

    def catalog_synced(self, at: datetime) -> None:
        """A catalog sync fetched every day it planned to."""
        ...


class NoMetrics:
    def command(self, name: str, outcome: str, seconds: float) -> None:
        pass

    def vote(self, source: str, effect: str) -> None:
        pass

    def digest(self, outcome: str) -> None:
        pass

    def digest_retry(self) -> None:
        pass

    def hf_request(self, outcome: str) -> None:
        pass

    def api_error(self, platform: str, code: str) -> None:
        pass

    def catalog_synced(self, at: datetime) -> None:
        pass


NO_METRICS: Metrics = NoMetrics()
