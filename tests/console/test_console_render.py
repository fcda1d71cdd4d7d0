"""The console renderer prints every span literally: markup in user text is never interpreted."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from rich.console import Console

from adapters.console.render import render_reply
from bot.model import Tally, Voter
from bot.reply import (
    Attachment,
    Code,
    Heading,
    Link,
    PaperCard,
    Person,
    Reply,
    Text,
    VoterList,
)
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
    labelled = Text(("See ", Link("https://x.y", "the page")))
    assert "See the page https://x.y" in printed(Reply((labelled,)))


def test_a_voter_list_shows_the_emoji_each_reaction_voted_with() -> None:
    at = datetime(2026, 6, 12, 9, tzinfo=UTC)
    voters = (
        Voter("U1", 1, "reaction", "❤️", "C1", at),
        Voter("U2", 1, "reaction", "partyparrot", "C1", at),  # a custom emoji: its name
    )
    out = printed(Reply((VoterList(make_paper("2606.00001", "P"), voters),)))
    assert "@U1  reaction ❤️, 2026-06-12 09:00 UTC" in out
    assert "@U2  reaction :partyparrot:, 2026-06-12 09:00 UTC" in out


def card_lines(card: PaperCard) -> list[str]:
    """The card's panel as printed, its border stripped."""
    lines = printed(Reply((card,))).splitlines()
    return [line.strip("│ ").rstrip() for line in lines[1:-1]]


def test_a_card_shows_the_paper_its_links_and_how_to_vote_on_it_by_rank() -> None:
    paper = make_paper(
        "2606.00467",
        "Linear   attention",
        authors=tuple(f"A{n}" for n in range(8)),
        upvotes=1,
        summary="An  abstract\nover lines.",
        ai_keywords=tuple(f"k{n}" for n in range(10)),
        github_repo="https://github.com/a/b",
        project_page="https://a.io",
        submitted_by="ada",
    )
    out = printed(Reply((PaperCard(paper, rank=2, tally=Tally(3, 1)),)))
    first = out.splitlines()[0]
    assert "2. 2606.00467" in first  # the panel's title: what "vote 2 up" refers to
    lines = card_lines(PaperCard(paper, rank=2, tally=Tally(3, 1)))
    assert lines[:4] == [
        "Linear attention",
        "A0, A1, A2, A3, A4, A5 and 2 more",
        "Submitted by ada",
        "▲ 1 upvote · ★ 0 on GitHub",
    ]
    assert "An abstract over lines." in lines
    assert "k0 · k1 · k2 · k3 · k4 · k5 · k6 · k7" in lines
    assert (
        "https://huggingface.co/papers/2606.00467  https://arxiv.org/abs/2606.00467  "
        "https://github.com/a/b  https://a.io" in lines
    )
    assert lines[-1] == "👍 3  👎 1   vote 2 up · vote 2 down · save 2 · discuss 2 · similar 2"


def test_an_unranked_card_is_titled_by_its_id_and_a_closed_one_has_no_tally() -> None:
    paper = make_paper("2606.00001", "P", ai_summary="Short.", summary="Long abstract.")
    out = printed(Reply((PaperCard(paper, tally=Tally(1, 0)),)))
    assert "─ 2606.00001 ─" in out.splitlines()[0]
    lines = card_lines(PaperCard(paper, tally=Tally(1, 0)))
    assert "Short." in lines
    assert "Long abstract." not in "\n".join(lines)
    assert lines[-1] == "👍 1  👎 0"
    closed = card_lines(PaperCard(paper, rank=1, votable=False))
    assert not any("👍" in line for line in closed)


def test_a_long_title_and_abstract_are_shortened_with_an_ellipsis() -> None:
    paper = make_paper("2606.00002", "T" * 301, summary="word " * 200)
    text = "\n".join(card_lines(PaperCard(paper)))
    assert "T" * 299 + "…" in text.replace("\n", "")
    assert "word word…" in text
    exact = make_paper("2606.00003", "T" * 300, summary="")
    assert "T" * 300 in "".join(card_lines(PaperCard(exact)))
    at_a_space = make_paper("2606.00004", "P", summary="x" * 398 + " " + "y" * 9)
    assert "x" * 398 + "…" in "".join(card_lines(PaperCard(at_a_space)))


def test_each_voter_is_marked_with_the_way_they_voted() -> None:
    at = datetime(2026, 6, 12, 9, tzinfo=UTC)
    voters = (Voter("U1", 1, "button", None, "C1", at), Voter("U2", -1, "button", None, "C1", at))
    out = printed(Reply((VoterList(make_paper("2606.00001", "P"), voters),))).splitlines()
    assert out == [
        "👍 @U1  button, 2026-06-12 09:00 UTC",
        "👎 @U2  button, 2026-06-12 09:00 UTC",
        "",
    ]


def test_on_a_colour_terminal_an_error_is_red_a_note_dim_and_a_heading_bold() -> None:
    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=True, color_system="standard")
    reply = Reply((Heading("Top"), Text("fine"), Text("quiet", "muted"), Text("broken", "error")))
    for renderable in render_reply(reply):
        console.print(renderable)
    assert out.getvalue().splitlines() == [
        "\x1b[1;36mTop\x1b[0m",
        "fine",
        "\x1b[2mquiet\x1b[0m",
        "\x1b[1;31mbroken\x1b[0m",
    ]


def test_a_file_in_a_reply_is_named_with_its_title_and_size() -> None:
    chart = Attachment("votes.png", b"\x89PNG" + bytes(2044), "image/png", "Votes per day")
    assert "📎 Votes per day  votes.png, 2.0 KB" in printed(Reply((chart,)))
