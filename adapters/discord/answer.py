"""How one slash command's messages reach Discord, given how the interaction was acknowledged.

Discord wants a callback within 3 s, and a message's visibility is fixed by the callback that
creates it. A reply ready in time is the callback itself (``send_message``, ephemeral when the
reply is private), so a usage error is never public, not even for a moment; later messages are
follow-ups. A slow command is deferred publicly first ("thinking…"): only commands that reach
Hugging Face are slow, and their results are public. See docs/architecture.md, "Discord adapter".
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import discord

log = logging.getLogger("paperbot.discord")


class Answer:
    """The messages of one interaction's answer, in order; each ``send`` is one message."""

    def __init__(self, interaction: discord.Interaction[Any]) -> None:
        self._interaction = interaction
        self._thinking_in_public = False  # a public "thinking…" no message has filled yet

    async def defer(self, *, ephemeral: bool) -> None:
        await self._interaction.response.defer(ephemeral=ephemeral, thinking=True)
        self._thinking_in_public = not ephemeral

    async def send(self, kwargs: dict[str, Any], *, private: bool) -> int | None:
        """Send one message; its id when it is public (the core records it), else None."""
        response = self._interaction.response
        if not response.is_done():
            callback = await response.send_message(**kwargs, ephemeral=private)
            return None if private else await self._message_id(callback)
        await self._leave_thinking(private=private)
        followup = self._interaction.followup
        sent = await followup.send(**kwargs, ephemeral=private, wait=True)
        return None if private else sent.id

    async def fail(self, text: str) -> None:
        """One private line, whatever was sent before; never a public "thinking…" left behind."""
        try:
            if not self._interaction.response.is_done():
                await self._interaction.response.send_message(text, ephemeral=True)
                return
            with contextlib.suppress(discord.HTTPException):
                await self._leave_thinking(private=True)
            await self._interaction.followup.send(text, ephemeral=True)
        except discord.HTTPException:
            log.exception("could not tell the user that their interaction failed")

    async def _leave_thinking(self, *, private: bool) -> None:
        """Before a private message, remove a public "thinking…" that nothing has filled.

        The first follow-up after a deferral fills the deferred message and keeps its visibility,
        whatever flags it asks for; so a slow reply that turns out private would be shown to the
        whole channel. Deleting "thinking…" first leaves the follow-up to stand alone, as
        ephemeral as it asks. That Discord honours the flag after such a deletion is not
        confirmed; only a slow private reply (Hugging Face slow, then not found or failing)
        takes this path, and fast ones never do (docs/architecture.md).
        """
        if self._thinking_in_public and private:
            await self._interaction.delete_original_response()
        self._thinking_in_public = False

    async def _message_id(self, callback: discord.InteractionCallbackResponse[Any]) -> int:
        """The id of the message a callback created: in its ``with_response`` answer, or asked."""
        if callback.message_id is not None:
            return callback.message_id
        if isinstance(callback.resource, discord.InteractionMessage):
            return callback.resource.id
        return (await self._interaction.original_response()).id
