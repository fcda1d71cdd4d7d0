"""The console's ``Poster``: digests for the console channel are printed into the chat.

Each card is its own message, as for replies, so ``vote 1 up`` and ``react 1 :fire:`` work on a
digest's cards too. Posts for any other channel (an admin channel on the console platform) are
printed under that channel's name. The terminal has no size limit.
"""

from __future__ import annotations

import uuid

from adapters.console.app import CONSOLE_CHANNEL, ConsoleChat
from bot.model import Channel, SentMessage
from bot.ports import MessageLimits
from bot.reply import Reply

CONSOLE_LIMITS = MessageLimits(max_cards=None)


class ConsolePoster:
    def __init__(self, chat: ConsoleChat) -> None:
        self._chat = chat

    @property
    def limits(self) -> MessageLimits:
        return CONSOLE_LIMITS

    async def post(self, channel: Channel, reply: Reply) -> list[SentMessage]:
        if channel != CONSOLE_CHANNEL:
            self._chat.console.print(f"── #{channel.channel} ──", style="dim")
        cards = await self._chat.show(reply)
        return cards or [SentMessage(f"console-{uuid.uuid4().hex[:12]}")]
