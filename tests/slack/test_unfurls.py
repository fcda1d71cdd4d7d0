"""Paper links posted in Slack unfurl into cards (``link_shared`` -> ``chat.unfurl``), and votes
on such a card count and update it by unfurling again, against the app served on loopback."""

from __future__ import annotations

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from loopback.slack import FakeSlack, blocks_text
from loopback.slack_signing import SlackSender, unfurl_id_of
from tests.slack.conftest import PAPER, RecordingCore, voters

USER_MESSAGE = "1780000500.000100"  # someone's message, not the bot's
HF_LINK = f"https://huggingface.co/papers/{PAPER}"


def buttons(blocks: list[dict[str, object]]) -> list[str]:
    """The action ids of every button in ``blocks``."""
    return [
        str(element["action_id"])
        for block in blocks
        if block.get("type") == "actions"
        for element in block["elements"]  # type: ignore[attr-defined]
    ]


async def vote_up_in_the_unfurl(
    slack: SlackSender, fake_slack: FakeSlack, core: RecordingCore, link: str
) -> str:
    """U7 clicks 👍 on the card unfurled for ``link`` on USER_MESSAGE; once the card has been
    unfurled again, returns the text of that second unfurl, checked to target USER_MESSAGE."""
    await slack.click(
        f"vote:{PAPER}:up", USER_MESSAGE, fake_slack.response_url(), user="U7", unfurl_url=link
    )
    await core.handled(1)
    await fake_slack.wait_for(lambda: len(fake_slack.called("chat.unfurl")) == 2)
    again = fake_slack.called("chat.unfurl")[1]
    assert (again["channel"], again["ts"]) == ("C1", USER_MESSAGE)
    return blocks_text({"blocks": fake_slack.unfurled()[1][link]["blocks"]})


async def test_a_pasted_paper_link_unfurls_into_its_card_with_vote_buttons(
    slack: SlackSender, fake_slack: FakeSlack, core: RecordingCore
) -> None:
    fake_slack.share(USER_MESSAGE, HF_LINK)
    status, _ = await slack.link_shared(USER_MESSAGE, HF_LINK)
    assert status == 200
    await core.links_handled(1)
    [call] = fake_slack.called("chat.unfurl")
    assert (call["channel"], call["ts"]) == ("C1", USER_MESSAGE)
    [unfurls] = fake_slack.unfurled()
    card = unfurls[HF_LINK]["blocks"]
    assert f"vote:{PAPER}:up" in buttons(card)
    assert f"vote:{PAPER}:down" in buttons(card)
    assert "Team: 👍 0 · 👎 0" in blocks_text({"blocks": card})
    assert fake_slack.called("chat.postMessage") == [], "an unfurl, not a message of its own"


async def test_a_vote_on_an_unfurled_card_counts_and_unfurls_it_again_with_the_tally(
    slack: SlackSender,
    fake_slack: FakeSlack,
    core: RecordingCore,
    deps: Deps,
    dispatcher: Dispatcher,
) -> None:
    link = f"https://arxiv.org/pdf/{PAPER}v2"
    fake_slack.share(USER_MESSAGE, link)
    await slack.link_shared(USER_MESSAGE, link)
    await core.links_handled(1)
    assert "Team: 👍 1 · 👎 0" in await vote_up_in_the_unfurl(slack, fake_slack, core, link)
    assert fake_slack.called("chat.update") == [], "the card is not the bot's message"
    assert await voters(deps, dispatcher) == [("U7", 1)]


async def test_links_to_papers_nobody_knows_get_no_unfurl_and_no_message(
    slack: SlackSender, fake_slack: FakeSlack, core: RecordingCore
) -> None:
    unknown = "https://arxiv.org/abs/2612.99999"
    fake_slack.share(USER_MESSAGE, unknown)
    await slack.link_shared(USER_MESSAGE, unknown)
    await core.links_handled(1)
    assert core.cards_shown == [0]
    assert fake_slack.called("chat.unfurl") == []
    assert fake_slack.called("chat.postMessage") == []
    assert fake_slack.responses == []


async def test_two_links_to_one_paper_unfurl_once_and_other_papers_each_once(
    slack: SlackSender, fake_slack: FakeSlack, core: RecordingCore
) -> None:
    same = f"https://arxiv.org/abs/{PAPER}"
    fake_slack.share(USER_MESSAGE, HF_LINK, same)
    await slack.link_shared(USER_MESSAGE, HF_LINK, same)
    await core.links_handled(1)
    assert [list(unfurls) for unfurls in fake_slack.unfurled()] == [[HF_LINK]]


async def test_a_link_typed_in_the_message_box_unfurls_through_its_unfurl_id(
    slack: SlackSender, fake_slack: FakeSlack, core: RecordingCore
) -> None:
    fake_slack.share(unfurl_id_of(USER_MESSAGE), HF_LINK)
    await slack.link_shared(USER_MESSAGE, HF_LINK, source="composer")
    await core.links_handled(1)
    [call] = fake_slack.called("chat.unfurl")
    assert call["unfurl_id"] == unfurl_id_of(USER_MESSAGE)
    assert call["source"] == "composer"
    assert "channel" not in call
    assert "ts" not in call
    assert f"vote:{PAPER}:up" in buttons(fake_slack.unfurled()[0][HF_LINK]["blocks"])


async def test_a_vote_on_a_card_unfurled_in_the_message_box_updates_it_once_the_message_is_posted(
    slack: SlackSender,
    fake_slack: FakeSlack,
    core: RecordingCore,
    deps: Deps,
    dispatcher: Dispatcher,
) -> None:
    fake_slack.share(unfurl_id_of(USER_MESSAGE), HF_LINK)
    await slack.link_shared(USER_MESSAGE, HF_LINK, source="composer")
    await core.links_handled(1)
    fake_slack.share(USER_MESSAGE, HF_LINK)  # the person sends the message, the unfurl with it
    assert "Team: 👍 1 · 👎 0" in await vote_up_in_the_unfurl(slack, fake_slack, core, HF_LINK)
    assert await voters(deps, dispatcher) == [("U7", 1)]
