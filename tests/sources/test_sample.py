"""The bundled sample catalog parses, is complete, and is exactly what the build script makes."""

from __future__ import annotations

import gzip
import importlib.util
import json
from collections import Counter
from datetime import UTC, date, datetime
from importlib import resources
from types import ModuleType

from bot.model import Paper
from bot.sources.hf.schema import DailyPaperItem, to_paper
from bot.sources.sample import (
    SAMPLE_FILE,
    SAMPLE_PACKAGE,
    first_sample_id,
    last_sample_id,
    sample_paper,
)
from loopback.fixtures import FIXTURES, REPO_ROOT


def build_sample_script() -> ModuleType:
    """``scripts/`` is not a package: load the build script from its file."""
    path = REPO_ROOT / "scripts" / "build_sample.py"
    spec = importlib.util.spec_from_file_location("build_sample", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def packaged_lines() -> list[str]:
    source = resources.files(SAMPLE_PACKAGE).joinpath(SAMPLE_FILE)
    with source.open("rb") as packed, gzip.open(packed, "rt", encoding="utf-8") as lines:
        return lines.read().splitlines()


def test_bundled_sample_has_every_recorded_paper_once(sample_papers: list[Paper]) -> None:
    assert len(sample_papers) > 8_000
    duplicates = [pid for pid, n in Counter(p.id for p in sample_papers).items() if n > 1]
    assert duplicates == []


def test_every_sample_paper_has_a_title_and_a_daily_date(sample_papers: list[Paper]) -> None:
    assert all(p.title.strip() for p in sample_papers)
    assert all(p.hf_daily_date is not None for p in sample_papers)


def test_sample_is_sorted_by_daily_date_then_id(sample_papers: list[Paper]) -> None:
    keys = [(p.hf_daily_date or date.min, p.id) for p in sample_papers]

    assert keys == sorted(keys)


def test_bundled_sample_is_what_build_sample_makes_from_the_fixtures() -> None:
    script = build_sample_script()
    archive, daily = script.fixture_inputs(FIXTURES)

    expected = script.sample_lines(script.read_items(archive, daily))

    # Compared decompressed: zlib builds may differ in bytes, never in content.
    assert packaged_lines() == expected


def test_build_sample_output_is_deterministic() -> None:
    script = build_sample_script()
    lines = ['{"paper":{"id":"1","title":"a"}}', '{"paper":{"id":"2","title":"b"}}']

    first, second = script.gzip_lines(lines), script.gzip_lines(lines)

    assert first == second
    assert first[4:8] == b"\0\0\0\0"  # gzip header mtime
    assert gzip.decompress(first).decode().splitlines() == lines


def test_the_sample_names_its_first_and_last_paper(sample_papers: list[Paper]) -> None:
    """How a start tells a sample load cut short from a finished one (bot.ingest)."""
    assert (first_sample_id(), last_sample_id()) == (sample_papers[0].id, sample_papers[-1].id)


FETCHED = datetime(2026, 6, 13, 8, 30, tzinfo=UTC)


def test_every_sample_line_reads_as_the_hf_schema_reads_it() -> None:
    """The first start's reading skips pydantic; it must give the schema's papers exactly."""
    lines = packaged_lines()
    assert len(lines) > 8_000
    for line in lines:
        expected = to_paper(DailyPaperItem.model_validate_json(line), FETCHED)
        assert sample_paper(line, FETCHED) == expected, line[:200]


def test_a_sample_item_with_a_field_the_build_script_drops_goes_through_the_schema() -> None:
    item = json.loads(packaged_lines()[0])
    item["submittedBy"] = {"name": " ada ", "fullname": "Ada L."}
    item["summary"] = "An abstract\n  on two lines."
    item["paper"]["summary"] = ""
    line = json.dumps(item)

    paper = sample_paper(line, FETCHED)

    assert paper == to_paper(DailyPaperItem.model_validate_json(line), FETCHED)
    assert (paper.submitted_by, paper.summary) == ("ada", "An abstract on two lines.")
