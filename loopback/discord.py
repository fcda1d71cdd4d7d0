"""A loopback Discord: the REST routes and the gateway WebSocket the real discord.py client uses.

It records every REST call, keeps the messages it created (so edits can be checked), and lets a
test dispatch gateway events (interactions, reactions) as Discord would. Responses carry
``Content-Type: application/json`` exactly, as discord.py requires; a 429 carries ``Via`` so the
client retries it instead of taking it for a Cloudflare ban.

Interactions follow Discord's rules, refused as Discord refuses them: one callback per
interaction, within 3 s of it (``10062 Unknown interaction``, ``40060 already acknowledged``);
follow-ups and ``@original`` only after a callback and within the token's 15 minutes
(``10015 Unknown Webhook``). A deferred callback (type 5) shows a "thinking…" message with the
deferral's visibility; the first follow-up fills that message and keeps its visibility whatever
flags it asks for. Once the deferred message is deleted, a follow-up is a new message with its own
flags: that is the adapter's assumption for a slow private reply (docs/architecture.md), modelled
here, not confirmed against Discord.

A message with files comes as multipart/form-data, as Discord takes it: ``payload_json`` and one
``files[n]`` part per file; the call records the files (``Call.files``) and the message lists
them in ``attachments``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web

BOT_ID = 900000000000000001
APP_ID = 900000000000000002
GUILD_ID = 900000000000000003
CHANNEL_ID = 900000000000000004
USER_ID = 900000000000000005
TIMESTAMP = "2026-06-12T09:00:00.000000+00:00"
EPHEMERAL = 64
LOADING = 128  # a deferred "thinking…" message not yet filled
CALLBACK_WITHIN = 3.0  # seconds Discord gives an interaction's first response
TOKEN_LIFETIME = 15 * 60.0
MESSAGE_CONTENT = 1 << 15  # the privileged intent that lets a bot read messages' text

BOT_USER = {
    "id": str(BOT_ID),
    "username": "paperbot",
    "discriminator": "0",
    "avatar": None,
    "bot": True,
    "global_name": "paperbot",
}


def user(user_id: int = USER_ID, name: str = "ada") -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "avatar": None,
        "global_name": name,
    }


@dataclass(frozen=True)
class Upload:
    """A file sent as a message attachment: the ``files[n]`` part of a multipart body."""

    part_name: str  # files[0], files[1], …
    filename: str
    content_type: str
    content: bytes


def member(of: dict[str, Any]) -> dict[str, Any]:
    """``of`` as a member of GUILD_ID, as gateway events carry it."""
    return {"user": of, "roles": [], "joined_at": TIMESTAMP, "deaf": False, "mute": False}


@dataclass
class Call:
    method: str
    path: str
    body: Any
    files: list[Upload] = field(default_factory=list)  # attachments, for a multipart body
    at: float = field(default_factory=time.perf_counter)  # when the fake received it


@dataclass
class Pending:
    """An interaction as Discord tracks it, from INTERACTION_CREATE to its token's expiry."""

    token: str
    created: float  # time.monotonic() when dispatched
    source_message: int | None  # the message a clicked component is on
    callback: dict[str, Any] | None = None
    original: int | None = None  # the response's message (or the clicked one)
    filling: bool = False  # a deferred "thinking…" message the next follow-up fills
    shown: list[tuple[int, int]] = field(default_factory=list)  # (message id, flags) ever shown


@dataclass
class FakeDiscord:
    """``async with FakeDiscord() as fake``: ``fake.api_url`` is the REST base to point at."""

    channels: set[int] = field(default_factory=lambda: {CHANNEL_ID})
    forbidden: set[int] = field(default_factory=set)
    rate_limit_next_posts: int = 0  # answer this many channel posts with a retryable 429
    calls: list[Call] = field(default_factory=list)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    identified: int = 0
    heartbeats: int = 0
    shard_count: int = 1  # what /gateway/bot recommends
    identifies: list[tuple[int, int]] = field(default_factory=list)  # (shard id, count) each
    threads: dict[int, int] = field(default_factory=dict)  # message id -> its thread's id
    intents: list[int] = field(default_factory=list)  # the intents each IDENTIFY asked for

    def __post_init__(self) -> None:
        self._ids: Iterator[int] = itertools.count(910000000000000000)
        self._seq: dict[str, int] = {}  # by session id: the last sequence number sent
        self._session_of: dict[int, str] = {}  # by id() of a socket: the session it carries
        self._shard_of: dict[str, tuple[int, int]] = {}  # by session id: (shard id, count)
        self._sockets: set[web.WebSocketResponse] = set()  # open gateway connections
        self._ws: web.WebSocketResponse | None = None  # the session serving GUILD_ID's shard
        self._ready = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.sessions = 0
        self.interactions: dict[str, Pending] = {}  # by interaction id
        self.deleted: list[int] = []  # message ids deleted
        self.resumed: list[str] = []  # session ids resumed
        self.callback_within = CALLBACK_WITHIN
        # public messages (callbacks and follow-ups) refused as a bad form body (50035)
        self.revoked = False  # the token is refused: every IDENTIFY, RESUME and REST call
        self.refuse_public_answers = False
        # whether the Developer Portal allows the message content intent (else IDENTIFY: 4014)
        self.message_content_allowed = True

    # ---- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *_exc: object) -> None:
        for ws in list(self._sockets):
            await ws.close()
        assert self._runner is not None
        await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    def new_id(self) -> int:
        return next(self._ids)

    # ---- gateway ---------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.add(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        try:
            await self._serve(ws)
        finally:
            self._sockets.discard(ws)
            if ws is self._ws:
                self._ready.clear()
        self.gateway_closed = ws.close_code is not None and ws is self._ws
        return ws

    async def _serve(self, ws: web.WebSocketResponse) -> None:
        async for frame in ws:
            if frame.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(frame.data)
            if payload["op"] == 1:
                self.heartbeats += 1
                await ws.send_str(json.dumps({"op": 11}))
            elif payload["op"] in (2, 6) and self.revoked:
                await ws.close(code=4004, message=b"Authentication failed.")
            elif payload["op"] == 2 and self._disallowed(payload["d"]):
                await ws.close(code=4014, message=b"Disallowed intent(s).")
            elif payload["op"] == 2:
                self.identified += 1
                shard_id, count = payload["d"].get("shard") or (0, 1)
                self.identifies.append((shard_id, count))
                self.intents.append(int(payload["d"].get("intents") or 0))
                await self._identify(ws, shard_id, count)
            elif payload["op"] == 6:
                session = payload["d"]["session_id"]
                self.resumed.append(session)
                self._session_of[id(ws)] = session
                await self._send(ws, "RESUMED", {})
                shard_id, count = self._shard_of.get(session, (0, 1))
                if shard_id == self.guild_shard(count):
                    self._ws = ws
                    self._ready.set()

    def _disallowed(self, identify: dict[str, Any]) -> bool:
        """An IDENTIFY asking for a privileged intent the portal has not switched on."""
        asked = int(identify.get("intents") or 0)
        return bool(asked & MESSAGE_CONTENT) and not self.message_content_allowed

    @staticmethod
    def guild_shard(count: int) -> int:
        """The shard Discord sends GUILD_ID's events to, of ``count`` shards."""
        return (GUILD_ID >> 22) % count

    async def drop(self) -> None:
        """Close the gateway as a network failure would; the client should resume its session."""
        assert self._ws is not None
        self._ready.clear()
        await self._ws.close(code=4000, message=b"unknown error")

    async def revoke(self) -> None:
        """Close the gateway as Discord does for a token it no longer accepts (4004), and refuse
        the token from now on: final."""
        assert self._ws is not None
        self.revoked = True
        self._ready.clear()
        await self._ws.close(code=4004, message=b"Authentication failed.")

    async def _identify(self, ws: web.WebSocketResponse, shard_id: int, count: int) -> None:
        """A new session, whose sequence numbers start again at 1 (READY's), as Discord's do.
        Only the session of GUILD_ID's shard hears of that server and its events."""
        self.sessions += 1
        session = f"session-{self.sessions}"
        self._session_of[id(ws)] = session
        self._shard_of[session] = (shard_id, count)
        mine = shard_id == self.guild_shard(count)
        ready = {
            "v": 10,
            "user": BOT_USER,
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}] if mine else [],
            "session_id": session,
            "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway",
            "application": {"id": str(APP_ID), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }
        await self._send(ws, "READY", ready)
        if mine:
            self._ws = ws
            await self._send(ws, "GUILD_CREATE", guild())
            self._ready.set()

    async def _send(
        self, ws: web.WebSocketResponse, event: str, data: dict[str, Any], seq: int | None = None
    ) -> int:
        if seq is None:
            session = self._session_of[id(ws)]
            seq = self._seq[session] = self._seq.get(session, 0) + 1
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": seq, "d": data}))
        return seq

    async def connected(self) -> None:
        """Until a session serves GUILD_ID's shard: callers bound the wait (a process starting on
        a loaded machine may take long to get there, and a test must not depend on how fast)."""
        await self._ready.wait()

    async def dispatch(self, event: str, data: dict[str, Any], seq: int | None = None) -> int:
        """Send a gateway event; ``seq`` repeats an earlier one's, as a replay on resume does."""
        await self.connected()
        assert self._ws is not None
        return await self._send(self._ws, event, data, seq)

    # ---- what a test sends -----------------------------------------------------------------

    async def slash(self, subcommand: str | None, **options: Any) -> str:
        """A ``/papers <subcommand>`` interaction (``/papers`` alone with None, as a client
        whose commands are out of date may send); returns its token (follow-ups use it)."""
        types = {str: 3, int: 4, bool: 5}
        given = [{"name": k, "type": types[type(v)], "value": v} for k, v in options.items()]
        data = {
            "id": str(self.new_id()),
            "name": "papers",
            "type": 1,
            "options": []
            if subcommand is None
            else [{"name": subcommand, "type": 1, "options": given}],
        }
        return await self._interact(2, data)

    async def click(self, message_id: int, custom_id: str, clicker: int = USER_ID) -> str:
        """A click on a button of ``message_id``, a message the client may never have seen."""
        message = self.messages[message_id]
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interact(3, data, message=message, clicker=clicker)

    async def _interact(
        self, kind: int, data: dict[str, Any], message: Any = None, clicker: int = USER_ID
    ) -> str:
        token = f"token-{self.new_id()}"
        interaction_id = str(self.new_id())
        source = int(message["id"]) if message is not None else None
        self.interactions[interaction_id] = Pending(token, time.monotonic(), source)
        payload = {
            "id": interaction_id,
            "application_id": str(APP_ID),
            "type": kind,
            "token": token,
            "version": 1,
            "guild_id": str(GUILD_ID),
            "channel_id": str(CHANNEL_ID),
            "channel": channel(CHANNEL_ID),
            "member": {
                "user": user(clicker),
                "roles": [],
                "joined_at": TIMESTAMP,
                "deaf": False,
                "mute": False,
                "permissions": "2147483647",
                "flags": 0,
            },
            "app_permissions": "2147483647",
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0,
            "attachment_size_limit": 10_485_760,
            "data": data,
        }
        if message is not None:
            payload["message"] = message
        await self.dispatch("INTERACTION_CREATE", payload)
        return token

    async def write(self, channel_id: int, author: dict[str, Any]) -> int:
        """Someone posts a message (no content: reading it needs a privileged intent) in a
        channel or thread; its MESSAGE_CREATE goes out over the gateway. Returns its id."""
        self.channels.add(channel_id)
        message = self._create(channel_id, {})
        message |= {"author": author, "guild_id": str(GUILD_ID)}
        await self.dispatch("MESSAGE_CREATE", message)
        return int(message["id"])

    async def react(
        self,
        message_id: int,
        emoji: str,
        *,
        added: bool = True,
        by: int = USER_ID,
        seq: int | None = None,
    ) -> int:
        """A raw reaction event; returns its gateway sequence number (pass it back to replay)."""
        data: dict[str, Any] = {
            "user_id": str(by),
            "channel_id": str(CHANNEL_ID),
            "message_id": str(message_id),
            "guild_id": str(GUILD_ID),
            "emoji": {"id": None, "name": emoji},
            "burst": False,
            "type": 0,
        }
        if added:
            data["member"] = {
                "user": user(by),
                "roles": [],
                "joined_at": TIMESTAMP,
                "deaf": False,
                "mute": False,
                "flags": 0,
            }
        kind = "MESSAGE_REACTION_ADD" if added else "MESSAGE_REACTION_REMOVE"
        return await self.dispatch(kind, data, seq)

    async def say(self, content: str, *, by: dict[str, Any] | None = None) -> int:
        """Someone (``user()`` unless ``by``) posts ``content`` in the channel; returns the
        message's id. Discord sends the text only to a client with the message content
        intent, and empty to others, as it does for messages that do not mention the bot."""
        author = by or user()
        message = {**self._create(CHANNEL_ID, {"content": content}), "author": author}
        self.messages[int(message["id"])] = message
        content_intent = bool(self.intents and self.intents[-1] & MESSAGE_CONTENT)
        data = {**message, "guild_id": str(GUILD_ID), "member": member(author)}
        if not content_intent:
            data["content"] = ""
        await self.dispatch("MESSAGE_CREATE", data)
        return int(message["id"])

    def replies_to(self, message_id: int) -> list[dict[str, Any]]:
        """The bot's messages that reply to ``message_id`` (``message_reference``)."""
        return [
            m
            for m in self.messages.values()
            if str((m.get("message_reference") or {}).get("message_id")) == str(message_id)
        ]

    # ---- what a test checks ----------------------------------------------------------------

    def pending(self, token: str) -> Pending:
        return next(p for p in self.interactions.values() if p.token == token)

    def shown_for(self, token: str) -> list[tuple[int, int]]:
        """(message id, flags) of every message the interaction ever showed, deleted or not."""
        return self.pending(token).shown

    def calls_to(self, method: str, fragment: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and fragment in c.path]

    async def until(self, method: str, fragment: str, count: int = 1) -> list[Call]:
        """Wait (briefly) until the client has made ``count`` such calls."""
        for _ in range(500):
            found = self.calls_to(method, fragment)
            if len(found) >= count:
                return found
            await asyncio.sleep(0.01)
        raise AssertionError(f"no {count} {method} …{fragment}… in {[c.path for c in self.calls]}")

    # ---- REST ------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        files: list[Upload] = []
        if request.content_type == "multipart/form-data":
            body, files = await _multipart(request)
        else:
            body = await request.json() if request.can_read_body else None
        self.calls.append(Call(request.method, path, body, files))
        parts = path.strip("/").split("/")
        # a bot's calls carry its token; interaction callbacks and webhooks carry theirs in the path
        unsigned = not request.headers.get("Authorization", "").startswith("Bot ")
        if self.revoked or (unsigned and parts[0] not in ("interactions", "webhooks")):
            return reply({"message": "401: Unauthorized", "code": 0}, status=401)
        match request.method, parts:
            case "GET", ["users", "@me"]:
                return reply(BOT_USER)
            case "GET", ["oauth2", "applications", "@me"]:
                return reply(
                    {
                        "id": str(APP_ID),
                        "name": "paperbot",
                        "description": "",
                        "icon": None,
                        "bot_public": True,
                        "bot_require_code_grant": False,
                        "owner": user(),
                        "verify_key": "0" * 64,
                        "flags": 0,
                    }
                )
            case "GET", ["gateway", "bot"]:
                limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
                url = f"ws://127.0.0.1:{self.port}/gateway"
                return reply({"url": url, "shards": self.shard_count, "session_start_limit": limit})
            case "POST", ["interactions", interaction_id, _token, "callback"]:
                return self._callback(interaction_id, body)
            case "POST", ["webhooks", _app, token]:
                return self._with_token(token, lambda p: self._follow_up(p, body))
            case "GET", ["webhooks", _app, token, "messages", "@original"]:
                return self._with_token(token, lambda p: self._original(p))
            case "PATCH", ["webhooks", _app, token, "messages", "@original"]:
                return self._with_token(token, lambda p: self._original(p, body))
            case "DELETE", ["webhooks", _app, token, "messages", "@original"]:
                return self._with_token(token, self._delete_original)
            case "POST", ["channels", channel_id, "messages"]:
                return self._post(int(channel_id), body)
            case "POST", ["channels", channel_id, "messages", message_id, "threads"]:
                return self._start_thread(int(channel_id), int(message_id), body)
            case "PATCH", ["channels", channel_id, "messages", message_id]:
                return reply(self._edit(int(message_id), body))
            case "PUT", ["applications", _app, *_rest, "commands"]:
                return reply(
                    [
                        {
                            **c,
                            "id": str(self.new_id()),
                            "application_id": str(APP_ID),
                            "version": "1",
                            "default_member_permissions": None,
                        }
                        for c in body or ()
                    ]
                )
        return reply({"message": "404: Not Found", "code": 0}, status=404)

    def _callback(self, interaction_id: str, body: Any) -> web.Response:
        """The one initial response: a message (4), "thinking…" (5), or an update (6, 7)."""
        pending = self.interactions.get(interaction_id)
        if pending is None or time.monotonic() - pending.created > self.callback_within:
            return reply({"message": "Unknown interaction", "code": 10062}, status=404)
        if pending.callback is not None:
            already = "Interaction has already been acknowledged."
            return reply({"message": already, "code": 40060}, status=400)
        kind = body["type"]
        data = body.get("data") or {}
        ephemeral = data.get("flags", 0) & EPHEMERAL
        if self.refuse_public_answers and kind == 4 and not ephemeral:
            return refused_as_invalid()
        pending.callback = body
        message = None
        if kind in (4, 5):
            flags = ephemeral | (LOADING if kind == 5 else 0)
            message = self._create(CHANNEL_ID, {**data, "flags": flags}, webhook=True)
            pending.original, pending.filling = int(message["id"]), kind == 5
            pending.shown.append((pending.original, flags))
        elif pending.source_message is not None:
            pending.original = pending.source_message
            if kind == 7:
                message = self._edit(pending.original, data)
        answer: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": 2 if pending.source_message is None else 3,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(ephemeral),
            },
            "resource": {"type": kind},
        }
        if message is not None:
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"]["message"] = message
        return reply(answer)

    def _with_token(self, token: str, then: Callable[[Pending], web.Response]) -> web.Response:
        """Webhook routes of an interaction: only once it has a callback, for 15 minutes."""
        pending = next((p for p in self.interactions.values() if p.token == token), None)
        if (
            pending is None
            or pending.callback is None
            or time.monotonic() - pending.created > TOKEN_LIFETIME
        ):
            return reply({"message": "Unknown Webhook", "code": 10015}, status=404)
        return then(pending)

    def _follow_up(self, pending: Pending, body: Any) -> web.Response:
        """The first follow-up after a deferral fills "thinking…", keeping its visibility."""
        if self.refuse_public_answers and not (body.get("flags", 0) & EPHEMERAL):
            return refused_as_invalid()
        if pending.filling and pending.original in self.messages:
            pending.filling = False
            message = self.messages[pending.original]
            message["flags"] &= ~LOADING
            pending.shown.append((pending.original, message["flags"]))
            return reply(self._edit(pending.original, body))
        message = self._create(CHANNEL_ID, body, webhook=True)
        pending.shown.append((int(message["id"]), message["flags"]))
        return reply(message)

    def _original(self, pending: Pending, edit: Any = None) -> web.Response:
        if pending.original not in self.messages:
            return reply({"message": "Unknown Message", "code": 10008}, status=404)
        assert pending.original is not None
        found = self.messages[pending.original]
        return reply(found if edit is None else self._edit(pending.original, edit))

    def _delete_original(self, pending: Pending) -> web.Response:
        if pending.original not in self.messages:
            return reply({"message": "Unknown Message", "code": 10008}, status=404)
        assert pending.original is not None
        del self.messages[pending.original]
        self.deleted.append(pending.original)
        return web.Response(status=204)

    def _post(self, channel_id: int, body: Any) -> web.Response:
        if self.rate_limit_next_posts > 0:
            self.rate_limit_next_posts -= 1
            headers = {
                "Via": "1.1 google",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": "0.05",
                "X-RateLimit-Limit": "5",
            }
            limited = {
                "message": "You are being rate limited.",
                "retry_after": 0.05,
                "global": False,
            }
            return reply(limited, status=429, headers=headers)
        if channel_id not in self.channels:
            return reply({"message": "Unknown Channel", "code": 10003}, status=404)
        if channel_id in self.forbidden:
            return reply({"message": "Missing Permissions", "code": 50013}, status=403)
        return reply(self._create(channel_id, body))

    def _start_thread(self, channel_id: int, message_id: int, body: Any) -> web.Response:
        """A public thread from a message: a channel of its own (type 11, with the message's
        id) that takes posts; a message has at most one thread."""
        if channel_id not in self.channels or message_id not in self.messages:
            return reply({"message": "Unknown Message", "code": 10008}, status=404)
        if channel_id in self.forbidden:
            return reply({"message": "Missing Permissions", "code": 50013}, status=403)
        if message_id in self.threads:
            already = "A thread has already been created for this message"
            return reply({"message": already, "code": 160004}, status=400)
        self.threads[message_id] = thread_id = message_id  # Discord gives it the message's id
        self.channels.add(thread_id)
        return reply(
            {
                **channel(thread_id),
                "type": 11,
                "name": body["name"],
                "parent_id": str(channel_id),
                "owner_id": str(BOT_ID),
                "message_count": 0,
                "member_count": 1,
                "rate_limit_per_user": 0,
                "thread_metadata": {
                    "archived": False,
                    "auto_archive_duration": body["auto_archive_duration"],
                    "archive_timestamp": TIMESTAMP,
                    "locked": False,
                },
            }
        )

    def _create(self, channel_id: int, body: Any, webhook: bool = False) -> dict[str, Any]:
        message = {
            "id": str(self.new_id()),
            "channel_id": str(channel_id),
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(body),
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0) & (EPHEMERAL | LOADING),
        }
        if body.get("message_reference"):
            message["message_reference"] = body["message_reference"]
        if webhook:
            message["webhook_id"] = str(APP_ID)
            message["application_id"] = str(APP_ID)
        self.messages[int(message["id"])] = message
        return message

    def _attachments(self, body: Any) -> list[dict[str, Any]]:
        """The message's attachments as Discord lists them, from the payload's ``attachments``."""
        found = []
        for item in body.get("attachments") or []:
            url = f"http://127.0.0.1:{self.port}/attachments/{item.get('filename', '')}"
            name = item.get("filename", "")
            found.append({"id": str(self.new_id()), "filename": name, "url": url, "size": 0})
            found[-1]["proxy_url"] = url
        return found

    def _edit(self, message_id: int, body: Any) -> dict[str, Any]:
        message = self.messages[message_id]
        if "attachments" in body:
            message["attachments"] = self._attachments(body)
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = (
                    body[key] if body[key] is not None else ([] if key != "content" else "")
                )
        message["edited_timestamp"] = TIMESTAMP
        return message


async def _multipart(request: web.Request) -> tuple[Any, list[Upload]]:
    """A message with attachments, as Discord takes it: ``payload_json`` (the JSON body) and
    one ``files[n]`` part per file, each named in the payload's ``attachments``."""
    body: Any = None
    files: list[Upload] = []
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        assert isinstance(part, BodyPartReader)
        if part.name == "payload_json":
            body = json.loads(await part.text())
        else:
            content_type = part.headers.get("Content-Type", "application/octet-stream")
            data = bytes(await part.read())
            files.append(Upload(part.name or "", part.filename or "", content_type, data))
    return body, files


def refused_as_invalid() -> web.Response:
    """What Discord answers a message it will not take (an embed too large, say)."""
    return reply({"message": "Invalid Form Body", "code": 50035}, status=400)


def reply(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with ``Content-Type: application/json`` exactly: discord.py reads nothing else."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def channel(channel_id: int) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": "papers",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
    }


def guild() -> dict[str, Any]:
    everyone = {
        "id": str(GUILD_ID),
        "name": "@everyone",
        "permissions": "2147483647",
        "position": 0,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }
    return {
        "id": str(GUILD_ID),
        "name": "Reading group",
        "owner_id": str(USER_ID),
        "channels": [channel(CHANNEL_ID)],
        "roles": [everyone],
        "members": [],
        "member_count": 2,
        "emojis": [],
        "stickers": [],
        "features": [],
        "threads": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "voice_states": [],
        "presences": [],
        "large": False,
        "unavailable": False,
        "joined_at": TIMESTAMP,
        "icon": None,
        "splash": None,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "premium_tier": 0,
        "nsfw_level": 0,
        "preferred_locale": "en-US",
        "system_channel_flags": 0,
    }
