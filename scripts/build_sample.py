"""Build the bundled sample catalog (bot/data/sample_papers.jsonl.gz) from the recorded fixtures.

The sample lets paperbot answer real questions on first start, offline. It keeps HF's own item
format (so ``DailyPaperItem`` parses it like an API answer) but only the fields the schema reads:
avatars, submitters, organisations and ``_id``s are dropped. Output is deterministic (sorted by
daily date then id, fixed gzip header), so rebuilding from the same fixtures changes nothing.

    python scripts/build_sample.py [--fixtures tests/fixtures] [--output bot/data/...]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FIXTURES = REPO_ROOT / "tests" / "fixtures"
DEFAULT_OUTPUT = REPO_ROOT / "bot" / "data" / "sample_papers.jsonl.gz"
sys.path.insert(0, str(REPO_ROOT))

# The fields kept are the ones a first start reads without the schema (bot/sources/sample.py).
from bot.sources.sample import ITEM_FIELDS, PAPER_FIELDS  # noqa: E402

Item = dict[str, Any]

AUTHOR_FIELDS = ("name", "hidden")


def daily_date(raw: Item) -> str:
    """``submittedOnDailyAt``'s day; the archive's ``_daily_date`` for items from before it."""
    submitted = raw["paper"].get("submittedOnDailyAt")
    return str(submitted[:10] if submitted else raw["_daily_date"])


def trim_item(raw: Item) -> Item:
    """Keep what ``DailyPaperItem`` reads, in HF's field names and order."""
    paper = raw["paper"]
    trimmed: Item = {key: paper[key] for key in PAPER_FIELDS if key in paper}
    trimmed["authors"] = [
        {key: author[key] for key in AUTHOR_FIELDS if key in author}
        for author in paper.get("authors", [])
    ]
    item: Item = {"paper": trimmed}
    item.update((key, raw[key]) for key in ITEM_FIELDS if raw.get(key) is not None)
    if "submittedOnDailyAt" not in paper:
        item["_daily_date"] = raw["_daily_date"]
    return item


def read_items(archive_files: Iterable[Path], daily_files: Iterable[Path]) -> Iterator[Item]:
    """Archive lines first, then the daily snapshots (bare JSON arrays)."""
    for path in archive_files:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            yield from (json.loads(line) for line in lines if line.strip())
    for path in daily_files:
        yield from json.loads(path.read_text(encoding="utf-8"))


def sample_lines(items: Iterable[Item]) -> list[str]:
    """One compact JSON item per line, deduplicated by id (the later item wins: the fresher
    snapshot has the later upvote count), sorted by daily date then id."""
    by_id = {item["paper"]["id"]: trim_item(item) for item in items}
    ordered = sorted(by_id.values(), key=lambda item: (daily_date(item), item["paper"]["id"]))
    return [json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in ordered]


def gzip_lines(lines: Sequence[str]) -> bytes:
    """Level 9, ``mtime=0`` and no file name in the header: same input, same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        for line in lines:
            out.write(line.encode("utf-8") + b"\n")
    return buffer.getvalue()


def fixture_inputs(fixtures: Path) -> tuple[list[Path], list[Path]]:
    archive = sorted((fixtures / "hf" / "archive").glob("*.jsonl.gz"))
    daily = sorted((fixtures / "hf").glob("daily_papers_*.json"))
    return archive, daily


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    archive, daily = fixture_inputs(args.fixtures)
    if not archive or not daily:
        print(f"no HF fixtures under {args.fixtures}/hf", file=sys.stderr)
        return 1
    lines = sample_lines(read_items(archive, daily))
    data = gzip_lines(lines)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(f"wrote {len(lines):,} papers, {len(data) / 1e6:.1f} MB, to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
