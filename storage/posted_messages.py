"""What each sent message shows: its papers (so a reaction finds its paper) and its layout (so a
vote can rebuild the whole message)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from bot.model import Channel, SentMessage
from storage.db import dialect_insert
from storage.key_lists import keys_in
from storage.tables import POSTED_MESSAGE_TABLE, MessageLayoutRow, PostedMessageRow


def record_posted(
    session: Session, channel: Channel, messages: Sequence[SentMessage], posted_at: datetime
) -> None:
    """Link each message to its papers in one multi-row insert (a digest records a message per
    post, so this is on its hot path); recording the same message twice changes nothing."""
    rows = [
        {
            "platform": channel.platform,
            "workspace": channel.workspace,
            "channel": channel.channel,
            "message_ref": message.ref,
            "paper_id": paper_id,
            "posted_at": posted_at,
        }
        for message in messages
        for paper_id in dict.fromkeys(message.paper_ids)
    ]
    if rows:
        insert = dialect_insert(session)(POSTED_MESSAGE_TABLE).values(rows)
        session.execute(insert.on_conflict_do_nothing(index_elements=PAPER_OF_MESSAGE))


PAPER_OF_MESSAGE = ("platform", "workspace", "channel", "message_ref", "paper_id")


MessageKey = tuple[str, str, str]  # platform, channel, message_ref


def papers_of_messages(
    session: Session, messages: Collection[MessageKey]
) -> dict[MessageKey, list[str]]:
    """The papers each message shows, in one query; messages paperbot did not post are left out."""
    if not messages:
        return {}
    row = POSTED_MESSAGE_TABLE.c
    message = (row.platform, row.channel, row.message_ref)
    dialect = session.get_bind().dialect.name
    query = core_select(*message, row.paper_id).where(keys_in(dialect, message, messages))
    found: dict[MessageKey, set[str]] = {}
    for platform, channel, ref, paper_id in session.execute(query):
        if (platform, channel, ref) in messages:
            found.setdefault((platform, channel, ref), set()).add(paper_id)
    return {message: sorted(papers) for message, papers in found.items()}


def papers_shown_since(session: Session, channel: Channel, since: datetime) -> set[str]:
    """Papers this channel was shown since ``since`` (digests leave them out)."""
    query = select(PostedMessageRow.paper_id).where(
        PostedMessageRow.platform == channel.platform,
        PostedMessageRow.workspace == channel.workspace,
        PostedMessageRow.channel == channel.channel,
        col(PostedMessageRow.posted_at) >= since,
    )
    return set(session.exec(query))


def record_layout(
    session: Session, channel: Channel, message_ref: str, layout: str, posted_at: datetime
) -> None:
    """Store a message's layout; the first record of a message wins (a resend changes nothing)."""
    insert = dialect_insert(session)
    statement = insert(MessageLayoutRow).values(
        platform=channel.platform,
        workspace=channel.workspace,
        channel=channel.channel,
        message_ref=message_ref,
        layout=layout,
        posted_at=posted_at,
    )
    session.execute(statement.on_conflict_do_nothing())


def layout_of_message(session: Session, channel: Channel, message_ref: str) -> str | None:
    """The layout stored for a message, or None when paperbot did not record it."""
    query = select(MessageLayoutRow.layout).where(
        MessageLayoutRow.platform == channel.platform,
        MessageLayoutRow.workspace == channel.workspace,
        MessageLayoutRow.channel == channel.channel,
        MessageLayoutRow.message_ref == message_ref,
    )
    return session.exec(query).first()
