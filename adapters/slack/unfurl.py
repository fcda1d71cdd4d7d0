"""Cards on people's messages: paper links unfurled with ``chat.unfurl``.

A card Slack shows under someone's message is not the bot's message: ``chat.update`` cannot
touch it. ``chat.unfurl`` for the same message and link replaces it instead (Slack modifies
the unfurl it attached rather than adding one), so after a vote the ``VoteAnswer`` edits an
unfurled card through ``unfurl_card`` and every other card through ``chat.update``.
"""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import render_reply
from adapters.slack.translate import UnfurlTarget, unfurl_ref
from bot.reply import Reply


async def unfurl_card(
    client: AsyncWebClient, channel: str, message_ts: str, url: str, message: Reply
) -> None:
    """Attach ``message`` to the posted message ``message_ts`` as the preview of ``url``, or
    replace the one attached before."""
    await client.chat_unfurl(channel=channel, ts=message_ts, unfurls=_unfurls(url, message))


class UnfurlAnswer:
    """One ``link_shared`` event's answer (the core's ``LinkResponder``)."""

    def __init__(self, client: AsyncWebClient, target: UnfurlTarget) -> None:
        self._client = client
        self._target = target

    async def unfurl(self, url: str, message: Reply) -> str | None:
        target = self._target
        if target.in_composer:  # shown while typing, no ts yet: the first vote records it
            await self._client.chat_unfurl(
                unfurl_id=target.unfurl_id, source=target.source, unfurls=_unfurls(url, message)
            )
            return None
        await unfurl_card(self._client, target.channel, target.message_ts, url, message)
        return unfurl_ref(target.message_ts, url)


def _unfurls(url: str, message: Reply) -> dict[str, dict[str, object]]:
    return {url: {"blocks": render_reply(message).blocks}}
