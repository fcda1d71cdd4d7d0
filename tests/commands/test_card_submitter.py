"""A card shows who submitted the paper to Daily Papers and for which organization, as Hugging
Face's paper page does, on every platform; a paper without them (the bundled sample) says
nothing."""

from __future__ import annotations

import io

from rich.console import Console

from adapters.console.render import render_reply as console_render
from adapters.discord.render import render_reply as discord_render
from adapters.slack.render import render_reply as slack_render
from bot.reply import MAX_OWNER_NAME, PaperCard, Reply, submission_line
from loopback.ports import make_paper

SUBMITTED = make_paper(
    "2606.00467",
    "Mind the gap",
    authors=("Rafal Kocielnik",),
    organization="caltech",
    organization_name="California institute of technology",
    submitted_by="RKocielnik",
    submitted_by_name="Rafal <Kocielnik>",
)
LINE = "Organization: California institute of technology · submitted by Rafal <Kocielnik>"


def test_the_line_names_the_organization_and_the_submitter() -> None:
    assert submission_line(SUBMITTED) == LINE


def test_a_submitter_alone_or_neither_is_said_plainly() -> None:
    alone = make_paper("1", "T", submitted_by="ak")
    assert submission_line(alone) == "Submitted by ak"
    assert submission_line(make_paper("1", "T")) is None


def test_a_long_name_is_cut() -> None:
    long = make_paper("1", "T", organization_name="x" * 300)
    line = submission_line(long)
    assert line is not None
    assert line.endswith("…")
    assert len(line) == len("Organization: ") + MAX_OWNER_NAME


def test_slack_discord_and_the_console_show_it_escaped_for_each() -> None:
    reply = Reply((PaperCard(SUBMITTED),))
    section = slack_render(reply).blocks[0]["text"]["text"]
    assert "submitted by Rafal &lt;Kocielnik&gt;" in section
    [embed] = discord_render(reply).send_kwargs()["embeds"]  # type: ignore[misc]
    assert "-# Organization: California institute of technology · submitted by Rafal" in (
        embed.description
    )
    out = io.StringIO()
    for renderable in console_render(reply):
        Console(file=out, width=200, color_system=None).print(renderable)
    assert LINE in out.getvalue()


def test_a_card_without_them_has_no_such_line() -> None:
    reply = Reply((PaperCard(make_paper("1", "Plain")),))
    assert "ubmitted" not in slack_render(reply).blocks[0]["text"]["text"]
