"""Discuss: the first click in a channel opens the paper's thread there; later clicks, from any
message showing that paper in that channel, point to the same thread.

The claim in storage (``storage/discussions.py``) comes before the platform call, so two clicks
at once open one thread; a failed opening releases it for the next click.
"""

from __future__ import annotations

from typing import Protocol

from bot.card_actions import CardClick
from bot.deps import Deps
from bot.model import Paper
from bot.reply import Link, Outcome, PaperCard, Reply, Span, Text, text_reply
from storage.discussions import Opening, Thread, claim_thread, release_claim, thread_opened
from storage.papers import get_paper

NO_THREAD_HERE = (
    "I cannot open a thread in this channel: I may not post here (invite me to the channel, or "
    "give me the permission to create threads)."
)


class ThreadRefused(Exception):
    """The platform will not let the bot open or write the thread here (not in the channel,
    no permission): the clicker is told so, and the next click tries again."""


class ThreadOpener(Protocol):
    """The adapter's side: open a thread on one of the bot's messages in the click's channel."""

    async def open_thread(self, message_ref: str, name: str, first: Reply) -> Thread:
        """Open a thread on message ``message_ref``, named ``name`` where the platform names
        threads, starting with ``first``; its reference and link. Raises ``ThreadRefused`` when
        the platform refuses it for want of access."""
        ...


async def discuss(deps: Deps, click: CardClick, opener: ThreadOpener) -> Reply:
    """Open the paper's thread in the click's channel, or point to the one already there."""
    paper = await deps.db.read(lambda s: get_paper(s, click.paper_id))
    if paper is None:
        return text_reply(
            f"{click.paper_id} is not in the catalog.", outcome=Outcome.NOT_FOUND, private=True
        )
    where, now = click.where, deps.clock()
    claim = await deps.db.write(lambda s: claim_thread(s, where, paper.id, click.user, now))
    if isinstance(claim, Thread):
        return _pointer(f"“{paper.title}” is discussed here already: ", claim)
    if isinstance(claim, Opening):
        return text_reply(
            f"A thread for “{paper.title}” is being opened right now; click again in a moment.",
            private=True,
        )
    if click.message_ref is None:  # a card only the clicker sees: nothing to thread on
        await deps.db.write(lambda s: release_claim(s, where, paper.id))
        return text_reply(
            "Threads open from cards posted in the channel; this one is only visible to you.",
            outcome=Outcome.USAGE,
            private=True,
        )
    try:
        thread = await opener.open_thread(click.message_ref, paper.title, thread_start(paper))
    except ThreadRefused:
        await deps.db.write(lambda s: release_claim(s, where, paper.id))
        return text_reply(NO_THREAD_HERE, outcome=Outcome.UNAVAILABLE, private=True)
    except Exception:  # a stop's cancellation leaves the claim to expire
        await deps.db.write(lambda s: release_claim(s, where, paper.id))
        raise
    opened_from = click.message_ref
    await deps.db.write(lambda s: thread_opened(s, where, paper.id, thread, opened_from))
    return _pointer(f"Opened a thread to discuss “{paper.title}”: ", thread)


def thread_start(paper: Paper) -> Reply:
    """The thread's first message: what the paper is about, and its links."""
    return Reply(
        (Text("What do you make of this paper?", "muted"), PaperCard(paper, votable=False))
    )


def thread_line(thread: Thread) -> Text:
    """A line for ``paper``'s answer in a channel that discusses the paper."""
    return Text(("💬 This channel discusses it: ", *_where(thread)), "muted")


def _pointer(said: str, thread: Thread) -> Reply:
    return Reply((Text((said, *_where(thread))),), private=True)


def _where(thread: Thread) -> tuple[Span, ...]:
    if thread.url:
        return (Link(thread.url, "open the thread"),)
    return (f"the thread {thread.ref}.",)
