"""Pure parts of the Slack adapter: Block Kit rendering, escaping, limits, payload translation."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack.render import (
    DIGEST_LIMITS,
    MAX_BLOCKS,
    MAX_MESSAGE_CHARS,
    MAX_SECTION_CHARS,
    SLACK_LIMITS,
    escape,
    render_part,
    render_reply,
)
from adapters.slack.translate import button_vote, command_invocation, reaction_change
from bot.facade import parse_card_action, parse_vote_action
from bot.model import Tally, Voter
from bot.reply import Code, Heading, Link, PaperCard, Person, Reply, Text, VoterList
from bot.reply_split import split_reply
from bot.votes.emoji import parse_reaction_map, reaction_value
from loopback.ports import make_paper

NOW = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)
NASTY = "*bold* _x_ <@U1> `code` ~s~ &amp;"


def all_text(reply: Reply) -> str:
    rendered = render_reply(reply)
    return json.dumps(rendered.blocks, ensure_ascii=False) + rendered.text


def test_user_text_cannot_mention_format_or_smuggle_entities() -> None:
    out = escape(NASTY)
    assert "<" not in out
    assert ">" not in out
    assert "&lt;@U1&gt;" in out
    assert "&amp;amp;" in out
    for markup in ("*bold*", "_x_", "`code`", "~s~"):
        assert markup not in out, markup
    assert out.replace("\u200b", "") == NASTY.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;"
    )


@pytest.mark.parametrize("code", ["not_in_channel", "channel_not_found", "ratelimited_a_b"])
def test_an_error_code_in_a_reply_keeps_its_underscores_plain(code: str) -> None:
    """Admin alerts quote Slack's error codes; a zero-width space in them breaks a search."""
    out = escape(f"The digest failed: {code}; _really_ {code}_")
    assert f"failed: {code};" in out
    assert "_really_" not in out  # a word in underscores is still never italics


def test_a_query_echoed_in_a_reply_is_escaped_everywhere_it_appears() -> None:
    reply = Reply((Text(("No papers match ", NASTY, ".")),))
    rendered = render_reply(reply)
    assert "<@U1>" not in rendered.blocks[0]["text"]["text"]
    assert "<@U1>" not in rendered.text


def test_person_spans_become_mentions_and_links_keep_their_labels() -> None:
    reply = Reply(
        (Text(("Voted by ", Person("U0123ABC"), " see ", Link("https://x.io/a", "x<y"))),)
    )
    text = render_reply(reply).blocks[0]["text"]["text"]
    assert "<@U0123ABC>" in text
    assert "<https://x.io/a|x&lt;y>" in text
    odd = render_reply(Reply((Text((Person("here> <!channel"),)),))).blocks[0]["text"]["text"]
    assert "<!channel" not in odd


def test_code_spans_are_code_and_cannot_close_early() -> None:
    text = render_reply(Reply((Text((Code("a`b<c"),)),))).blocks[0]["text"]["text"]
    assert text.startswith("`")
    assert text.endswith("`")
    assert text.count("`") == 2
    assert "&lt;" in text


def test_code_over_several_lines_is_a_fenced_block_whose_fences_cannot_close_early() -> None:
    text = render_reply(Reply((Text((Code("a = 1\nb = ```2```"),)),))).blocks[0]["text"]["text"]
    assert text == "```a = 1\nb = ˋˋˋ2ˋˋˋ```"


def test_a_card_links_the_title_and_shows_authors_upvotes_summary_links_tally_and_buttons() -> None:
    paper = make_paper(
        "2606.00467",
        "Linear <attention> & friends",
        authors=("Ada", "Grace"),
        upvotes=42,
        ai_summary="It is *fast*.",
        github_repo="https://github.com/a/b",
    )
    rendered = render_reply(Reply((PaperCard(paper, rank=1, tally=Tally(3, 1)),)))
    section, context, actions = rendered.blocks
    body = section["text"]["text"]
    assert body.startswith("*<https://huggingface.co/papers/2606.00467|1. Linear &lt;attention&gt;")
    assert "Ada, Grace" in body
    assert "▲ 42 HF upvotes" in body
    assert "*fast*" not in body
    for link in ("arxiv.org/abs/2606.00467", "arxiv.org/pdf/2606.00467", "github.com/a/b"):
        assert link in body
    assert context["elements"][0]["text"] == "Team: 👍 3 · 👎 1"
    ids = [e["action_id"] for e in actions["elements"]]
    assert [parse_vote_action(i) for i in ids[:2]] == [("2606.00467", 1), ("2606.00467", -1)]
    assert [parse_card_action(i) for i in ids[2:]] == [
        ("save", "2606.00467"),
        ("discuss", "2606.00467"),
        ("similar", "2606.00467"),
    ]
    assert "Linear" in rendered.text


def test_voter_lists_mention_each_voter_and_show_the_emoji_they_voted_with() -> None:
    paper = make_paper("2606.00001", "P")
    voters = (
        Voter("U42", 1, "reaction", "🎉", "C1", NOW),
        Voter("U43", 1, "reaction", "partyparrot", "C1", NOW),  # a custom emoji: its name
        Voter("U44", -1, "button", None, "C1", NOW),
    )
    text = render_reply(Reply((VoterList(paper, voters),))).blocks[0]["text"]["text"]
    assert "<@U42>  reaction 🎉," in text
    assert "<@U43>  reaction :partyparrot:," in text
    assert "<@U44>  button," in text


def block_texts(blocks: list[dict[str, Any]]) -> list[str]:
    texts = [b["text"]["text"] for b in blocks if "text" in b]
    return texts + [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]


def big_card(i: int, size: int) -> PaperCard:
    paper = make_paper(
        f"2606.{i:05d}",
        "T" * min(size, 400),
        authors=tuple(f"Author {n}" for n in range(size // 50)),
        ai_summary="s " * size,
        summary="a " * size,
    )
    return PaperCard(paper, rank=i, tally=Tally(i, 0))


@settings(max_examples=40, deadline=None)
@given(
    cards=st.integers(min_value=0, max_value=60),
    size=st.integers(min_value=0, max_value=4000),
    texts=st.integers(min_value=0, max_value=30),
)
def test_split_messages_stay_within_slacks_limits(cards: int, size: int, texts: int) -> None:
    parts = [Heading("Search results")]
    parts += [Text("x" * (size + 100)) for _ in range(texts)]
    parts += [big_card(i + 1, size) for i in range(cards)]
    for limits in (SLACK_LIMITS, DIGEST_LIMITS):
        for message in split_reply(Reply(tuple(parts)), limits):
            blocks = [block for part in message.parts for block in render_part(part)]
            assert len(blocks) <= MAX_BLOCKS
            assert sum(len(text) for text in block_texts(blocks)) <= MAX_MESSAGE_CHARS
            for block in blocks:
                if block["type"] == "section":
                    assert len(block["text"]["text"]) <= MAX_SECTION_CHARS


def test_a_slash_command_becomes_an_invocation() -> None:
    form = {
        "team_id": "T1",
        "channel_id": "C9",
        "user_id": "U1",
        "user_name": "ada",
        "text": " search lora ",
    }
    invocation = command_invocation(form)
    assert (invocation.platform, invocation.workspace, invocation.channel) == ("slack", "T1", "C9")
    assert (invocation.user, invocation.text) == ("U1", "search lora")


def click(action_id: str) -> dict[str, object]:
    return {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1", "team_id": "T1"},
        "container": {"type": "message", "message_ts": "1700000000.000200", "channel_id": "C1"},
        "channel": {"id": "C1"},
        "actions": [{"action_id": action_id, "action_ts": "1700000001.5"}],
    }


def test_a_vote_button_click_becomes_a_button_vote_on_its_message() -> None:
    vote = button_vote(click("vote:2606.00467:down"), NOW)
    assert vote is not None
    assert (vote.paper_id, vote.value, vote.message_ref) == ("2606.00467", -1, "1700000000.000200")
    assert (vote.workspace, vote.channel, vote.user) == ("T1", "C1", "U1")
    assert vote.at == datetime.fromtimestamp(1700000001.5, UTC)
    assert button_vote(click("something:else"), NOW) is None


def reaction(kind: str, user: str, emoji: str = "+1::skin-tone-2") -> dict[str, object]:
    return {
        "team_id": "T1",
        "event_id": "Ev9",
        "event": {
            "type": kind,
            "user": user,
            "reaction": emoji,
            "item": {"type": "message", "channel": "C1", "ts": "1700000000.000300"},
            "event_ts": "1700000005.000001",
        },
    }


def test_reaction_events_become_reaction_changes_and_the_bots_are_marked() -> None:
    change = reaction_change(reaction("reaction_removed", "U2"), "UBOT", NOW)
    assert change is not None
    assert (change.added, change.emoji, change.message_ref) == (
        False,
        "+1::skin-tone-2",
        "1700000000.000300",
    )
    assert (change.event_id, change.by_bot) == ("Ev9", False)
    mine = reaction_change(reaction("reaction_added", "UBOT"), "UBOT", NOW)
    assert mine is not None
    assert mine.by_bot
    assert mine.added
    on_file = reaction("reaction_added", "U2")
    on_file["event"]["item"] = {"type": "file", "file": "F1"}  # type: ignore[index]
    assert reaction_change(on_file, "UBOT", NOW) is None


@pytest.mark.parametrize(
    ("setting", "emoji", "value"),
    [
        ("tada=1", "tada", 1),
        ("🎉=1", "tada", 1),  # set as Discord shows it, counted as Slack names it
        ("👀=1", "eyes", 1),
        ("eyes=1", "eyes", 1),
        ("👍=1", "+1::skin-tone-4", 1),
        ("👍=1", "thumbsup", 1),
        ("🙋=-1", "woman-raising-hand::skin-tone-2", -1),  # a gendered one counts as its base
        ("partyparrot=1", "partyparrot", 1),  # a custom emoji, by its name
        ("tada=1", "eyes", 0),
    ],
)
def test_a_slack_reaction_counts_for_its_emoji_however_the_settings_spell_it(
    setting: str, emoji: str, value: int
) -> None:
    change = reaction_change(reaction("reaction_added", "U2", emoji), "UBOT", NOW)
    assert change is not None
    assert reaction_value(change.emoji, parse_reaction_map(setting)) == value


def test_a_bare_papers_command_has_empty_text_and_missing_fields_stay_empty() -> None:
    invocation = command_invocation({"team_id": "T1", "text": ""})
    assert invocation.text == ""  # ``/papers`` alone: help, not a command named by a fallback
    assert (invocation.workspace, invocation.channel, invocation.user) == ("T1", "", "")


def test_a_click_is_identified_by_its_user_and_slack_time() -> None:
    vote = button_vote(click("vote:2606.00467:up"), NOW)
    assert vote is not None
    assert (vote.platform, vote.event_id) == ("slack", "action:U1:1700000001.5")


def test_a_click_without_an_action_time_is_identified_by_its_trigger_and_timed_now() -> None:
    body = click("vote:2606.00467:up")
    body["actions"] = [{"action_id": "vote:2606.00467:up"}]
    body["trigger_id"] = "TR9"
    vote = button_vote(body, NOW)
    assert vote is not None
    assert (vote.event_id, vote.at) == ("action:U1:TR9", NOW)


def test_a_click_takes_the_workspace_it_happened_in_not_the_clicking_users_home() -> None:
    body = click("vote:2606.00467:up")
    body["user"] = {"id": "U7", "team_id": "T2"}  # a guest from another organisation
    vote = button_vote(body, NOW)
    assert vote is not None
    assert (vote.workspace, vote.user) == ("T1", "U7")


def test_a_click_payload_without_team_or_channel_uses_the_users_team_and_the_container() -> None:
    body = click("vote:2606.00467:up")
    del body["team"], body["channel"]
    vote = button_vote(body, NOW)
    assert vote is not None
    assert (vote.workspace, vote.channel) == ("T1", "C1")
    body["container"] = {"type": "message"}
    body["user"] = {}
    bare = button_vote(body, NOW)
    assert bare is not None
    assert (bare.workspace, bare.channel, bare.user, bare.message_ref) == ("", "", "", None)


def test_a_reaction_change_names_its_workspace_channel_user_and_slack_time() -> None:
    change = reaction_change(reaction("reaction_added", "U2"), "UBOT", NOW)
    assert change is not None
    assert (change.platform, change.workspace, change.channel) == ("slack", "T1", "C1")
    assert change.user == "U2"
    assert change.at == datetime.fromtimestamp(1700000005.000001, UTC)


def test_a_reaction_event_missing_its_fields_leaves_them_empty() -> None:
    body = reaction("reaction_added", "")
    body["event"] = {"type": "reaction_added", "item": {"type": "message"}}
    change = reaction_change(body, None, NOW)
    assert change is not None
    assert (change.user, change.channel, change.message_ref, change.emoji) == ("", "", "", "")
    assert not change.by_bot
    assert change.at == NOW  # no event_ts: the time it arrived


def test_a_reaction_without_an_event_id_is_identified_by_its_kind_user_and_time() -> None:
    body = reaction("reaction_removed", "U2")
    del body["event_id"]
    change = reaction_change(body, "UBOT", NOW)
    assert change is not None
    assert change.event_id == "reaction_removed:U2:1700000005.000001"


def test_a_reaction_in_a_shared_channel_counts_under_the_workspace_it_was_delivered_to() -> None:
    shared = reaction("reaction_added", "U2")
    shared["team_id"] = "T_OTHER"  # the channel's own workspace, without the app
    shared["authorizations"] = [{"team_id": "T_HOME", "is_bot": True}]
    change = reaction_change(shared, "UBOT", NOW)
    assert change is not None
    assert change.workspace == "T_HOME"
    del shared["authorizations"], shared["team_id"]
    unknown = reaction_change(shared, "UBOT", NOW)
    assert unknown is not None
    assert unknown.workspace == ""
