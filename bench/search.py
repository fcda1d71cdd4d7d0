"""Search benchmark: a 200,000-paper catalog recombined from the bundled sample.

Prints the catalog build time, search latency p50/p99 over a few hundred varied queries, and the
resident memory of a fresh process that opens the catalog and serves those queries (what the bot
would hold). Budgets (DESIGN section 8): p99 under 20 ms, memory under 200 MB.

    .venv/bin/python bench/search.py [--papers 200000] [--queries 400] [--keep]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.model import Paper  # noqa: E402
from bot.search_query import parse_search_query  # noqa: E402
from bot.sources.sample import load_sample_papers  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.papers import upsert_papers  # noqa: E402
from storage.search import search_catalog  # noqa: E402

NOW = datetime(2026, 6, 13, tzinfo=UTC)


def synthetic_papers(sample: list[Paper], count: int, seed: int = 7) -> list[Paper]:
    """Recombine real titles, abstracts, keywords and authors into ``count`` distinct papers."""
    rng = random.Random(seed)
    papers = []
    for i in range(count):
        a, b, c = rng.sample(sample, 3)
        words_a, words_b = a.title.split(), b.title.split()
        cut_a, cut_b = len(words_a) // 2, len(words_b) // 2
        title = " ".join(words_a[:cut_a] + words_b[cut_b:])
        sentences = (a.summary + " " + c.summary).split(". ")
        summary = ". ".join(rng.sample(sentences, min(len(sentences), 8)))
        papers.append(
            replace(
                a,
                id=f"{2000 + i // 99_999 % 8000:04d}.{i % 99_999 + 1:05d}",
                title=title,
                summary=summary,
                authors=tuple(
                    rng.sample(a.authors + b.authors, min(5, len(a.authors + b.authors)))
                ),
                ai_keywords=b.ai_keywords[:6] + c.ai_keywords[:4],
                upvotes=int(rng.paretovariate(1.2)) - 1,
                hf_daily_date=date(2024, 6, 1) + timedelta(days=rng.randrange(730)),
                published_at=datetime(2024, 5, 1, tzinfo=UTC) + timedelta(days=rng.randrange(760)),
                fetched_at=NOW,
            )
        )
    return papers


def query_mix(sample: list[Paper], count: int, seed: int = 11) -> list[str]:
    """Common and rare words, pairs, phrases, prefixes, filters and hostile input."""
    rng = random.Random(seed)
    words = [w for p in sample for w in p.title.lower().split() if w.isalpha() and len(w) > 3]
    authors = [a for p in sample for a in p.authors if " " in a]
    shapes = [
        lambda: rng.choice(words),
        lambda: f"{rng.choice(words)} {rng.choice(words)}",
        lambda: " ".join(rng.choice(sample).title.split()[:3]),
        lambda: '"' + " ".join(rng.choice(sample).title.lower().split()[1:3]) + '"',
        lambda: rng.choice(words)[:4] + "*",
        lambda: f'{rng.choice(words)} author:"{rng.choice(authors)}"',
        lambda: f"{rng.choice(words)} since:2025-06-01 limit:10",
        lambda: f"{rng.choice(words)} -{rng.choice(words)}",
        lambda: rng.choice(["model", "language model", "diffusion", "reinforcement learning"]),
        lambda: rng.choice(['"unbalanced', "AND NEAR(", "🚀 -", "'; DROP TABLE paper;--"]),
    ]
    return [rng.choice(shapes)() for _ in range(count)]


def build(path: Path, papers: int) -> float:
    sample = load_sample_papers(NOW)
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    started = time.perf_counter()
    batch = 5_000
    for start in range(0, papers, batch):
        chunk = synthetic_papers(sample, min(batch, papers - start), seed=start)
        chunk = [replace(p, id=f"{p.id}{start // batch:02d}") for p in chunk]
        db.write_now(lambda s, chunk=chunk: upsert_papers(s, chunk))
    elapsed = time.perf_counter() - started
    db.dispose()
    return elapsed


def measure(path: Path, queries: int) -> None:
    """Runs in a fresh process: open the catalog, serve the queries, report latency and memory."""
    import psutil

    sample = load_sample_papers(NOW)[:2000]
    mix = query_mix(sample, queries)
    del sample
    db = Database(f"sqlite:///{path}")
    started = time.perf_counter()
    common = db.read_now(db.common_terms.get)  # what the bot does at start
    print(f"start-up scan  {time.perf_counter() - started:.1f} s ({len(common)} common words)")
    for text in mix[:20]:  # warm the page cache
        warm = parse_search_query(text)
        db.read_now(lambda s, q=warm: search_catalog(s, q, db.common_terms))
    timings, empty = [], 0
    for text in mix:
        query = parse_search_query(text)
        started = time.perf_counter()
        result = db.read_now(lambda s, q=query: search_catalog(s, q, db.common_terms))
        timings.append((time.perf_counter() - started) * 1000)
        empty += not result.papers
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    rss = psutil.Process().memory_info().rss / 2**20
    print(f"queries        {len(timings)} ({empty} with no results)")
    print(f"search p50     {statistics.median(timings):.2f} ms")
    print(f"search p99     {p99:.2f} ms")
    print(f"search max     {timings[-1]:.2f} ms")
    print(f"resident set   {rss:.0f} MB (fresh process serving the catalog)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--keep", action="store_true", help="keep the catalog in bench/out/")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.queries)
        return
    folder = (
        ROOT / "bench" / "out" if args.keep else Path(tempfile.mkdtemp(prefix="paperbot-bench-"))
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"catalog-{args.papers}.db"
    path.unlink(missing_ok=True)
    elapsed = build(path, args.papers)
    size = path.stat().st_size / 2**20
    print(f"catalog        {args.papers:,} papers, {size:.0f} MB on disk")
    print(f"build          {elapsed:.1f} s ({args.papers / elapsed:,.0f} papers/s)")
    subprocess.run(
        [sys.executable, __file__, "--measure", str(path), "--queries", str(args.queries)],
        check=True,
    )
    if not args.keep:
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
