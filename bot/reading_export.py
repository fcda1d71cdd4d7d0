"""``paperbot export reading``: the teams' open reading lists as BibTeX, Markdown or CSV."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import Literal, TextIO

from bot.bibtex import bibliography, year_of
from storage.reading import ReadingEntry

ReadingFormat = Literal["bibtex", "markdown", "csv"]
READING_FORMATS: tuple[ReadingFormat, ...] = ("bibtex", "markdown", "csv")
CSV_FIELDS = (
    "platform",
    "workspace",
    "paper_id",
    "title",
    "authors",
    "year",
    "url",
    "saved_by",
    "saved_at",
)

TeamEntry = tuple[str, str, ReadingEntry]


def write_reading(entries: Sequence[TeamEntry], fmt: ReadingFormat, out: TextIO) -> int:
    """Write the entries to ``out`` in ``fmt``; returns how many papers were written."""
    if fmt == "bibtex":
        out.write(bibliography(entry.paper for _platform, _workspace, entry in entries))
        return len({entry.paper.id for _platform, _workspace, entry in entries})
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for platform, workspace, entry in entries:
            writer.writerow(_row(platform, workspace, entry))
        return len(entries)
    _markdown(entries, out)
    return len(entries)


def _row(platform: str, workspace: str, entry: ReadingEntry) -> dict[str, object]:
    paper = entry.paper
    return {
        "platform": platform,
        "workspace": workspace,
        "paper_id": paper.id,
        "title": paper.title,
        "authors": "; ".join(paper.authors),
        "year": year_of(paper) or "",
        "url": paper.hf_url,
        "saved_by": " ".join(entry.savers),
        "saved_at": entry.saved_at.isoformat(),
    }


def _markdown(entries: Sequence[TeamEntry], out: TextIO) -> None:
    team: tuple[str, str] | None = None
    for platform, workspace, entry in entries:
        if (platform, workspace) != team:
            out.write(("\n" if team else "") + f"## Reading list: {platform} {workspace}\n\n")
            team = (platform, workspace)
        paper = entry.paper
        title = paper.title.replace("[", r"\[").replace("]", r"\]")
        authors = ", ".join(paper.authors[:3]) + (" et al." if len(paper.authors) > 3 else "")
        year = year_of(paper)
        out.write(
            f"- [{' '.join(title.split())}]({paper.hf_url})"
            + (f", {authors}" if authors else "")
            + (f" ({year})" if year else "")
            + f"; saved by {', '.join(entry.savers)} since {entry.saved_at:%Y-%m-%d}\n"
        )
