"""/metrics counts digests: posted, failed and retried, given up, and how the others ended."""

from __future__ import annotations

from datetime import date

from bot.cli.health import PrometheusMetrics
from bot.model.digests import RunState
from bot.ports import PostRejected
from storage.db import Database
from tests.digests.helpers import local, make_desk, minutes, paper
from tests.health.scrape import samples, scrape_once

THU = date(2026, 6, 11)
DUE = local("2026-06-12 09:00", "Europe/Berlin")


async def test_digests_posted_retried_and_given_up_are_counted(
    db: Database, metrics: PrometheusMetrics
) -> None:
    desk = make_desk(db, metrics=metrics)
    posted_late = desk.subscribe("daily 09:00 Europe/Berlin", "C1")
    never_posted = desk.subscribe("daily 09:00 Europe/Berlin", "C2")
    desk.add_papers(paper("2606.00101", THU, 10))
    desk.poster.refuse.append(PostRejected("429 rate limited", retry_after=20))
    assert await desk.fire(posted_late, DUE) is RunState.FAILED
    assert await desk.sweep(DUE + minutes(1)) == [RunState.POSTED]
    assert await desk.fire(posted_late, DUE) is None  # done: not run again, not counted

    desk.poster.refuse.append(PostRejected("503 from the platform"))
    assert await desk.fire(never_posted, DUE + minutes(2)) is RunState.FAILED
    assert await desk.sweep(DUE + minutes(6 * 60 + 1)) == []  # the grace window is over

    page = (await scrape_once("/metrics", db, [], None, metrics)).text
    assert samples(page, "paperbot_digest_runs_total") == {
        (("outcome", "failed"),): 2,
        (("outcome", "posted"),): 1,
        (("outcome", "gave_up"),): 1,
    }
    assert samples(page, "paperbot_digest_retries_total") == {(): 1}
