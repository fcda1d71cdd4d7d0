"""Search benchmark: a 200,000-paper catalog recombined from the bundled sample, on both databases.

For SQLite and (when PAPERBOT_TEST_DATABASE_URL is set) PostgreSQL: the time to write the catalog
through ``upsert_papers`` and its size, the time to build a search index from it (what a process
does when its index is missing) and the index's size, then, in a fresh process that opens the
kept index: the first search (open and catch up), latency p50/p99/max for every query shape, and
the resident memory. Budgets (docs/benchmarks.md): p99 under 20 ms, memory under 200 MB.

    .venv/bin/python bench/search.py [--papers 200000] [--queries 600] [--db sqlite|postgresql|both]
                                     [--build-rounds 2]

On SQLite it then builds the index again ``--build-rounds`` times, alternately with the plain
anchor (bench/plain_anchors.py build), and prints both, the ratio and the load; and serves the
same queries ``--serve-rounds`` times from fresh processes, alternately with the plain anchor
(bench/plain_anchors.py serve: tantivy's own parser over one text field, titles from sqlite3),
and prints each shape's p50 and p99 and the resident memory of both, with the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.postgres import postgres_schema  # noqa: E402
from bench.side_by_side import alternate, report, timed  # noqa: E402
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


def query_shapes(sample: list[Paper], seed: int = 11) -> dict[str, Callable[[], str]]:
    """Every shape of query users type, by name: words, sentences, grammar, filters, hostile."""
    rng = random.Random(seed)
    words = [w for p in sample for w in p.title.lower().split() if w.isalpha() and len(w) > 3]
    authors = [a for p in sample for a in p.authors if " " in a]
    titles = [p.title.lower() for p in sample]
    hostile = ['"unbalanced', "AND NEAR(", "🚀 -", "'; DROP TABLE paper;--"]

    def sentence(count: int) -> str:
        summary = rng.choice([p for p in sample if len(p.summary.split()) > 80]).summary.split()
        start = rng.randrange(len(summary) - count)
        return " ".join(summary[start : start + count])

    return {
        "one word": lambda: rng.choice(words),
        "two words": lambda: f"{rng.choice(words)} {rng.choice(words)}",
        "title start": lambda: " ".join(rng.choice(sample).title.split()[:3]),
        "quoted phrase": lambda: '"' + " ".join(rng.choice(titles).split()[1:3]) + '"',
        "prefix": lambda: rng.choice(words)[:4] + "*",
        "word + author": lambda: f'{rng.choice(words)} author:"{rng.choice(authors)}"',
        "author only, -word": lambda: f'author:"{rng.choice(authors)}" -{rng.choice(words)}',
        "word + since + limit": lambda: f"{rng.choice(words)} since:2025-06-01 limit:10",
        "since only": lambda: "since:2025-06-01 limit:20",
        "word -word": lambda: f"{rng.choice(words)} -{rng.choice(words)}",
        "common words": lambda: rng.choice(
            ["model", "language model", "diffusion", "reinforcement learning", "large models"]
        ),
        "question": lambda: f"how to make {rng.choice(words)} {rng.choice(words)} cheaper",
        "12-word gist": lambda: sentence(12),
        "30-word sentence": lambda: sentence(30),
        "hostile": lambda: rng.choice(hostile),
    }


def build_catalog(url: str, papers: int) -> float:
    sample = load_sample_papers(NOW)
    db = Database(url, search_dir=None)
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


def catalog_size(url: str) -> float:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    from sqlalchemy import text

    db = Database(url, search_dir=None)
    size = db.read_now(lambda s: s.execute(text("SELECT pg_total_relation_size('paper')")).scalar())
    db.dispose()
    return float(size or 0)


def index_build(url: str, index: Path) -> None:
    """Runs in a fresh process: build the index from the catalog, as a process that lost it."""
    db = Database(url, search_dir=index)
    started = time.perf_counter()
    db.read_now(db.search_index.sync)
    elapsed = time.perf_counter() - started
    size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"index build    {elapsed:.1f} s, {size / 2**20:.0f} MB on disk, peak RSS {peak:.0f} MB")
    parts: dict[str, int] = defaultdict(int)
    for path in index.rglob("*.*"):
        parts[path.suffix] += path.stat().st_size
    shown = ", ".join(f"{k[1:]} {v / 2**20:.1f}" for k, v in sorted(parts.items()) if v > 2**16)
    print(f"  in MB        {shown} ({db.search_index.segments} segments)")
    db.dispose()


def build_side_by_side(url: str, folder: Path, rounds: int) -> None:
    """The index build again, alternately with the plain anchor's (bench/plain_anchors.py
    build: one text field, tantivy's own tokenizer) on the same SQLite catalog."""
    database = url.removeprefix("sqlite:///")
    counter = iter(range(10**6))
    anchors = str(ROOT / "bench" / "plain_anchors.py")

    def paperbot() -> float:
        index = str(folder / f"again-{next(counter)}")
        return timed([sys.executable, __file__, "--build-index", "--url", url, "--index", index])

    def anchor() -> float:
        return timed(
            [sys.executable, anchors, "build", database, str(folder / f"plain-{next(counter)}")]
        )

    report("index build, whole processes", *alternate(rounds, paperbot, anchor))


def query_mix(queries: int) -> list[tuple[str, str]]:
    """``queries`` queries of every shape, as (shape, text), the same on every run."""
    shapes = query_shapes(load_sample_papers(NOW)[:2000])
    rng = random.Random(3)
    return [(name, shapes[name]()) for name in (rng.choice(list(shapes)) for _ in range(queries))]


def serve_side_by_side(url: str, index: Path, mix_file: Path, rounds: int) -> None:
    """The queries again, each round in a fresh paperbot process and a fresh plain anchor
    (bench/plain_anchors.py serve) on a plain index of the same catalog, alternately."""
    database = url.removeprefix("sqlite:///")
    anchors = str(ROOT / "bench" / "plain_anchors.py")
    plain = index.with_name("plain-serve")
    subprocess.run([sys.executable, anchors, "build", database, str(plain)], check=True)
    ours: list[dict[str, Any]] = []
    theirs: list[dict[str, Any]] = []

    def run(command: list[str], into: list[dict[str, Any]]) -> float:
        out = mix_file.with_name(f"served-{len(ours) + len(theirs)}.json")
        seconds = timed([*command, str(out)])
        into.append(json.loads(out.read_text(encoding="utf-8")))
        return seconds

    def paperbot() -> float:
        step = ["--measure", "--mix", str(mix_file), "--url", url, "--index", str(index), "--out"]
        return run([sys.executable, __file__, *step], ours)

    def anchor() -> float:
        return run([sys.executable, anchors, "serve", database, str(plain), str(mix_file)], theirs)

    *_, loads = alternate(rounds, paperbot, anchor)
    load = f"load {min(loads):.1f}-{max(loads):.1f} (2 cores)"
    print(f"\nserving side by side, ms, medians of {rounds} rounds, {load}")
    print("| shape | p50 ratio | paperbot p50 | anchor p50 | p99 ratio | ours p99 | anchor p99 |")
    print("|---|---|---|---|---|---|---|")
    for shape in sorted(ours[0]["ms"]):
        ((p50, p99), (a50, a99)) = (_median_percentiles(runs, shape) for runs in (ours, theirs))
        print(
            f"| {shape} | {p50 / a50:.1f}x | {p50:.2f} | {a50:.2f} | {p99 / a99:.1f}x | "
            f"{p99:.2f} | {a99:.2f} |"
        )
    rss, plain_rss = (statistics.median(r["rss_mb"] for r in runs) for runs in (ours, theirs))
    print(f"resident set: ratio {rss / plain_rss:.2f}x | paperbot {rss:.0f} MB | anchor ", end="")
    print(f"{plain_rss:.0f} MB | {load}")


def _median_percentiles(runs: list[dict[str, Any]], shape: str) -> tuple[float, float]:
    """A shape's p50 and p99, each the median over the rounds."""
    each = [_percentiles(sorted(r["ms"][shape])) for r in runs]
    return statistics.median(p for p, _ in each), statistics.median(p for _, p in each)


def measure(url: str, index: Path, mix_file: Path, out: Path | None = None) -> None:
    """Runs in a fresh process: open the kept index, serve every shape, report latency, memory.

    The queries come from a file the parent wrote, so this process holds what a serving process
    holds (not the sample papers they were made from) when its memory is read.
    """
    import psutil

    mix = [(name, text) for name, text in json.loads(mix_file.read_text(encoding="utf-8"))]
    db = Database(url, search_dir=index)
    started = time.perf_counter()
    first = parse_search_query("linear attention")
    db.read_now(lambda s: search_catalog(s, first, db.search_index))
    print(f"first search   {(time.perf_counter() - started) * 1000:.0f} ms (open + catch up)")
    by_shape: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    empty = 0
    for name, text in mix:
        query = parse_search_query(text)
        started, started_cpu = time.perf_counter(), time.process_time()
        result = db.read_now(lambda s, q=query: search_catalog(s, q, db.search_index))
        by_shape[name].append((time.perf_counter() - started) * 1000)
        cpu[name].append((time.process_time() - started_cpu) * 1000)
        empty += not result.papers
    rss = psutil.Process().memory_info().rss / 2**20
    if out is not None:  # a round of serve_side_by_side: its figures go to the parent
        out.write_text(json.dumps({"ms": by_shape, "rss_mb": rss}), encoding="utf-8")
        db.dispose()
        return
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    anon, files = (int(status[k].split()[0]) / 1024 for k in ("RssAnon", "RssFile"))
    every = sorted(t for times in by_shape.values() for t in times)
    print(f"queries        {len(every)} ({empty} with no results)")
    every_cpu = sorted(t for times in cpu.values() for t in times)
    print(
        f"load average   {os.getloadavg()[0]:.1f} (2 cores; other work inflates wall-clock times)"
    )
    print("| shape | n | p50 ms | p99 ms | max ms | CPU p50 ms | CPU p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for name, times, cpus in [
        *((n, by_shape[n], cpu[n]) for n in sorted(by_shape)),
        ("all", every, every_cpu),
    ]:
        times.sort()
        cpus.sort()
        p50, p99 = _percentiles(times)
        c50, c99 = _percentiles(cpus)
        wall = f"{p50:.2f} | {p99:.2f} | {times[-1]:.2f}"
        print(f"| {name} | {len(times)} | {wall} | {c50:.2f} | {c99:.2f} |")
    print(f"resident set   {rss:.0f} MB (fresh process serving the catalog)")
    print(f"  of which     {anon:.0f} MB anonymous, {files:.0f} MB mapped files (index, libraries)")
    print(f"  index parts  {_resident_parts(index)} MB resident")
    db.dispose()


def _resident_parts(index: Path) -> str:
    """How much of each kind of index file is resident, from /proc/self/smaps (Linux)."""
    resident: dict[str, int] = defaultdict(int)
    mapped = ""
    for line in Path("/proc/self/smaps").read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if "-" in fields[0] and not fields[0].endswith(":"):
            mapped = fields[-1] if len(fields) >= 6 else ""
        elif fields[0] == "Rss:" and mapped.startswith(str(index)):
            resident[Path(mapped).suffix[1:]] += int(fields[1])
    return ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(resident.items()))


def _percentiles(ordered: list[float]) -> tuple[float, float]:
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def run(dialect: str, url: str, folder: Path, args: argparse.Namespace) -> None:
    print(f"== {dialect}")
    elapsed = build_catalog(url, args.papers)
    size = catalog_size(url) / 2**20
    print(f"catalog        {args.papers:,} papers, {size:.0f} MB in the database")
    print(f"catalog build  {elapsed:.1f} s ({args.papers / elapsed:,.0f} papers/s)")
    index = folder / f"index-{dialect}"
    mix_file = folder / "queries.json"
    mix_file.write_text(json.dumps(query_mix(args.queries)), encoding="utf-8")
    for step in (["--build-index"], ["--measure", "--mix", str(mix_file)]):
        subprocess.run(
            [sys.executable, __file__, *step, "--url", url, "--index", str(index)], check=True
        )
    if dialect == "sqlite" and args.build_rounds:
        build_side_by_side(url, folder, args.build_rounds)
    if dialect == "sqlite" and args.serve_rounds:
        serve_side_by_side(url, index, mix_file, args.serve_rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--build-rounds", type=int, default=2, help="index builds beside the plain anchor (SQLite)"
    )
    parser.add_argument(
        "--serve-rounds", type=int, default=3, help="query runs beside the plain anchor (SQLite)"
    )
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--build-index", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mix", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_index:
        index_build(args.url, args.index)
        return
    if args.measure:
        measure(args.url, args.index, args.mix, args.out)
        return
    folder = Path(tempfile.mkdtemp(prefix="paperbot-bench-"))
    try:
        if args.db in ("sqlite", "both"):
            run("sqlite", f"sqlite:///{folder / 'catalog.db'}", folder, args)
        server = os.environ.get("PAPERBOT_TEST_DATABASE_URL")
        if args.db in ("postgresql", "both"):
            if not server:
                print("PostgreSQL skipped: set PAPERBOT_TEST_DATABASE_URL to measure it too")
                return
            with postgres_schema(server) as url:
                run("postgresql", url, folder, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
