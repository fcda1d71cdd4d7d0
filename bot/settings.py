"""Settings from the environment, validated at start so bad config fails with a clear message."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_dir

from bot.model import Channel
from bot.votes.emoji import DEFAULT_REACTION_VALUES, parse_reaction_map

DEFAULT_HF_BASE_URL = "https://huggingface.co"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and what it expects."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    hf_base_url: str = DEFAULT_HF_BASE_URL
    hf_token: str | None = None
    timezone: str = "UTC"
    offline: bool = False
    load_sample: bool = True
    interactive_timeout: float = 4.0
    reaction_values: Mapping[str, int] = field(
        default_factory=lambda: dict(DEFAULT_REACTION_VALUES)
    )
    admin_channel: Channel | None = None  # where digest failures are reported, besides the log
    subscription_editors: frozenset[str] | None = None  # user ids; None: anyone in the channel
    digest_grace_hours: float = 6.0
    sync_minutes: int = 15  # how often `paperbot run` syncs the newest days; 0: never
    log_level: str = "warning"
    log_format: str = "text"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def default_database_url() -> str:
    path = Path(user_data_dir("paperbot", appauthor=False)) / "paperbot.db"
    return f"sqlite:///{path}"


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


MAX_INTERACTIVE_TIMEOUT = 60.0


def _seconds(env: Mapping[str, str], name: str, default: float, most: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0 < value <= most:  # also refuses nan, inf and 1e309 (which float() reads as inf)
        raise SettingsError(
            f"{name} must be a number of seconds above 0 and at most {most:g}, not {raw!r}"
        )
    return value


def _database_url(env: Mapping[str, str]) -> str:
    """A URL that can name a lasting database: checked for shape here, opened by storage."""
    url = env.get("PAPERBOT_DATABASE_URL") or default_database_url()
    name = "PAPERBOT_DATABASE_URL"
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path == url:
            raise SettingsError(f"{name} must be sqlite:///path/to/file.db, not {url!r}")
        if path in {"", ":memory:"} or path.startswith("file::memory:"):
            raise SettingsError(
                f"{name} must name a database file (sqlite:///path/to/file.db); a database in "
                f"memory vanishes with each command, not {url!r}"
            )
        return url
    scheme, sep, _rest = url.partition("://")
    if not sep or scheme not in {"postgres", "postgresql", "postgresql+psycopg"}:
        raise SettingsError(
            f"{name} must be a sqlite:/// or postgresql:// URL, not {url.split(':', 1)[0]!r}"
        )
    try:
        urlsplit(url).port  # noqa: B018 - parsing the port is the check
    except ValueError:
        raise SettingsError(f"{name} has a port that is not a number from 1 to 65535") from None
    return url


def _hf_base_url(env: Mapping[str, str]) -> str:
    url = (env.get("PAPERBOT_HF_BASE_URL") or DEFAULT_HF_BASE_URL).strip().rstrip("/")
    problem = f"PAPERBOT_HF_BASE_URL must be an http(s) URL such as {DEFAULT_HF_BASE_URL}, not"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError:
        raise SettingsError(f"{problem} {url!r}") from None
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.query
        or parts.fragment
        or not url.isascii()
        or any(ch.isspace() for ch in url)
    ):
        raise SettingsError(f"{problem} {url!r}")
    return url


def _hf_token(env: Mapping[str, str]) -> str | None:
    token = (env.get("PAPERBOT_HF_TOKEN") or "").strip()
    if token and not (token.isascii() and token.isprintable() and " " not in token):
        raise SettingsError(
            "PAPERBOT_HF_TOKEN must be a Hugging Face access token (printable ASCII, no spaces)"
        )
    return token or None


def _reactions(env: Mapping[str, str]) -> dict[str, int]:
    raw = env.get("PAPERBOT_VOTE_REACTIONS")
    if not raw:
        return dict(DEFAULT_REACTION_VALUES)
    try:
        return parse_reaction_map(raw)
    except ValueError as error:
        raise SettingsError(f"PAPERBOT_VOTE_REACTIONS: {error}") from None


ADMIN_PLATFORMS = ("slack", "discord", "console")


def _admin_channel(env: Mapping[str, str]) -> Channel | None:
    raw = (env.get("PAPERBOT_ADMIN_CHANNEL") or "").strip()
    if not raw:
        return None
    parts = raw.split(":")
    if len(parts) != 3 or not all(p.strip() for p in parts):
        raise SettingsError(
            "PAPERBOT_ADMIN_CHANNEL must be platform:workspace:channel "
            f"(e.g. slack:T0123:C0456), not {raw!r}"
        )
    platform, workspace, channel = (p.strip() for p in parts)
    if platform not in ADMIN_PLATFORMS:
        raise SettingsError(
            f"PAPERBOT_ADMIN_CHANNEL's platform must be one of {', '.join(ADMIN_PLATFORMS)}, "
            f"not {platform[:20]!r}"
        )
    return Channel(platform, workspace, channel)


def _editors(env: Mapping[str, str]) -> frozenset[str] | None:
    raw = (env.get("PAPERBOT_SUBSCRIPTION_EDITORS") or "anyone").strip()
    if raw.lower() == "anyone":
        return None
    ids = [part.strip() for part in raw.split(",")]
    if not all(ids) or any(i.lower() == "anyone" for i in ids):
        raise SettingsError(
            "PAPERBOT_SUBSCRIPTION_EDITORS must be anyone or a comma-separated list of user ids, "
            f"not {raw!r}"
        )
    return frozenset(ids)


def _grace_hours(env: Mapping[str, str]) -> float:
    raw = env.get("PAPERBOT_DIGEST_GRACE_HOURS")
    if not raw:
        return 6.0
    try:
        hours = float(raw)
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 48:
        raise SettingsError(
            f"PAPERBOT_DIGEST_GRACE_HOURS must be a number of hours from 0 to 48, not {raw!r}"
        )
    return hours


MAX_SYNC_MINUTES = 1440


def _sync_minutes(env: Mapping[str, str]) -> int:
    raw = env.get("PAPERBOT_SYNC_MINUTES")
    if not raw:
        return 15
    value = raw.strip()
    if not (value.isascii() and value.isdigit() and int(value) <= MAX_SYNC_MINUTES):
        raise SettingsError(
            "PAPERBOT_SYNC_MINUTES must be a whole number of minutes from 0 (no sync) to "
            f"{MAX_SYNC_MINUTES}, not {raw!r}"
        )
    return int(value)


LOG_LEVELS = ("debug", "info", "warning", "error")
LOG_FORMATS = ("text", "json")


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    raw = env.get(name)
    if not raw or not raw.strip():
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {raw[:40]!r}")
    return value


def log_level(env: Mapping[str, str]) -> str:
    """``PAPERBOT_LOG_LEVEL``: the least severe log lines written (default warning)."""
    return _choice(env, "PAPERBOT_LOG_LEVEL", LOG_LEVELS, "warning")


def log_format(env: Mapping[str, str]) -> str:
    """``PAPERBOT_LOG_FORMAT``: text lines, or one JSON object per line."""
    return _choice(env, "PAPERBOT_LOG_FORMAT", LOG_FORMATS, "text")


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    timezone = env.get("PAPERBOT_TIMEZONE") or "UTC"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a directory
        raise SettingsError(
            f"PAPERBOT_TIMEZONE must be an IANA time zone such as Europe/Berlin, not {timezone!r}"
        ) from None
    return Settings(
        database_url=_database_url(env),
        hf_base_url=_hf_base_url(env),
        hf_token=_hf_token(env),
        timezone=timezone,
        offline=_flag(env, "PAPERBOT_OFFLINE", False),
        load_sample=_flag(env, "PAPERBOT_LOAD_SAMPLE", True),
        interactive_timeout=_seconds(
            env, "PAPERBOT_INTERACTIVE_TIMEOUT", 4.0, MAX_INTERACTIVE_TIMEOUT
        ),
        reaction_values=_reactions(env),
        admin_channel=_admin_channel(env),
        subscription_editors=_editors(env),
        digest_grace_hours=_grace_hours(env),
        sync_minutes=_sync_minutes(env),
        log_level=log_level(env),
        log_format=log_format(env),
    )
