"""A card action's answer on Slack (the core's ``ActionResponder``).

Everything goes to the clicker alone through the click's response URL; a Discuss click's thread
is the card message's own Slack thread: its first reply is the paper, and its link is the
message's permalink (``chat.getPermalink`` needs no scope beyond ``chat:write``'s bot token).
"""

from __future__ import annotations

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.poster import NOT_IN_CHANNEL, ChannelPacer, post_message
from adapters.slack.render import SLACK_LIMITS
from adapters.slack.reply_url import FirstProgress, respond_with
from bot.facade import Thread, ThreadRefused
from bot.reply import Reply

# A card answered through a response URL in a channel the bot is not in, or an archived one.
CANNOT_POST = NOT_IN_CHANNEL | {"is_archived"}


class ActionAnswer:
    limits = SLACK_LIMITS

    def __init__(
        self, client: AsyncWebClient, pacer: ChannelPacer, respond: AsyncRespond, channel: str
    ) -> None:
        self._client = client
        self._pacer = pacer
        self._respond = respond
        self._channel = channel
        self.progress = FirstProgress(respond)

    async def send(self, message: Reply) -> str | None:
        await respond_with(self._respond, message, "ephemeral")
        return None

    async def open_thread(self, message_ref: str, name: str, first: Reply) -> Thread:
        """Reply in the card message's thread (Slack threads have no name of their own)."""
        try:
            await post_message(
                self._client, self._pacer, self._channel, first, thread_ts=message_ref
            )
        except SlackApiError as error:
            if error.response.get("error") in CANNOT_POST:
                raise ThreadRefused(str(error.response.get("error"))) from error
            raise
        try:
            found = await self._client.chat_getPermalink(
                channel=self._channel, message_ts=message_ref
            )
            url = str(found["permalink"])
        except SlackApiError:  # the thread is there; the clicker just gets no link to it
            url = None
        return Thread(message_ref, url)
