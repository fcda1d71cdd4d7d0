"""Where the recorded API responses live: ``<repo>/../shared/fixtures`` (CI clones shared/ beside).

Resolved from this file, never from the working directory, so tests find them from anywhere.
Tests that need a file call ``require(...)``, which skips with the path it looked for.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT.parent / "shared" / "fixtures"
HF_FIXTURES = FIXTURES / "hf"
HF_DAILY_2026_06_12 = HF_FIXTURES / "daily_papers_2026-06-12.json"
HF_ARCHIVE_DIR = HF_FIXTURES / "archive"


def hf_archive_files() -> list[Path]:
    """The archive's ``*.jsonl.gz`` parts, in name order (empty when shared/ is absent)."""
    return sorted(HF_ARCHIVE_DIR.glob("*.jsonl.gz")) if HF_ARCHIVE_DIR.is_dir() else []


def hf_fixtures_present() -> bool:
    return HF_DAILY_2026_06_12.is_file() and bool(hf_archive_files())


def require_hf_fixtures() -> None:
    """Skip the calling test when the recorded HF responses are not checked out."""
    if not hf_fixtures_present():
        pytest.skip(f"recorded HF fixtures not found under {HF_FIXTURES} (clone shared/ beside)")
