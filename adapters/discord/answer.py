"""How the core's messages reach Discord: one slash command's answer, one vote's effects.

Discord wants a callback within 3 s, and a message's visibility is fixed by the callback that
creates it. A reply ready in time is the callback itself (``send_message``, ephemeral when the
reply is private), so a usage error is never public, not even for a moment; later messages are
follow-ups. A slow command is deferred first ("thinking…"), publicly unless the command is always
private: only commands that reach Hugging Face are slow, and their results are public. See
docs/architecture.md, "Discord adapter".
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from adapters.discord.render import DISCORD_LIMITS, render_reply
from bot.facade import MessageLimits, MessageUpdate, Thread, ThreadRefused
from bot.reply import Reply

EditMessage = Callable[[MessageUpdate], Awaitable[None]]
THREAD_ALREADY_CREATED = 160004  # Discord's code: this message has a thread already
THREAD_ARCHIVE_MINUTES = 10080  # a week without messages: a paper is read over days


class CommandAnswer:
    """The messages of one interaction's answer, in order (the core's ``Responder``)."""

    def __init__(self, interaction: discord.Interaction[Any]) -> None:
        self._interaction = interaction
        self._callback = asyncio.Lock()  # a deferral and the first message never cross
        self._thinking_in_public = False  # a public "thinking…" no message has filled yet

    @property
    def limits(self) -> MessageLimits:
        return DISCORD_LIMITS

    async def defer(self, *, ephemeral: bool) -> None:
        """Show "thinking…", unless the answer has started meanwhile."""
        async with self._callback:
            if self._interaction.response.is_done():
                return
            await self._interaction.response.defer(ephemeral=ephemeral, thinking=True)
            self._thinking_in_public = not ephemeral

    async def send(self, message: Reply) -> str | None:
        """Send one message; its id when it is public (the core records it), else None."""
        kwargs: dict[str, Any] = render_reply(message).send_kwargs()
        private = message.private
        async with self._callback:
            response = self._interaction.response
            if not response.is_done():
                callback = await response.send_message(**kwargs, ephemeral=private)
                return None if private else str(await self._message_id(callback))
        await self._leave_thinking(private=private)
        sent = await self._interaction.followup.send(**kwargs, ephemeral=private, wait=True)
        self._thinking_in_public = False  # filled by this message, or deleted before it
        return None if private else str(sent.id)

    async def progress(self, note: str) -> None:
        """Nothing to add: a slow command shows Discord's own "thinking…"."""

    async def _leave_thinking(self, *, private: bool) -> None:
        """Before a private message, remove a public "thinking…" that nothing has filled.

        The first follow-up after a deferral fills the deferred message and keeps its visibility,
        whatever flags it asks for; so a slow reply that turns out private would be shown to the
        whole channel. Deleting "thinking…" first leaves the follow-up to stand alone, as
        ephemeral as it asks. That Discord honours the flag after such a deletion is not
        confirmed; only a slow private reply (Hugging Face slow, then not found or failing)
        takes this path, and fast ones never do (docs/architecture.md). Only a follow-up that
        went through fills "thinking…": after a refused card, the core's private failure line
        still has to delete it. Tried once: should the deletion fail, the failure line that
        follows fills "thinking…" instead.
        """
        if self._thinking_in_public and private:
            self._thinking_in_public = False
            await self._interaction.delete_original_response()

    async def _message_id(self, callback: discord.InteractionCallbackResponse[Any]) -> int:
        """The id of the message a callback created: in its ``with_response`` answer, or asked."""
        if callback.message_id is not None:
            return callback.message_id
        if isinstance(callback.resource, discord.InteractionMessage):
            return callback.resource.id
        return (await self._interaction.original_response()).id


class VoteAnswer:
    """A click's or a reaction's effects (the core's ``VoteResponder``).

    The clicked message is edited through the interaction (already acknowledged with a deferred
    update); any other message through ``edit_message``. A note goes to a clicker as an
    ephemeral follow-up; a reaction has nobody to tell privately.
    """

    def __init__(
        self,
        edit_message: EditMessage,
        interaction: discord.Interaction[Any] | None = None,
        clicked: str | None = None,
    ) -> None:
        self._edit_message = edit_message
        self._interaction = interaction
        self._clicked = clicked

    async def send(self, message: Reply) -> str | None:
        if self._interaction is not None:
            kwargs: dict[str, Any] = render_reply(message).send_kwargs()
            await self._interaction.followup.send(**kwargs, ephemeral=True)
        return None

    async def edit(self, update: MessageUpdate) -> None:
        if self._interaction is not None and update.message_ref == self._clicked:
            kwargs = render_reply(update.message).send_kwargs()
            await self._interaction.edit_original_response(**kwargs)  # type: ignore[arg-type]
        else:
            await self._edit_message(update)


MAX_THREAD_NAME = 100


class ActionAnswer:
    """A card action's answer (the core's ``ActionResponder``): ephemeral follow-ups to the
    clicker, after an ephemeral "thinking…"; a thread started from the clicked message."""

    def __init__(self, interaction: discord.Interaction[Any]) -> None:
        self._interaction = interaction

    @property
    def limits(self) -> MessageLimits:
        return DISCORD_LIMITS

    async def send(self, message: Reply) -> str | None:
        kwargs: dict[str, Any] = render_reply(message).send_kwargs()
        await self._interaction.followup.send(**kwargs, ephemeral=True)
        return None

    async def progress(self, note: str) -> None:
        """Nothing to add: the clicker sees Discord's own "thinking…"."""

    async def open_thread(self, message_ref: str, name: str, first: Reply) -> Thread:
        """A public thread from the card's message, named after the paper, opened with ``first``.

        Asked through the REST routes directly: the client's ``create_thread`` needs the guild in
        its cache, which a click on an old card in a large server may not find.
        """
        interaction = self._interaction
        channel_id = interaction.channel_id or 0
        guild = interaction.guild_id if interaction.guild_id is not None else "@me"
        try:
            data = await interaction.client.http.start_thread_with_message(
                channel_id,
                int(message_ref),
                name=_thread_name(name),
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
                rate_limit_per_user=None,
            )
        except discord.Forbidden as error:
            raise ThreadRefused(str(error)) from error
        except discord.HTTPException as error:
            if error.code != THREAD_ALREADY_CREATED:
                raise
            # A thread started from a message has the message's id: take that one over.
            return Thread(message_ref, f"https://discord.com/channels/{guild}/{message_ref}")
        thread_id = int(data["id"])
        kwargs: dict[str, Any] = render_reply(first).send_kwargs()
        try:
            await interaction.client.get_partial_messageable(thread_id).send(**kwargs)
        except discord.Forbidden as error:  # may create threads, not write in them
            raise ThreadRefused(str(error)) from error
        return Thread(str(thread_id), f"https://discord.com/channels/{guild}/{thread_id}")


def _thread_name(title: str) -> str:
    name = " ".join(title.split()) or "Paper"
    return name if len(name) <= MAX_THREAD_NAME else name[: MAX_THREAD_NAME - 1] + "…"


class LinkAnswer:
    """Paper links in someone's message (the core's ``LinkResponder``): each card a reply to
    that message, a message of the bot's own that votes then edit like any other."""

    def __init__(self, message: discord.Message) -> None:
        self._message = message

    async def unfurl(self, url: str, message: Reply) -> str | None:
        kwargs: dict[str, Any] = render_reply(message).send_kwargs()
        sent = await self._message.reply(**kwargs, mention_author=False)
        return str(sent.id)
