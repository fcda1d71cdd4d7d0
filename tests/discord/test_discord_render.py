"""Rendering replies as Discord messages: escaping, mentions, cards, buttons and limits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import discord
import pytest

from adapters.discord.render import (
    ALLOWED_MENTIONS,
    DIGEST_LIMITS,
    DISCORD_LIMITS,
    escape,
    render_reply,
)
from bot.facade import card_action_id, vote_action_id
from bot.model import Paper, Tally, Voter
from bot.reply import Code, Heading, Link, PaperCard, Person, Reply, Text, VoterList
from bot.reply_split import MessageLimits, split_reply

NASTY = "*bold* _x_ <@U1> `code` ~s~ &amp; @everyone ||spoiler|| > quote # head [a](b)"


def paper(n: int = 1, **changes: object) -> Paper:
    base = Paper(
        id=f"2606.{n:05d}",
        title=f"Paper {n}: *not bold*",
        summary="An abstract. " * 40,
        authors=("Ada Lovelace", "Alan_Turing"),
        hf_daily_date=date(2026, 6, 11),
        upvotes=42,
        ai_summary="The AI summary, with <@999> and **markdown**.",
        ai_keywords=("lora", "attention"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_user_text_is_escaped_so_it_shows_as_typed_and_mentions_no_one() -> None:
    rendered = render_reply(Reply((Text(("You searched for ", NASTY)),))).content
    assert r"\*bold\* \_x\_ \<\@U1\> \`code\` \~s\~ &amp; \@everyone \|\|spoiler\|\|" in rendered
    assert r"\> quote \# head \[a\]\(b\)" in rendered


def test_escaping_leaves_plain_words_alone() -> None:
    assert escape("linear attention 2024") == "linear attention 2024"


def test_spans_become_mentions_code_and_links() -> None:
    content = render_reply(
        Reply(
            (
                Text(
                    (
                        Person("1234"),
                        " ran ",
                        Code("paperbot ingest"),
                        " ",
                        Link("https://x.org/a b", "docs"),
                    )
                ),
            )
        )
    ).content
    assert content == "<@1234> ran `paperbot ingest` [docs](https://x.org/a%20b)"


def test_code_over_several_lines_is_a_fenced_block_whose_fences_cannot_close_early() -> None:
    content = render_reply(Reply((Text((Code("a = 1\nb = ```2```"),)),))).content
    assert content == "```\na = 1\nb = ˋˋˋ2ˋˋˋ\n```"


def test_no_message_can_ping_everyone_roles_or_users() -> None:
    assert ALLOWED_MENTIONS.to_dict() == {"parse": []}  # and no explicit users or roles
    kwargs = render_reply(Reply((Text("hi"),))).send_kwargs()
    assert kwargs["allowed_mentions"] is ALLOWED_MENTIONS


def test_a_card_is_an_embed_linked_to_hugging_face_with_the_teams_tally() -> None:
    card = PaperCard(paper(thumbnail="https://cdn.hf.co/thumb.png"), rank=3, tally=Tally(2, 1))
    [embed] = render_reply(Reply((card,))).embeds
    assert embed.url == "https://huggingface.co/papers/2606.00001"
    assert embed.title == r"3. Paper 1: \*not bold\*"
    assert embed.thumbnail.url == "https://cdn.hf.co/thumb.png"
    assert "👍 2  👎 1" in (embed.footer.text or "")
    description = embed.description or ""
    assert r"Ada Lovelace, Alan\_Turing" in description
    assert "▲ **42** upvotes on Hugging Face" in description
    assert r"\<\@999\> and \*\*markdown\*\*" in description
    assert "[arXiv](https://arxiv.org/abs/2606.00001)" in description


def test_a_discussed_cards_footer_has_its_id_tally_and_replies_in_that_order() -> None:
    card = PaperCard(paper(), tally=Tally(2, 1), replies=3)
    [embed] = render_reply(Reply((card,))).embeds
    assert embed.footer.text == "arXiv 2606.00001 · team votes 👍 2  👎 1 · 💬 3 replies"


def test_a_card_without_a_thumbnail_has_none_and_an_unvotable_card_has_no_tally() -> None:
    [embed] = render_reply(Reply((PaperCard(paper(), votable=False),))).embeds
    assert embed.thumbnail.url is None
    assert "team votes" not in (embed.footer.text or "")
    assert render_reply(Reply((PaperCard(paper(), votable=False),))).view is None


def test_a_cards_buttons_carry_what_they_do_in_a_custom_id_under_100_characters() -> None:
    long_id = "a" * 64
    view = render_reply(Reply((PaperCard(paper(id=long_id), rank=1, tally=Tally(5, 0)),))).view
    assert view is not None
    ids = [item.custom_id for item in view.children if isinstance(item, discord.ui.DynamicItem)]
    assert ids == [
        vote_action_id(long_id, 1),
        vote_action_id(long_id, -1),
        card_action_id("save", long_id),
        card_action_id("discuss", long_id),
        card_action_id("similar", long_id),
    ]
    assert all(len(i) < 100 for i in ids)
    labels = [item.item.label for item in view.children if isinstance(item, discord.ui.DynamicItem)]
    assert labels == ["#1 · 5", "#1 · 0", "Save", "Discuss", "Similar"]


def test_each_card_gets_its_own_row_so_a_message_holds_five_cards() -> None:
    cards = tuple(PaperCard(paper(id=f"2601.0000{i}"), rank=i) for i in range(1, 8))
    assert DISCORD_LIMITS.max_cards == 5
    view = render_reply(Reply(cards[:5])).view
    assert view is not None
    rows = [item.row for item in view.children if isinstance(item, discord.ui.DynamicItem)]
    assert rows == [row for row in range(5) for _ in range(5)]


LONG_LINK = "https://example.org/" + "é" * 60  # 20 + 60 * 6 characters once percent-encoded
HUGE = paper(
    title="T" * 400,
    summary="word " * 3000,
    ai_summary="summary " * 2000,
    authors=tuple(f"Author {i} " + "x" * 200 for i in range(40)),
    ai_keywords=tuple("k" * 100 for _ in range(30)),
)
MARKDOWN = paper(  # every character doubles when escaped; links grow when percent-encoded
    title="*" * 400,
    summary="_" * 100_000,
    ai_summary=None,
    authors=tuple("#" * 200 for _ in range(40)),
    ai_keywords=tuple("-" * 100 for _ in range(30)),
    github_repo=LONG_LINK,
    project_page="https://example.org/" + "é" * 40,
    thumbnail=LONG_LINK,
    github_stars=10**12,
    num_comments=10**12,
)


@pytest.mark.parametrize("huge", [HUGE, MARKDOWN], ids=["long", "markdown"])
@pytest.mark.parametrize("limits", [DISCORD_LIMITS, DIGEST_LIMITS])
def test_split_messages_stay_within_discords_limits(limits: MessageLimits, huge: Paper) -> None:
    parts = [Heading("Results for " + NASTY), Text("note " * 3000)]
    parts += [PaperCard(replace(huge, id=f"2606.{i:05d}"), rank=i) for i in range(1, 26)]
    messages = split_reply(Reply(tuple(parts)), limits)
    for message in messages:
        rendered = render_reply(message)
        assert len(rendered.content) <= 2000
        assert len(rendered.embeds) <= 10
        assert all(len(e.description or "") <= 4096 for e in rendered.embeds)
        assert all(len(e.title or "") <= 256 for e in rendered.embeds)
        assert sum(len(e) for e in rendered.embeds) <= 6000
        rows = {item.row for item in rendered.view.children} if rendered.view else set()
        assert len(rows) <= 5
    shown = [p for m in messages for p in m.parts if isinstance(p, PaperCard)]
    assert [c.rank for c in shown] == list(range(1, 26))


def test_a_card_is_bounded_after_escaping_and_drops_links_too_long_to_send_whole() -> None:
    embed = render_reply(Reply((PaperCard(MARKDOWN, rank=1),))).embeds[0]
    assert len(embed.title or "") <= 256
    assert (embed.title or "").startswith("1. \\*\\*")
    description = embed.description or ""
    assert len(description) <= 4096
    assert "(https://example.org/%C3%A9" in description  # the project page fits
    assert "[GitHub]" not in description  # 380 characters encoded: left out, not cut
    assert embed.thumbnail.url is None
    assert "[Hugging Face](https://huggingface.co/papers/2606.00001)" in description


def test_digest_limits_put_each_paper_in_a_message_of_its_own() -> None:
    reply = Reply((Heading("Daily digest"), *(PaperCard(paper(i), rank=i) for i in range(1, 4))))
    messages = split_reply(reply, DIGEST_LIMITS)
    assert [len(m.papers) for m in messages] == [0, 1, 1, 1]


def test_text_too_long_for_content_goes_into_an_embed() -> None:
    rendered = render_reply(Reply((Text("a" * 3000),)))
    assert rendered.content == ""
    assert len(rendered.embeds) == 1
    assert (rendered.embeds[0].description or "").startswith("a" * 100)


def test_a_voter_list_shows_the_emoji_each_reaction_voted_with() -> None:
    at = datetime(2026, 6, 12, 9, tzinfo=UTC)
    voters = (
        Voter("1", 1, "reaction", "🎉", "20", at),
        Voter("2", 1, "reaction", "party_parrot", "20", at),  # a custom emoji: its name
        Voter("3", -1, "button", None, "20", at),
    )
    content = render_reply(Reply((VoterList(paper(), voters),))).content
    assert "👍 <@1> · reaction 🎉 · <t:" in content
    assert "👍 <@2> · reaction party\\_parrot · <t:" in content
    assert "👎 <@3> · button · <t:" in content


def test_a_person_from_another_platform_is_named_not_mentioned() -> None:
    content = render_reply(Reply((Text((Person("U0_slack"), " and ", Person("42"))),))).content
    assert content == "\\@U0\\_slack and <@42>"
