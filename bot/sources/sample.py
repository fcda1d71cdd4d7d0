"""The bundled sample catalog: 8,500+ real Daily Papers, so a fresh install has something to show.

Built from the recorded fixtures by ``scripts/build_sample.py``; stored in HF's own item format,
so it gets the same fixes as a live API answer. A first start reads it without pydantic: the file
is ours, built and checked, so only the schema's text fixes are applied to it (``_trusted_paper``);
an item with a field the build script does not keep goes through the schema itself.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from importlib import resources
from typing import Any

from bot.model import Paper
from bot.sources.hf.text import as_utc, collapse_whitespace, unwrap_paragraphs

SAMPLE_PACKAGE = "bot.data"
SAMPLE_FILE = "sample_papers.jsonl.gz"


def load_sample_papers(fetched_at: datetime) -> list[Paper]:
    """Every paper of the packaged sample, in file order (by daily date, then id)."""
    with _sample_lines() as lines:
        return [sample_paper(line, fetched_at) for line in lines if line.strip()]


def sample_paper(line: bytes | str, fetched_at: datetime) -> Paper:
    """One line of the sample as ``to_paper(DailyPaperItem...)`` makes it (tests/sources compare
    every line of the file both ways), in a fraction of the time: 8,500 validations were a
    quarter of a first start."""
    item = json.loads(line)
    paper = item["paper"]
    if item.keys() <= _ITEM_FIELDS and paper.keys() <= _PAPER_FIELDS:
        return _trusted_paper(item, paper, fetched_at)
    from bot.sources.hf.schema import DailyPaperItem, to_paper

    return to_paper(DailyPaperItem.model_validate(item), fetched_at)


# What scripts/build_sample.py keeps of a paper and of its item, in HF's names and order:
# all that ``_trusted_paper`` reads (the item's ``_daily_date`` too, for papers without a day).
PAPER_FIELDS = (
    "id",
    "title",
    "summary",
    "authors",
    "publishedAt",
    "submittedOnDailyAt",
    "upvotes",
    "ai_summary",
    "ai_keywords",
    "githubRepo",
    "githubStars",
    "projectPage",
)
ITEM_FIELDS = ("numComments", "thumbnail", "mediaUrl")
_PAPER_FIELDS = frozenset(PAPER_FIELDS)
_ITEM_FIELDS = frozenset({"paper", "_daily_date", *ITEM_FIELDS})


def _trusted_paper(item: dict[str, Any], paper: dict[str, Any], fetched_at: datetime) -> Paper:
    """``bot.sources.hf.schema.to_paper`` for an item of the build script's fields, types
    taken as given: the same text fixes and UTC times, none of pydantic's checks."""
    submitted = _utc_or_none(paper.get("submittedOnDailyAt"))
    daily = item.get("_daily_date")
    return Paper(
        id=paper["id"],
        title=collapse_whitespace(paper["title"]),
        summary=unwrap_paragraphs(paper.get("summary", "")),
        authors=tuple(collapse_whitespace(author["name"]) for author in paper.get("authors", ())),
        published_at=_utc_or_none(paper.get("publishedAt")),
        hf_daily_date=submitted.date() if submitted else _date_or_none(daily),
        upvotes=paper.get("upvotes", 0),
        num_comments=item.get("numComments", 0),
        github_repo=paper.get("githubRepo") or None,
        github_stars=paper.get("githubStars"),
        project_page=paper.get("projectPage") or None,
        ai_summary=paper.get("ai_summary") or None,
        ai_keywords=tuple(paper.get("ai_keywords", ())),
        thumbnail=item.get("thumbnail") or item.get("mediaUrl") or None,
        fetched_at=as_utc(fetched_at),
    )


def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _utc_or_none(value: str | None) -> datetime | None:
    return None if value is None else as_utc(datetime.fromisoformat(value))


def first_sample_id() -> str:
    """The id of the sample's first paper, read without decompressing the rest."""
    with _sample_lines() as lines:
        return _paper_id(next(line for line in lines if line.strip()))


def last_sample_id() -> str:
    """The id of the sample's last paper: the whole file is decompressed, none of it parsed."""
    last = b""
    with _sample_lines() as lines:
        for line in lines:
            if line.strip():
                last = line
    return _paper_id(last)


def _paper_id(line: bytes) -> str:
    paper_id: str = json.loads(line)["paper"]["id"]
    return paper_id


@contextmanager
def _sample_lines() -> Iterator[gzip.GzipFile]:
    source = resources.files(SAMPLE_PACKAGE).joinpath(SAMPLE_FILE)
    with source.open("rb") as packed, gzip.open(packed, "rb") as lines:
        yield lines
