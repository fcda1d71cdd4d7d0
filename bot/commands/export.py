"""``export bibtex [reading [team] | top [week|month|all]]``: papers as BibTeX, in the chat.

The asker's reading list (or the team's) or the team's top voted papers, written by
``bot.bibtex`` as ``paperbot export reading`` writes them. A short bibliography comes as a code
block to copy; a longer one as a ``.bib`` file (``Attachment``), which each platform posts as it
can (docs/architecture.md, "Attachments"). The answer is public, like ``reading team`` and ``top``:
it is asked for in the channel, to share.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.bibtex import bibliography
from bot.commands.spec import Command, Context, Option
from bot.commands.votes import TOP_COUNT, TOP_WINDOWS
from bot.model import Invocation, Paper
from bot.reply import Attachment, Code, Part, Reply, Text, plural
from bot.usage import UsageError
from storage.papers import get_papers
from storage.reading import open_entries
from storage.votes import leaderboard

FORMATS = ("bibtex",)
SOURCES = ("reading", "top")
SCOPES = ("team", "week", "month", "all")  # "reading mine" works too: it is the default
INLINE_MAX = 1_500  # characters of BibTeX shown as a code block; longer ones are a file
BIBTEX_TYPE = "application/x-bibtex"


def parse_export(args: str) -> tuple[str, str]:
    """``bibtex [reading [mine|team] | top [week|month|all]]`` -> (source, scope): the scope is
    ``mine``/``team`` for a reading list, a ``top`` window otherwise."""
    words = args.lower().split()
    if not words or words[0] not in FORMATS:
        raise UsageError("Say the format: export bibtex, export bibtex top week.")
    source = words[1] if len(words) > 1 else "reading"
    rest = words[2:]
    if source == "reading" and len(rest) <= 1 and set(rest) <= {"mine", "team"}:
        return source, rest[0] if rest else "mine"
    if source == "top" and len(rest) <= 1 and set(rest) <= set(TOP_WINDOWS):
        return source, rest[0] if rest else "week"
    raise UsageError("Export your reading list (reading, or reading team) or top week|month|all.")


def chosen_papers(
    session: Session, who: Invocation, source: str, scope: str, now: datetime
) -> tuple[list[Paper], str]:
    """The papers to export, in their list's order, and what they are ("your reading list")."""
    if source == "reading":
        user = None if scope == "team" else who.user
        entries = open_entries(session, who.platform, who.workspace, user)
        return [e.paper for e in entries], "the team's reading list" if user is None else (
            "your reading list"
        )
    days = TOP_WINDOWS[scope]
    since = now - timedelta(days=days) if days else None
    board = leaderboard(
        session, who.platform, who.workspace, since=since, channel=None, limit=TOP_COUNT
    )
    found = get_papers(session, [e.paper_id for e in board])
    span = {"week": "the last 7 days", "month": "the last 30 days", "all": "all time"}[scope]
    return [found[e.paper_id] for e in board if e.paper_id in found], f"the top voted of {span}"


def bibtex_reply(papers: Sequence[Paper], what: str, filename: str) -> Reply:
    """A code block when short, else a ``.bib`` file with the same text as its preview."""
    if not papers:
        return Reply((Text(f"Nothing to export: {what} has no papers."),))
    text = bibliography(papers)
    said = Text(f"{len(papers)} {plural('paper', len(papers))} of {what} as BibTeX:")
    body: Part
    if len(text) <= INLINE_MAX:
        body = Text((Code(text.rstrip("\n")),))
    else:
        title = f"{what[:1].upper()}{what[1:]} (BibTeX)"
        body = Attachment(filename, text.encode(), BIBTEX_TYPE, title, preview_text=text)
    return Reply((said, body))


async def run_export(ctx: Context, args: str) -> Reply:
    source, scope = parse_export(args)
    who, now = ctx.invocation, ctx.deps.clock()
    filename = f"{source}-{scope}-{now:%Y-%m-%d}.bib"

    def export(session: Session) -> Reply:
        papers, what = chosen_papers(session, who, source, scope, now)
        return bibtex_reply(papers, what, filename)

    return await ctx.deps.db.read(export)


EXPORT = Command(
    name="export",
    usage="export bibtex [reading [team] | top [week|month|all]]",
    summary="BibTeX of reading lists or the top voted papers",
    handler=run_export,
    examples=("export bibtex", "export bibtex reading team", "export bibtex top week"),
    options=(
        Option("format", "The format to write", choices=FORMATS, required=True),
        Option("papers", "Which papers (default: your reading list)", choices=SOURCES),
        Option("scope", "reading: team (default: yours); top: week, month or all", choices=SCOPES),
    ),
)
