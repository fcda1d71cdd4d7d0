"""The core as adapters see it: the one module, with ``bot.reply`` and ``bot.model``, they import.

An adapter turns platform input into neutral invocations and vote events and hands each to
``Core`` with a small object that talks to the platform (a ``Responder`` for a command, a
``VoteResponder`` for a click or a reaction). The core does the rest, the same way for every
platform: it runs the command, splits the reply to the responder's limits, sends each message
(privately when the reply is private), records the ones that show papers (so reactions and vote
updates work without the adapter remembering anything), says a failure in one private line, and
after a vote sends the voter's note and every affected message rebuilt whole.

    core.register_poster(adapter.platform, adapter.poster)
    await core.handle_command(invocation, responder)
    await core.handle_vote(event, vote_responder)
    await core.handle_links(shared_links, link_responder)
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from bot.activity import command_done, links_done, vote_done
from bot.adapter_side import (
    ActionResponder,
    Adapter,
    AdapterRefused,
    LinkResponder,
    MessageUpdate,
    Posters,
    Responder,
    VoteOutcome,
    VoteResponder,
)
from bot.card_actions import (
    ACTION_KINDS,
    ACTION_TEMPLATE,
    ActionKind,
    CardClick,
    card_action_id,
    parse_card_action,
)
from bot.commands.dispatch import Dispatcher, split_command
from bot.commands.spec import Command, OptionValue
from bot.commands.spec import Option as CommandOption
from bot.deps import Deps, Progress
from bot.discussions import ThreadRefused, discuss
from bot.failures import COMMAND_FAILED, GONE, command_failed, database_gone
from bot.in_flight import STOP_GRACE, InFlight
from bot.keyed_locks import KeyedLocks
from bot.links import SharedLinks, link_card, paper_links, urls_in
from bot.metrics import NO_METRICS, Metrics
from bot.model import Channel, Invocation
from bot.outbox.rebuild import rebuild_message
from bot.outbox.record import record_sent
from bot.ports import Poster, PostRejected
from bot.reply import Outcome, Reply
from bot.reply_split import MessageLimits, split_reply
from bot.stop_deadline import Deadline
from bot.votes.buttons import parse_vote_action, vote_action_id
from bot.votes.emoji import canonical_emoji, reaction_value
from bot.votes.events import ButtonVote, Effect, ReactionChange, VoteEvent, VoteResult
from bot.votes.service import SILENT, VoteReceipt, VoteRecorder
from storage.checks import database_trouble
from storage.discussions import Thread, count_reply, is_discussion
from storage.sqlite_file import DatabaseGone
from storage.subscriptions import disable_workspace

__all__ = [
    "ACTION_KINDS",
    "ACTION_TEMPLATE",
    "COMMAND_FAILED",
    "STOP_GRACE",
    "ActionKind",
    "ActionResponder",
    "Adapter",
    "AdapterRefused",
    "ButtonVote",
    "CardClick",
    "Channel",
    "Command",
    "CommandOption",
    "Core",
    "Deadline",
    "Effect",
    "InFlight",
    "Invocation",
    "LinkResponder",
    "MessageLimits",
    "MessageUpdate",
    "Metrics",
    "OptionValue",
    "Outcome",
    "PostRejected",
    "Poster",
    "Posters",
    "Progress",
    "ReactionChange",
    "Responder",
    "SharedLinks",
    "Thread",
    "ThreadRefused",
    "VoteEvent",
    "VoteOutcome",
    "VoteResponder",
    "canonical_emoji",
    "card_action_id",
    "parse_card_action",
    "parse_vote_action",
    "urls_in",
    "vote_action_id",
]

log = logging.getLogger("paperbot.core")


# Seconds between attempts to record a reaction that failed: about 30 s in all.
REACTION_RETRIES = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)


class Core:
    """Commands and votes for adapters, over one set of explicit dependencies."""

    def __init__(
        self,
        deps: Deps,
        dispatcher: Dispatcher,
        posters: Posters | None = None,
        votes: VoteRecorder | None = None,
        metrics: Metrics = NO_METRICS,
        reaction_retries: Sequence[float] = REACTION_RETRIES,
    ) -> None:
        self._deps = deps
        self._metrics = metrics
        self._dispatcher = dispatcher
        self.posters = posters if posters is not None else Posters()
        self._votes = votes or VoteRecorder(deps)
        self._reaction_retries = tuple(reaction_retries)
        self._editing = KeyedLocks()
        self._in_flight = InFlight("commands and votes")

    def now(self) -> datetime:
        return self._deps.clock()

    def register_poster(self, platform: str, poster: Poster) -> None:
        self.posters.register(platform, poster)

    def api_error(self, platform: str, code: str) -> None:
        """The platform's API refused a call or could not be reached: counted for /metrics
        (``Metrics.api_error``); the adapter still handles the error as before."""
        self._metrics.api_error(platform, code)

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

    @property
    def commands(self) -> tuple[Command, ...]:
        """Every command, with its typed options: what a platform's command form is made of."""
        return self._dispatcher.commands

    async def drain(self, deadline: Deadline | float = STOP_GRACE) -> int:
        """Until the commands and votes being handled are done (at stop, before the database
        goes), or the stop's ``deadline``; returns how many are left, logged when any are."""
        return await self._in_flight.drain(deadline)

    async def handle_command(self, invocation: Invocation, responder: Responder) -> Reply:
        """Run a command and send its reply through ``responder``; returns what was sent.

        A stop waits for it (``drain``).
        """
        with self._in_flight.track():
            return await self._handle_command(invocation, responder)

    async def handle_card_action(self, click: CardClick, responder: ActionResponder) -> Reply:
        """A card's Save, Similar or Discuss button: Save and Similar run the command of that
        name for the clicker, Discuss opens or points to the paper's thread; every answer is
        private (a click is not a question to the channel). A stop waits for it (``drain``)."""
        with self._in_flight.track():
            if click.kind == "discuss":
                return await self._answer(
                    click.where,
                    "discuss",
                    click.paper_id,
                    responder,
                    lambda: discuss(self._deps, click, responder),
                )
            invocation = click.invocation()
            name = self._command_name(invocation.text)
            return await self._answer(
                click.where,
                name,
                invocation.text,
                responder,
                lambda: self._dispatcher.handle(self._deps, invocation, responder.progress),
                private=True,
            )

    async def _handle_command(self, invocation: Invocation, responder: Responder) -> Reply:
        channel = Channel(invocation.platform, invocation.workspace, invocation.channel)
        return await self._answer(
            channel,
            self._command_name(invocation.text),
            invocation.text,
            responder,
            lambda: self._dispatcher.handle(self._deps, invocation, responder.progress),
        )

    async def _answer(
        self,
        channel: Channel,
        name: str,
        asked: str,
        responder: Responder,
        work: Callable[[], Awaitable[Reply]],
        *,
        private: bool = False,
    ) -> Reply:
        """Run ``work`` and send its reply (all of it privately when ``private``) through
        ``responder``; returns what was sent.

        Whatever fails on the way (the platform refusing a message, say) is logged and told to
        the person who asked in one private line.
        """
        started = time.perf_counter()
        try:
            if self._database_gone():
                raise DatabaseGone(GONE)
            reply = await work()
            if private:
                reply = replace(reply, private=True)
            await self._send(channel, reply, responder)
            outcome = reply.outcome.value
        except DatabaseGone:
            reply = database_gone()
            await _send_quietly(responder, reply)
            outcome = "error"
        except Exception:
            log.exception("%r failed in %s", asked[:80], channel)
            reply = command_failed()
            await _send_quietly(responder, reply)
            outcome = "error"
        self._metrics.command(name, outcome, time.perf_counter() - started)
        command_done(channel, name, reply.outcome.value, started)
        return reply

    def _command_name(self, text: str) -> str:
        """The command's own name (an alias counts as it), or "unknown": a bounded label."""
        name = split_command(text)[0]
        if not name:
            return "help"  # an empty command answers with help
        command = self._dispatcher.find(name)
        return "unknown" if command is None else command.name

    async def _send(self, channel: Channel, reply: Reply, responder: Responder) -> None:
        """Send ``reply`` as messages within the limits and record the ones that show papers."""
        sent: list[tuple[str, Reply]] = []
        try:
            for message in split_reply(reply, responder.limits):
                ref = await responder.send(message)
                if ref is not None and message.papers:
                    sent.append((ref, message))
        finally:  # what went out is recorded even when a later message fails
            if sent:
                await self._record(channel, sent)

    async def _record(self, channel: Channel, sent: list[tuple[str, Reply]]) -> None:
        now = self._deps.clock()

        def record(session: Session) -> None:
            for ref, message in sent:
                record_sent(session, channel, ref, message, now)

        try:
            await self._deps.db.write(record)
        except Exception as error:  # the messages are out; only votes by reaction on them are lost
            _log_failure(f"could not record {len(sent)} sent message(s) in {channel}", error)

    async def handle_thread_reply(
        self, platform: str, workspace: str, thread_ref: str, responder: VoteResponder
    ) -> None:
        """Someone wrote in a thread. In a discussion paperbot opened, the reply is counted and
        the card the thread was opened from is rebuilt with the count (only platforms that tell
        paperbot of each message call this: Discord). A stop waits for it."""
        with self._in_flight.track():
            db = self._deps.db
            try:
                if not await db.read(lambda s: is_discussion(s, platform, workspace, thread_ref)):
                    return
                at = self._deps.clock()
                replied = await db.write(
                    lambda s: count_reply(s, platform, workspace, thread_ref, at)
                )
            except Exception as error:
                _log_failure(f"could not count a reply in thread {thread_ref}", error)
                return
            if replied is None or replied.message_ref is None:
                return
            await self._edit_rebuilt(replied.channel, replied.message_ref, responder)

    async def handle_links(self, shared: SharedLinks, responder: LinkResponder) -> int:
        """Answer each paper link in ``shared`` with the paper's card, recorded like any sent
        message so votes on it count and update it; returns how many cards were shown.

        Links to papers nobody knows get no card, and a failure is only logged: nobody asked,
        so nothing is said in the channel. A stop waits for it (``drain``).
        """
        started = time.perf_counter()
        channel = Channel(shared.platform, shared.workspace, shared.channel)
        shown = 0
        with self._in_flight.track():
            for url, paper_id in paper_links(shared.urls).items():
                try:
                    message = await link_card(self._deps, channel, paper_id)
                    if message is None:
                        continue
                    ref = await responder.unfurl(url, message)
                except Exception:
                    log.exception("could not show the card of %s in %s", paper_id, channel)
                    continue
                shown += 1
                if ref is not None:
                    await self._record(channel, [(ref, message)])
        links_done(channel, len(shared.urls), shown, started)
        return shown

    async def handle_vote(self, event: VoteEvent, responder: VoteResponder) -> VoteOutcome:
        """Record a vote and update its message (``_vote``), and log one line saying so.
        A stop waits for it (``drain``)."""
        started = time.perf_counter()
        channel = Channel(event.platform, event.workspace, event.channel)
        with self._in_flight.track():
            outcome = await self._vote(event, channel, responder)
        source = "click" if isinstance(event, ButtonVote) else "reaction"
        self._metrics.vote(source, outcome.result.effect.value)
        vote_done(channel, source, outcome.result.effect.value, started)
        return outcome

    async def _vote(
        self, event: VoteEvent, channel: Channel, responder: VoteResponder
    ) -> VoteOutcome:
        """Record a click or a reaction, tell the voter what did not count, and replace the
        message it changed, rebuilt whole with current tallies.

        Votes on one message are rebuilt and edited one at a time, in the order they were
        recorded: two edits racing each other could leave the older tally on the card.
        """
        receipt = await self._record_vote(event)
        outcome = VoteOutcome(receipt.result, (), receipt.card)
        if outcome.note is not None:
            await _send_quietly(responder, outcome.note)
        ref = event.message_ref
        if receipt.result.effect in SILENT or ref is None:
            return outcome
        update = await self._edit_rebuilt(channel, ref, responder)
        if update is None and isinstance(event, ButtonVote) and event.card_alone:
            update = await self._record_card_alone(channel, ref, event.paper_id, responder)
        if update is None:
            return outcome
        return VoteOutcome(receipt.result, (update,), receipt.card)

    async def _record_card_alone(
        self, channel: Channel, ref: str, paper_id: str, responder: VoteResponder
    ) -> MessageUpdate | None:
        """Record unknown message ``ref`` as the paper's card alone, then rebuild and edit it.

        A Slack link unfurled while still in someone's message box has no ``ts`` to record it
        under; the first click on it, after the message is posted, names the message."""
        message = await link_card(self._deps, channel, paper_id)
        if message is None:
            return None
        await self._record(channel, [(ref, message)])
        return await self._edit_rebuilt(channel, ref, responder)

    async def _edit_rebuilt(
        self, channel: Channel, ref: str, responder: VoteResponder
    ) -> MessageUpdate | None:
        """Rebuild message ``ref`` with current tallies and replace it; the update, or None when
        there is no record of it. Edits of one message go one at a time, in order."""
        async with self._editing.hold((channel, ref)):
            update = await self._rebuilt(channel, ref)
            if update is None:
                return None
            try:
                await responder.edit(update)
            except Exception:  # what changed is saved; the next edit shows it
                log.exception("could not update message %s in %s", ref, channel)
        return update

    async def _record_vote(self, event: VoteEvent) -> VoteReceipt:
        """Record ``event``; a reaction that fails is tried again after each of the
        ``reaction_retries`` delays (a click fails at once: its voter is told to click again).

        The platform has acknowledged a reaction and will not resend it, and nobody is told it
        failed, so a database locked or full for a while must not lose it. Retrying late is
        safe: a person's reactions are applied by their own event time (a newer one already
        recorded makes this one stale), and a replay is a duplicate.
        """
        if self._database_gone():
            return VoteReceipt(VoteResult(Effect.FAILED, reason=GONE), None)
        delays = self._reaction_retries if isinstance(event, ReactionChange) else ()
        for attempt, delay in enumerate((*delays, None)):
            try:
                return await self._votes.record(event)
            except DatabaseGone:  # no retry brings it back
                self._database_gone()
                return VoteReceipt(VoteResult(Effect.FAILED, reason=GONE), None)
            except Exception as error:
                if delay is None:
                    what = f"could not record the vote event {event.event_id}"
                    _log_failure(f"{what} ({attempt + 1} attempts); dropped", error)
                    break
                trouble = database_trouble(error)
                log.warning(
                    "could not record the reaction %s (%s); trying again in %.1f s",
                    event.event_id,
                    trouble or type(error).__name__,
                    delay,
                    exc_info=trouble is None,
                )
                await asyncio.sleep(delay)
        failed = VoteResult(Effect.FAILED, reason="the vote could not be saved")
        return VoteReceipt(failed, None)

    def _database_gone(self) -> bool:
        """Whether the SQLite file was deleted under the process (one ``stat``), logged when so:
        commands and votes then say so rather than work on a file nobody can open again."""
        reason = self._deps.db.gone()
        if reason is not None:
            log.error("%s: restart paperbot (commands and votes are refused until then)", reason)
        return reason is not None

    async def _rebuilt(self, channel: Channel, ref: str) -> MessageUpdate | None:
        try:
            message = await self._deps.db.read(lambda s: rebuild_message(s, channel, ref))
        except Exception as error:  # the vote is saved; a busy database is no bug to trace
            log.warning("could not rebuild message %s after a vote: %s", ref, error)
            return None
        return None if message is None else MessageUpdate(channel, ref, message)


def _log_failure(what: str, error: Exception) -> None:
    """An error line: a database that is busy, full or gone in one line, anything else (a bug)
    with its traceback."""
    trouble = database_trouble(error)
    if trouble is None:
        log.error("%s", what, exc_info=error)
    else:
        log.error("%s: %s", what, trouble)


async def _send_quietly(responder: Responder | VoteResponder, message: Reply) -> None:
    """A private line that must not raise: the platform may be what failed."""
    try:
        await responder.send(message)
    except Exception:
        log.exception("could not tell the user: %s", message.parts)
