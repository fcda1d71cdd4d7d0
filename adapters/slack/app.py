"""The Slack glue: one set of slack-bolt listeners that hand Slack input to the core.

``/papers`` is acknowledged at once and answered afterwards by ``Core.handle_command`` through a
``CommandAnswer``: replies for the channel go out with ``chat.postMessage`` (so each message's
``ts`` is known for reactions and updates), private ones (usage, help, failures) are ephemeral
through the command's ``response_url``. A click or a reaction goes to ``Core.handle_vote``
with a ``VoteAnswer`` that replaces each changed message with ``chat.update`` (a card unfurled
on someone's message with ``chat.unfurl``); a card's Save, Discuss or Similar goes to
``Core.handle_card_action`` with an ``ActionAnswer`` (``actions.py``). A ``link_shared`` event
goes to ``Core.handle_links`` with an ``UnfurlAnswer``. Slack's retries of an event reuse its
``event_id``, which the core counts once.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.actions import ActionAnswer
from adapters.slack.oauth import BOT_SCOPES, INSTALL_PATH, REDIRECT_PATH, SlackOAuth
from adapters.slack.poster import NOT_IN_CHANNEL, ChannelPacer, post_message
from adapters.slack.render import SLACK_LIMITS, render_reply
from adapters.slack.reply_url import FirstProgress, respond_with
from adapters.slack.translate import (
    button_vote,
    card_click,
    command_invocation,
    parse_unfurl_ref,
    reaction_change,
    shared_links,
)
from adapters.slack.unfurl import UnfurlAnswer, unfurl_card
from adapters.slack.uninstall import UninstallHandlers
from bot.facade import ACTION_TEMPLATE, Core, InFlight, MessageUpdate
from bot.reply import Code, Reply, Text

log = logging.getLogger("paperbot.slack")

COMMAND = "/papers"
INVITE_HINT = Reply(
    (
        Text(
            (
                "I am not in this channel, so only you and this answer see it: invite me with ",
                Code("/invite @paperbot"),
                " to post here and count votes and reactions.",
            )
        ),
    ),
    private=True,
)


class CommandAnswer:
    """One ``/papers``'s answer (the core's ``Responder``): channel messages by
    ``chat.postMessage``, so each ``ts`` is known for votes; private ones, and everything once
    the bot turns out not to be in the channel, through the command's response URL."""

    limits = SLACK_LIMITS

    def __init__(
        self, client: AsyncWebClient, pacer: ChannelPacer, respond: AsyncRespond, channel: str
    ) -> None:
        self._client = client
        self._pacer = pacer
        self._respond = respond
        self._channel = channel
        self.progress = FirstProgress(respond)
        self.fell_back = False

    async def send(self, message: Reply) -> str | None:
        if message.private:
            await respond_with(self._respond, message, "ephemeral")
            return None
        if not self.fell_back:
            try:
                return await post_message(self._client, self._pacer, self._channel, message)
            except SlackApiError as error:
                if error.response.get("error") not in NOT_IN_CHANNEL:
                    raise
                self.fell_back = True
        await respond_with(self._respond, message, "in_channel")
        return None


class VoteAnswer:
    """A click's or reaction's effects (the core's ``VoteResponder``): each changed message by
    ``chat.update``, or by ``chat.unfurl`` when it is a card unfurled on someone's message; a
    note to a clicker through the click's response URL (a reaction has none)."""

    def __init__(self, client: AsyncWebClient, respond: AsyncRespond | None) -> None:
        self._client = client
        self._respond = respond

    async def send(self, message: Reply) -> str | None:
        if self._respond is not None:
            await respond_with(self._respond, message, "ephemeral")
        return None

    async def edit(self, update: MessageUpdate) -> None:
        unfurled = parse_unfurl_ref(update.message_ref)
        if unfurled is not None:
            message_ts, url = unfurled
            await unfurl_card(self._client, update.channel.channel, message_ts, url, update.message)
            return
        rendered = render_reply(update.message)
        await self._client.chat_update(
            channel=update.channel.channel,
            ts=update.message_ref,
            blocks=rendered.blocks,
            text=rendered.text,
        )


class SlackHandlers:
    """The listeners; bolt passes each one the arguments its parameter names ask for."""

    def __init__(self, core: Core, pacer: ChannelPacer, in_flight: InFlight) -> None:
        self.core = core
        self.pacer = pacer
        self.in_flight = in_flight  # what a stop waits for: bolt runs listeners in tasks of its own

    async def on_command(
        self,
        ack: AsyncAck,
        command: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
    ) -> None:
        with self.in_flight.track():
            await ack()
            invocation = command_invocation(command)
            answer = CommandAnswer(client, self.pacer, respond, invocation.channel)
            await self.core.handle_command(invocation, answer)
            if answer.fell_back:
                await respond_with(respond, INVITE_HINT, "ephemeral")

    async def on_vote_button(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
    ) -> None:
        with self.in_flight.track():
            await ack()
            event = button_vote(body, self.core.now())
            if event is not None:
                await self.core.handle_vote(event, VoteAnswer(client, respond))

    async def on_card_action(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
    ) -> None:
        """Save, Discuss or Similar on a card: answered to the clicker alone."""
        with self.in_flight.track():
            await ack()
            click = card_click(body)
            if click is not None:
                answer = ActionAnswer(client, self.pacer, respond, click.channel)
                await self.core.handle_card_action(click, answer)

    async def on_reaction(
        self, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        change = reaction_change(body, context.bot_user_id, self.core.now())
        if change is None or change.by_bot or not self.core.is_vote_emoji(change.emoji):
            return
        with self.in_flight.track():
            await self.core.handle_vote(change, VoteAnswer(client, None))

    async def on_link_shared(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Paper links in a message (or a message box): each unfurled into the paper's card."""
        found = shared_links(body)
        if found is None:
            return
        shared, target = found
        with self.in_flight.track():
            await self.core.handle_links(shared, UnfurlAnswer(client, target))


def build_app(
    core: Core,
    client: AsyncWebClient,
    signing_secret: str,
    pacer: ChannelPacer,
    oauth: SlackOAuth | None = None,
    in_flight: InFlight | None = None,
) -> AsyncApp:
    """The bolt app with paperbot's listeners, for HTTP (and any other bolt transport).

    With ``oauth`` it serves the install flow and finds each workspace's bot token in the
    installation store (checked with ``auth.test`` once per token); ``client`` carries no token
    then, only the Web API address every call (``oauth.v2.access`` too) goes to.
    """
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret,
        process_before_response=False,
        raise_error_for_unhandled_request=False,
        **({} if oauth is None else _oauth_options(oauth, client)),
    )
    if in_flight is None:
        in_flight = InFlight("Slack commands and votes")
    handlers = SlackHandlers(core, pacer, in_flight)
    app.command(COMMAND)(handlers.on_command)
    app.action(re.compile(r"^vote:"))(handlers.on_vote_button)
    app.action(re.compile(f"^{ACTION_TEMPLATE}$"))(handlers.on_card_action)
    app.event("reaction_added")(handlers.on_reaction)
    app.event("reaction_removed")(handlers.on_reaction)
    app.event("link_shared")(handlers.on_link_shared)
    removal = UninstallHandlers(core, None if oauth is None else oauth.installations)
    app.event("app_uninstalled")(removal.on_app_uninstalled)
    app.event("tokens_revoked")(removal.on_tokens_revoked)
    return app


def _oauth_options(oauth: SlackOAuth, client: AsyncWebClient) -> dict[str, Any]:
    settings = AsyncOAuthSettings(
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        scopes=list(BOT_SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=oauth.installations,
        installation_store_bot_only=True,
        state_store=oauth.states,
    )
    authorize = AsyncInstallationStoreAuthorize(
        logger=log,
        installation_store=oauth.installations,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        bot_only=True,
        cache_enabled=True,
        client=client,
    )
    return {
        "oauth_settings": settings,
        "authorize": authorize,
        "installation_store_bot_only": True,
    }
