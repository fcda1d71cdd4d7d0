"""One INFO line per command, vote and digest, for the operator: where (platform, workspace,
channel), what, how it went and how long it took.

Each line carries its fields twice: as ``key=value`` in the message, for text logs, and as the
record's structured fields (``extra=``), which ``PAPERBOT_LOG_FORMAT=json`` writes as keys. A
command's line names the command, never the rest of what was typed (a search may hold anything).
Durations are wall time from ``time.perf_counter``, not the injected clock, which tests freeze.
"""

from __future__ import annotations

import logging
import time
from datetime import date

from bot.model import Channel

COMMANDS = logging.getLogger("paperbot.commands")
VOTES = logging.getLogger("paperbot.votes")
DIGESTS = logging.getLogger("paperbot.digests")

LONGEST_NAME = 40  # an unknown command's "name" is whatever was typed first


def elapsed_ms(started: float) -> int:
    """Milliseconds since ``started``, a ``time.perf_counter()`` reading."""
    return round((time.perf_counter() - started) * 1000)


def _line(logger: logging.Logger, what: str, channel: Channel, **fields: object) -> None:
    where = {"platform": channel.platform, "workspace": channel.workspace}
    values = {**where, "channel": channel.channel, **fields}
    logger.info("%s %s", what, " ".join(f"{k}={v}" for k, v in values.items()), extra=values)


def command_done(channel: Channel, command: str, outcome: str, started: float) -> None:
    """A command has been answered (or has failed and said so)."""
    name = command[:LONGEST_NAME] or "help"
    _line(
        COMMANDS,
        "command",
        channel,
        command=name,
        outcome=outcome,
        duration_ms=elapsed_ms(started),
    )


def vote_done(channel: Channel, source: str, effect: str, started: float) -> None:
    """A click or a reaction has been recorded (or refused), and its message updated."""
    _line(VOTES, "vote", channel, source=source, effect=effect, duration_ms=elapsed_ms(started))


def links_done(channel: Channel, links: int, cards: int, started: float) -> None:
    """Paper links someone posted have been answered with ``cards`` cards (an unfurl)."""
    _line(COMMANDS, "links", channel, links=links, cards=cards, duration_ms=elapsed_ms(started))


def digest_done(channel: Channel, kind: str, day: date, state: str, started: float) -> None:
    """A digest run has ended: posted, skipped, waiting, failed, or taken over by another."""
    _line(
        DIGESTS,
        "digest",
        channel,
        kind=kind,
        date=day.isoformat(),
        state=state,
        duration_ms=elapsed_ms(started),
    )
