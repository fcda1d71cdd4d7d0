"""Record a sent message: its papers (for reactions) and its layout (for rebuilding it)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.model import Channel, SentMessage
from bot.outbox.layout import encode_layout
from bot.reply import PaperCard, Reply
from storage.posted_messages import record_layout, record_posted


def record_sent(
    session: Session, channel: Channel, message_ref: str, message: Reply, now: datetime
) -> None:
    """Idempotent: recording the same message again changes nothing."""
    cards = tuple(part.paper.id for part in message.parts if isinstance(part, PaperCard))
    record_posted(session, channel, [SentMessage(message_ref, cards)], now)
    record_layout(session, channel, message_ref, encode_layout(message), now)
