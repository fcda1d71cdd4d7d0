"""The core as adapters see it: the one module, with ``bot.reply`` and ``bot.model``, they import.

An adapter turns platform input into neutral invocations and vote events, hands them to ``Core``
and renders what comes back. The core does the rest: it splits every reply to the adapter's
limits, records each message the adapter says it sent (so reactions and vote updates work,
without the adapter having to remember), and after a vote rebuilds every affected message whole.

    core.register_poster(adapter.platform, adapter.poster)
    reply = await core.handle_command(invocation, deliver, adapter.limits, progress)
    outcome = await core.handle_vote(event)
    for update in outcome.updates: ...edit update.message_ref to show update.message...
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlmodel import Session

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps, Progress, no_progress
from bot.model import Channel, Invocation
from bot.outbox.rebuild import rebuild_message
from bot.outbox.record import record_sent
from bot.ports import Poster, PostRejected
from bot.reply import Outcome, PaperCard, Reply
from bot.reply_split import MessageLimits, split_reply
from bot.votes.buttons import parse_vote_action, vote_action_id
from bot.votes.emoji import canonical_emoji, reaction_value
from bot.votes.events import ButtonVote, Effect, ReactionChange, VoteEvent, VoteResult
from bot.votes.service import SILENT, VoteRecorder
from storage.subscriptions import disable_workspace

__all__ = [
    "Adapter",
    "ButtonVote",
    "Channel",
    "Core",
    "Deliver",
    "Effect",
    "Invocation",
    "MessageLimits",
    "MessageUpdate",
    "Outcome",
    "PostRejected",
    "Poster",
    "Posters",
    "Progress",
    "ReactionChange",
    "VoteEvent",
    "VoteOutcome",
    "canonical_emoji",
    "parse_vote_action",
    "vote_action_id",
]

log = logging.getLogger("paperbot.core")

Deliver = Callable[[Reply], Awaitable[str | None]]
"""Sends one message of a reply; returns its platform reference, or None when the message
cannot be referred to later (ephemeral, a response URL, stdout)."""


@dataclass(frozen=True, slots=True)
class MessageUpdate:
    """A message to replace in place: the whole message, every card with its current tally."""

    channel: Channel
    message_ref: str
    message: Reply


@dataclass(frozen=True, slots=True)
class VoteOutcome:
    result: VoteResult
    updates: tuple[MessageUpdate, ...] = ()
    card: PaperCard | None = None  # the voted paper with its new tally, for a confirmation


class Adapter(Protocol):
    """A platform connection that ``paperbot run`` starts beside the digest scheduler."""

    @property
    def platform(self) -> str: ...

    @property
    def limits(self) -> MessageLimits:
        """What one interactive reply message may carry."""
        ...

    @property
    def poster(self) -> Poster:
        """Posts digests and alerts into this platform's channels."""
        ...

    async def start(self) -> None:
        """Connect and begin serving; returns once serving."""
        ...

    async def wait(self) -> None:
        """Returns when the adapter ends by itself (the console at end of input); servers never."""
        ...

    async def stop(self) -> None: ...


class Posters(Mapping[str, Poster]):
    """Posters by platform, filled by adapters as they start; the digest runner reads it live."""

    def __init__(self) -> None:
        self._by_platform: dict[str, Poster] = {}

    def register(self, platform: str, poster: Poster) -> None:
        self._by_platform[platform] = poster

    def __getitem__(self, platform: str) -> Poster:
        return self._by_platform[platform]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_platform)

    def __len__(self) -> int:
        return len(self._by_platform)


class Core:
    """Commands and votes for adapters, over one set of explicit dependencies."""

    def __init__(
        self,
        deps: Deps,
        dispatcher: Dispatcher,
        posters: Posters | None = None,
        votes: VoteRecorder | None = None,
    ) -> None:
        self._deps = deps
        self._dispatcher = dispatcher
        self.posters = posters if posters is not None else Posters()
        self._votes = votes or VoteRecorder(deps)

    def now(self) -> datetime:
        return self._deps.clock()

    def register_poster(self, platform: str, poster: Poster) -> None:
        self.posters.register(platform, poster)

    def is_vote_emoji(self, emoji: str) -> bool:
        return reaction_value(emoji, self._deps.settings.reaction_values) != 0

    async def workspace_removed(self, platform: str, workspace: str) -> int:
        """The bot was uninstalled from (or lost its token in) a workspace: stop its digests.
        Their subscriptions are disabled, not deleted; returns how many were turned off."""
        now = self._deps.clock()
        ids = await self._deps.db.write(lambda s: disable_workspace(s, platform, workspace, now))
        for subscription_id in ids:
            self._deps.schedule.subscription_removed(subscription_id)
        if ids:
            log.info("%s workspace %s removed: %d digest(s) stopped", platform, workspace, len(ids))
        return len(ids)

    def help(self, command: str | None = None) -> Reply:
        return self._dispatcher.help_reply(command)

    async def run_command(self, invocation: Invocation, progress: Progress = no_progress) -> Reply:
        """The whole reply, unsent: for adapters that answer before they know where it goes."""
        return await self._dispatcher.handle(self._deps, invocation, progress)

    async def handle_command(
        self,
        invocation: Invocation,
        deliver: Deliver,
        limits: MessageLimits,
        progress: Progress = no_progress,
    ) -> Reply:
        """Run a command and deliver its reply split to ``limits``; returns the whole reply."""
        reply = await self.run_command(invocation, progress)
        channel = Channel(invocation.platform, invocation.workspace, invocation.channel)
        await self.deliver(channel, reply, deliver, limits)
        return reply

    async def deliver(
        self, channel: Channel, reply: Reply, deliver: Deliver, limits: MessageLimits
    ) -> None:
        """Send ``reply`` as messages within ``limits`` and record the ones that show papers."""
        sent: list[tuple[str, Reply]] = []
        for message in split_reply(reply, limits):
            ref = await deliver(message)
            if ref is not None and message.papers:
                sent.append((ref, message))
        if sent:
            await self._record(channel, sent)

    async def _record(self, channel: Channel, sent: list[tuple[str, Reply]]) -> None:
        now = self._deps.clock()

        def record(session: Session) -> None:
            for ref, message in sent:
                record_sent(session, channel, ref, message, now)

        try:
            await self._deps.db.write(record)
        except Exception:  # the messages are out; only votes by reaction on them are lost
            log.exception("could not record %d sent message(s) in %s", len(sent), channel)

    async def handle_vote(self, event: VoteEvent) -> VoteOutcome:
        """Record a click or a reaction; the messages it changed come back rebuilt whole."""
        try:
            receipt = await self._votes.record(event)
        except Exception:
            log.exception("could not record the vote event %s", event.event_id)
            return VoteOutcome(VoteResult(Effect.FAILED, reason="the vote could not be saved"))
        result = receipt.result
        ref = event.message_ref
        if result.effect in SILENT or ref is None:
            return VoteOutcome(result, (), receipt.card)
        channel = Channel(event.platform, event.workspace, event.channel)
        try:
            message = await self._deps.db.read(lambda s: rebuild_message(s, channel, ref))
        except Exception:
            log.exception("could not rebuild message %s after a vote", ref)
            message = None
        updates = () if message is None else (MessageUpdate(channel, ref, message),)
        return VoteOutcome(result, updates, receipt.card)
