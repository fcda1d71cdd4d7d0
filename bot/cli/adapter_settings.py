"""The adapters' settings, one pydantic-settings model per concern, beside the core's.

Each platform's settings are their own model with its own prefix (``PAPERBOT_SLACK_``,
``PAPERBOT_DISCORD_``, ...), so the core's ``Settings`` knows nothing of Slack or Discord; the
composition root hands each adapter only what it needs. ``MODELS`` lists every model whose
fields are settings: the README's configuration table and deploy/paperbot.env.example are
checked against it (tests/settings). A new setting is a field in one of them; a new concern is a
model added to ``MODELS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Self

from pydantic import BeforeValidator, Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from bot.settings import LogSettings, Settings
from bot.settings_fields import Flag, Host, Port, WebUrl, text_only
from bot.settings_source import SettingsModel, gather, load

TURN_ON = (
    "Slack: PAPERBOT_SLACK_BOT_TOKEN and PAPERBOT_SLACK_SIGNING_SECRET (or "
    "PAPERBOT_SLACK_APP_TOKEN for Socket Mode, or PAPERBOT_SLACK_CLIENT_ID and "
    "PAPERBOT_SLACK_CLIENT_SECRET to be installed in many workspaces); "
    "Discord: PAPERBOT_DISCORD_TOKEN; "
    "a terminal chat: PAPERBOT_CONSOLE=1"
)
DISCORD_API_URL = "https://discord.com/api/v10"
SLACK_API_URL = "https://slack.com/api/"


def reveal(secret: SecretStr | None) -> str | None:
    """A secret's value, for the one client that sends it."""
    return secret.get_secret_value() if secret is not None else None


MAX_SHARDS = 1024  # Discord wants a shard per 2,500 servers at most; this is far beyond that


def _token(prefix: str, problem: str) -> BeforeValidator:
    """A token that starts with ``prefix``; the message never repeats its value."""

    def parse(raw: str) -> SecretStr:
        if not raw.strip().startswith(prefix):
            raise ValueError(problem)
        return SecretStr(raw.strip())

    return text_only(parse)


Secret = Annotated[SecretStr, text_only(lambda raw: SecretStr(raw.strip()))]
BotToken = Annotated[
    SecretStr,
    _token(
        "xoxb-",
        "must be the app's Bot User OAuth Token (xoxb-…), not a user token or anything else",
    ),
]
AppToken = Annotated[SecretStr, _token("xapp-", "must be an app-level token (xapp-…)")]


class HttpSettings(SettingsModel):
    """Where ``paperbot run`` serves Slack over HTTP (events, and OAuth's install pages)."""

    model_config = SettingsConfigDict(env_prefix="PAPERBOT_HTTP_")

    host: Host = "127.0.0.1"
    port: Port = 3000


class SlackSettings(SettingsModel):
    """Single-workspace Slack: a bot token, and the signing secret and where to serve HTTP, or
    an app-level token for Socket Mode. Multi-workspace: the app's OAuth client id and secret
    instead of a bot token (HTTP only; tokens are kept in the database)."""

    model_config = SettingsConfigDict(env_prefix="PAPERBOT_SLACK_")

    bot_token: BotToken | None = None
    signing_secret: Secret | None = None
    app_token: AppToken | None = None
    client_id: str | None = None
    client_secret: Secret | None = None
    api_url: WebUrl = SLACK_API_URL
    http: HttpSettings = Field(default_factory=HttpSettings)

    @model_validator(mode="after")
    def _one_mode(self) -> Self:
        """Token mode (HTTP or Socket Mode) or OAuth mode, each with what it needs."""
        oauth = (self.client_id, self.client_secret)
        if any(oauth) and not all(oauth):
            raise ValueError(
                "PAPERBOT_SLACK_CLIENT_ID and PAPERBOT_SLACK_CLIENT_SECRET go together (OAuth mode)"
            )
        if all(oauth) and self.bot_token:
            raise ValueError(
                "Set PAPERBOT_SLACK_BOT_TOKEN (one workspace) or PAPERBOT_SLACK_CLIENT_ID and "
                "PAPERBOT_SLACK_CLIENT_SECRET (installed in many), not both"
            )
        if self.app_token and not self.bot_token:
            raise ValueError(
                "PAPERBOT_SLACK_APP_TOKEN (Socket Mode) needs PAPERBOT_SLACK_BOT_TOKEN"
            )
        if not self.signing_secret and not self.app_token:
            raise ValueError(
                "PAPERBOT_SLACK_SIGNING_SECRET must be set with PAPERBOT_SLACK_BOT_TOKEN or the "
                "OAuth client: it verifies every request from Slack"
            )
        return self


def _shards(raw: str) -> int:
    value = raw.strip() or "1"
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_SHARDS):
        raise ValueError(f"must be a whole number from 1 to {MAX_SHARDS}, not {raw[:40]!r}")
    return int(value)


class DiscordSettings(SettingsModel):
    """The bot token, the REST base (the gateway address comes from its /gateway/bot), how
    many gateway shards the bot's servers are split into (each held by one worker process), and
    whether paper links in messages get a card (off: it needs the privileged message content
    intent, README "Discord")."""

    model_config = SettingsConfigDict(env_prefix="PAPERBOT_DISCORD_")

    token: Secret
    api_url: Annotated[WebUrl, text_only(lambda raw: raw.strip().rstrip("/"))] = DISCORD_API_URL
    shards: Annotated[int, text_only(_shards)] = 1
    unfurl_links: Flag = False


class ConsoleSettings(SettingsModel):
    """Whether ``paperbot run`` serves the terminal chat too, and where it saves files."""

    console: Flag = False
    # Files a reply carries (a .bib export, the weekly report's chart) are saved here.
    console_files_dir: Path = Path("paperbot-files")


class HealthSettings(SettingsModel):
    """Where ``paperbot run`` serves /healthz, /readyz and /metrics; no port: not served."""

    model_config = SettingsConfigDict(env_prefix="PAPERBOT_METRICS_")

    port: Port | None = None
    host: Host = "127.0.0.1"


MODELS: tuple[type[SettingsModel], ...] = (
    LogSettings,
    Settings,
    ConsoleSettings,
    SlackSettings,
    HttpSettings,
    DiscordSettings,
    HealthSettings,
)


@dataclass(frozen=True, slots=True)
class AdapterSettings:
    """The adapters ``paperbot run`` starts: the console, and Slack and Discord when set."""

    console: bool = False
    slack: SlackSettings | None = None
    discord: DiscordSettings | None = None

    @property
    def any(self) -> bool:
        return self.console or self.slack is not None or self.discord is not None


# Any of these turns an adapter on; its other settings are checked only then.
SLACK_SWITCHES = ("BOT_TOKEN", "APP_TOKEN", "CLIENT_ID", "CLIENT_SECRET")
DISCORD_SWITCHES = ("TOKEN",)


def _switched_on(env: Mapping[str, str], prefix: str, switches: tuple[str, ...]) -> bool:
    return any(env.get(prefix + name, "").strip() for name in switches)


def load_health_settings(env: Mapping[str, str] | None = None) -> HealthSettings:
    return load(HealthSettings, gather(env))


def console_files_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where the terminal chat saves the files replies carry."""
    return load(ConsoleSettings, gather(env)).console_files_dir


def load_adapter_settings(env: Mapping[str, str] | None = None) -> AdapterSettings:
    variables = gather(env)
    slack, discord = None, None
    if _switched_on(variables, "PAPERBOT_SLACK_", SLACK_SWITCHES):
        slack = load(SlackSettings, variables)
    if _switched_on(variables, "PAPERBOT_DISCORD_", DISCORD_SWITCHES):
        discord = load(DiscordSettings, variables)
    return AdapterSettings(load(ConsoleSettings, variables).console, slack, discord)
