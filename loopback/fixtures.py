"""Where the recorded API responses live: ``tests/fixtures`` in this repository.

They are copies of real Hugging Face answers (provenance in ``tests/fixtures/README.md``), kept in
the repository so a fresh clone's test suite needs nothing beside it. Resolved from this file,
never from the working directory, so tests find them from anywhere.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / "tests" / "fixtures"
HF_FIXTURES = FIXTURES / "hf"
HF_DAILY_2026_06_12 = HF_FIXTURES / "daily_papers_2026-06-12.json"
HF_ARCHIVE_DIR = HF_FIXTURES / "archive"
HUB_FIXTURES = FIXTURES / "hub"  # Hub list answers, written by hand: see its SOURCES.md


def hf_archive_files() -> list[Path]:
    """The archive's ``*.jsonl.gz`` parts, in name order."""
    return sorted(HF_ARCHIVE_DIR.glob("*.jsonl.gz"))
