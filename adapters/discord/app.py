"""The Discord client: slash commands, vote clicks and reactions, handed to the core.

discord.py 2.7 with ``Intents.default()``, plus the privileged message content intent only
when paper links are to be answered (``unfurl_links``): then a message with paper links gets
a reply with their cards through ``Core.handle_links``. Every slash command is
handed to ``Core.handle_command`` with a ``CommandAnswer``: when the core is done within
``answer_within`` (Discord wants a first answer within 3 s) the answer is the callback itself,
ephemeral if the reply is private; a slower one is deferred, then followed up
(``adapters.discord.answer``), and so is one that finds the core busy with others, at once
(``adapters.discord.turns``). Clicks and reactions go to ``Core.handle_vote`` with a
``VoteAnswer`` that edits each changed message in place.
See docs/architecture.md, "Discord adapter".
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from adapters.discord.answer import ActionAnswer, CommandAnswer, LinkAnswer, VoteAnswer
from adapters.discord.buttons import CardActionButton, VoteButton
from adapters.discord.commands import PapersGroup
from adapters.discord.counted import api_error_trace
from adapters.discord.render import ALLOWED_MENTIONS, render_reply
from adapters.discord.translate import (
    PLATFORM,
    Where,
    button_vote,
    card_click,
    invocation,
    reaction_change,
    shared_links,
)
from adapters.discord.turns import Turns
from bot.facade import ActionKind, Command, Core, InFlight, MessageUpdate, OptionValue

log = logging.getLogger("paperbot.discord")

ANSWER_WITHIN = 0.1  # seconds the core may take before the answer is deferred (Discord allows 3)
RAW_REACTIONS = frozenset({"raw_reaction_add", "raw_reaction_remove"})


OUT_OF_SYNC = (
    "This command has changed since it was registered with Discord; ask an admin to run "
    "`paperbot discord sync`."
)


class PapersTree(app_commands.CommandTree["PaperbotClient"]):
    """The command tree; a command Discord still shows but this version no longer has (or has
    with other options) gets a private line saying how to fix it, not silence and a traceback."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError, /
    ) -> None:
        stale = (app_commands.CommandNotFound, app_commands.CommandSignatureMismatch)
        if not isinstance(error, stale):
            await super().on_error(interaction, error)
            return
        log.warning(
            "Discord's /papers commands differ from this version's (%s): run paperbot discord sync",
            error,
        )
        try:
            if not interaction.response.is_done():
                await interaction.response.send_message(OUT_OF_SYNC, ephemeral=True)
        except discord.HTTPException:
            log.exception("could not tell the user that the command is out of date")


def tolerate_malformed_events(parsers: dict[str, Callable[[Any], None]]) -> None:
    """Each gateway event discord.py cannot read is logged and skipped.

    discord.py lets a parser's exception end the gateway connection, and with it ``paperbot
    run``: one frame with ``"guild_id": null`` took Slack down too. The parsers live in a
    dict its websocket reads, so each is wrapped in place. READY and RESUMED stay as they are:
    without them there is no session to keep.
    """
    for event, parse in list(parsers.items()):
        if event not in ("READY", "RESUMED"):
            parsers[event] = _skipping_failures(event, parse)


def _skipping_failures(event: str, parse: Callable[[Any], None]) -> Callable[[Any], None]:
    def tolerant(data: Any) -> None:
        try:
            parse(data)
        except Exception:
            log.exception("skipping a gateway event discord.py could not read: %s", event)

    return tolerant


def where_of(interaction: discord.Interaction[Any]) -> Where:
    return Where(interaction.guild_id, interaction.channel_id or 0, interaction.user.id)


def emoji_text(emoji: discord.PartialEmoji) -> str:
    """The character of a standard emoji; a custom emoji's name (``:partyparrot:`` -> name)."""
    return emoji.name or "" if emoji.is_custom_emoji() else str(emoji)


class PaperbotClient(discord.Client):
    def __init__(
        self,
        core: Core,
        guild_ready_timeout: float = 2.0,
        answer_within: float = ANSWER_WITHIN,
        shard: tuple[int, int] | None = None,
        unfurl_links: bool = False,
        turns: Turns | None = None,
    ) -> None:
        shard_id, shard_count = shard if shard is not None else (None, None)
        intents = discord.Intents.default()
        intents.message_content = unfurl_links  # privileged: README, "Paper links on Discord"
        super().__init__(
            intents=intents,
            allowed_mentions=ALLOWED_MENTIONS,
            guild_ready_timeout=guild_ready_timeout,
            shard_id=shard_id,
            shard_count=shard_count,
            http_trace=api_error_trace(partial(core.api_error, PLATFORM)),
        )
        self.core = core
        self.answer_within = answer_within
        self.unfurl_links = unfurl_links
        # What a stop waits for before closing: commands and votes already acknowledged.
        self.in_flight = InFlight("Discord commands and votes")
        self.turns = turns or Turns()
        self.tree: app_commands.CommandTree[PaperbotClient] = PapersTree(self)
        self.tree.add_command(PapersGroup(core.commands, self.run_command))
        tolerate_malformed_events(self._connection.parsers)

    async def setup_hook(self) -> None:
        """Clicks on any message ever sent count; the gateway is the one REST names.

        discord.py connects to a fixed gateway address unless told otherwise; asking
        ``/gateway/bot`` as production clients should makes a loopback fake serve both.
        """
        self.add_dynamic_items(VoteButton, CardActionButton)
        _shards, url, _limits = await self.http.get_bot_gateway()
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)

    async def run_command(
        self,
        interaction: discord.Interaction[Any],
        command: Command,
        values: Mapping[str, OptionValue],
    ) -> None:
        """Answer directly if the core is done in ``answer_within``; else defer, then follow up.
        A command that would wait for others at the core is deferred at once (``turns``)."""
        with self.in_flight.track():
            await self._run_command(interaction, command, values)

    async def _run_command(
        self,
        interaction: discord.Interaction[Any],
        command: Command,
        values: Mapping[str, OptionValue],
    ) -> None:
        answer = CommandAnswer(interaction)
        asked = invocation(where_of(interaction), command.text(values))
        if self.turns.busy:  # it would wait for the others: deferred on its first tick
            await self._defer(answer, command)
            async with self.turns.turn():
                await self.core.handle_command(asked, answer)
            return
        async with self.turns.turn():
            work = asyncio.ensure_future(self.core.handle_command(asked, answer))
            try:
                done, _ = await asyncio.wait({work}, timeout=self.answer_within)
                if not done:
                    await self._defer(answer, command)
                await work
            finally:
                work.cancel()  # a no-op when it finished; else nobody is waiting for it any more

    async def _defer(self, answer: CommandAnswer, command: Command) -> None:
        """Show "thinking…", privately for a command that is always private; no command waiting
        for its turn starts while it is on its way."""
        try:
            with self.turns.answering():
                await answer.defer(ephemeral=command.private)
        except discord.HTTPException:  # the answer itself may still get through
            log.exception("could not defer /papers %s", command.name)

    async def vote_clicked(
        self, interaction: discord.Interaction[Any], paper_id: str, value: int
    ) -> None:
        with self.in_flight.track():
            await interaction.response.defer()  # the message is about to be edited in place
            message_id = interaction.message.id if interaction.message is not None else 0
            event = button_vote(
                where_of(interaction), paper_id, value, interaction.id, message_id, self.core.now()
            )
            answer = VoteAnswer(self.edit, interaction, str(message_id))
            await self.core.handle_vote(event, answer)

    async def card_action_clicked(
        self, interaction: discord.Interaction[Any], kind: ActionKind, paper_id: str
    ) -> None:
        """Save, Discuss or Similar: answered to the clicker alone, after a private
        "thinking…" (a thread or a search may take longer than Discord's 3 s)."""
        with self.in_flight.track():
            await interaction.response.defer(ephemeral=True, thinking=True)
            message_id = interaction.message.id if interaction.message is not None else None
            click = card_click(where_of(interaction), kind, paper_id, message_id)
            await self.core.handle_card_action(click, ActionAnswer(interaction))

    def dispatch(self, event: str, /, *args: Any, **kwargs: Any) -> None:
        """Raw reactions get their identity here, while their gateway frame is being parsed."""
        super().dispatch(event, *args, **kwargs)
        if event in RAW_REACTIONS:
            [payload] = args
            added = event == "raw_reaction_add"
            super().dispatch("vote_reaction", payload, added, self._gateway_position())

    def _gateway_position(self) -> str:
        """``reaction:<session>:<sequence>`` of the frame being parsed: a reaction's event id.

        Discord gives a reaction no id, but every gateway event a sequence number in its session,
        and a resume replays missed events with the numbers they had. So a replayed reaction has
        the id it had the first time and the core drops it as a duplicate, even after the
        reaction was removed again (docs/architecture.md, "Discord adapter"). Read here, inside
        ``dispatch``, the numbers are this frame's; in the event's own task they may be a later
        one's.
        """
        ws = self.ws
        if ws is None or ws.session_id is None or ws.sequence is None:  # not from a gateway
            return f"reaction:{uuid.uuid4().hex}"
        return f"reaction:{ws.session_id}:{ws.sequence}"

    async def on_vote_reaction(
        self, payload: discord.RawReactionActionEvent, added: bool, event_id: str
    ) -> None:
        """A reaction on any message, cached or not; the core decides whether it is a vote."""
        emoji = emoji_text(payload.emoji)
        if not self.core.is_vote_emoji(emoji):
            return
        where = Where(payload.guild_id, payload.channel_id, payload.user_id)
        bot_id = self.user.id if self.user is not None else None
        event = reaction_change(
            where, payload.message_id, emoji, added, event_id, self.core.now(), bot_id
        )
        with self.in_flight.track():
            await self.core.handle_vote(event, VoteAnswer(self.edit))

    async def on_message(self, message: discord.Message) -> None:
        """A message in a thread paperbot opened is a reply to count; with ``unfurl_links``,
        paper links in someone's message get a reply with their cards."""
        await self._count_reply(message)
        await self._unfurl(message)

    async def _count_reply(self, message: discord.Message) -> None:
        """A message in a thread (one paperbot opened, maybe): the core counts it as a reply.

        Counting needs no message content, only the default (unprivileged) message intent;
        messages in plain channels and the bot's own are skipped without asking the core.
        """
        channel = message.channel
        mine = self.user is not None and message.author.id == self.user.id
        thread_or_unknown = isinstance(channel, discord.Thread | discord.PartialMessageable)
        guild_id = (
            message.guild.id if message.guild is not None else getattr(channel, "guild_id", None)
        )
        if mine or not thread_or_unknown or guild_id is None:
            return
        await self.core.handle_thread_reply(
            PLATFORM, str(guild_id), str(channel.id), VoteAnswer(self.edit)
        )

    async def _unfurl(self, message: discord.Message) -> None:
        """Bots' messages (this one's cards included) are never answered."""
        if not self.unfurl_links or message.author.bot or "http" not in message.content:
            return
        guild_id = message.guild.id if message.guild is not None else None
        where = Where(guild_id, message.channel.id, message.author.id)
        with self.in_flight.track():
            await self.core.handle_links(shared_links(where, message.content), LinkAnswer(message))

    async def edit(self, update: MessageUpdate) -> None:
        """Replace a message the bot sent, without needing it in the cache."""
        channel = self.get_partial_messageable(int(update.channel.channel))
        message = channel.get_partial_message(int(update.message_ref))
        await message.edit(**render_reply(update.message).send_kwargs())  # type: ignore[arg-type]
