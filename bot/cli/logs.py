"""Logging for the ``paperbot`` command: one format, and no secret in any line at any level.

Libraries log what they send and receive at DEBUG (slack_sdk prints the whole ``oauth.v2.access``
answer, bot token included), so secrets are taken out where lines are written, not where they
are made: every handler on the root logger gets ``RedactSecrets``, which replaces the values of
the secret settings and anything shaped like a Slack, Slack app or Hugging Face token, in the
message, in a traceback and in a record's structured fields alike.

``PAPERBOT_LOG_LEVEL`` sets the least severe line written (``-v`` means debug) and
``PAPERBOT_LOG_FORMAT`` the shape of a line: text, or one JSON object per line with ``time``,
``level``, ``logger``, ``message``, the record's structured fields (what ``extra=`` gave it) and
the traceback under ``exc``. Both are checked like every other setting
(``LogSettings`` in ``bot.settings``).
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from bot.settings import load_log_settings
from bot.settings_source import gather

REDACTED = "[redacted]"
TOKEN_SHAPES = re.compile(
    r"\b(?:xox[abeoprs]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|hf_[A-Za-z0-9]{16,})"
)
SECRET_SETTING = re.compile(r"^PAPERBOT_\w*(?:TOKEN|SECRET|PASSWORD)$")
DATABASE_PASSWORD = re.compile(r"://[^:/@\s]+:([^@/\s]+)@")
SHORTEST_SECRET = 6  # a shorter value would blank out ordinary words
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# What every record has; anything else on a record came from ``extra=`` and is a field.
STANDARD_ATTRIBUTES = frozenset(
    [*vars(logging.LogRecord("", 0, "", 0, "", None, None)), "message", "asctime", "taskName"]
)


def fields_of(record: logging.LogRecord) -> dict[str, Any]:
    """The structured fields a record was given with ``extra=``."""
    return {k: v for k, v in vars(record).items() if k not in STANDARD_ATTRIBUTES}


def secrets_in(env: Mapping[str, str]) -> list[str]:
    """The values of secret settings: tokens, secrets, a database URL's password."""
    found = [value.strip() for name, value in env.items() if SECRET_SETTING.match(name)]
    found += DATABASE_PASSWORD.findall(env.get("PAPERBOT_DATABASE_URL", ""))
    return [secret for secret in found if len(secret) >= SHORTEST_SECRET]


class RedactSecrets(logging.Filter):
    """Rewrites each record so that no known secret and no token-shaped text is left in it."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = sorted(set(secrets), key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_SHAPES.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self.redact("".join(traceback.format_exception(*record.exc_info)))
            record.exc_text = record.exc_text.rstrip("\n")
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for name, value in fields_of(record).items():
            if not isinstance(value, int | float | bool | None):
                setattr(record, name, self.redact(str(value)))
        return True


class JsonLines(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, the record's
    fields, and ``exc`` when it carries a traceback. Secrets are gone before it runs: the
    handler's ``RedactSecrets`` filter rewrote the record (message, traceback, fields)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in fields_of(record).items():
            line.setdefault(name, value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(verbose: bool, env: Mapping[str, str] | None) -> None:
    """Log to standard error at ``PAPERBOT_LOG_LEVEL`` in ``PAPERBOT_LOG_FORMAT``, with every
    secret taken out, those from the settings file and secret files included (``env`` None: this
    process's settings). Raises ``SettingsError`` for a bad value, before changing anything."""
    env = gather(env)
    chosen = load_log_settings(env)
    level, shape = chosen.log_level, chosen.log_format
    if verbose:
        level = "debug"
    stderr = logging.StreamHandler()
    stderr.setFormatter(JsonLines() if shape == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[stderr])
    redact = RedactSecrets(secrets_in(env))
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
