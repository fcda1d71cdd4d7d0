"""``save``, ``reading`` and ``done``: a reading list per person, and the team's together.

Saving and marking done answer only the person who asked; the team's list is a reply with cards
like any other, each paper with who saved it, oldest first.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.cards import paper_cards
from bot.commands.paper import PAPER_OPTION, find_paper
from bot.commands.spec import Command, Context, Option
from bot.paper_ids import parse_paper_ref
from bot.reply import Code, Heading, Outcome, Part, Person, Reply, Span, Text, text_reply
from bot.usage import UsageError
from storage.reading import Done, Reader, Saved, mark_done, open_entries, save_paper

MAX_SHOWN = 20
WHOSE = ("mine", "team")


def reader_of(ctx: Context) -> Reader:
    who = ctx.invocation
    return Reader(who.platform, who.workspace, who.user)


async def run_save(ctx: Context, args: str) -> Reply:
    found = await find_paper(ctx, args)
    if isinstance(found, Reply):
        return found
    paper, reader, now = found, reader_of(ctx), ctx.deps.clock()
    saved = await ctx.deps.db.write(
        lambda s: save_paper(s, reader, paper.id, ctx.invocation.channel, now)
    )
    where = {
        Saved.NEW: "is on your reading list now",
        Saved.ALREADY: "was already on your reading list",
        Saved.REOPENED: "is back on your reading list",
    }[saved]
    return Reply(
        (
            Text(f"{paper.title} ({paper.id}) {where}.", "plain"),
            Text(
                (Code("reading"), " shows it; ", Code(f"done {paper.id}"), " takes it off."),
                "muted",
            ),
        ),
        private=True,
    )


async def run_done(ctx: Context, args: str) -> Reply:
    ref = args.strip()
    paper_id = parse_paper_ref(ref) if ref else None
    if paper_id is None:
        raise UsageError("Which paper have you read? Give its arXiv id or link.")
    reader, now = reader_of(ctx), ctx.deps.clock()
    done = await ctx.deps.db.write(lambda s: mark_done(s, reader, paper_id, now))
    if done is Done.NOT_SAVED:
        return text_reply(
            f"{paper_id} is not on your reading list.", outcome=Outcome.NOT_FOUND, private=True
        )
    said = "Marked" if done is Done.DONE else "Already marked"
    return text_reply(f"{said} {paper_id} as read; it is off the reading lists.", private=True)


async def run_reading(ctx: Context, args: str) -> Reply:
    words = args.lower().split()
    if len(words) > 1 or (words and words[0] not in WHOSE):
        raise UsageError("Say whose list: `reading mine` or `reading team`.")
    team = words == ["team"]
    who = ctx.invocation
    user = None if team else who.user
    return await ctx.deps.db.read(lambda s: reading_reply(s, ctx, user))


def reading_reply(session: Session, ctx: Context, user: str | None) -> Reply:
    who = ctx.invocation
    entries = open_entries(session, who.platform, who.workspace, user)
    whose = "The team's" if user is None else "Your"
    if not entries:
        return Reply(
            (
                Text(f"{whose} reading list is empty.", "plain"),
                Text((Code("save <paper>"), " adds a paper to yours."), "muted"),
            ),
            private=user is not None,
        )
    shown = entries[:MAX_SHOWN]
    cards = paper_cards(session, who, [entry.paper for entry in shown], ranked=False)
    parts: list[Part] = [Heading(f"{whose} reading list: {len(entries)} to read, oldest first")]
    for entry, card in zip(shown, cards, strict=True):
        if user is None:
            parts.append(Text(_saved_by(entry.savers, f"{entry.saved_at:%d %b}"), "muted"))
        parts.append(card)
    if len(entries) > MAX_SHOWN:
        parts.append(Text(f"…and {len(entries) - MAX_SHOWN} more.", "muted"))
    return Reply(tuple(parts), private=user is not None)


def _saved_by(savers: tuple[str, ...], since: str) -> tuple[Span, ...]:
    spans: list[Span] = ["Saved by "]
    for i, saver in enumerate(savers):
        if i:
            spans.append(", ")
        spans.append(Person(saver))
    spans.append(f", since {since}")
    return tuple(spans)


SAVE = Command(
    name="save",
    usage="save <arXiv id | paper link>",
    summary="put a paper on your reading list",
    handler=run_save,
    examples=("save 2406.12345",),
    options=(PAPER_OPTION,),
)

DONE = Command(
    name="done",
    usage="done <arXiv id | paper link>",
    summary="take a paper you have read off the reading lists",
    handler=run_done,
    examples=("done 2406.12345",),
    options=(PAPER_OPTION,),
)

READING = Command(
    name="reading",
    usage="reading [mine|team]",
    summary="your reading list (privately), or the team's with who saved each paper",
    handler=run_reading,
    examples=("reading", "reading team"),
    options=(Option("whose", "Your list or the team's", choices=WHOSE),),
)
