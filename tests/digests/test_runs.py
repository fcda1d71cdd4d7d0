"""A digest run from fire to post: exactly once, on time, covering the right papers."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest

from bot.model import Tally
from bot.model.digests import RunState
from bot.reply import PaperCard, Text
from bot.scheduling.triggers import digest_trigger, fires_between, next_fire
from bot.votes.events import ButtonVote
from bot.votes.service import VoteRecorder
from storage.papers import upsert_papers
from tests.digests.helpers import (
    CREATED,
    PLATFORM,
    WORKSPACE,
    Desk,
    digest_lines,
    local,
    minutes,
    paper,
    story,
)
from tests.support.queries import papers_of_message

THU = date(2026, 6, 11)
FRI = date(2026, 6, 12)
FRI_0900_BERLIN = local("2026-06-12 09:00", "Europe/Berlin")


def thursday_papers(desk: Desk) -> None:
    desk.add_papers(
        paper("2606.00001", THU, 10),
        paper("2606.00002", THU, 50),
        paper("2606.00003", THU, 30),
        paper("2606.00009", FRI, 99),  # Friday's: not in Friday morning's digest
    )


async def test_a_due_digest_posts_the_previous_weekdays_top_papers_once(
    desk: Desk, log: pytest.LogCaptureFixture
) -> None:
    thursday_papers(desk)
    sub = desk.subscribe("daily 09:00 Europe/Berlin top 2")

    assert await desk.fire(sub, FRI_0900_BERLIN) is RunState.POSTED

    [post] = desk.poster.in_channel()
    assert post.paper_ids == ["2606.00002", "2606.00003"]
    assert "Thu 11 Jun 2026" in post.heading
    run = desk.run(sub, THU)
    assert run is not None
    assert run.state is RunState.POSTED
    assert run.message_refs == ("C1-m1",)
    assert run.paper_ids == ("2606.00002", "2606.00003")
    assert desk.db.read_now(lambda s: papers_of_message(s, "test", "C1", "C1-m1")) == [
        "2606.00002",
        "2606.00003",
    ]
    # The same fire again (a second replica, a retried job): nothing more.
    assert await desk.fire(sub, FRI_0900_BERLIN + minutes(0.5)) is None
    assert len(desk.poster.in_channel()) == 1
    assert story(log.records) == [
        "digest test:T1:C1 (daily 09:00) for Thu 11 Jun posted in 1 message(s)",
        "digest test:T1:C1 (daily 09:00) for 2026-06-11: not claimed",
    ]
    # One line for the operator, for the run that posted; none for the fire that found it done.
    assert digest_lines(log.records) == [("test", "T1", "C1", "daily", "2026-06-11", "posted")]


async def test_a_digest_states_its_filters_and_its_cards_show_the_teams_votes(desk: Desk) -> None:
    thursday_papers(desk)
    desk.db.write_now(lambda s: upsert_papers(s, list(desk.source.papers.values())))
    votes = [("U1", WORKSPACE, 1), ("U2", WORKSPACE, 1), ("U3", WORKSPACE, -1), ("U1", "T2", -1)]
    recorder = VoteRecorder(desk.deps)
    for n, (user, workspace, value) in enumerate(votes):
        click = ButtonVote(PLATFORM, workspace, "C9", user, "2606.00002", value, f"e{n}", CREATED)
        await recorder.record(click)
    sub = desk.subscribe("daily 09:00 Europe/Berlin top 2 keywords paper min-upvotes 20")
    assert await desk.fire(sub, FRI_0900_BERLIN) is RunState.POSTED
    [post] = desk.poster.in_channel()
    assert post.reply.parts[1] == Text(
        "Top 2 by Hugging Face upvotes · keywords: paper · at least 20 upvotes", "muted"
    )
    cards = [part for part in post.reply.parts if isinstance(part, PaperCard)]
    # The votes of this workspace, not of another (T2); a paper nobody voted on shows none.
    assert [(c.paper.id, c.tally) for c in cards] == [
        ("2606.00002", Tally(up=2, down=1)),
        ("2606.00003", Tally()),
    ]


async def test_monday_covers_friday_and_the_weekend_posts_nothing(desk: Desk) -> None:
    desk.add_papers(paper("2606.00010", FRI, 5))
    sub = desk.subscribe("daily 08:00 UTC")
    trigger = digest_trigger(sub.spec)
    weekend = fires_between(trigger, local("2026-06-12 08:01", "UTC"), local("2026-06-15", "UTC"))
    assert weekend == []  # Mon-Fri: nothing fires at the weekend
    monday = next_fire(trigger, local("2026-06-12 08:01", "UTC"))
    assert monday == local("2026-06-15 08:00", "UTC")
    assert await desk.fire(sub, monday) is RunState.POSTED
    [post] = desk.poster.in_channel()
    assert post.paper_ids == ["2606.00010"]
    assert "Fri 12 Jun" in post.heading


async def test_restart_during_the_due_minute_does_not_post_again(desk: Desk) -> None:
    thursday_papers(desk)
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    assert await desk.fire(sub, FRI_0900_BERLIN + minutes(0.2)) is RunState.POSTED
    # The process restarts 30 s later and catches up on the fire it may have missed.
    again = desk.restarted()
    assert await again.fire(sub, FRI_0900_BERLIN + minutes(0.7)) is None
    assert len(desk.poster.in_channel()) == 1


async def test_crash_between_claim_and_post_is_retried_once_after_the_lease(desk: Desk) -> None:
    thursday_papers(desk)
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    # The first process claims the run, then dies before posting: its poster raises a
    # BaseException that nothing in paperbot catches, as a kill would leave it.
    desk.poster.refuse.append(KeyboardInterrupt())  # type: ignore[arg-type]
    with contextlib.suppress(KeyboardInterrupt):
        await desk.fire(sub, FRI_0900_BERLIN)
    run = desk.run(sub, THU)
    assert run is not None
    assert run.state is RunState.CLAIMED
    assert desk.poster.posts == []

    again = desk.restarted()  # the next start, a minute later: the claim is still leased
    assert await again.fire(sub, FRI_0900_BERLIN + minutes(1)) is None
    assert await again.sweep(FRI_0900_BERLIN + minutes(2)) == []
    # Once the lease has run out, the sweep takes the run over and posts it, once.
    assert await again.sweep(FRI_0900_BERLIN + minutes(11)) == [RunState.POSTED]
    assert await again.sweep(FRI_0900_BERLIN + minutes(30)) == []
    assert len(desk.poster.in_channel()) == 1
    run = desk.run(sub, THU)
    assert run is not None
    assert run.state is RunState.POSTED
    assert run.attempts == 2


async def test_downtime_shorter_than_the_grace_posts_late_once(desk: Desk) -> None:
    thursday_papers(desk)
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    back = FRI_0900_BERLIN + minutes(5 * 60 + 50)  # up again at 14:50, grace is 6 h
    assert await desk.fire(sub, back) is RunState.POSTED
    assert await desk.restarted().fire(sub, back + minutes(1)) is None
    assert len(desk.poster.in_channel()) == 1


async def test_downtime_longer_than_the_grace_is_missed_and_reported_once(
    desk: Desk, log: pytest.LogCaptureFixture
) -> None:
    thursday_papers(desk)
    sub = desk.subscribe("daily 09:00 Europe/Berlin")
    back = FRI_0900_BERLIN + minutes(6 * 60 + 10)
    assert await desk.fire(sub, back) is RunState.MISSED
    assert await desk.restarted().fire(sub, back + minutes(5)) is RunState.MISSED
    assert desk.poster.in_channel() == []
    reason = (
        "missed: paperbot was not running between 2026-06-12 07:00 UTC and the end of the 6 h "
        "grace window"
    )
    assert desk.poster.alerts() == [
        "paperbot: digest trouble\n"
        f"The digest test:T1:C1 (daily 09:00) for Thu 11 Jun was {reason}."
    ]
    run = desk.run(sub, THU)
    assert run is not None
    assert (run.state, run.error) == (RunState.MISSED, reason)
    assert digest_lines(log.records) == [("test", "T1", "C1", "daily", "2026-06-11", "missed")]
    # Monday's digest goes out as usual.
    desk.add_papers(paper("2606.00011", FRI, 1))
    assert await desk.fire(sub, local("2026-06-15 09:00", "Europe/Berlin")) is RunState.POSTED


async def test_a_subscription_made_after_the_fire_waits_for_the_next_one(desk: Desk) -> None:
    thursday_papers(desk)
    sub = desk.subscribe("daily 09:00 Europe/Berlin", at=FRI_0900_BERLIN + minutes(30))
    assert await desk.fire(sub, FRI_0900_BERLIN + minutes(31)) is None
    assert desk.poster.posts == []


async def test_weekly_covers_the_previous_iso_week(desk: Desk) -> None:
    desk.add_papers(
        paper("2606.00020", date(2026, 6, 1), 7),  # Mon of week 23
        paper("2606.00021", date(2026, 6, 5), 70),  # Fri of week 23
        paper("2606.00022", date(2026, 6, 8), 700),  # week 24: not yet
        paper("2605.00023", date(2026, 5, 29), 7000),  # week 22
    )
    sub = desk.subscribe("weekly mon 08:30 America/New_York")
    at = local("2026-06-08 08:30", "America/New_York")
    assert await desk.fire(sub, at) is RunState.POSTED
    [post] = desk.poster.in_channel()
    assert post.paper_ids == ["2606.00021", "2606.00020"]
    assert "week 23" in post.heading
    asked = {day for name, day in desk.source.calls if name == "daily_papers"}
    assert asked == {date(2026, 6, d) for d in range(1, 6)}  # weekdays only
