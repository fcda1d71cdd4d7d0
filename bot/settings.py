"""The core's settings, declared once as a pydantic-settings model and checked at start.

Each field is read from ``PAPERBOT_<FIELD>`` (or its alias) through ``bot/settings_source.py``:
the environment, the settings file, or a ``*_FILE`` secret. Its validator words a bad value's
problem; ``load_settings`` turns the first into one line naming the variable. To add a
setting: a field here (or in the adapters' models), its row in the README's configuration table
and a line in deploy/paperbot.env.example; tests/settings holds all three to each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_dir
from pydantic import Field, SecretStr

from bot.model import Channel
from bot.settings_fields import Flag, above_zero, one_of, text_only
from bot.settings_source import SettingsError, SettingsModel, gather, load
from bot.votes.emoji import DEFAULT_REACTION_VALUES, parse_reaction_map

__all__ = ["Settings", "SettingsError", "load_settings"]

DEFAULT_HF_BASE_URL = "https://huggingface.co"
MAX_INTERACTIVE_TIMEOUT = 60.0
MAX_SYNC_MINUTES = 1440
ADMIN_PLATFORMS = ("slack", "discord", "console")
LOG_LEVELS = ("debug", "info", "warning", "error")
LOG_FORMATS = ("text", "json")


def default_database_url() -> str:
    path = Path(user_data_dir("paperbot", appauthor=False)) / "paperbot.db"
    return f"sqlite:///{path}"


def _database_url(url: str) -> str:
    """A URL that can name a lasting database: checked for shape here, opened by storage. Its
    password is never repeated."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path == url:
            raise ValueError(f"must be sqlite:///path/to/file.db, not {url!r}")
        if path in {"", ":memory:"} or path.startswith("file::memory:"):
            raise ValueError(
                "must name a database file (sqlite:///path/to/file.db); a database in "
                f"memory vanishes with each command, not {url!r}"
            )
        return url
    scheme, sep, _rest = url.partition("://")
    if not sep or scheme not in {"postgres", "postgresql", "postgresql+psycopg"}:
        raise ValueError(f"must be a sqlite:/// or postgresql:// URL, not {url.split(':', 1)[0]!r}")
    try:
        urlsplit(url).port  # noqa: B018 - parsing the port is the check
    except ValueError:
        raise ValueError("has a port that is not a number from 1 to 65535") from None
    return url


def _hf_base_url(raw: str) -> str:
    url = raw.strip().rstrip("/")
    problem = ValueError(f"must be an http(s) URL such as {DEFAULT_HF_BASE_URL}, not {url!r}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError:
        raise problem from None
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.query
        or parts.fragment
        or not url.isascii()
        or any(ch.isspace() for ch in url)
    ):
        raise problem
    return url


def _hf_token(raw: str) -> str | None:
    token = raw.strip()
    if token and not (token.isascii() and token.isprintable() and " " not in token):
        raise ValueError("must be a Hugging Face access token (printable ASCII, no spaces)")
    return token or None


def _timezone(raw: str) -> str:
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a directory
        raise ValueError(f"must be an IANA time zone such as Europe/Berlin, not {raw!r}") from None
    return raw


def _reactions(raw: str) -> dict[str, int]:
    try:
        return parse_reaction_map(raw)
    except ValueError as error:
        raise ValueError(f"is not valid: {error}") from None


def _admin_channel(raw: str) -> Channel | None:
    parts = raw.strip().split(":")
    if len(parts) != 3 or not all(p.strip() for p in parts):
        raise ValueError(
            f"must be platform:workspace:channel (e.g. slack:T0123:C0456), not {raw!r}"
        )
    platform, workspace, channel = (p.strip() for p in parts)
    if platform not in ADMIN_PLATFORMS:
        raise ValueError(
            f"must name a platform from {', '.join(ADMIN_PLATFORMS)} "
            f"(platform:workspace:channel), not {platform[:20]!r}"
        )
    return Channel(platform, workspace, channel)


def _editors(raw: str) -> frozenset[str] | None:
    value = raw.strip()
    if value.lower() == "anyone":
        return None
    ids = [part.strip() for part in value.split(",")]
    if not all(ids) or any(i.lower() == "anyone" for i in ids):
        raise ValueError(f"must be anyone or a comma-separated list of user ids, not {raw!r}")
    return frozenset(ids)


def _sync_minutes(raw: str) -> int:
    value = raw.strip()
    if not (value.isascii() and value.isdigit() and int(value) <= MAX_SYNC_MINUTES):
        raise ValueError(
            f"must be a whole number of minutes from 0 (no sync) to {MAX_SYNC_MINUTES}, not {raw!r}"
        )
    return int(value)


class LogSettings(SettingsModel):
    """How ``paperbot`` logs; read first, so that loading the rest is logged."""

    log_level: Annotated[Literal["debug", "info", "warning", "error"], one_of(*LOG_LEVELS)] = (
        "warning"
    )
    log_format: Annotated[Literal["text", "json"], one_of(*LOG_FORMATS)] = "text"


class Settings(LogSettings):
    """Everything the core needs: the database, Hugging Face, votes, digests and the sync."""

    database_url: Annotated[str, text_only(_database_url)] = Field(
        default_factory=default_database_url
    )
    hf_base_url: Annotated[str, text_only(_hf_base_url)] = DEFAULT_HF_BASE_URL
    hf_token: Annotated[SecretStr | None, text_only(_hf_token)] = None
    timezone: Annotated[str, text_only(_timezone)] = "UTC"
    offline: Flag = False
    load_sample: Flag = True
    interactive_timeout: Annotated[float, above_zero(MAX_INTERACTIVE_TIMEOUT, "seconds")] = 4.0
    reaction_values: Annotated[Mapping[str, int], text_only(_reactions)] = Field(
        default_factory=lambda: dict(DEFAULT_REACTION_VALUES),
        validation_alias="PAPERBOT_VOTE_REACTIONS",
    )
    # where digest failures are reported, besides the log
    admin_channel: Annotated[Channel | None, text_only(_admin_channel)] = None
    # user ids; None: anyone in the channel
    subscription_editors: Annotated[frozenset[str] | None, text_only(_editors)] = None
    digest_grace_hours: Annotated[float, above_zero(48, "hours")] = 6.0
    # how often `paperbot run` syncs the newest days; 0: never
    sync_minutes: Annotated[int, text_only(_sync_minutes)] = 15

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def hf_secret(self) -> str | None:
        """The Hugging Face token itself, for the one client that sends it."""
        return self.hf_token.get_secret_value() if self.hf_token else None


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """The core's settings from ``env`` (None: this process's, with its settings file)."""
    return load(Settings, gather(env))


def load_log_settings(env: Mapping[str, str] | None = None) -> LogSettings:
    return load(LogSettings, gather(env))
