"""Which adapters ``paperbot run`` starts, read from the environment beside the core's settings.

Each platform's settings are its own small record, so the core's ``Settings`` knows nothing of
Slack or Discord; the composition root hands each adapter only what it needs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.settings import SettingsError

TURN_ON = (
    "Slack: PAPERBOT_SLACK_BOT_TOKEN and PAPERBOT_SLACK_SIGNING_SECRET (or "
    "PAPERBOT_SLACK_APP_TOKEN for Socket Mode); Discord: PAPERBOT_DISCORD_TOKEN; "
    "a terminal chat: PAPERBOT_CONSOLE=1"
)


DISCORD_API_URL = "https://discord.com/api/v10"


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    """The bot token, and the REST base (the gateway address comes from its /gateway/bot)."""

    token: str = field(repr=False)
    api_url: str = DISCORD_API_URL


@dataclass(frozen=True, slots=True)
class AdapterSettings:
    console: bool = False
    discord: DiscordSettings | None = None

    @property
    def any(self) -> bool:
        return self.console or self.discord is not None


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if raw in {"", "0", "false", "no", "off"}:
        return False
    if raw in {"1", "true", "yes", "on"}:
        return True
    raise SettingsError(f"{name} must be true or false, not {raw[:40]!r}")


def load_adapter_settings(env: Mapping[str, str] | None = None) -> AdapterSettings:
    env = os.environ if env is None else env
    return AdapterSettings(console=_flag(env, "PAPERBOT_CONSOLE"), discord=_discord(env))


def _discord(env: Mapping[str, str]) -> DiscordSettings | None:
    token = (env.get("PAPERBOT_DISCORD_TOKEN") or "").strip()
    if not token:
        return None
    api_url = (env.get("PAPERBOT_DISCORD_API_URL") or DISCORD_API_URL).strip().rstrip("/")
    if not api_url.startswith(("https://", "http://")):
        raise SettingsError(
            f"PAPERBOT_DISCORD_API_URL must be an http(s) URL, not {api_url[:60]!r}"
        )
    return DiscordSettings(token, api_url)
