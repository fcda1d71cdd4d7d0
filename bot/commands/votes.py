"""``top`` (the team's leaderboard) and ``votes <paper>`` (who voted, and how)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from bot.commands.paper import PAPER_OPTION
from bot.commands.spec import Command, Context, Option
from bot.paper_ids import parse_paper_ref
from bot.reply import Heading, Outcome, PaperCard, Part, Reply, Text, VoterList
from bot.usage import UsageError
from storage.papers import get_paper, get_papers
from storage.votes import leaderboard, voters

TOP_WINDOWS = {"week": 7, "month": 30, "all": None}
TOP_COUNT = 10


def parse_top_args(args: str) -> tuple[str, bool]:
    window, channel_only = "week", False
    for word in args.lower().split():
        if word in TOP_WINDOWS:
            window = word
        elif word == "channel":
            channel_only = True
        else:
            raise UsageError(f"{word[:30]!r} is not week, month, all or channel.")
    return window, channel_only


async def run_top(ctx: Context, args: str) -> Reply:
    window, channel_only = parse_top_args(args)
    days = TOP_WINDOWS[window]
    since = ctx.deps.clock() - timedelta(days=days) if days else None
    who = ctx.invocation

    def board(session: Session) -> Reply:
        entries = leaderboard(
            session,
            who.platform,
            who.workspace,
            since=since,
            channel=who.channel if channel_only else None,
            limit=TOP_COUNT,
        )
        scope = "this channel" if channel_only else "this workspace"
        span = {"week": "the last 7 days", "month": "the last 30 days", "all": "all time"}[window]
        if not entries:
            return Reply(
                (
                    Text(f"No votes in {scope} over {span} yet."),
                    Text("Vote with the 👍/👎 buttons on any paper card, or react to it.", "muted"),
                )
            )
        papers = get_papers(session, [e.paper_id for e in entries])
        parts: list[Part] = [Heading(f"Team leaderboard, {scope}, {span}")]
        for rank, entry in enumerate(entries, start=1):
            paper = papers.get(entry.paper_id)
            if paper is None:
                continue
            t = entry.tally
            voters_text = _voters(t.up + t.down)
            parts.append(
                Text(f"{rank}. score {t.score:+d} · 👍 {t.up} · 👎 {t.down} · {voters_text}")
            )
            parts.append(PaperCard(paper, rank=rank, tally=t))
        return Reply(tuple(parts))

    return await ctx.deps.db.read(board)


async def run_votes(ctx: Context, args: str) -> Reply:
    paper_id = parse_paper_ref(args.strip()) if args.strip() else None
    if paper_id is None:
        raise UsageError("Which paper? Give an arXiv id or a paper link.")
    who = ctx.invocation

    def listing(session: Session) -> Reply:
        paper = get_paper(session, paper_id)
        if paper is None:
            return Reply(
                (Text(f"{paper_id} is not in the catalog, so nobody has voted on it.", "error"),),
                outcome=Outcome.NOT_FOUND,
                private=True,
            )
        found = tuple(voters(session, who.platform, who.workspace, paper_id))
        heading = Heading(f"Votes on {paper.title}")
        if not found:
            return Reply((heading, Text("Nobody has voted on it yet.", "muted")))
        up = sum(1 for v in found if v.value > 0)
        summary = Text(f"👍 {up} · 👎 {len(found) - up}")
        return Reply((heading, summary, VoterList(paper, found)))

    return await ctx.deps.db.read(listing)


TOP = Command(
    name="top",
    usage="top [week|month|all] [channel]",
    summary="the team's most upvoted papers (this workspace, or only this channel)",
    handler=run_top,
    examples=("top", "top month channel"),
    options=(
        Option("window", "Votes of the last week, month, or all time", choices=tuple(TOP_WINDOWS)),
        Option("channel_only", "Only votes cast in this channel", "flag", written="channel"),
    ),
)

VOTES = Command(
    name="votes",
    usage="votes <arXiv id | paper link>",
    summary="who voted on a paper, and how",
    handler=run_votes,
    examples=("votes 2406.12345",),
    options=(PAPER_OPTION,),
)


def _voters(count: int) -> str:
    return f"{count} voter" if count == 1 else f"{count} voters"
