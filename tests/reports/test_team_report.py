"""The weekly team report: composed from the votes and saves in the database, posted exactly once
through the digest runner, with a real PNG chart of the votes per day."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from matplotlib.image import imread
from rich.console import Console
from sqlmodel import Session

from adapters.console.app import ConsoleChat
from adapters.console.poster import ConsolePoster
from adapters.slack.poster import ChannelPacer, SlackPoster, web_client
from bot.commands.dispatch import Dispatcher
from bot.facade import Channel, Core
from bot.model.digests import RunState
from bot.reply import Attachment, PaperCard, Reply, Text
from bot.reports.chart import PNG_SIGNATURE
from bot.votes.events import ButtonVote
from bot.votes.service import VoteRecorder
from loopback.slack import FakeSlack, blocks_text
from storage.discussions import Thread, claim_thread, count_reply, thread_opened
from storage.papers import upsert_papers
from storage.reading import Reader, save_paper
from tests.digests.helpers import PLATFORM, WORKSPACE, Desk, local, paper
from tests.support.invoke import ask

FRI_1600_BERLIN = local("2026-06-12 16:00", "Europe/Berlin")
MONDAY = datetime(2026, 6, 8, 10, tzinfo=UTC)
PAPERS = [paper(f"2606.0000{n}", date(2026, 6, 1), 10, f"Paper {n}") for n in range(1, 6)]


async def vote(desk: Desk, user: str, paper_id: str, value: int, at: datetime, n: int) -> None:
    click = ButtonVote(PLATFORM, WORKSPACE, "C9", user, paper_id, value, f"e{n}", at)
    await VoteRecorder(desk.deps).record(click)


async def a_team_week(desk: Desk) -> None:
    """Three people vote this week (and one three weeks ago), two save paper 3, one paper 4."""
    desk.db.write_now(lambda s: upsert_papers(s, PAPERS))
    week = [
        ("U1", "2606.00002", 1), ("U2", "2606.00002", 1), ("U3", "2606.00002", -1),
        ("U1", "2606.00001", 1), ("U2", "2606.00005", -1),
    ]  # fmt: skip
    for n, (user, paper_id, value) in enumerate(week):
        await vote(desk, user, paper_id, value, MONDAY + timedelta(days=n % 3), n)
    await vote(desk, "U4", "2606.00003", 1, MONDAY - timedelta(days=21), 99)
    await vote(desk, "U5", "2606.00004", 1, FRI_1600_BERLIN + timedelta(minutes=5), 100)  # after
    for user, paper_id in (("U1", "2606.00003"), ("U2", "2606.00003"), ("U3", "2606.00004")):
        reader = Reader(PLATFORM, WORKSPACE, user)
        desk.db.write_now(lambda s: save_paper(s, reader, paper_id, "C1", MONDAY))  # noqa: B023
    # Threads on papers 5 (two channels) and 1; replies this week, one last week, one after.
    replies = [
        ("C1", "2606.00005", MONDAY), ("C2", "2606.00005", MONDAY + timedelta(days=2)),
        ("C1", "2606.00005", MONDAY + timedelta(days=3)), ("C1", "2606.00001", MONDAY),
        ("C1", "2606.00001", MONDAY - timedelta(days=7)),
        ("C1", "2606.00001", FRI_1600_BERLIN + timedelta(minutes=5)),
    ]  # fmt: skip
    for channel, paper_id, at in replies:
        desk.db.write_now(lambda s: reply_in_thread(s, channel, paper_id, at))  # noqa: B023


def reply_in_thread(session: Session, channel: str, paper_id: str, at: datetime) -> None:
    """A reply in the paper's thread in ``channel``, the thread opened first if need be."""
    where = Channel(PLATFORM, WORKSPACE, channel)
    ref = f"thread-{channel}-{paper_id}"
    if claim_thread(session, where, paper_id, "U1", at) is None:
        thread_opened(session, where, paper_id, Thread(ref, None), f"card-{paper_id}")
    assert count_reply(session, PLATFORM, WORKSPACE, ref, at) is not None


def whole(posts: list[Reply]) -> tuple[str, list[PaperCard], list[Attachment]]:
    parts = [part for reply in posts for part in reply.parts]
    text = "\n".join(p.text for p in parts if isinstance(p, Text))
    cards = [p for p in parts if isinstance(p, PaperCard)]
    return text, cards, [p for p in parts if isinstance(p, Attachment)]


async def test_the_report_counts_the_weeks_votes_and_saves_and_charts_four_weeks(
    desk: Desk,
) -> None:
    await a_team_week(desk)
    desk.poster.one_card_per_message = True
    sub = desk.subscribe("report weekly fri 16:00 Europe/Berlin")
    assert sub.spec.kind == "report"

    assert await desk.fire(sub, FRI_1600_BERLIN) is RunState.POSTED

    posts = [post.reply for post in desk.poster.in_channel()]
    text, cards, files = whole(posts)
    assert "3 people cast 5 votes; 3 papers saved to reading lists." in text
    # Score this week: paper 2 +1 (two up, one down), paper 1 +1 (one up); paper 5 only down.
    assert [c.paper.id for c in cards] == ["2606.00002", "2606.00001"]
    assert "1. this week: score +1 · 👍 2 · 👎 1" in text
    assert "1. Paper 3 (2606.00003): 2 saves\n2. Paper 4 (2606.00004): 1 save" in text
    assert "Most discussed this week:\n1. Paper 5 (2606.00005): 3 replies\n" in text
    assert "2. Paper 1 (2606.00001): 1 reply" in text
    [chart] = files
    assert posts[-1].parts == (chart,)  # the file is a message of its own, the last
    assert chart.media_type == "image/png"
    assert chart.filename == "team-votes-2026-06-12.png"
    assert chart.content.startswith(PNG_SIGNATURE)
    image = imread(io.BytesIO(chart.content), format="png")
    assert image.shape[:2] == (300, 800)


async def test_two_runners_firing_the_same_report_post_it_once(desk: Desk) -> None:
    await a_team_week(desk)
    sub = desk.subscribe("report fri 16:00 Europe/Berlin")
    other = desk.restarted()  # another replica: its own runner, the same database and poster
    first, second = await asyncio.gather(
        desk.fire(sub, FRI_1600_BERLIN), other.fire(sub, FRI_1600_BERLIN + timedelta(seconds=1))
    )
    assert sorted([first, second], key=lambda state: state is None) == [RunState.POSTED, None]
    assert len([p for p in desk.poster.in_channel() if p.reply.attachments]) == 1
    assert await desk.restarted().fire(sub, FRI_1600_BERLIN + timedelta(minutes=1)) is None
    run = desk.runs(sub)[0]
    assert run.state is RunState.POSTED
    assert run.digest_date == date(2026, 6, 6)  # the seven days up to Friday the 12th


async def test_a_report_refused_half_way_resumes_after_the_messages_already_sent(
    desk: Desk,
) -> None:
    from bot.ports import PostRejected

    await a_team_week(desk)
    sub = desk.subscribe("report fri 16:00 Europe/Berlin")
    desk.poster.refuse = [None, PostRejected("slow down", retry_after=1)]
    assert await desk.fire(sub, FRI_1600_BERLIN) is RunState.FAILED
    assert await desk.sweep(FRI_1600_BERLIN + timedelta(minutes=2)) == [RunState.POSTED]
    posts = desk.poster.in_channel()
    assert [p.reply.attachments != () for p in posts] == [False, True]  # header once, file once


async def test_a_team_that_did_nothing_gets_no_report(desk: Desk) -> None:
    sub = desk.subscribe("report fri 16:00 Europe/Berlin")
    assert await desk.fire(sub, FRI_1600_BERLIN) is RunState.SKIPPED
    assert desk.poster.in_channel() == []
    assert "no votes in four weeks" in (desk.runs(sub)[0].error or "")


def test_a_report_takes_no_paper_filters(desk: Desk) -> None:
    import pytest

    from bot.usage import UsageError

    with pytest.raises(UsageError, match="takes no keywords"):
        desk.subscribe("report fri 16:00 keywords rlhf")


async def test_the_console_saves_the_reports_chart_and_prints_its_path(
    desk: Desk, dispatcher: Dispatcher, tmp_path: Path
) -> None:
    await a_team_week(desk)
    screen = io.StringIO()
    console = Console(file=screen, width=300, color_system=None)
    chat = ConsoleChat(Core(desk.deps, dispatcher), console, files_dir=tmp_path / "files")
    desk.runner.posters = {PLATFORM: ConsolePoster(chat)}
    sub = desk.subscribe("report fri 16:00 Europe/Berlin")

    assert await desk.fire(sub, FRI_1600_BERLIN) is RunState.POSTED

    [png] = (tmp_path / "files").iterdir()
    assert png.name == "team-votes-2026-06-12.png"
    assert imread(png).shape[:2] == (300, 800)
    out = screen.getvalue()
    assert "Team report: the week of 06 Jun – 12 Jun 2026" in out
    assert f"saved to {png}" in out


async def test_on_slack_the_report_is_posted_and_its_chart_uploaded_by_the_external_flow(
    desk: Desk, fake_slack: FakeSlack
) -> None:
    await a_team_week(desk)
    poster = SlackPoster(web_client("xoxb-test", fake_slack.api_url), ChannelPacer(interval=0))
    desk.runner.posters = {PLATFORM: poster}
    sub = desk.subscribe("report fri 16:00 Europe/Berlin")
    fake_slack.not_in_channel.add("C1")  # refused first: the run fails and is retried

    assert await desk.fire(sub, FRI_1600_BERLIN) is RunState.FAILED
    fake_slack.not_in_channel.clear()
    assert await desk.sweep(FRI_1600_BERLIN + timedelta(minutes=2)) == [RunState.POSTED]

    [shared] = fake_slack.shared_files()
    assert shared.filename == "team-votes-2026-06-12.png"
    assert shared.content is not None
    assert shared.content.startswith(PNG_SIGNATURE)
    assert shared.shared is not None
    assert shared.shared["channel_id"] == "C1"
    posts = fake_slack.called("chat.postMessage")
    assert "Team report: the week of 06 Jun" in blocks_text(posts[1])  # the refused one first
    assert desk.runs(sub)[0].message_refs[-1] == shared.file_id


async def test_digest_now_report_shows_the_last_seven_days_and_claims_no_run(
    desk: Desk, dispatcher: Dispatcher
) -> None:
    await a_team_week(desk)
    sub = desk.subscribe("report fri 16:00 Europe/Berlin")
    desk.clock.now = FRI_1600_BERLIN - timedelta(hours=1)

    reply = await ask(dispatcher, desk.deps, "digest now report", workspace=WORKSPACE)

    text, cards, [chart] = whole([reply])
    assert "3 people cast 5 votes" in text
    assert [c.paper.id for c in cards] == ["2606.00002", "2606.00001"]
    assert chart.content.startswith(PNG_SIGNATURE)
    assert desk.runs(sub) == []  # the Friday report still goes out as planned
