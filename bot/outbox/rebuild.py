"""Rebuild a sent message whole, with current tallies and reply counts, from its recorded
layout."""

from __future__ import annotations

from sqlmodel import Session

from bot.model import Channel, Tally
from bot.outbox.layout import card_ids, decode_layout, decode_spans
from bot.reply import Heading, PaperCard, Part, Reply, Text, VoterList
from storage.discussions import reply_counts
from storage.papers import get_papers
from storage.posted_messages import layout_of_message
from storage.votes import tallies, voters


def rebuild_message(session: Session, channel: Channel, message_ref: str) -> Reply | None:
    """The message as it would be sent now, or None when paperbot has no record of it.

    A paper removed from the catalog since is left out rather than shown empty.
    """
    raw = layout_of_message(session, channel, message_ref)
    if raw is None:
        return None
    layout = decode_layout(raw)
    ids = card_ids(layout)
    papers = get_papers(session, ids)
    counts = tallies(session, channel.platform, channel.workspace, ids)
    replies = reply_counts(session, channel, ids)
    parts: list[Part] = []
    for entry in layout:
        if "heading" in entry:
            parts.append(Heading(decode_spans(entry["heading"])))
        elif "text" in entry:
            parts.append(Text(decode_spans(entry["text"]), entry.get("tone", "plain")))
        elif (paper := papers.get(str(entry.get("card") or entry.get("voters")))) is None:
            continue
        elif "card" in entry:
            tally = counts.get(paper.id, Tally())
            votable = bool(entry.get("votable"))
            parts.append(PaperCard(paper, entry.get("rank"), tally, votable, replies.get(paper.id)))
        else:
            found = voters(session, channel.platform, channel.workspace, paper.id)
            parts.append(VoterList(paper, tuple(found)))
    return Reply(tuple(parts))
