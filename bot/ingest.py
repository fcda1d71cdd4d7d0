"""Fill the catalog from a paper source, day by day, idempotently.

Each day is fetched first (network, no session open), then written in one short unit of work, so a
re-run refreshes upvotes and adds nothing twice, and a failing day does not lose the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from bot.model import Paper
from bot.ports import PaperSource
from bot.sources.errors import SourceError
from bot.sources.sample import first_sample_id, last_sample_id, load_sample_papers
from storage.db import Database
from storage.locks import startup_lock
from storage.papers import count_papers, get_paper, upsert_papers

log = logging.getLogger("paperbot.ingest")

GIVE_UP_AFTER = 3  # days in a row the source failed before ingest stops asking it
DAY_DEADLINE = 300.0  # seconds one day may take, retries and all: a dripping answer ends here


@dataclass(slots=True)
class IngestSummary:
    days: int = 0
    papers: int = 0
    added: int = 0
    updated: int = 0
    empty_days: list[date] = field(default_factory=list)
    failed_days: dict[date, str] = field(default_factory=dict)
    not_tried: list[date] = field(default_factory=list)  # after the source kept failing

    def line(self) -> str:
        text = (
            f"{self.days} day(s): {self.papers} papers, {self.added} new, "
            f"{self.updated} refreshed, {len(self.empty_days)} empty"
        )
        if self.failed_days:
            text += f", {len(self.failed_days)} failed"
        if self.not_tried:
            text += (
                f"; stopped after {GIVE_UP_AFTER} failed days in a row, "
                f"{len(self.not_tried)} day(s) not tried"
            )
        return text


def days_between(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


async def ingest_days(
    db: Database,
    source: PaperSource,
    days: list[date],
    on_day: Callable[[date, int, str | None], None] = lambda _d, _n, _e: None,
    day_deadline: float = DAY_DEADLINE,
) -> IngestSummary:
    """Fetch and store each day's Daily Papers; ``on_day(day, count, error)`` reports progress.

    A circuit breaker: after ``GIVE_UP_AFTER`` days in a row that the source failed (each with
    its own retries), the source is taken to be down and the remaining days are not tried, so an
    outage costs minutes, not the retries of every day of a long range. Each day has an overall
    deadline: a server that sends a byte now and then never trips a read timeout, but a day
    that takes longer than ``day_deadline`` seconds fails like any other.
    """
    summary = IngestSummary()
    failures_in_a_row = 0
    for i, day in enumerate(days):
        if failures_in_a_row >= GIVE_UP_AFTER:
            summary.not_tried = days[i:]
            break
        summary.days += 1
        try:
            papers = await asyncio.wait_for(source.daily_papers(day), day_deadline)
        except (SourceError, TimeoutError) as error:
            reason = str(error) or f"no complete answer within {day_deadline:g} s"
            failures_in_a_row += 1
            summary.failed_days[day] = reason
            on_day(day, 0, reason)
            continue
        failures_in_a_row = 0
        if not papers:
            summary.empty_days.append(day)
        else:
            try:
                result = await db.write(partial(upsert_papers, papers=papers))
            except Exception as error:  # any one day's failure must not cost the other days
                log.exception("storing the papers of %s failed", day)
                message = f"could not store its papers: {type(error).__name__}: {error}"
                summary.failed_days[day] = message
                on_day(day, 0, message)
                continue
            summary.papers += len(papers)
            summary.added += result.added
            summary.updated += result.updated
        on_day(day, len(papers), None)
    return summary


SAMPLE_BATCH = 250  # papers per transaction: each holds SQLite's write lock for a moment only


@dataclass(frozen=True, slots=True)
class Sample:
    """The bundled sample as the first start reads it: its papers, and its first and last ids."""

    papers: Callable[[datetime], list[Paper]] = load_sample_papers
    first_id: Callable[[], str] = first_sample_id
    last_id: Callable[[], str] = last_sample_id


def load_sample_until_complete(db: Database, now: datetime, sample: Sample = Sample()) -> int:
    """On first start, fill an empty catalog with the bundled sample; returns papers loaded.

    Processes starting together take turns (``storage.locks``), so one loads and the others then
    find the catalog filled. The sample goes in as many short, idempotent transactions rather
    than one long one, so commands and votes of running processes are not held up meanwhile.
    They go in from the end of the file, so the sample's first paper is stored last: a start
    finds it (one short read) once the sample is complete, while a process stopped half-way
    leaves the sample's last paper without its first, and the next start loads it again, which
    refreshes the stored part in place.
    """
    if not _sample_unfinished(db, sample):
        return 0
    with startup_lock(db.engine):
        if not _sample_unfinished(db, sample):
            return 0
        papers = sample.papers(now)
        for start in reversed(range(0, len(papers), SAMPLE_BATCH)):
            db.write_now(partial(upsert_papers, papers=papers[start : start + SAMPLE_BATCH]))
    return len(papers)


def _sample_unfinished(db: Database, sample: Sample) -> bool:
    """An empty catalog, or one holding the sample's last paper (stored first) but not its first."""
    if db.read_now(count_papers) == 0:
        return True
    if db.read_now(partial(get_paper, paper_id=sample.first_id())) is not None:
        return False  # the sample is complete (or the catalog's own papers include its first)
    return db.read_now(partial(get_paper, paper_id=sample.last_id())) is not None
