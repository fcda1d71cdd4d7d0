"""A digest as a neutral reply: a header, a line on the filters, one votable card per paper."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from bot.cards import paper_cards
from bot.digests.window import DigestWindow
from bot.model import Invocation, Paper
from bot.model.digests import DigestSpec, Subscription
from bot.reply import Heading, Part, Reply, Text

BOT_USER = "paperbot"


def filters_line(spec: DigestSpec) -> str:
    team = spec.ranking == "team"
    order = "for this team, most like what it voted up" if team else "by Hugging Face upvotes"
    return " · ".join([f"Top {spec.top_n} {order}", *spec.filters()])


def digest_reply(
    session: Session,
    sub: Subscription,
    window: DigestWindow,
    papers: Sequence[Paper],
    note: str | None = None,
) -> Reply:
    """Cards carry the workspace's current tallies, so the vote buttons show the team's votes."""
    channel = sub.channel
    asker = Invocation(channel.platform, channel.workspace, channel.channel, BOT_USER)
    parts: list[Part] = [Heading(window.title()), Text(filters_line(sub.spec), "muted")]
    if note:
        parts.append(Text(note, "muted"))
    return Reply((*parts, *paper_cards(session, asker, papers)))
