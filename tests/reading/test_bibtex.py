"""BibTeX that a BibTeX parser reads back as the paper: title, authors, year, arXiv id, URL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import bibtexparser
from bibtexparser import middlewares

from bot.bibtex import bibliography
from bot.model import Paper
from loopback.ports import make_paper

JUNE = date(2026, 6, 1)


def parsed(text: str) -> list[dict[str, object]]:
    """Each entry as ``{"key", "type", field: value}``, LaTeX decoded, authors split."""
    library = bibtexparser.parse_string(
        text,
        append_middleware=[middlewares.LatexDecodingMiddleware(), middlewares.SeparateCoAuthors()],
    )
    assert library.failed_blocks == []
    return [
        {"key": entry.key, "type": entry.entry_type}
        | {name: field.value for name, field in entry.fields_dict.items()}
        for entry in library.entries
    ]


def test_an_entry_reads_back_as_the_paper() -> None:
    paper = make_paper(
        "2606.00467",
        "Low-Rank {Adaptation} & 100% of $x_1$ for #1 ~ Über\nmodels",
        authors=("José Álvarez", "Li Wei", "Mary O'Neil"),
        published_at=datetime(2026, 5, 29, tzinfo=UTC),
    )
    [entry] = parsed(bibliography([paper]))
    assert entry["type"] == "misc"
    assert entry["key"] == "alvarez2026lowrank"
    assert entry["title"] == "Low-Rank {Adaptation} & 100% of $x_1$ for #1 ~ Über models"
    assert entry["author"] == ["José Álvarez", "Li Wei", "Mary O'Neil"]
    assert entry["year"] == "2026"
    assert entry["eprint"] == "2606.00467"
    assert entry["archivePrefix"] == "arXiv"
    assert entry["url"] == "https://arxiv.org/abs/2606.00467"


def test_every_latex_special_character_still_parses() -> None:
    [entry] = parsed(bibliography([make_paper("2606.00001", r"a\b {c} ^d_ e% $f$ & #g ~h")]))
    assert "{c}" in str(entry["title"])


def test_the_year_falls_back_to_the_daily_day_then_the_arxiv_id() -> None:
    daily = make_paper("2401.00001", "Daily", hf_daily_date=date(2024, 2, 1))
    only_id = make_paper("2312.00002", "Only id")
    years = [entry["year"] for entry in parsed(bibliography([daily, only_id]))]
    assert years == ["2024", "2023"]


def test_keys_are_unique_and_a_paper_is_written_once() -> None:
    twins: list[Paper] = [
        make_paper(f"2606.0000{n}", "Scaling laws", authors=("Ada Smith",), hf_daily_date=JUNE)
        for n in range(1, 4)
    ]
    entries = parsed(bibliography([*twins, twins[0]]))
    assert [entry["key"] for entry in entries] == [
        "smith2026scaling",
        "smith2026scalinga",
        "smith2026scalingb",
    ]


def test_a_paper_without_authors_gets_a_key_from_its_title() -> None:
    [entry] = parsed(bibliography([make_paper("2606.00003", "The Art of Tests")]))
    assert entry["key"] == "2026art"
    assert "author" not in entry
