"""Neutral reply -> rich renderables. Pure: the caller decides where they are printed.

Everything is built as ``rich.text.Text`` pieces, never parsed as console markup, so a query or a
title containing ``[/x]`` or ``*bold*`` is shown exactly as typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import assert_never

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text as RichText

from bot.reply import (
    Attachment,
    Code,
    Heading,
    Link,
    Outcome,
    PaperCard,
    Part,
    Person,
    Reply,
    Span,
    Text,
    VoterList,
    authors_line,
    how_voted,
    paper_facts,
    plural,
    replies_line,
    size_label,
    submission_line,
)

MAX_AUTHORS = 6
MAX_ABSTRACT = 400


def render_reply(reply: Reply) -> list[RenderableType]:
    return [render_part(part, reply.outcome) for part in reply.parts]


def render_part(part: Part, outcome: Outcome = Outcome.OK) -> RenderableType:
    match part:
        case Heading(spans=spans):
            return render_spans(spans, "bold cyan")
        case Text(spans=spans, tone=tone):
            return render_spans(spans, {"plain": "", "muted": "dim", "error": "bold red"}[tone])
        case PaperCard():
            return render_card(part)
        case VoterList():
            return render_voters(part)
        case Attachment():
            return render_file(part)
        case _:
            assert_never(part)


def render_file(file: Attachment) -> RichText:
    """A file not saved (``render_reply`` alone): its title, name and size."""
    text = RichText("📎 ", style="bold")
    text.append(file.title, style="bold")
    text.append(f"  {file.filename}, {size_label(file.size)}", style="dim")
    return text


def render_saved(file: Attachment, path: Path) -> RichText:
    """A file the chat saved: what it is, and the path to open it at."""
    text = render_file(file)
    text.append("\nsaved to ", style="dim")
    text.append(str(path), style="blue")
    return text


def render_spans(spans: tuple[Span, ...], style: str = "") -> RichText:
    text = RichText(style=style)
    for span in spans:
        match span:
            case str():
                text.append(span)
            case Code(text=code):
                text.append(code, style="bold")
            case Person(user_id=user_id):
                text.append(f"@{user_id}", style="cyan")
            case Link(url=url, label=label):
                text.append(f"{label} " if label else "")
                text.append(url, style="blue underline")
            case _:
                assert_never(span)
    return text


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_card(card: PaperCard) -> Panel:
    paper = card.paper
    body = RichText(_shorten(paper.title, 300) + "\n", style="bold")
    if paper.authors:
        body.append(authors_line(paper.authors, MAX_AUTHORS) + "\n", style="italic")
    if submitted := submission_line(paper):
        body.append(submitted + "\n", style="dim")
    stats = " · ".join(
        (f"▲ {paper.upvotes} {plural('upvote', paper.upvotes)}", *paper_facts(paper))
    )
    body.append(stats + "\n", style="yellow")
    summary = paper.ai_summary or _shorten(paper.summary, MAX_ABSTRACT)
    if summary:
        body.append("\n" + summary + "\n")
    if paper.ai_keywords:
        body.append("\n" + " · ".join(paper.ai_keywords[:8]) + "\n", style="dim")
    body.append("\n")
    links = [paper.hf_url, paper.arxiv_url]
    links += [link for link in (paper.github_repo, paper.project_page) if link]
    body.append("  ".join(links), style="blue")
    if card.votable:
        tally = card.tally
        body.append(f"\n👍 {tally.up}  👎 {tally.down}", style="bold")
        if replies := replies_line(card):
            body.append(f"  {replies}", style="bold")
        if card.rank is not None:
            n = card.rank
            body.append(
                f"   vote {n} up · vote {n} down · save {n} · discuss {n} · similar {n}",
                style="dim",
            )
    title = f"{card.rank}. {paper.id}" if card.rank is not None else paper.id
    return Panel(Group(body), title=title, title_align="left", expand=True)


def render_voters(part: VoterList) -> RichText:
    text = RichText()
    for voter in part.voters:
        mark = "👍" if voter.value > 0 else "👎"
        how = how_voted(voter)
        text.append(f"{mark} @{voter.user_id}", style="bold")
        text.append(f"  {how}, {voter.at:%Y-%m-%d %H:%M} UTC\n", style="dim")
    return text
