"""The neutral reply document every command returns and every adapter renders.

Parts are a closed union: a renderer matches on them and ends with ``assert_never``, so adding a
part type makes every renderer that forgets it fail the type check. Text is a sequence of inline
spans, and core strings carry no markup: a plain ``str`` span is literal text (a query, a title,
a message) that each renderer escapes for its platform; ``Code``, ``Person`` and ``Link`` say what
they are, so Slack can write ``<@U1>`` and the console can print ``@U1``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal, assert_never

from bot.model import Paper, Tally, Voter


class Outcome(Enum):
    """How a command went; adapters map it to exit codes, ephemeral replies or error styling."""

    OK = "ok"
    USAGE = "usage"  # the user typed something we cannot run
    NOT_FOUND = "not_found"  # well-formed, but the thing asked for does not exist
    UNAVAILABLE = "unavailable"  # an upstream service failed; trying later may help


@dataclass(frozen=True, slots=True)
class Code:
    """A command or identifier to show as code, e.g. ``paperbot ingest``; with line breaks, a
    code block (a short BibTeX export)."""

    text: str


@dataclass(frozen=True, slots=True)
class Person:
    """A platform user, by id; renderers turn it into a mention (never a ping of a group)."""

    user_id: str


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    label: str = ""


Span = str | Code | Person | Link
Tone = Literal["plain", "muted", "error"]


def span_text(span: Span) -> str:
    """The span as plain text: what a platform without markup shows, and what tests read."""
    match span:
        case str():
            return span
        case Code(text=text):
            return text
        case Person(user_id=user_id):
            return f"@{user_id}"
        case Link(url=url, label=label):
            return f"{label} ({url})" if label else url
        case _:
            assert_never(span)


def _spans(content: str | Sequence[Span]) -> tuple[Span, ...]:
    return (content,) if isinstance(content, str) else tuple(content)


@dataclass(frozen=True, slots=True, init=False)
class Heading:
    spans: tuple[Span, ...]

    def __init__(self, content: str | Sequence[Span]) -> None:
        object.__setattr__(self, "spans", _spans(content))

    @property
    def text(self) -> str:
        return "".join(span_text(span) for span in self.spans)


@dataclass(frozen=True, slots=True, init=False)
class Text:
    """A paragraph; ``Text("plain words")`` or ``Text(("Run ", Code("paperbot ingest"), "."))``."""

    spans: tuple[Span, ...]
    tone: Tone

    def __init__(self, content: str | Sequence[Span], tone: Tone = "plain") -> None:
        object.__setattr__(self, "spans", _spans(content))
        object.__setattr__(self, "tone", tone)

    @property
    def text(self) -> str:
        return "".join(span_text(span) for span in self.spans)


@dataclass(frozen=True, slots=True)
class PaperCard:
    """One paper as a card; ``tally`` is the team's votes, shown with the vote buttons;
    ``replies`` the replies in the channel's discussion thread of it, where they are counted."""

    paper: Paper
    rank: int | None = None
    tally: Tally = field(default_factory=Tally)
    votable: bool = True
    replies: int | None = None


@dataclass(frozen=True, slots=True)
class VoterList:
    """Who voted on a paper and how; adapters render user ids as their platform's mentions."""

    paper: Paper
    voters: tuple[Voter, ...]


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to post (a ``.bib``, a chart's PNG), always in a message of its own.

    ``preview_text`` is what a place that cannot carry files shows instead (a Slack ephemeral
    answer): the file's text, or None for a binary file, which is then only named.
    """

    filename: str
    content: bytes
    media_type: str
    title: str
    preview_text: str | None = None

    @property
    def size(self) -> int:
        return len(self.content)


Part = Heading | Text | PaperCard | VoterList | Attachment


@dataclass(frozen=True, slots=True)
class Reply:
    parts: tuple[Part, ...]
    outcome: Outcome = Outcome.OK
    private: bool = False

    @property
    def papers(self) -> tuple[Paper, ...]:
        return tuple(p.paper for p in self.parts if isinstance(p, PaperCard))

    @property
    def attachments(self) -> tuple[Attachment, ...]:
        return tuple(p for p in self.parts if isinstance(p, Attachment))


def text_reply(text: str, *, outcome: Outcome = Outcome.OK, private: bool = False) -> Reply:
    tone: Tone = "plain" if outcome is Outcome.OK else "error"
    return Reply((Text(text, tone),), outcome=outcome, private=private)


def usage_error(message: str, usage: str) -> Reply:
    """A short private answer to bad input: what was wrong and how to write it."""
    return Reply(
        (Text(message, "error"), Text(f"Usage: {usage}", "muted")),
        outcome=Outcome.USAGE,
        private=True,
    )


def size_label(size: int) -> str:
    """``"812 bytes"``, ``"14.2 KB"``: a file's size as a person reads it."""
    return f"{size} bytes" if size < 1000 else f"{size / 1000:.1f} KB"


# -- the wording of a card, which every renderer shares (each adds its own markup) ---------------


def authors_line(
    authors: Sequence[str], shown: int, name: Callable[[str], str] = lambda a: a
) -> str:
    """``"A, B and 3 more"``: the first ``shown`` authors, each through ``name`` (a platform's
    escaping), and how many are left out."""
    line = ", ".join(name(author) for author in authors[:shown])
    more = len(authors) - shown
    return line + (f" and {more} more" if more > 0 else "")


MAX_OWNER_NAME = 80  # characters of an organization's or a submitter's name on a card


def submission_line(paper: Paper, name: Callable[[str], str] = lambda n: n) -> str | None:
    """``"Organization: Google DeepMind · submitted by Ada L."`` (what Hugging Face's paper page
    shows), each name cut to ``MAX_OWNER_NAME`` and through ``name`` (a platform's escaping);
    None when Hugging Face named neither (the bundled sample names none)."""
    parts: list[str] = []
    if paper.organization_name or paper.organization:
        org = paper.organization_name or paper.organization or ""
        parts.append("Organization: " + name(_cut_name(org)))
    if paper.submitted_by_name or paper.submitted_by:
        by = paper.submitted_by_name or paper.submitted_by or ""
        parts.append(("submitted by " if parts else "Submitted by ") + name(_cut_name(by)))
    return " · ".join(parts) or None


def _cut_name(text: str) -> str:
    return text if len(text) <= MAX_OWNER_NAME else text[: MAX_OWNER_NAME - 1].rstrip() + "…"


def plural(noun: str, count: int) -> str:
    """``upvote`` for one, ``upvotes`` (``replies``) for any other count."""
    if count == 1:
        return noun
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def paper_facts(paper: Paper) -> tuple[str, ...]:
    """What a card says beside the upvotes: comments, the Daily Papers day, GitHub stars."""
    facts: list[str] = []
    if paper.num_comments:
        facts.append(f"{paper.num_comments} {plural('comment', paper.num_comments)}")
    if paper.hf_daily_date:
        facts.append(f"Daily Papers {paper.hf_daily_date:%d %b %Y}")
    if paper.github_repo:
        facts.append(f"★ {paper.github_stars or 0} on GitHub")
    return tuple(facts)


def how_voted(voter: Voter, name: Callable[[str], str] = lambda n: f":{n}:") -> str:
    """``"button"``, or ``"reaction 🔥"``. Vote emoji are stored as characters; a custom emoji
    (and a vote stored before that, as ``thumbsup``) has only its name, shown through ``name``."""
    if voter.source != "reaction":
        return "button"
    emoji = voter.emoji or ""
    return f"reaction {name(emoji) if emoji.isascii() else emoji}"


def replies_line(card: PaperCard) -> str:
    """ "💬 3 replies" for a card whose thread's replies are counted, else nothing."""
    if card.replies is None:
        return ""
    return f"💬 {card.replies} {plural('reply', card.replies)}"
