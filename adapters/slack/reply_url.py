"""Answers through a command's or a click's response URL: private notes and the fallback."""

from __future__ import annotations

from slack_bolt.context.respond.async_respond import AsyncRespond

from adapters.slack.render import render_reply
from bot.reply import Reply, text_reply


async def respond_with(respond: AsyncRespond, message: Reply, response_type: str) -> None:
    """A message through a response URL, never replacing the message a click came from."""
    rendered = render_reply(message)
    await respond(
        text=rendered.text,
        blocks=rendered.blocks,
        response_type=response_type,
        replace_original=False,
    )


class FirstProgress:
    """The first slow step's note, to the caller only: a response URL takes five answers, and
    the reply still needs its own."""

    def __init__(self, respond: AsyncRespond) -> None:
        self._respond = respond
        self._told = False

    async def __call__(self, note: str) -> None:
        if not self._told:
            self._told = True
            await respond_with(self._respond, text_reply(f"… {note}", private=True), "ephemeral")
