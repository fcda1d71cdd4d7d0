"""Which adapters ``paperbot run`` starts, read from the environment beside the core's settings.

Each platform's settings are its own small record, so the core's ``Settings`` knows nothing of
Slack or Discord; the composition root hands each adapter only what it needs.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.settings import SettingsError

TURN_ON = (
    "Slack: PAPERBOT_SLACK_BOT_TOKEN and PAPERBOT_SLACK_SIGNING_SECRET (or "
    "PAPERBOT_SLACK_APP_TOKEN for Socket Mode, or PAPERBOT_SLACK_CLIENT_ID and "
    "PAPERBOT_SLACK_CLIENT_SECRET to be installed in many workspaces); "
    "Discord: PAPERBOT_DISCORD_TOKEN; "
    "a terminal chat: PAPERBOT_CONSOLE=1"
)


DISCORD_API_URL = "https://discord.com/api/v10"
MAX_SHARDS = 1024  # Discord wants a shard per 2,500 servers at most; this is far beyond that
_HOST_NAME = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    """The bot token, the REST base (the gateway address comes from its /gateway/bot), and how
    many gateway shards the bot's servers are split into (each held by one worker process)."""

    token: str = field(repr=False)
    api_url: str = DISCORD_API_URL
    shards: int = 1


@dataclass(frozen=True, slots=True)
class SlackSettings:
    """Single-workspace Slack: a bot token, and the signing secret and where to serve HTTP, or
    an app-level token for Socket Mode. Multi-workspace: the app's OAuth client id and secret
    instead of a bot token (HTTP only; tokens are kept in the database)."""

    bot_token: str | None
    signing_secret: str = field(repr=False)
    api_url: str = "https://slack.com/api/"
    http_host: str = "127.0.0.1"
    http_port: int = 3000
    app_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class AdapterSettings:
    console: bool = False
    slack: SlackSettings | None = None
    discord: DiscordSettings | None = None

    @property
    def any(self) -> bool:
        return self.console or self.slack is not None or self.discord is not None


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if raw in {"", "0", "false", "no", "off"}:
        return False
    if raw in {"1", "true", "yes", "on"}:
        return True
    raise SettingsError(f"{name} must be true or false, not {raw[:40]!r}")


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and 0 <= int(raw) <= 65535):
        raise SettingsError(f"{name} must be a port number (0-65535), not {raw[:40]!r}")
    return int(raw)


def _http_url(name: str, raw: str) -> str:
    """An http(s) URL with a host: ``http://`` alone would only fail later, less clearly."""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{name} must be an http(s) URL with a host, not {raw[:60]!r}")
    return raw


def _host(name: str, raw: str) -> str:
    """An IP address or a host name to bind to (no scheme, port or path)."""
    try:
        ipaddress.ip_address(raw)
    except ValueError:
        if not _HOST_NAME.fullmatch(raw):
            raise SettingsError(
                f"{name} must be an address or host name to listen on, such as 127.0.0.1 or "
                f"0.0.0.0, not {raw[:60]!r}"
            ) from None
    return raw


def _oauth_client(env: Mapping[str, str], token: str) -> tuple[str, str] | None:
    """PAPERBOT_SLACK_CLIENT_ID and _SECRET, which turn on multi-workspace OAuth mode."""
    client_id = (env.get("PAPERBOT_SLACK_CLIENT_ID") or "").strip()
    client_secret = (env.get("PAPERBOT_SLACK_CLIENT_SECRET") or "").strip()
    if not client_id and not client_secret:
        return None
    if not (client_id and client_secret):
        raise SettingsError(
            "PAPERBOT_SLACK_CLIENT_ID and PAPERBOT_SLACK_CLIENT_SECRET go together (OAuth mode)"
        )
    if token:
        raise SettingsError(
            "Set PAPERBOT_SLACK_BOT_TOKEN (one workspace) or PAPERBOT_SLACK_CLIENT_ID and "
            "PAPERBOT_SLACK_CLIENT_SECRET (installed in many), not both"
        )
    return client_id, client_secret


def load_slack_settings(env: Mapping[str, str]) -> SlackSettings | None:
    token = (env.get("PAPERBOT_SLACK_BOT_TOKEN") or "").strip()
    app_token = (env.get("PAPERBOT_SLACK_APP_TOKEN") or "").strip() or None
    oauth = _oauth_client(env, token)
    if app_token and not token:
        raise SettingsError("PAPERBOT_SLACK_APP_TOKEN (Socket Mode) needs PAPERBOT_SLACK_BOT_TOKEN")
    if app_token and not app_token.startswith("xapp-"):
        raise SettingsError("PAPERBOT_SLACK_APP_TOKEN must be an app-level token (xapp-…)")
    if token and not token.startswith("xoxb-"):
        raise SettingsError(
            "PAPERBOT_SLACK_BOT_TOKEN must be the app's Bot User OAuth Token (xoxb-…), not a "
            "user token or anything else"
        )
    if not token and oauth is None:
        return None
    secret = (env.get("PAPERBOT_SLACK_SIGNING_SECRET") or "").strip()
    if not secret and not app_token:
        raise SettingsError(
            "PAPERBOT_SLACK_SIGNING_SECRET must be set with PAPERBOT_SLACK_BOT_TOKEN or the OAuth "
            "client: it verifies every request from Slack"
        )
    api_url = (env.get("PAPERBOT_SLACK_API_URL") or "").strip() or "https://slack.com/api/"
    _http_url("PAPERBOT_SLACK_API_URL", api_url)
    return SlackSettings(
        bot_token=token or None,
        signing_secret=secret,
        api_url=api_url,
        http_host=_host(
            "PAPERBOT_HTTP_HOST", (env.get("PAPERBOT_HTTP_HOST") or "").strip() or "127.0.0.1"
        ),
        http_port=_port(env, "PAPERBOT_HTTP_PORT", 3000),
        app_token=app_token,
        client_id=oauth[0] if oauth else None,
        client_secret=oauth[1] if oauth else None,
    )


@dataclass(frozen=True, slots=True)
class HealthSettings:
    """Where ``paperbot run`` serves /healthz, /readyz and /metrics; no port: not served."""

    port: int | None = None
    host: str = "127.0.0.1"


def load_health_settings(env: Mapping[str, str] | None = None) -> HealthSettings:
    env = os.environ if env is None else env
    host = _host(
        "PAPERBOT_METRICS_HOST", (env.get("PAPERBOT_METRICS_HOST") or "").strip() or "127.0.0.1"
    )
    if not (env.get("PAPERBOT_METRICS_PORT") or "").strip():
        return HealthSettings(None, host)
    return HealthSettings(_port(env, "PAPERBOT_METRICS_PORT", 0), host)


def load_adapter_settings(env: Mapping[str, str] | None = None) -> AdapterSettings:
    env = os.environ if env is None else env
    return AdapterSettings(
        console=_flag(env, "PAPERBOT_CONSOLE"),
        slack=load_slack_settings(env),
        discord=_discord(env),
    )


def _discord(env: Mapping[str, str]) -> DiscordSettings | None:
    token = (env.get("PAPERBOT_DISCORD_TOKEN") or "").strip()
    if not token:
        return None
    api_url = (env.get("PAPERBOT_DISCORD_API_URL") or DISCORD_API_URL).strip().rstrip("/")
    _http_url("PAPERBOT_DISCORD_API_URL", api_url)
    raw = (env.get("PAPERBOT_DISCORD_SHARDS") or "").strip() or "1"
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_SHARDS):
        raise SettingsError(
            f"PAPERBOT_DISCORD_SHARDS must be a whole number from 1 to {MAX_SHARDS}, "
            f"not {raw[:40]!r}"
        )
    return DiscordSettings(token, api_url, int(raw))
