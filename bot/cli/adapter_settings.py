"""Which adapters ``paperbot run`` starts, read from the environment beside the core's settings.

Each platform's settings are its own small record, so the core's ``Settings`` knows nothing of
Slack or Discord; the composition root hands each adapter only what it needs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from bot.settings import SettingsError

TURN_ON = (
    "Slack: PAPERBOT_SLACK_BOT_TOKEN and PAPERBOT_SLACK_SIGNING_SECRET (or "
    "PAPERBOT_SLACK_APP_TOKEN for Socket Mode); Discord: PAPERBOT_DISCORD_TOKEN; "
    "a terminal chat: PAPERBOT_CONSOLE=1"
)


@dataclass(frozen=True, slots=True)
class AdapterSettings:
    console: bool = False

    @property
    def any(self) -> bool:
        return self.console


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if raw in {"", "0", "false", "no", "off"}:
        return False
    if raw in {"1", "true", "yes", "on"}:
        return True
    raise SettingsError(f"{name} must be true or false, not {raw[:40]!r}")


def load_adapter_settings(env: Mapping[str, str] | None = None) -> AdapterSettings:
    env = os.environ if env is None else env
    return AdapterSettings(console=_flag(env, "PAPERBOT_CONSOLE"))
