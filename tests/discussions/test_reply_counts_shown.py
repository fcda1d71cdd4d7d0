"""A card shows its thread's reply count on every platform once there is one, never before."""

from __future__ import annotations

import io

from rich.console import Console

from adapters.console.render import render_card as console_card
from adapters.discord.render import card_footer
from adapters.slack.render import render_card as slack_card
from bot.model import Tally
from bot.reply import PaperCard, plural
from loopback.ports import make_paper

PAPER = make_paper("2606.00001", "Linear attention at scale")


def console_text(card: PaperCard) -> str:
    screen = Console(file=io.StringIO(), width=120, color_system=None)
    screen.print(console_card(card))
    return screen.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def slack_text(card: PaperCard) -> str:
    """The card's text without its buttons (Discuss wears a 💬 too)."""
    return str([block for block in slack_card(card) if block["type"] != "actions"])


def test_replies_are_pluralised_like_any_noun() -> None:
    assert [plural("reply", n) for n in (0, 1, 2)] == ["replies", "reply", "replies"]
    assert plural("upvote", 2) == "upvotes"
    assert plural("day", 2) == "days"


def test_every_renderer_shows_a_counted_thread_and_nothing_otherwise() -> None:
    counted = PaperCard(PAPER, rank=1, tally=Tally(2, 0), replies=3)
    uncounted = PaperCard(PAPER, rank=1, tally=Tally(2, 0))
    for render in (card_footer, slack_text, console_text):
        assert "💬 3 replies" in render(counted)
        assert "replies" not in render(uncounted)
        assert "💬 " not in render(uncounted).replace("💬 Discuss", "")
    assert "💬 1 reply" in card_footer(PaperCard(PAPER, replies=1))
