"""Slack as an ``Adapter``: the bolt app served over HTTP by uvicorn at ``POST /slack/events``,
or, given an app-level token, connected through Socket Mode (no public address needed).

One workspace with a bot token, or, given ``oauth``, any number of workspaces that install the
app at ``GET /slack/install`` (served by the same uvicorn app), each with its own stored token.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator
from functools import partial

import aiohttp
import uvicorn
from slack_bolt.adapter.asgi.async_handler import AsyncSlackRequestHandler
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from adapters.slack.app import build_app
from adapters.slack.fast_ack import FastCommandAck
from adapters.slack.oauth import SlackOAuth
from adapters.slack.poster import DEFAULT_API_URL, ChannelPacer, SlackPoster, web_client
from adapters.slack.translate import PLATFORM
from bot.facade import STOP_GRACE, AdapterRefused, Core, Deadline, InFlight, Poster

log = logging.getLogger("paperbot.slack")

EVENTS_PATH = "/slack/events"


WEB_API_TIMEOUT = 30.0  # seconds a Web API call may take, as slack_sdk's own default


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: ``paperbot run`` owns SIGTERM and SIGINT."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class SlackAdapter:
    def __init__(
        self,
        core: Core,
        *,
        bot_token: str | None = None,
        signing_secret: str = "",
        oauth: SlackOAuth | None = None,
        app_token: str | None = None,
        api_url: str = DEFAULT_API_URL,
        host: str = "127.0.0.1",
        port: int = 3000,
        pacer: ChannelPacer | None = None,
        api_timeout: float = WEB_API_TIMEOUT,
        stop_grace: float = STOP_GRACE,
    ) -> None:
        if (bot_token is None) == (oauth is None):
            raise ValueError("Slack needs a bot token or OAuth settings: exactly one of them")
        self.client = web_client(bot_token, api_url, partial(core.api_error, PLATFORM))
        self._pacer = pacer or ChannelPacer()
        self._in_flight = InFlight("Slack commands and votes")
        self._stop_grace = stop_grace
        self.app = build_app(core, self.client, signing_secret, self._pacer, oauth, self._in_flight)
        tokens = None if oauth is None else oauth.bot_token
        self.platform = PLATFORM
        self.ends_by_itself = False
        self.poster: Poster = SlackPoster(self.client, self._pacer, tokens)
        self._host = host
        self._port = port
        self._app_token = app_token
        self._signing_secret = signing_secret
        self._front: FastCommandAck | None = None
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._stopped = asyncio.Event()
        self._api_timeout = api_timeout

    @property
    def port(self) -> int:
        """The port actually served (useful when configured as 0)."""
        return self._port

    async def start(self) -> None:
        # One connection pool for every Web API call: without it slack_sdk opens (and closes) an
        # aiohttp session, and a TCP connection, per call. bolt's per-request clients share it.
        # slack_sdk applies its own timeout only to sessions it makes: a hung Web API would hold
        # a command (and the channel's later posts behind it) for minutes without this one.
        timeout = aiohttp.ClientTimeout(total=self._api_timeout)
        self.client.session = aiohttp.ClientSession(timeout=timeout)
        if self._app_token:
            self._socket = AsyncSocketModeHandler(self.app, self._app_token)
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            return
        try:
            sock = socket.create_server((self._host, self._port), reuse_port=False)
        except OSError as error:  # in use, or an address this machine does not have
            raise AdapterRefused(
                f"PAPERBOT_HTTP_HOST:PAPERBOT_HTTP_PORT {self._host}:{self._port} cannot be "
                f"listened on ({error.strerror or error})"
            ) from None
        self._port = sock.getsockname()[1]
        handler = AsyncSlackRequestHandler(self.app, path=EVENTS_PATH)
        self._front = FastCommandAck(handler, self.app, self._signing_secret, EVENTS_PATH)
        config = uvicorn.Config(
            self._front,
            lifespan="off",
            log_level="warning",
            access_log=False,
            timeout_keep_alive=30,
            http="httptools",  # C parser: h11 costs a burst of 100 acks ~10 ms more at p50
        )
        self._server = _Server(config)
        self._task = asyncio.get_running_loop().create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                await self._task  # raises what stopped it
                raise RuntimeError("the Slack HTTP server stopped while starting")
            await asyncio.sleep(0.01)

    @property
    def serving(self) -> bool:
        """The HTTP server is up, or the Socket Mode session is open."""
        if self._stopped.is_set():
            return False
        if self._socket is not None:
            session = self._socket.client.current_session
            return not self._socket.client.closed and session is not None and not session.closed
        return (
            self._server is not None
            and self._server.started
            and self._task is not None
            and not self._task.done()
        )

    async def wait(self) -> None:
        if self._task is not None:
            await asyncio.shield(self._task)
        else:
            await self._stopped.wait()

    async def stop(self, deadline: Deadline | None = None) -> None:
        """Stop taking requests, finish the acknowledged ones within ``deadline`` (the whole
        stop's), then close the Web API session they post through."""
        deadline = deadline or Deadline(self._stop_grace)
        self._stopped.set()
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
        if self._server is not None:
            self._server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        log.info(
            "stopping Slack: no new requests; waiting for %d acknowledged commands and votes",
            len(self._in_flight.tasks),
        )
        if self._front is not None:
            await self._front.drain(deadline)
        # Listeners run in bolt's own tasks, after their ack; commands to one channel wait
        # there on its pacer. They all need the Web API session still open.
        await self._in_flight.drain(deadline)
        if self.client.session is not None:
            await self.client.session.close()
