"""Recording fakes of the core's ports: plain classes, no mocking library."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from bot.calendar_periods import CalendarPeriod
from bot.model import Paper
from bot.model.hub import HubCitations
from bot.sources.errors import PaperNotFound, SourceError


@dataclass
class FakeSource:
    """A paper source with a fixed set of papers; records calls and can be told to fail."""

    papers: dict[str, Paper] = field(default_factory=dict)
    search_results: list[Paper] = field(default_factory=list)
    hub: dict[str, HubCitations] = field(default_factory=dict)  # by paper id; else none
    failure: SourceError | None = None
    calls: list[tuple[str, object]] = field(default_factory=list)

    async def daily_papers(self, day: date) -> list[Paper]:
        self.calls.append(("daily_papers", day))
        self._maybe_fail()
        return [p for p in self.papers.values() if p.hf_daily_date == day]

    async def period_papers(self, period: CalendarPeriod) -> list[Paper]:
        self.calls.append(("period_papers", period.label))
        self._maybe_fail()
        return [
            p
            for p in self.papers.values()
            if p.hf_daily_date is not None and period.first <= p.hf_daily_date <= period.last
        ]

    async def paper(self, paper_id: str) -> Paper:
        self.calls.append(("paper", paper_id))
        self._maybe_fail()
        if paper_id not in self.papers:
            raise PaperNotFound(paper_id)
        return self.papers[paper_id]

    async def search(self, query: str, limit: int) -> list[Paper]:
        self.calls.append(("search", query))
        self._maybe_fail()
        return self.search_results[:limit]

    async def hub_citations(self, paper_id: str) -> HubCitations:
        self.calls.append(("hub_citations", paper_id))
        self._maybe_fail()
        return self.hub.get(paper_id, HubCitations())

    def _maybe_fail(self) -> None:
        if self.failure is not None:
            raise self.failure


@dataclass
class MonotonicClock:
    """A monotonic clock, in seconds, that the test moves by hand."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class FixedClock:
    now: datetime = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def make_paper(paper_id: str, title: str, **fields: object) -> Paper:
    fields.setdefault("fetched_at", datetime(2026, 6, 12, tzinfo=UTC))
    return Paper(id=paper_id, title=title, **fields)  # type: ignore[arg-type]
