"""The console renderer prints every span literally: markup in user text is never interpreted."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from rich.console import Console

from adapters.console.render import render_reply
from bot.model import Voter
from bot.reply import Code, Heading, Link, Person, Reply, Text, VoterList
from loopback.ports import make_paper

HOSTILE = "*bold* _x_ <@U1> `code` ~s~ &amp; [/x] [red]"


def printed(reply: Reply) -> str:
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    for renderable in render_reply(reply):
        console.print(renderable)
    return out.getvalue()


def test_user_text_in_any_part_is_printed_exactly_as_typed() -> None:
    out = printed(Reply((Heading(f"Search: {HOSTILE}"), Text(HOSTILE, "error"))))
    assert out.count(HOSTILE) == 2


def test_code_person_and_link_spans_are_printed_as_what_they_are() -> None:
    text = Text(
        ("Run ", Code("paperbot ingest"), ", ask ", Person("U1"), " or see ", Link("https://x.y"))
    )
    assert "Run paperbot ingest, ask @U1 or see https://x.y" in printed(Reply((text,)))


def test_a_voter_list_shows_the_emoji_each_reaction_voted_with() -> None:
    at = datetime(2026, 6, 12, 9, tzinfo=UTC)
    voters = (
        Voter("U1", 1, "reaction", "❤️", "C1", at),
        Voter("U2", 1, "reaction", "partyparrot", "C1", at),  # a custom emoji: its name
    )
    out = printed(Reply((VoterList(make_paper("2606.00001", "P"), voters),)))
    assert "@U1  reaction ❤️, 2026-06-12 09:00 UTC" in out
    assert "@U2  reaction :partyparrot:, 2026-06-12 09:00 UTC" in out
