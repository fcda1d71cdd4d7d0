"""The wording every platform's card shares: one upvote, two upvotes; one comment, two comments."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from adapters.console.render import render_reply as console_render
from adapters.discord.render import render_reply as discord_render
from adapters.slack.render import render_reply as slack_render
from bot.reply import PaperCard, Reply, paper_facts, plural
from loopback.ports import make_paper

ONE_VOTE = Reply((PaperCard(make_paper("2606.00001", "One vote", upvotes=1)),))


@pytest.mark.parametrize(("count", "word"), [(0, "upvotes"), (1, "upvote"), (2, "upvotes")])
def test_a_count_of_one_is_singular(count: int, word: str) -> None:
    assert plural("upvote", count) == word


def test_one_comment_is_one_comment() -> None:
    assert paper_facts(make_paper("2606.00001", "T", num_comments=1))[0] == "1 comment"


def test_a_slack_card_says_one_upvote_for_one() -> None:
    section = slack_render(ONE_VOTE).blocks[0]["text"]["text"]
    assert "▲ 1 HF upvote\n" in section


def test_a_discord_card_says_one_upvote_for_one() -> None:
    [embed] = discord_render(ONE_VOTE).send_kwargs()["embeds"]  # type: ignore[misc]
    assert "▲ **1** upvote on Hugging Face" in embed.description


def test_a_console_card_says_one_upvote_for_one() -> None:
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    for renderable in console_render(ONE_VOTE):
        console.print(renderable)
    [stats] = [line for line in out.getvalue().splitlines() if "▲" in line]
    assert stats.strip("│ ") == "▲ 1 upvote"
