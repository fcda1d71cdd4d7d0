"""A loopback fake of Slack's Web API and response URLs that records every call.

It answers what paperbot calls (``auth.test``, ``chat.postMessage``, ``chat.update``,
``chat.postEphemeral``, ``chat.getPermalink``, ``chat.unfurl``, whose ``unfurls`` must name
links ``share`` said the message has, ``oauth.v2.access`` for a code in ``install_codes`` from
the app's ``app_credentials`` (when set), and the external file upload:
``files.getUploadURLExternal`` hands out an upload URL on this fake, which keeps the bytes POSTed
to it in ``uploads``, and ``files.completeUploadExternal`` shares them) the way Slack does,
noting the token each call was made with, and can be told to refuse: a 429 with ``Retry-After``
for the next calls of a method, ``not_in_channel`` for a channel, or ``invalid_auth`` for every
call with a token in ``invalid_tokens`` (a revoked token). For Socket Mode,
``apps.connections.open`` hands out its own WebSocket, which greets with ``hello`` and then
delivers the envelopes a test pushes, recording the app's acknowledgements.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = "UBOT"
TEAM = "T1"


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    token: str | None = None  # the bearer token the call carried
    client: tuple[str, str] | None = None  # the app's id and secret, sent as basic auth


def basic_credentials(authorization: str) -> tuple[str, str] | None:
    """The id and secret of an ``Authorization: Basic`` header, or None."""
    if not authorization.startswith("Basic "):
        return None
    user, _, password = (
        base64.b64decode(authorization.removeprefix("Basic ")).decode().partition(":")
    )
    return user, password


def bot_token_for(team: str) -> str:
    """The bot token the fake hands out when ``team`` installs the app."""
    return f"xoxb-{team}-installed"


@dataclass
class Upload:
    """A file as the fake received it: announced, its bytes POSTed, then shared (or not yet)."""

    file_id: str
    filename: str
    length: int
    content: bytes | None = None  # what was POSTed to the upload URL
    shared: dict[str, Any] | None = None  # the files.completeUploadExternal call's params


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)  # bodies sent to response URLs
    not_in_channel: set[str] = field(default_factory=set)
    channel_errors: dict[str, str] = field(default_factory=dict)  # channel -> Slack error code
    rate_limited: dict[str, int] = field(default_factory=dict)  # method -> 429s still to answer
    retry_after: int = 1
    stalled: set[str] = field(default_factory=set)  # methods that never answer (a hung Slack)
    install_codes: dict[str, str] = field(default_factory=dict)  # OAuth code -> team id
    # The app's client id and secret: oauth.v2.access refuses others, as Slack does
    app_credentials: tuple[str, str] | None = None
    invalid_tokens: set[str] = field(default_factory=set)  # answered invalid_auth (revoked)
    shared: dict[str, set[str]] = field(default_factory=dict)  # message ts or unfurl id -> links
    base_url: str = ""
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    acks: list[dict[str, Any]] = field(default_factory=list)  # Socket Mode acknowledgements
    _socket: web.WebSocketResponse | None = None
    _changed: asyncio.Condition | None = None
    _runner: web.AppRunner | None = None
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    uploads: dict[str, Upload] = field(default_factory=dict)  # by file id, in upload order
    held: int = 0  # posts to response URLs waiting for ``release_responses``
    _answering: asyncio.Event | None = None  # cleared by ``hold_responses``

    def hold_responses(self) -> None:
        """Response URLs take posts but answer none until ``release_responses``: the answers
        of acknowledged commands stay in flight for as long as a test needs."""
        self._answering = asyncio.Event()

    def release_responses(self) -> None:
        if self._answering is not None:
            self._answering.set()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # chat.getPermalink is a GET
        app.router.add_post("/respond/{hook}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._websocket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self._changed = asyncio.Condition()

    async def stop(self) -> None:
        self._stopping.set()  # stalled calls end, so the server can shut down
        self.release_responses()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, hook: str = "cmd") -> str:
        return f"{self.base_url}/respond/{hook}"

    def called(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]

    async def wait_for(self, check: Callable[[], bool]) -> None:
        """Until ``check()`` holds after some call arrived; fails the test after 5 s."""
        assert self._changed is not None
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(check), 5.0)

    async def wait_for_long(self, check: Callable[[], bool]) -> None:
        """Until ``check()`` holds, however long (benchmarks bound it themselves)."""
        assert self._changed is not None
        async with self._changed:
            await self._changed.wait_for(check)

    async def _note(self) -> None:
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.method == "GET":
            params: dict[str, Any] = dict(request.query)
        elif request.content_type == "application/json":
            params = await request.json()
        else:
            params = dict(await request.post())
        params = {**request.query, **params}  # slack_sdk sends some methods' params as a query
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        client = basic_credentials(auth)
        self.calls.append(Call(method, params, token or params.get("token"), client))
        if method in self.stalled:
            await self._note()
            await self._stopping.wait()  # no answer: the client must give up by itself
        try:
            return self._answer(method, params, self.calls[-1].token)
        finally:
            await self._note()

    def tokens_used(self, method: str) -> list[str | None]:
        return [c.token for c in self.calls if c.method == method]

    def _answer(self, method: str, params: dict[str, Any], token: str | None) -> web.Response:
        if token in self.invalid_tokens:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if self.rate_limited.get(method, 0) > 0:
            self.rate_limited[method] -= 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(self.retry_after)},
            )
        if method == "apps.connections.open":
            return web.json_response(
                {"ok": True, "url": self.base_url.replace("http", "ws") + "/socket"}
            )
        if method == "auth.test":
            team = next((t for t in self.install_codes.values() if token == bot_token_for(t)), TEAM)
            return web.json_response(
                {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": team, "team": "t"}
            )
        if method == "oauth.v2.access":
            return self._oauth_access(str(params.get("code")), self.calls[-1].client)
        if method.startswith("files."):
            return self._files(method, params)
        if method == "chat.unfurl":
            return self._unfurl(params)
        if method in {"chat.postMessage", "chat.postEphemeral", "chat.update"}:
            channel = str(params.get("channel"))
            if channel in self.not_in_channel:
                return web.json_response({"ok": False, "error": "not_in_channel"})
            if channel in self.channel_errors:
                return web.json_response({"ok": False, "error": self.channel_errors[channel]})
            ts = params.get("ts") or f"1780000000.{next(self._ts):06d}"
            return web.json_response({"ok": True, "channel": channel, "ts": ts})
        if method == "chat.getPermalink":
            where, ts = str(params.get("channel")), str(params.get("message_ts"))
            link = f"https://paperbot-test.slack.invalid/archives/{where}/p{ts.replace('.', '')}"
            return web.json_response({"ok": True, "channel": where, "permalink": link})
        return web.json_response({"ok": False, "error": "unknown_method"})

    def shared_files(self) -> list[Upload]:
        """The uploads completed into a channel, in order."""
        return [u for u in self.uploads.values() if u.shared is not None]

    def _files(self, method: str, params: dict[str, Any]) -> web.Response:
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.uploads) + 1:05d}"
            length = int(params.get("length") or 0)
            self.uploads[file_id] = Upload(file_id, str(params.get("filename")), length)
            url = f"{self.base_url}/upload/{file_id}"
            return web.json_response({"ok": True, "upload_url": url, "file_id": file_id})
        if method == "files.completeUploadExternal":
            channel = str(params.get("channel_id"))
            if channel in self.not_in_channel:
                return web.json_response({"ok": False, "error": "not_in_channel"})
            listed = json.loads(str(params.get("files") or "[]"))
            found = [self.uploads.get(str(f.get("id"))) for f in listed]
            if not found or any(u is None or u.content is None for u in found):
                return web.json_response({"ok": False, "error": "file_not_found"})
            files = []
            for upload, entry in zip(found, listed, strict=True):
                assert upload is not None
                upload.shared = params
                files.append({"id": upload.file_id, "title": entry.get("title")})
            return web.json_response({"ok": True, "files": files})
        return web.json_response({"ok": False, "error": "unknown_method"})

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL: Slack takes the file's bytes as the body (raw or a form's file)."""
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="unknown upload")
        body = await request.read()
        if len(body) != upload.length:
            return web.Response(status=400, text=f"expected {upload.length} bytes")
        upload.content = body
        await self._note()
        return web.Response(text=f"OK - {len(body)}")

    def share(self, key: str, *urls: str) -> None:
        """Links posted in a message (by its ``ts``) or typed in a message box (by its
        ``unfurl_id``): the only ones ``chat.unfurl`` may unfurl there."""
        self.shared.setdefault(key, set()).update(urls)

    def unfurled(self) -> list[dict[str, Any]]:
        """Each ``chat.unfurl`` call's ``unfurls`` (link -> blocks), in order."""
        found: list[dict[str, Any]] = []
        for params in self.called("chat.unfurl"):
            unfurls = params.get("unfurls")
            found.append(json.loads(unfurls) if isinstance(unfurls, str) else unfurls or {})
        return found

    def _unfurl(self, params: dict[str, Any]) -> web.Response:
        if bool(params.get("channel") and params.get("ts")) == bool(
            params.get("unfurl_id") and params.get("source")
        ):
            return web.json_response({"ok": False, "error": "invalid_arguments"})
        unfurls = params.get("unfurls")
        links = set(json.loads(unfurls) if isinstance(unfurls, str) else unfurls or {})
        posted = self.shared.get(str(params.get("ts") or params.get("unfurl_id")), set())
        if not links or not links <= posted:
            return web.json_response({"ok": False, "error": "cannot_unfurl_message"})
        return web.json_response({"ok": True})

    def _oauth_access(self, code: str, client: tuple[str, str] | None) -> web.Response:
        if self.app_credentials is not None and client != self.app_credentials:
            wrong_id = client is None or client[0] != self.app_credentials[0]
            error = "invalid_client_id" if wrong_id else "bad_client_secret"
            return web.json_response({"ok": False, "error": error})
        team = self.install_codes.get(code)
        if team is None:
            return web.json_response({"ok": False, "error": "invalid_code"})
        return web.json_response(
            {
                "ok": True,
                "app_id": "A1",
                "authed_user": {"id": "U1"},
                "scope": "commands,chat:write,reactions:read",
                "token_type": "bot",
                "access_token": bot_token_for(team),
                "bot_user_id": BOT_USER,
                "team": {"id": team, "name": f"team {team}"},
                "enterprise": None,
                "is_enterprise_install": False,
            }
        )

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self._answering is not None and not self._answering.is_set():
            self.held += 1
            await self._note()
            await self._answering.wait()
            self.held -= 1
        self.responses.append(body)
        await self._note()
        return web.Response(text="ok")

    async def push(self, kind: str, payload: dict[str, Any], envelope_id: str) -> None:
        """Deliver one Socket Mode envelope once the app is connected."""
        await self.wait_for(lambda: self._socket is not None)
        assert self._socket is not None
        envelope: dict[str, Any] = {"envelope_id": envelope_id, "type": kind, "payload": payload}
        envelope["accepts_response_payload"] = kind == "slash_commands"
        await self._socket.send_json(envelope)

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        await socket.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}
        )
        self._socket = socket
        await self._note()
        async for message in socket:
            if message.type == web.WSMsgType.TEXT:
                self.acks.append(json.loads(message.data))
                await self._note()
        self._socket = None
        return socket


def blocks_text(params: dict[str, Any]) -> str:
    """Every text in a message's blocks, for assertions that read what a person would see."""
    blocks = params.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks or [])
    return "\n".join(found)
