"""Trouble upstream is visible and retried: empty days wait, failures back off and alert, 429s
are honoured, and a digest split over several messages is finished, never repeated."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from bot.model import Paper
from bot.model.digests import RunState
from bot.ports import PostRejected
from bot.reply import Text
from bot.sources.errors import UpstreamUnavailable
from storage.digest_runs import claim_run, finish_run
from storage.papers import upsert_papers
from tests.digests.helpers import Desk, digest_lines, local, minutes, paper

THU = date(2026, 6, 11)
FRI = date(2026, 6, 12)
DUE = local("2026-06-12 09:00", "Europe/Berlin")


def five_papers() -> list[Paper]:
    return [paper(f"2606.0010{i}", THU, 10 * i) for i in range(1, 6)]


async def test_an_empty_weekday_waits_and_posts_when_the_papers_arrive(desk: Desk) -> None:
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    assert await desk.fire(sub, DUE) is RunState.WAITING
    run = desk.run(sub, THU)
    assert run is not None
    assert run.next_attempt_at == DUE + minutes(15)
    assert "no papers for Thu 11 Jun yet" in (run.error or "")
    assert await desk.sweep(DUE + minutes(10)) == []  # not due yet
    desk.add_papers(*five_papers(), paper("2606.00201", FRI, 999))
    assert await desk.sweep(DUE + minutes(16)) == [RunState.POSTED]
    [post] = desk.poster.in_channel()
    # The retry covers the stored run's day, Thursday, not the days after it.
    assert post.paper_ids == [f"2606.0010{i}" for i in range(5, 0, -1)]
    assert desk.poster.alerts() == []  # waiting for Hugging Face is normal, not an alert


async def test_a_weekday_that_stays_empty_is_skipped_at_the_end_of_the_grace(desk: Desk) -> None:
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    assert await desk.fire(sub, DUE) is RunState.WAITING
    at = DUE
    states = []
    while at < DUE + minutes(7 * 60):
        at += minutes(15)
        states += await desk.sweep(at)
    assert states[-1] is RunState.SKIPPED
    assert set(states[:-1]) == {RunState.WAITING}
    run = desk.run(sub, THU)
    assert run is not None
    assert run.state is RunState.SKIPPED
    assert "a holiday?" in (run.error or "")
    assert desk.poster.posts == []


async def test_failing_source_with_nothing_in_the_catalog_fails_alerts_and_retries(
    desk: Desk,
) -> None:
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    desk.add_papers(*five_papers())
    desk.source.failure = UpstreamUnavailable("HF answered 503 three times")
    assert await desk.fire(sub, DUE) is RunState.FAILED
    run = desk.run(sub, THU)
    assert run is not None
    assert run.state is RunState.FAILED
    assert run.error == "HF answered 503 three times"
    assert run.next_attempt_at == DUE + minutes(1)
    assert desk.poster.alerts() == [
        "paperbot: digest trouble\nThe digest test:T1:C1 (daily 09:00) for Thu 11 Jun failed "
        "(attempt 1): HF answered 503 three times; retrying at 07:01:00 UTC."
    ]

    assert await desk.sweep(DUE + minutes(1)) == [RunState.FAILED]  # still down: backs off
    run = desk.run(sub, THU)
    assert run is not None
    assert run.attempts == 2
    assert run.next_attempt_at == DUE + minutes(3)
    desk.source.failure = None
    assert await desk.sweep(DUE + minutes(3)) == [RunState.POSTED]
    assert len(desk.poster.in_channel()) == 1


async def test_a_weekly_digest_retried_after_a_failing_source_covers_its_whole_week(
    desk: Desk,
) -> None:
    desk.add_papers(
        paper("2606.00020", date(2026, 6, 1), 7),  # Mon of week 23
        paper("2606.00021", date(2026, 6, 5), 70),  # Fri of week 23
        paper("2606.00022", date(2026, 6, 8), 700),  # Mon of week 24: not this digest's
    )
    sub = desk.subscribe("weekly mon 08:30 UTC")
    due = local("2026-06-08 08:30", "UTC")
    desk.source.failure = UpstreamUnavailable("HF is down")
    assert await desk.fire(sub, due) is RunState.FAILED
    desk.source.failure = None
    desk.source.calls.clear()
    assert await desk.sweep(due + minutes(1)) == [RunState.POSTED]
    [post] = desk.poster.in_channel()
    assert post.heading == "Weekly digest: Hugging Face papers of week 23 (01 Jun – 07 Jun 2026)"
    assert post.paper_ids == ["2606.00021", "2606.00020"]
    asked = {day for name, day in desk.source.calls if name == "daily_papers"}
    assert asked == {date(2026, 6, d) for d in range(1, 6)}


async def test_a_retry_finishes_the_stored_day_after_the_subscription_moved_zone(
    desk: Desk,
) -> None:
    """The retry covers the run it retries, not the day the new zone would give its fire time
    (Thursday 21:00 in Honolulu: Wednesday's digest)."""
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    desk.add_papers(*five_papers())
    desk.source.failure = UpstreamUnavailable("HF is down")
    assert await desk.fire(sub, DUE) is RunState.FAILED
    desk.source.failure = None
    assert desk.subscribe("daily 09:00 Pacific/Honolulu").id == sub.id
    assert await desk.sweep(DUE + minutes(1)) == [RunState.POSTED]
    [post] = desk.poster.in_channel()
    assert post.paper_ids == [f"2606.0010{i}" for i in range(5, 0, -1)]
    assert [(run.digest_date, run.state) for run in desk.runs(sub)] == [(THU, RunState.POSTED)]


async def test_the_sweep_leaves_another_platforms_retries_to_that_platforms_runner(
    desk: Desk,
) -> None:
    """The Slack and the Discord process share the database: each retries its own digests."""
    sub = desk.subscribe("daily 09:00 Europe/Berlin", platform="elsewhere")
    assert sub.id is not None
    sub_id, lease = sub.id, desk.runner.policy.lease
    run = desk.db.write_now(lambda s: claim_run(s, sub_id, THU, DUE, DUE, lease))
    assert run is not None
    failed = partial(finish_run, run=run, state=RunState.FAILED, now=DUE, error="HF is down")
    assert desk.db.write_now(partial(failed, next_attempt_at=DUE + minutes(1)))
    desk.add_papers(*five_papers())
    assert await desk.sweep(DUE + minutes(1)) == [None]
    left = desk.run(sub, THU)
    assert left is not None
    assert (left.state, left.attempts) == (RunState.FAILED, 1)
    assert desk.poster.posts == []


async def test_a_source_failure_without_a_message_is_named_by_its_kind(desk: Desk) -> None:
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    desk.source.failure = UpstreamUnavailable()
    assert await desk.fire(sub, DUE) is RunState.FAILED
    run = desk.run(sub, THU)
    assert run is not None
    assert run.error == "UpstreamUnavailable"


async def test_failing_source_falls_back_to_the_catalogs_copy_of_the_day(desk: Desk) -> None:
    sub = desk.subscribe("daily 09:00 Europe/Berlin top 2")
    desk.db.write_now(lambda s: upsert_papers(s, five_papers()))
    desk.source.failure = UpstreamUnavailable("HF is down")
    assert await desk.fire(sub, DUE) is RunState.POSTED
    [post] = desk.poster.in_channel()
    assert post.paper_ids == ["2606.00105", "2606.00104"]
    note = Text("Hugging Face did not answer (HF is down); upvotes may be a little old.", "muted")
    assert post.reply.parts[2] == note


async def test_a_429_is_retried_after_retry_after_and_posts_once(desk: Desk) -> None:
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    desk.add_papers(*five_papers())
    desk.poster.refuse.append(PostRejected("429 rate limited", retry_after=30))
    assert await desk.fire(sub, DUE) is RunState.FAILED
    run = desk.run(sub, THU)
    assert run is not None
    assert run.next_attempt_at == DUE + minutes(0.5)
    assert "429" in (run.error or "")
    assert desk.poster.alerts() == []  # one rate limit is in the log, not worth an alert
    assert await desk.sweep(DUE + minutes(0.4)) == []
    assert await desk.sweep(DUE + minutes(0.5)) == [RunState.POSTED]
    assert await desk.sweep(DUE + minutes(5)) == []
    assert len(desk.poster.in_channel()) == 1


async def test_repeated_429s_alert_and_give_up_when_the_grace_ends(desk: Desk) -> None:
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    desk.add_papers(*five_papers())
    desk.poster.refuse.extend(PostRejected("429", retry_after=1800) for _ in range(50))
    assert await desk.fire(sub, DUE) is RunState.FAILED
    at = DUE
    while at < DUE + minutes(7 * 60):
        at += minutes(30)
        await desk.sweep(at)
    run = desk.run(sub, THU)
    assert run is not None
    assert run.state is RunState.FAILED
    assert run.next_attempt_at is None
    assert desk.poster.in_channel() == []
    alerts = desk.poster.alerts()
    assert any("attempt 3" in a for a in alerts)
    assert alerts[-1].endswith(
        ": the platform refused the post: 429; the grace window is over, so it will not be retried."
    )
    assert await desk.sweep(at + minutes(60)) == []


async def test_a_split_digest_refused_half_way_resumes_after_the_last_message(
    desk: Desk,
) -> None:
    desk.poster.max_cards = 2
    sub = desk.subscribe("daily 09:00 Europe/Berlin top 5")
    desk.add_papers(*five_papers())
    desk.poster.refuse.extend([None, PostRejected("429", retry_after=5)])
    assert await desk.fire(sub, DUE) is RunState.FAILED
    assert [p.paper_ids for p in desk.poster.in_channel()] == [["2606.00105", "2606.00104"]]
    # Upvotes change before the retry: the frozen choice is finished, not re-ranked.
    desk.add_papers(paper("2606.00101", THU, 1000))
    assert await desk.sweep(DUE + minutes(1)) == [RunState.POSTED]
    posts = desk.poster.in_channel()
    assert [p.paper_ids for p in posts] == [
        ["2606.00105", "2606.00104"],
        ["2606.00103", "2606.00102"],
        ["2606.00101"],
    ]
    assert "continued, 2/3" in posts[1].heading
    run = desk.run(sub, THU)
    assert run is not None
    assert run.message_refs == ("C1-m1", "C1-m2", "C1-m3")


async def test_a_digest_of_one_message_a_card_refused_at_the_fourth_sends_every_card_once(
    desk: Desk,
) -> None:
    desk.poster.one_card_per_message = True
    sub = desk.subscribe("daily 09:00 Europe/Berlin top 5")
    desk.add_papers(*five_papers())
    desk.poster.refuse.extend([None, None, None, PostRejected("429", retry_after=5)])
    assert await desk.fire(sub, DUE) is RunState.FAILED
    assert len(desk.poster.in_channel()) == 3  # the header and the first two cards
    assert await desk.sweep(DUE + minutes(1)) == [RunState.POSTED]
    posts = desk.poster.in_channel()
    cards = [paper_id for post in posts for paper_id in post.paper_ids]
    assert cards == ["2606.00105", "2606.00104", "2606.00103", "2606.00102", "2606.00101"]
    assert posts[0].paper_ids == []  # the header stands alone
    assert all(len(post.paper_ids) == 1 for post in posts[1:])
    run = desk.run(sub, THU)
    assert run is not None
    assert len(run.message_refs) == 6


async def test_an_unexpected_error_fails_the_run_instead_of_losing_it(
    desk: Desk, log: pytest.LogCaptureFixture
) -> None:
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    desk.add_papers(*five_papers())
    desk.poster.refuse.append(RuntimeError("socket closed"))
    assert await desk.fire(sub, DUE) is RunState.FAILED
    [crash] = [r for r in log.records if r.exc_info is not None]
    crashed = "digest test:T1:C1 (daily 09:00) for Thu 11 Jun failed unexpectedly"
    assert crash.getMessage() == crashed
    assert any("socket closed" in a for a in desk.poster.alerts())
    assert await desk.sweep(DUE + minutes(1)) == [RunState.POSTED]
    assert len(desk.poster.in_channel()) == 1


async def test_the_sweep_closes_what_the_grace_window_left_open_once_and_says_why(
    desk: Desk, log: pytest.LogCaptureFixture
) -> None:
    """Down from just after the fires until past the grace window: a waiting run is skipped, a
    failed one and one left claimed by a crash are failed and reported, each once."""
    waiting = desk.subscribe("daily 09:00 Europe/Berlin", "C1")
    failing = desk.subscribe("daily 09:00 Europe/Berlin", "C2")
    crashed = desk.subscribe("daily 09:00 Europe/Berlin", "C3")
    assert await desk.fire(waiting, DUE) is RunState.WAITING
    desk.add_papers(*five_papers())
    desk.poster.refuse.append(PostRejected("503 from the platform"))
    assert await desk.fire(failing, DUE + minutes(2)) is RunState.FAILED
    crashed_id = crashed.id
    assert crashed_id is not None
    lease = desk.runner.policy.lease
    desk.db.write_now(lambda s: claim_run(s, crashed_id, THU, DUE, DUE, lease))
    before = len(desk.poster.alerts())

    assert await desk.sweep(DUE + minutes(6 * 60 + 1)) == []  # closed, not retried
    refused = "the platform refused the post: 503 from the platform"
    closed = {}
    for sub in (waiting, failing, crashed):
        run = desk.run(sub, THU)
        assert run is not None
        assert run.next_attempt_at is None
        closed[sub.channel.channel] = (run.state, run.error)
    assert closed == {
        "C1": (
            RunState.SKIPPED,
            "Hugging Face lists no papers for Thu 11 Jun yet; gave up at grace end",
        ),
        "C2": (RunState.FAILED, f"gave up at grace end; last error: {refused}"),
        "C3": (RunState.FAILED, "interrupted, and not finished within the grace window"),
    }
    assert [
        a.removeprefix("paperbot: digest trouble\n") for a in desk.poster.alerts()[before:]
    ] == [
        f"The digest test:T1:C2 (daily 09:00) for Thu 11 Jun gave up at grace end; last error: "
        f"{refused}.",
        "The digest test:T1:C3 (daily 09:00) for Thu 11 Jun interrupted, and not finished within "
        "the grace window.",
    ]
    assert await desk.sweep(DUE + minutes(7 * 60)) == []
    assert len(desk.poster.alerts()) == before + 2
    # The operator's line per run: the two fires, then each run the sweep closed, once.
    lines = [(line[2], line[5]) for line in digest_lines(log.records)]
    assert lines[:2] == [("C1", "waiting"), ("C2", "failed")]
    assert sorted(lines[2:]) == [("C1", "skipped"), ("C2", "failed"), ("C3", "failed")]
    assert desk.poster.in_channel("C2") == []
