"""Logging for the ``paperbot`` command: one format, and no secret in any line at any level.

Libraries log what they send and receive at DEBUG (slack_sdk prints the whole ``oauth.v2.access``
answer, bot token included), so secrets are taken out where lines are written, not where they
are made: every handler on the root logger gets ``RedactSecrets``, which replaces the values of
the secret settings and anything shaped like a Slack, Slack app or Hugging Face token, in the
message and in a traceback alike.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable, Mapping

REDACTED = "[redacted]"
TOKEN_SHAPES = re.compile(
    r"\b(?:xox[abeoprs]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|hf_[A-Za-z0-9]{16,})"
)
SECRET_SETTING = re.compile(r"^PAPERBOT_\w*(?:TOKEN|SECRET|PASSWORD)$")
DATABASE_PASSWORD = re.compile(r"://[^:/@\s]+:([^@/\s]+)@")
SHORTEST_SECRET = 6  # a shorter value would blank out ordinary words


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
        return True


def configure_logging(verbose: bool, env: Mapping[str, str]) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    redact = RedactSecrets(secrets_in(env))
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
