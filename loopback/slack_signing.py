"""Requests built and signed the way Slack sends them to an app's request URL."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import aiohttp

SECRET = "test-signing-secret"


def signature(secret: str, timestamp: str, body: str | bytes) -> str:
    raw = body.encode() if isinstance(body, str) else body
    base = f"v0:{timestamp}:".encode() + raw
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackSender:
    """Posts commands, interactions and events to the app, signed with ``secret``."""

    def __init__(self, url: str, secret: str = SECRET) -> None:
        self.url = url
        self.secret = secret

    async def send(
        self,
        body: str,
        content_type: str,
        *,
        secret: str | None = None,
        age: float = 0,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        signed = self.signed_headers(body, content_type, secret=secret, age=age)
        return await self.post(body.encode(), {**signed, **(headers or {})})

    def signed_headers(
        self, body: str | bytes, content_type: str, *, secret: str | None = None, age: float = 0
    ) -> dict[str, str]:
        """The headers Slack sends with ``body``, signed now (or ``age`` seconds ago)."""
        timestamp = str(int(time.time() - age))
        return {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature(secret or self.secret, timestamp, body),
        }

    async def post(self, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        """``body`` with exactly ``headers``: a replay, or a request Slack would never send."""
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.url, data=body, headers=headers) as response,
        ):
            return response.status, await response.text()

    async def command(self, text: str, response_url: str, **fields: str) -> tuple[int, str]:
        form = command_form(text, response_url, **fields)
        return await self.send(urlencode(form), "application/x-www-form-urlencoded")

    async def click(
        self, action_id: str, message_ts: str, response_url: str, user: str = "U1", **kw: Any
    ) -> tuple[int, str]:
        """A click on a message posted through workspace T1; ``user_team`` is the clicker's
        own workspace when it is another (a Slack Connect channel); ``unfurl_url``: on the card
        unfurled for that link on someone's message ``message_ts``."""
        container: dict[str, Any] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": kw.get("channel", "C1"),
            "is_ephemeral": False,
        }
        if "unfurl_url" in kw:  # as Slack describes a click in an app's unfurl
            container.update(
                type="message_attachment",
                attachment_id=1,
                is_app_unfurl=True,
                app_unfurl_url=kw["unfurl_url"],
            )
        payload = {
            "type": "block_actions",
            "team": {"id": "T1", "domain": "lab"},
            "user": {"id": user, "username": user.lower(), "team_id": kw.get("user_team", "T1")},
            "api_app_id": "A1",
            "token": "legacy",
            "trigger_id": uuid.uuid4().hex,
            "container": container,
            "channel": {"id": kw.get("channel", "C1"), "name": "papers"},
            "response_url": response_url,
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b",
                    "value": "v",
                    "action_ts": kw.get("action_ts", f"{time.time():.6f}"),
                }
            ],
        }
        body = urlencode({"payload": json.dumps(payload)})
        return await self.send(body, "application/x-www-form-urlencoded")

    async def reaction(
        self,
        added: bool,
        message_ts: str,
        emoji: str,
        *,
        user: str = "U2",
        event_ts: float,
        event_id: str | None = None,
        retry: int | None = None,
        user_team: str | None = None,
        **kw: Any,
    ) -> tuple[int, str]:
        """A reaction in C1; ``user_team`` is the reacting user's workspace in a shared channel."""
        event = {
            "type": "reaction_added" if added else "reaction_removed",
            "user": user,
            "reaction": emoji,
            "item_user": "UBOT",
            "item": {"type": "message", "channel": "C1", "ts": message_ts},
            "event_ts": f"{event_ts:.6f}",
        }
        if user_team is not None:
            event["user_team"] = user_team
        headers = {}
        if retry is not None:
            headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.event(event, event_id=event_id, headers=headers, **kw)

    async def link_shared(
        self, message_ts: str, *urls: str, source: str = "conversations_history", **kw: Any
    ) -> tuple[int, str]:
        """User U1 posted (or, with ``source="composer"``, is typing) ``urls`` in C1."""
        return await self.event(link_shared_event(message_ts, *urls, source=source), **kw)

    async def event(
        self,
        event: dict[str, Any],
        *,
        team: str = "T1",
        channel_team: str | None = None,
        event_id: str | None = None,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> tuple[int, str]:
        """An Events API ``event_callback`` carrying ``event`` for the app installed in ``team``.

        ``channel_team`` is the workspace a Slack Connect channel belongs to, when another one:
        Slack names it as the top-level ``team_id`` and the installation in ``authorizations``.
        """
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": channel_team or team,
                "api_app_id": "A1",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
                "event_time": int(float(event.get("event_ts") or time.time())),
                "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
                "is_ext_shared_channel": channel_team not in (None, team),
            }
        )
        return await self.send(body, "application/json", headers=headers, **kw)


def command_form(text: str, response_url: str, **fields: str) -> dict[str, str]:
    """A ``/papers`` invocation as Slack sends it (form fields; Socket Mode's payload)."""
    return {
        "token": "legacy",
        "team_id": "T1",
        "team_domain": "lab",
        "channel_id": "C1",
        "channel_name": "papers",
        "user_id": "U1",
        "user_name": "ada",
        "command": "/papers",
        "text": text,
        "api_app_id": "A1",
        "response_url": response_url,
        "trigger_id": uuid.uuid4().hex,
        **fields,
    }


def link_shared_event(
    message_ts: str, *urls: str, source: str = "conversations_history"
) -> dict[str, Any]:
    """A ``link_shared`` event as Slack sends it: in the composer the channel is ``COMPOSER``
    and the message has no ``ts`` yet, only an ``unfurl_id``."""
    composer = source == "composer"
    return {
        "type": "link_shared",
        "channel": "COMPOSER" if composer else "C1",
        "is_bot_user_member": True,
        "user": "U1",
        "message_ts": f"composer-{message_ts}" if composer else message_ts,
        "unfurl_id": unfurl_id_of(message_ts),
        "source": source,
        "links": [{"domain": url.split("/")[2].removeprefix("www."), "url": url} for url in urls],
        "event_ts": f"{time.time():.6f}",
    }


def unfurl_id_of(message_ts: str) -> str:
    """The ``unfurl_id`` Slack gives the links of the message (or message box) ``message_ts``."""
    return f"C1.{message_ts}.{hashlib.sha256(message_ts.encode()).hexdigest()[:16]}"
