"""The console's ``Poster``: digests for the console channel print into the chat."""

from __future__ import annotations

import uuid

from adapters.console.app import CONSOLE_CHANNEL, CONSOLE_LIMITS, ConsoleChat
from bot.facade import Channel, MessageLimits
from bot.reply import Heading, Reply


class ConsolePoster:
    """Digests for the console channel print into the chat; their cards take votes like any.

    A message that starts with a heading starts a new reply (a digest's header), so ``vote 1``
    then means the digest's first card. Posts for any other channel on the console platform (an
    admin channel) are printed under that channel's name. The terminal has no size limit.
    """

    def __init__(self, chat: ConsoleChat) -> None:
        self._chat = chat

    @property
    def limits(self) -> MessageLimits:
        return CONSOLE_LIMITS

    async def send(self, channel: Channel, message: Reply) -> str:
        if channel != CONSOLE_CHANNEL:
            self._chat.say(f"── #{channel.channel} ──", "dim")
        if message.parts and isinstance(message.parts[0], Heading):
            self._chat.new_reply()
        ref = await self._chat.send(message)
        return ref or f"console-{uuid.uuid4().hex[:12]}"
