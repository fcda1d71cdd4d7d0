"""The core's plain data types: what all of paperbot talks in, never ORM rows or SDK objects.

Storage imports only this package (``bot.model`` and its modules), so the domain types live here:
papers and votes below, digests in ``bot.model.digests``, parsed searches in ``bot.model.search``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper of the catalog, keyed by its arXiv id as Hugging Face Daily Papers lists it."""

    id: str
    title: str
    summary: str = ""
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    hf_daily_date: date | None = None
    upvotes: int = 0
    num_comments: int = 0
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    ai_summary: str | None = None
    ai_keywords: tuple[str, ...] = ()
    thumbnail: str | None = None
    fetched_at: datetime | None = None
    # Who put it on Daily Papers, and for which Hugging Face organization (when one claimed it):
    # each a Hub handle and the display name HF shows for it.
    organization: str | None = None
    organization_name: str | None = None
    submitted_by: str | None = None
    submitted_by_name: str | None = None

    @property
    def hf_url(self) -> str:
        return f"https://huggingface.co/papers/{self.id}"

    @property
    def arxiv_url(self) -> str:
        return f"https://arxiv.org/abs/{self.id}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.id}"


@dataclass(frozen=True, slots=True)
class Tally:
    """A team's votes on one paper in one workspace."""

    up: int = 0
    down: int = 0

    @property
    def score(self) -> int:
        return self.up - self.down


@dataclass(frozen=True, slots=True)
class Invocation:
    """Who asked what, where: the neutral form of a slash command, a typed line or a click."""

    platform: str
    workspace: str
    channel: str
    user: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """What writing a batch of papers to the catalog did."""

    added: int = 0
    updated: int = 0
    ids: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Voter:
    """How one person voted on a paper, for ``votes <paper>``."""

    user_id: str
    value: int
    source: str  # button | reaction
    emoji: str | None
    channel: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Channel:
    """Where to post: a channel of a workspace on a platform."""

    platform: str
    workspace: str
    channel: str


@dataclass(frozen=True, slots=True)
class SentMessage:
    """One message a poster sent, and the papers it shows (for reactions and votes)."""

    ref: str
    paper_ids: tuple[str, ...] = ()
