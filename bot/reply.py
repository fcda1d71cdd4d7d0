"""The neutral reply document every command returns and every adapter renders.

Parts are a closed union: a renderer matches on them and ends with ``assert_never``, so adding a
part type makes every renderer that forgets it fail the type check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from bot.model import Paper, Tally, Voter


class Outcome(Enum):
    """How a command went; adapters map it to exit codes, ephemeral replies or error styling."""

    OK = "ok"
    USAGE = "usage"  # the user typed something we cannot run
    NOT_FOUND = "not_found"  # well-formed, but the thing asked for does not exist
    UNAVAILABLE = "unavailable"  # an upstream service failed; trying later may help


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    tone: Literal["plain", "muted", "error"] = "plain"


@dataclass(frozen=True, slots=True)
class PaperCard:
    """One paper as a card; ``tally`` is the team's votes, shown with the vote buttons."""

    paper: Paper
    rank: int | None = None
    tally: Tally = field(default_factory=Tally)
    votable: bool = True


@dataclass(frozen=True, slots=True)
class VoterList:
    """Who voted on a paper and how; adapters render user ids as their platform's mentions."""

    paper: Paper
    voters: tuple[Voter, ...]


Part = Heading | Text | PaperCard | VoterList


@dataclass(frozen=True, slots=True)
class Reply:
    parts: tuple[Part, ...]
    outcome: Outcome = Outcome.OK
    private: bool = False

    @property
    def papers(self) -> tuple[Paper, ...]:
        return tuple(p.paper for p in self.parts if isinstance(p, PaperCard))


def text_reply(text: str, *, outcome: Outcome = Outcome.OK, private: bool = False) -> Reply:
    tone: Literal["plain", "error"] = "plain" if outcome is Outcome.OK else "error"
    return Reply((Text(text, tone),), outcome=outcome, private=private)


def usage_error(message: str, usage: str) -> Reply:
    """A short private answer to bad input: what was wrong and how to write it."""
    return Reply(
        (Text(message, "error"), Text(f"Usage: {usage}", "muted")),
        outcome=Outcome.USAGE,
        private=True,
    )
