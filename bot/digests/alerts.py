"""Digest trouble goes to the log and, when one is configured, to an admin channel.

Posting an alert must never break the run that raised it: a failing admin post is logged and
dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from bot.model import Channel
from bot.ports import Poster
from bot.reply import Heading, Reply, Text
from bot.reply_split import split_reply

log = logging.getLogger("paperbot.digests")


class Alerts:
    def __init__(self, posters: Mapping[str, Poster], admin_channel: Channel | None) -> None:
        self._posters = posters
        self._admin = admin_channel

    async def send(self, message: str) -> None:
        log.warning("digest alert: %s", message)
        if self._admin is None:
            return
        poster = self._posters.get(self._admin.platform)
        if poster is None:
            log.warning("no poster for the admin channel's platform %r", self._admin.platform)
            return
        reply = Reply((Heading("paperbot: digest trouble"), Text(message, "error")))
        try:
            for part in split_reply(reply, poster.limits):
                await poster.send(self._admin, part)
        except Exception:
            log.exception("could not post the alert to the admin channel")
