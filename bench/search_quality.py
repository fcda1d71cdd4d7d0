"""Search quality: labelled queries from the recorded Daily Papers archive, paperbot against BM25.

Reads the archive of real Daily Papers from tests/fixtures/hf/archive (or --archive); it says so
and stops when there is none. The catalog holds each paper as paperbot stores it,
with Hugging Face's AI summary and AI keywords kept out, because the queries are made of them:

- gist: a paper's AI summary (one sentence), pasted as the query; the paper is the answer;
- key terms: three of its AI keywords; the paper is the answer;
- topic: an AI keyword that 5 to 60 papers share; those papers are the answers.

Reports MRR@10, Recall@10 and nDCG@10 and the time per query for paperbot on SQLite, on
PostgreSQL (when PAPERBOT_TEST_DATABASE_URL is set; in a private schema, dropped afterwards) and
an Okapi BM25 baseline (bm25s, Snowball-stemmed, in memory) over the same text in this process.
Needs the bench extra: ``pip install -e '.[bench]'``.

    .venv/bin/python bench/search_quality.py [--per-kind 300] [--seed 5]
"""

from __future__ import annotations

import argparse
import gzip
import math
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.postgres import postgres_schema  # noqa: E402
from bot.model import Paper  # noqa: E402
from bot.search_query import parse_search_query  # noqa: E402
from bot.sources.hf.schema import DailyPaperItem, to_paper  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.papers import upsert_papers  # noqa: E402
from storage.search import search_catalog  # noqa: E402

ARCHIVE = ROOT / "tests" / "fixtures" / "hf" / "archive"
K = 10
NOW = datetime(2026, 6, 13, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Labelled:
    kind: str
    text: str
    answers: frozenset[str]


Engine = Callable[[str], list[str]]


def load_archive(folder: Path) -> list[Paper]:
    papers: dict[str, Paper] = {}
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rb") as lines:
            for line in lines:
                if line.strip():
                    paper = to_paper(DailyPaperItem.model_validate_json(line), NOW)
                    papers[paper.id] = paper
    return list(papers.values())


def labelled_queries(papers: list[Paper], per_kind: int, seed: int) -> list[Labelled]:
    rng = random.Random(seed)
    with_summary = [p for p in papers if p.ai_summary]
    with_keywords = [p for p in papers if len(p.ai_keywords) >= 3]
    found = [
        Labelled("gist", p.ai_summary or "", frozenset([p.id]))
        for p in rng.sample(with_summary, min(per_kind, len(with_summary)))
    ]
    found += [
        Labelled("key terms", " ".join(rng.sample(list(p.ai_keywords), 3)), frozenset([p.id]))
        for p in rng.sample(with_keywords, min(per_kind, len(with_keywords)))
    ]
    sharing: dict[str, set[str]] = defaultdict(set)
    for paper in papers:
        for keyword in paper.ai_keywords:
            sharing[keyword.strip().lower()].add(paper.id)
    topics = sorted(k for k, ids in sharing.items() if 5 <= len(ids) <= 60)
    found += [
        Labelled("topic", k, frozenset(sharing[k]))
        for k in rng.sample(topics, min(per_kind, len(topics)))
    ]
    return found


def catalog_text(paper: Paper) -> Paper:
    """What the catalog indexes in this bench: no AI summary or keywords (the queries' source)."""
    return replace(paper, ai_summary=None, ai_keywords=())


def scores(ranked: list[str], answers: frozenset[str]) -> tuple[float, float, float]:
    top = ranked[:K]
    rr = next((1.0 / (i + 1) for i, pid in enumerate(top) if pid in answers), 0.0)
    recall = len([p for p in top if p in answers]) / min(len(answers), K)
    dcg = sum(1.0 / math.log2(i + 2) for i, pid in enumerate(top) if pid in answers)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(answers), K)))
    return rr, recall, dcg / ideal


def evaluate(name: str, engine: Engine, queries: list[Labelled]) -> None:
    by_kind: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    times: list[float] = []
    for labelled in queries:
        started = time.perf_counter()
        ranked = engine(labelled.text)
        times.append((time.perf_counter() - started) * 1000)
        by_kind[labelled.kind].append(scores(ranked, labelled.answers))
    times.sort()
    p50, p99 = times[len(times) // 2], times[int(len(times) * 0.99)]
    for kind, rows in by_kind.items():
        mrr, recall, ndcg = (statistics.fmean(col) for col in zip(*rows, strict=True))
        print(
            f"| {name} | {kind} ({len(rows)}) | {mrr:.3f} | {recall:.3f} | {ndcg:.3f} "
            f"| {p50:.1f} / {p99:.1f} |"
        )


def paperbot_engine(db: Database) -> Engine:
    def run(text: str) -> list[str]:
        query = replace(parse_search_query(text), limit=K)
        result = db.read_now(lambda s: search_catalog(s, query, db.search_index))
        return [p.id for p in result.papers]

    return run


def bm25_engine(papers: list[Paper]) -> Engine:
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    ids = [p.id for p in papers]
    corpus = [" ".join([p.title, p.summary, " ; ".join(p.authors)]) for p in papers]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False))

    def run(text: str) -> list[str]:
        tokens = bm25s.tokenize([text], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        found, _ = retriever.retrieve(tokens, k=K, show_progress=False)
        return [ids[i] for i in found[0]]

    return run


@contextmanager
def filled(url: str, papers: list[Paper], search_dir: Path) -> Iterator[Database]:
    db = Database(url, search_dir=search_dir)
    migrate.upgrade(db)
    db.write_now(lambda s: upsert_papers(s, papers))
    db.read_now(db.search_index.sync)
    try:
        yield db
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=300, help="queries of each kind")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--archive", type=Path, default=ARCHIVE, help=f"default: {ARCHIVE}")
    args = parser.parse_args()
    if not args.archive.is_dir():
        print(f"The recorded archive is not here ({args.archive}); nothing to measure.")
        return
    papers = load_archive(args.archive)
    queries = labelled_queries(papers, args.per_kind, args.seed)
    queries = [q for q in queries if re.search(r"\w", q.text)]
    catalog = [catalog_text(p) for p in papers]
    print(f"{len(catalog):,} papers from {args.archive}; {len(queries)} labelled queries; top {K}")
    print("| engine | queries | MRR@10 | Recall@10 | nDCG@10 | ms per query p50 / p99 |")
    print("|---|---|---|---|---|---|")
    evaluate("Okapi BM25 (bm25s)", bm25_engine(catalog), queries)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'quality.db'}"
        with filled(url, catalog, Path(tmp) / "sqlite-index") as db:
            evaluate("paperbot, SQLite", paperbot_engine(db), queries)
        server = os.environ.get("PAPERBOT_TEST_DATABASE_URL")
        if not server:
            print("(PostgreSQL skipped: set PAPERBOT_TEST_DATABASE_URL to measure it too)")
            return
        with postgres_schema(server) as pg_url, filled(pg_url, catalog, Path(tmp) / "pg") as db:
            evaluate("paperbot, PostgreSQL", paperbot_engine(db), queries)


if __name__ == "__main__":
    main()
