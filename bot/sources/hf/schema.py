"""Hugging Face's wire format for papers, and its translation into the core's ``Paper``.

The models mirror what the API really sends (see the recorded fixtures), not what we wish it sent:
older items lack ``submittedOnDailyAt`` and the ``ai_*`` fields, titles and abstracts carry arXiv's
hard line breaks, and the thumbnail sits under ``mediaUrl`` in some 2024 items. Unknown fields are
ignored so HF can add fields without breaking us.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from bot.model import Paper
from bot.sources.hf.text import as_utc, collapse_whitespace, unwrap_paragraphs

UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]
OneLine = Annotated[str, AfterValidator(collapse_whitespace)]
Abstract = Annotated[str, AfterValidator(unwrap_paragraphs)]


class _HfModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


class HfAuthor(_HfModel):
    """An author as HF lists them; ``hidden`` authors are still authors of the paper."""

    name: OneLine
    hidden: bool = False


class HfOwner(_HfModel):
    """A Hub user or organization: its handle (``name``) and the name HF displays."""

    name: OneLine
    fullname: OneLine | None = None

    @property
    def display_name(self) -> str:
        return self.fullname or self.name


def _owner_or_none(value: Any) -> Any:
    """An owner without a usable handle is no owner: it must not cost the paper its card. Names
    are cut to what the catalog stores (``storage.tables``)."""
    if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"].strip():
        fullname = value.get("fullname")
        shown = fullname[:256] if isinstance(fullname, str) else None
        return {"name": value["name"][:128], "fullname": shown}
    return None


Owner = Annotated[HfOwner | None, BeforeValidator(_owner_or_none)]


class HfPaper(_HfModel):
    """The inner ``paper`` of a daily item, and the body of ``GET /api/papers/{id}``."""

    id: str
    title: OneLine
    summary: Abstract = ""
    authors: list[HfAuthor] = Field(default_factory=list)
    published_at: UtcDatetime | None = Field(default=None, alias="publishedAt")
    submitted_on_daily_at: UtcDatetime | None = Field(default=None, alias="submittedOnDailyAt")
    upvotes: int = 0
    ai_summary: str | None = None
    ai_keywords: list[str] = Field(default_factory=list)
    github_repo: str | None = Field(default=None, alias="githubRepo")
    github_stars: int | None = Field(default=None, alias="githubStars")
    project_page: str | None = Field(default=None, alias="projectPage")
    organization: Owner = None
    submitted_by: Owner = Field(default=None, alias="submittedOnDailyBy")


class DailyPaperItem(_HfModel):
    """One entry of ``GET /api/daily_papers`` (and of the bundled sample and the archive).

    ``_daily_date`` is not HF's: the archive adds it (the ``date`` that was asked for), so items
    without ``submittedOnDailyAt`` still know their Daily Papers day.
    """

    paper: HfPaper
    title: OneLine | None = None
    summary: Abstract | None = None
    num_comments: int = Field(default=0, alias="numComments")
    thumbnail: str | None = None
    media_url: str | None = Field(default=None, alias="mediaUrl")
    daily_date: date | None = Field(default=None, alias="_daily_date")
    organization: Owner = None
    submitted_by: Owner = Field(default=None, alias="submittedBy")

    @property
    def thumbnail_url(self) -> str | None:
        return self.thumbnail or self.media_url


def parse_search_hit(raw: dict[str, Any]) -> DailyPaperItem:
    """A search result: a daily-papers-shaped item, or (older API) a bare paper object.

    Raises pydantic's ``ValidationError`` like any model; the client turns it into
    ``MalformedResponse``.
    """
    if "paper" in raw:
        return DailyPaperItem.model_validate(raw)
    thumbnail = raw.get("thumbnail") or raw.get("thumbnailUrl")
    return DailyPaperItem(
        paper=HfPaper.model_validate(raw),
        thumbnail=thumbnail if isinstance(thumbnail, str) else None,
        num_comments=raw.get("numComments", 0),
    )


def to_paper(item: DailyPaperItem, fetched_at: datetime) -> Paper:
    """A daily item as the core's ``Paper``; the archive's ``_daily_date`` is the fallback day."""
    paper = item.paper
    if not paper.summary and item.summary:
        paper = paper.model_copy(update={"summary": item.summary})
    return hf_paper_to_paper(
        paper,
        fetched_at,
        num_comments=item.num_comments,
        thumbnail=item.thumbnail_url,
        daily_date=item.daily_date,
        organization=item.organization,
        submitted_by=item.submitted_by,
    )


def hf_paper_to_paper(
    p: HfPaper,
    fetched_at: datetime,
    *,
    num_comments: int = 0,
    thumbnail: str | None = None,
    daily_date: date | None = None,
    organization: HfOwner | None = None,
    submitted_by: HfOwner | None = None,
) -> Paper:
    """``daily_date`` is only a fallback: ``submittedOnDailyAt`` wins when HF sent it. The daily
    item's ``organization`` and ``submittedBy`` win over the inner paper's copies."""
    submitted = p.submitted_on_daily_at
    organization = organization or p.organization
    submitted_by = submitted_by or p.submitted_by
    return Paper(
        id=p.id,
        title=p.title,
        summary=p.summary,
        authors=tuple(author.name for author in p.authors),
        published_at=p.published_at,
        hf_daily_date=submitted.date() if submitted is not None else daily_date,
        upvotes=p.upvotes,
        num_comments=num_comments,
        github_repo=p.github_repo or None,
        github_stars=p.github_stars,
        project_page=p.project_page or None,
        ai_summary=p.ai_summary or None,
        ai_keywords=tuple(p.ai_keywords),
        thumbnail=thumbnail or None,
        fetched_at=as_utc(fetched_at),
        organization=organization.name if organization else None,
        organization_name=organization.display_name if organization else None,
        submitted_by=submitted_by.name if submitted_by else None,
        submitted_by_name=submitted_by.display_name if submitted_by else None,
    )
