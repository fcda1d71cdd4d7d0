"""Discord as an ``Adapter``: log in, serve the gateway as a task, close on ``stop()``.

One adapter is one gateway connection: all of the bot's servers, or one shard of them
(``DiscordConfig.shard``), or none (``gateway=False``: REST only, so a process that holds no
shard can still post digests). ``bot/cli/shards.py`` decides which shards a process serves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

import discord
import yarl
from discord.gateway import DiscordWebSocket

from adapters.discord.app import ANSWER_WITHIN, PaperbotClient
from adapters.discord.poster import DiscordPoster
from adapters.discord.translate import PLATFORM
from adapters.discord.turns import AT_ONCE, Turns
from bot.facade import STOP_GRACE, AdapterRefused, Core, Deadline, Poster

log = logging.getLogger("paperbot.discord")

DEFAULT_API_URL = "https://discord.com/api/v10"


@dataclass(frozen=True, slots=True)
class DiscordConfig:
    token: str
    api_url: str = DEFAULT_API_URL
    guild_ready_timeout: float = 2.0  # how long READY waits for more servers to arrive
    answer_within: float = ANSWER_WITHIN  # how long a command may run before it is deferred
    at_once: int = AT_ONCE  # commands at the core at once; one more is deferred at once
    stop_grace: float = STOP_GRACE  # how long a stop waits for acknowledged work
    shard: tuple[int, int] | None = None  # (shard id, shard count); None: one unsharded session
    gateway: bool = True  # False: log in for REST only (posting), open no gateway session
    unfurl_links: bool = False  # read messages (privileged intent) and answer paper links


def point_at(api_url: str) -> None:
    """Every REST call discord.py makes (webhooks and interaction callbacks too) uses this base."""
    discord.http.Route.BASE = api_url.rstrip("/")


@dataclass(frozen=True, slots=True)
class Addresses:
    """discord.py's REST base and gateway: class attributes, so one Discord per process.

    The adapter points them at its Discord when it starts (the gateway from ``/gateway/bot``)
    and puts back what it found when it stops, so what runs next in the process starts clean.
    """

    rest: str
    gateway: yarl.URL

    @classmethod
    def current(cls) -> Addresses:
        return cls(discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)

    def restore(self) -> None:
        discord.http.Route.BASE = self.rest
        DiscordWebSocket.DEFAULT_GATEWAY = self.gateway


class DiscordAdapter:
    def __init__(self, core: Core, config: DiscordConfig) -> None:
        self._config = config
        self.client = PaperbotClient(
            core,
            config.guild_ready_timeout,
            config.answer_within,
            shard=config.shard,
            unfurl_links=config.unfurl_links,
            turns=Turns(config.at_once),
        )
        self.platform = PLATFORM
        self.ends_by_itself = False
        self.poster: Poster = DiscordPoster(self.client)
        self._task: asyncio.Task[None] | None = None
        self._found: Addresses | None = None  # discord.py's addresses before start()

    async def start(self) -> None:
        """Log in (a bad token fails here, loudly), then serve the gateway in the background."""
        self._found = Addresses.current()
        point_at(self._config.api_url)
        try:
            await self.client.login(self._config.token)
        except discord.LoginFailure as error:
            self._found.restore()
            raise AdapterRefused(f"Discord refused PAPERBOT_DISCORD_TOKEN ({error})") from None
        except BaseException:
            self._found.restore()
            raise
        if self._config.gateway:
            self._task = asyncio.get_running_loop().create_task(self._connect())

    async def _connect(self) -> None:
        """Serve until closed; a fatal gateway error ends ``wait()``, and so ``paperbot run``."""
        try:
            await self.client.connect(reconnect=True)
        except discord.PrivilegedIntentsRequired:
            log.error(
                "Discord refused the Message Content intent PAPERBOT_DISCORD_UNFURL_LINKS asks "
                "for: switch it on in the Developer Portal (Bot > Privileged Gateway Intents) "
                "or unset the setting"
            )
        except Exception:
            log.exception("the Discord gateway connection ended")

    async def ready(self) -> None:
        """Returns once the gateway session is ready (tests and ``discord sync`` wait for it)."""
        await self.client.wait_until_ready()

    @property
    def serving(self) -> bool:
        """The gateway session is ready and the client not closed (REST only: logged in)."""
        if not self._config.gateway:
            return self.client.user is not None and not self.client.is_closed()
        return self.client.is_ready() and not self.client.is_closed()

    async def wait(self) -> None:
        if self._task is not None:
            await asyncio.shield(self._task)
        elif not self._config.gateway:  # REST only: nothing that could end by itself
            await asyncio.Event().wait()

    async def stop(self, deadline: Deadline | None = None) -> None:
        # Clicks deferred and commands acknowledged finish first, within the whole stop's
        # deadline: their edits and follow-ups need the client open.
        await self.client.in_flight.drain(deadline or Deadline(self._config.stop_grace))
        await self.client.close()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._found is not None:
            self._found.restore()
            self._found = None
