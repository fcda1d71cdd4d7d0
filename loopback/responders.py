"""A recording stand-in for an adapter's side of the facade: a platform channel in memory."""

from __future__ import annotations

import itertools

from bot.facade import MessageLimits, MessageUpdate, Thread
from bot.reply import Reply


class RecordingResponder:
    """Numbers each message it is sent (``m1``, ``m2``…) and keeps every note and edit.

    It is a ``Responder``, a ``VoteResponder`` and an ``ActionResponder``; with ``refer=False``
    it is an ephemeral channel whose messages cannot be referred to later. Threads it opens are
    kept in ``threads`` as ``(message_ref, name, first message)``; with ``threads_fail`` it
    refuses to open any, as a platform without the permission would.
    """

    def __init__(self, limits: MessageLimits | None = None, refer: bool = True) -> None:
        self.limits = limits or MessageLimits()
        self.messages: dict[str, Reply] = {}
        self.notes: list[str] = []
        self.edits: list[MessageUpdate] = []
        self.threads: list[tuple[str, str, Reply]] = []
        self.threads_fail = False
        self._refer = refer
        self._ids = itertools.count(1)

    async def send(self, message: Reply) -> str | None:
        ref = f"m{next(self._ids)}"
        self.messages[ref] = message
        return ref if self._refer else None

    async def progress(self, note: str) -> None:
        self.notes.append(note)

    async def edit(self, update: MessageUpdate) -> None:
        self.edits.append(update)

    async def open_thread(self, message_ref: str, name: str, first: Reply) -> Thread:
        if self.threads_fail:
            raise PermissionError("no permission to open threads here")
        self.threads.append((message_ref, name, first))
        ref = f"t{len(self.threads)}"
        return Thread(ref, f"https://chat.invalid/threads/{ref}")

    def with_cards(self) -> list[str]:
        return [ref for ref, message in self.messages.items() if message.papers]

    def only(self) -> Reply:
        """The one message sent (fails if there were more or none)."""
        [message] = self.messages.values()
        return message


class RefusingResponder(RecordingResponder):
    """A channel the bot may not post in: private lines get through, every message for the
    channel is refused (as Slack's ``channel_not_found``)."""

    async def send(self, message: Reply) -> str | None:
        if not message.private:
            raise RuntimeError("channel_not_found")
        return await super().send(message)
