"""``paperbot export reading``: what the teams saved, as BibTeX, Markdown or CSV."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest

from loopback.ports import make_paper
from storage import migrate
from storage.db import Database
from storage.papers import upsert_papers
from tests.support.processes import run_paperbot as paperbot

# Each test starts two or three interpreters; on a busy machine that outlasts the default 60 s.
pytestmark = pytest.mark.timeout(300)

SAVED = ("2606.00467", "2407.05530")
PAPERS = (*SAVED, "2406.10803")


@contextlib.contextmanager
def migrated(url: str) -> Iterator[Database]:
    db = Database(url)
    try:
        migrate.upgrade(db)
        yield db
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A catalog of three papers; the console's user saved them all and read the third. Made
    once for this file: its tests only export."""
    url = f"sqlite:///{tmp_path_factory.mktemp('team') / 'catalog.db'}"
    with migrated(url) as db:
        db.write_now(lambda s: upsert_papers(s, [make_paper(i, f"Paper {i}") for i in PAPERS]))
    env = {"PAPERBOT_DATABASE_URL": url, "PAPERBOT_OFFLINE": "1", "PAPERBOT_LOAD_SAMPLE": "0"}
    said = "".join(f"save {paper}\n" for paper in PAPERS) + f"done {PAPERS[-1]}\n"
    chat = paperbot("shell", env=env, stdin=said)
    assert chat.returncode == 0, chat.stderr
    return env


def test_bibtex_lists_each_open_paper_once(team: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "reading.bib"
    done = paperbot("export", "reading", "-o", str(out), env=team)
    assert done.returncode == 0, done.stderr
    assert "Wrote 2 saved papers" in done.stdout
    library = bibtexparser.parse_string(out.read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    assert sorted(entry["eprint"] for entry in library.entries) == sorted(SAVED)
    assert all(entry["archivePrefix"] == "arXiv" for entry in library.entries)


def test_csv_and_markdown_name_who_saved_each_paper(team: dict[str, str]) -> None:
    as_csv = paperbot("export", "reading", "--format", "csv", env=team)
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [row["paper_id"] for row in rows] == list(SAVED)  # oldest first
    assert {row["platform"] for row in rows} == {"console"}
    assert all(row["saved_by"] for row in rows)
    as_markdown = paperbot("export", "reading", "--format", "markdown", env=team)
    assert as_markdown.returncode == 0, as_markdown.stderr
    items = [line for line in as_markdown.stdout.splitlines() if line.startswith("- [")]
    assert len(items) == 2
    assert "(https://huggingface.co/papers/2606.00467)" in items[0]


def test_a_format_the_export_does_not_write_is_refused(team: dict[str, str]) -> None:
    done = paperbot("export", "reading", "--format", "json", env=team)
    assert done.returncode == 2
    assert "export reading writes bibtex, markdown, csv" in done.stdout
