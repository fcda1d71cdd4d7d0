"""What the core asks of an adapter: the responders each answer goes through, and the adapter's
own life cycle as ``paperbot run`` drives it.

Apart from ``bot.facade`` so that the core's behaviour and the contract adapters implement each
read on their own; adapters import these names from ``bot.facade``, which re-exports them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from bot.discussions import ThreadOpener
from bot.failures import vote_note
from bot.model import Channel
from bot.ports import Poster
from bot.reply import PaperCard, Reply
from bot.reply_split import MessageLimits
from bot.stop_deadline import Deadline
from bot.votes.events import VoteResult


class Responder(Protocol):
    """The adapter's side of one command: where its answer goes. Talks to the platform only."""

    @property
    def limits(self) -> MessageLimits:
        """What one message may carry on this platform."""
        ...

    async def send(self, message: Reply) -> str | None:
        """Send one message, privately when ``message.private``. Returns its platform reference
        (a Slack ``ts``, a Discord message id), or None when it cannot be referred to later
        (ephemeral, a response URL, stdout)."""
        ...

    async def progress(self, note: str) -> None:
        """Tell the person who asked about a slow step ("asking Hugging Face…"), or ignore it."""
        ...


class ActionResponder(Responder, ThreadOpener, Protocol):
    """The adapter's side of a card action's click: a private answer, and a thread to open."""


class VoteResponder(Protocol):
    """The adapter's side of one click or reaction: where its effects go."""

    async def send(self, message: Reply) -> str | None:
        """Tell the voter privately (a vote that failed or did not count); a platform with no
        private channel back to the voter (a reaction on Slack or Discord) drops it."""
        ...

    async def edit(self, update: MessageUpdate) -> None:
        """Replace a message the bot sent with ``update.message``."""
        ...


class LinkResponder(Protocol):
    """The adapter's side of paper links someone posted: where each link's card goes."""

    async def unfurl(self, url: str, message: Reply) -> str | None:
        """Show ``message`` (the paper's card) for the link ``url``: Slack attaches it to the
        person's message (``chat.unfurl``), Discord replies to it. Returns the reference a vote
        on the card will carry, for ``VoteResponder.edit`` to update it by, or None when no
        vote can name yet (Slack's preview in the message box: the first vote on it records it)."""
        ...


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

    @property
    def note(self) -> Reply | None:
        """What the voter is told privately: a vote that failed or did not count."""
        return vote_note(self.result)


class AdapterRefused(Exception):
    """The platform refused what the adapter was set up with (a token, say) as it started; the
    message names the setting, and ``paperbot run`` exits 78 with it, like a bad setting."""


class Adapter(Protocol):
    """A platform connection that ``paperbot run`` starts beside the digest scheduler."""

    @property
    def platform(self) -> str: ...

    @property
    def poster(self) -> Poster:
        """Posts digests and alerts into this platform's channels."""
        ...

    @property
    def ends_by_itself(self) -> bool:
        """Whether ``wait`` returning is a normal end (the console at end of input); a server
        whose ``wait`` returns has died, and ``paperbot run`` exits non-zero."""
        ...

    @property
    def serving(self) -> bool:
        """Whether it answers now (``/readyz``): the console while it reads, Slack while its
        server or socket is up, Discord while the gateway session is ready."""
        ...

    async def start(self) -> None:
        """Connect and begin serving; returns once serving."""
        ...

    async def wait(self) -> None:
        """Returns (or raises) when the adapter ends without being stopped."""
        ...

    async def stop(self, deadline: Deadline | None = None) -> None:
        """Stop taking input, finish what was acknowledged within ``deadline`` (the whole
        stop's, shared with the other stages; its own ``STOP_GRACE`` when None), then close."""
        ...


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
