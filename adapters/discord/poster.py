"""The Discord ``Poster``: one digest message per call, into any channel, with no cache.

Messages go through partial messageables, so a channel the client never saw (no privileged
intents, nothing cached) still works. 429s are discord.py's business (it waits and retries);
what reaches us is a refusal: a missing channel or permission, which the digest runner reports
to the admin channel instead of retrying forever.
"""

from __future__ import annotations

import discord

from adapters.discord.render import DIGEST_LIMITS, render_reply
from bot.facade import Channel, MessageLimits, PostRejected
from bot.reply import Reply


class DiscordPoster:
    def __init__(self, client: discord.Client) -> None:
        self._client = client

    @property
    def limits(self) -> MessageLimits:
        """One card a message, so a reaction on any digest message names one paper."""
        return DIGEST_LIMITS

    async def send(self, channel: Channel, message: Reply) -> str:
        if not channel.channel.isdigit():
            raise PostRejected(f"{channel.channel[:40]!r} is not a Discord channel id")
        target = self._client.get_partial_messageable(int(channel.channel))
        try:
            sent = await target.send(**render_reply(message).send_kwargs())  # type: ignore[call-overload]
        except discord.RateLimited as error:  # longer than discord.py is willing to wait
            raise PostRejected("Discord asked us to slow down", error.retry_after) from error
        except discord.NotFound as error:
            raise PostRejected(f"channel {channel.channel} does not exist: {error.text}") from error
        except discord.Forbidden as error:
            raise PostRejected(
                f"no permission to post in channel {channel.channel}: {error.text}"
            ) from error
        except discord.HTTPException as error:
            raise PostRejected(
                f"Discord refused the post ({error.status}): {error.text}"
            ) from error
        return str(sent.id)
