"""``similar``: the papers of the catalog most like one paper (a card's "Similar" runs it too)."""

from __future__ import annotations

from sqlmodel import Session

from bot.cards import paper_cards
from bot.commands.paper import PAPER_OPTION, find_paper
from bot.commands.spec import Command, Context
from bot.commands.trending import COUNT_OPTION, MAX_COUNT, is_count, parse_count
from bot.reply import Heading, Reply, Text
from bot.usage import UsageError
from storage.similar import similar_papers

DEFAULT_COUNT = 5


def parse_args(args: str) -> tuple[str, int]:
    """``<paper> [N]``: the paper's reference and how many to show."""
    words = args.split()
    count = DEFAULT_COUNT
    if len(words) == 2 and is_count(words[1]):
        count = parse_count(words[1])
        words = words[:1]
    if len(words) > 1:
        raise UsageError("Give one paper, and at most one number: how many to show.")
    return (words[0] if words else ""), count


async def run_similar(ctx: Context, args: str) -> Reply:
    ref, count = parse_args(args)
    found = await find_paper(ctx, ref)
    if isinstance(found, Reply):
        return found
    paper = found
    index = ctx.deps.db.search_index

    def answer(session: Session) -> Reply:
        alike = [p for p, _ in similar_papers(session, index, paper, count)]
        heading = Heading(f"Papers like “{paper.title}” ({paper.id})")
        if not alike:
            return Reply((heading, Text("The catalog has no paper like it yet.", "muted")))
        return Reply((heading, *paper_cards(session, ctx.invocation, alike)))

    return await ctx.deps.db.read(answer)


SIMILAR = Command(
    name="similar",
    usage=f"similar <arXiv id | huggingface.co/papers/… link | arxiv.org link> [1-{MAX_COUNT}]",
    summary="the papers of the catalog most like one paper",
    handler=run_similar,
    examples=("similar 2406.12345", "similar https://huggingface.co/papers/2406.12345 10"),
    options=(
        PAPER_OPTION,
        COUNT_OPTION,
    ),
)
