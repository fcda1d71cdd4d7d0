"""A card's Save, Discuss and Similar buttons on Slack: signed clicks to the app on loopback."""

from __future__ import annotations

from bot.deps import Deps
from loopback.slack import FakeSlack, blocks_text
from loopback.slack_signing import SlackSender
from storage.reading import open_entries
from tests.slack.conftest import PAPER, eventually

PERMALINK = "https://paperbot-test.slack.invalid/archives/C1/p1780000000000001"


def said(fake: FakeSlack) -> list[str]:
    """What the clickers were told through the clicks' response URLs, in order."""
    return [blocks_text(r) or r["text"] for r in fake.responses]


def thread_replies(fake: FakeSlack) -> list[dict[str, object]]:
    return [c for c in fake.called("chat.postMessage") if c.get("thread_ts")]


async def test_discuss_replies_in_the_cards_thread_once_and_links_it_to_every_clicker(
    slack: SlackSender, fake_slack: FakeSlack, posted: str
) -> None:
    await slack.click(f"discuss:{PAPER}", posted, fake_slack.response_url("u1"))
    await eventually(lambda: any(PERMALINK in note for note in said(fake_slack)))

    [reply] = thread_replies(fake_slack)
    assert reply["thread_ts"] == posted
    assert reply["channel"] == "C1"
    assert PAPER in blocks_text(reply)  # the paper and its links open the thread
    assert [c["message_ts"] for c in fake_slack.called("chat.getPermalink")] == [posted]
    assert all(r["response_type"] == "ephemeral" for r in fake_slack.responses)

    await slack.click(f"discuss:{PAPER}", posted, fake_slack.response_url("u2"), user="U2")
    await eventually(lambda: any("discussed here already" in note for note in said(fake_slack)))
    assert len(thread_replies(fake_slack)) == 1


async def test_save_puts_the_paper_on_the_clickers_reading_list_and_tells_only_them(
    slack: SlackSender, fake_slack: FakeSlack, posted: str, deps: Deps
) -> None:
    await slack.click(f"save:{PAPER}", posted, fake_slack.response_url("u3"), user="U3")
    await eventually(lambda: any("on your reading list now" in n for n in said(fake_slack)))

    saved = deps.db.read_now(lambda s: open_entries(s, "slack", "T1", "U3"))
    assert [entry.paper.id for entry in saved] == [PAPER]
    assert all(r["response_type"] == "ephemeral" for r in fake_slack.responses[1:])
    assert thread_replies(fake_slack) == []


async def test_discuss_where_the_bot_may_not_post_tells_the_clicker_to_invite_it(
    slack: SlackSender, fake_slack: FakeSlack, posted: str
) -> None:
    fake_slack.not_in_channel.add("C1")  # removed from the channel since the card was posted
    await slack.click(f"discuss:{PAPER}", posted, fake_slack.response_url("u4"))
    await eventually(lambda: any("cannot open a thread" in note for note in said(fake_slack)))
    assert fake_slack.called("chat.getPermalink") == []
