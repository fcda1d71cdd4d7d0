"""``paper``: one paper by arXiv id or link, from the catalog or else from Hugging Face, with a
link to the channel's discussion thread when it has one."""

from __future__ import annotations

from sqlmodel import Session

from bot.cards import paper_cards
from bot.commands.hub_section import hub_section
from bot.commands.spec import Command, Context, Option
from bot.discussions import thread_line
from bot.model import Paper
from bot.paper_ids import parse_paper_ref
from bot.paper_lookup import lookup_paper
from bot.reply import Link, Outcome, Part, Reply, Text
from bot.sources.errors import PaperNotFound, SourceError
from bot.usage import UsageError
from storage.discussions import thread_of

PAPER_OPTION = Option(
    "paper", "arXiv id, huggingface.co/papers/… or arxiv.org link", required=True, low=1, high=200
)


async def find_paper(ctx: Context, ref: str) -> Paper | Reply:
    """The paper ``ref`` names, from the catalog or else fetched from Hugging Face and stored;
    a reply saying why when there is none. ``UsageError`` when ``ref`` names no paper at all."""
    ref = ref.strip()
    if not ref:
        raise UsageError("Which paper? Give an arXiv id or a Hugging Face or arXiv link.")
    paper_id = parse_paper_ref(ref)
    if paper_id is None:
        raise UsageError(f"{ref[:60]!r} is not an arXiv id or a paper link.")

    try:
        return await lookup_paper(ctx.deps, paper_id, ctx.progress)
    except PaperNotFound:
        return Reply(
            (
                Text(f"Hugging Face does not list {paper_id}.", "error"),
                Text(
                    ("It may still be on arXiv: ", Link(f"https://arxiv.org/abs/{paper_id}")),
                    "muted",
                ),
            ),
            outcome=Outcome.NOT_FOUND,
            private=True,
        )
    except SourceError as error:
        return Reply(
            (Text(f"Could not fetch {paper_id}: {error}", "error"),),
            outcome=Outcome.UNAVAILABLE,
            private=True,
        )


async def run_paper(ctx: Context, args: str) -> Reply:
    """The paper's card, then what cites it on the Hub: left out when the Hub does not answer
    (the card is what was asked for; the guarded source keeps an outage to one slow answer)."""
    found = await find_paper(ctx, args)
    if isinstance(found, Reply):
        return found
    paper = found

    def cards_here(session: Session) -> tuple[Part, ...]:
        """The card, and where this channel discusses the paper when it does."""
        cards = paper_cards(session, ctx.invocation, [paper], ranked=False)
        thread = thread_of(session, ctx.channel, paper.id)
        return cards if thread is None else (*cards, thread_line(thread))

    shown = await ctx.deps.db.read(cards_here)
    try:
        hub = hub_section(await ctx.deps.source.hub_citations(paper.id))
    except SourceError:
        hub = ()
    return Reply((*shown, *hub))


PAPER = Command(
    name="paper",
    usage="paper <arXiv id | huggingface.co/papers/… link | arxiv.org link>",
    summary="one paper by arXiv id or link, with what cites it on the Hugging Face Hub",
    handler=run_paper,
    examples=("paper 2406.12345", "paper https://huggingface.co/papers/2406.12345"),
    options=(PAPER_OPTION,),
)
