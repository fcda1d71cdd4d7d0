"""Remember which papers a sent message shows, so reactions on it can find the paper."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from bot.deps import Deps
from bot.model import Channel, SentMessage
from storage.posted_messages import record_posted


async def remember_sent(deps: Deps, channel: Channel, messages: Sequence[SentMessage]) -> None:
    if any(m.paper_ids for m in messages):
        now = deps.clock()
        await deps.db.write(
            partial(record_posted, channel=channel, messages=messages, posted_at=now)
        )
