"""The plain anchors paperbot is measured against: the same work with nothing but the stdlib's
json and sqlite3 and a plain tantivy index (one text field, tantivy's default tokenizer).

Run as its own process by the benches, so each figure includes the interpreter's start:

    python bench/plain_anchors.py first-start DB INDEX   # sample -> SQLite -> index -> prompt;
                                                         # then one search per input line
    python bench/plain_anchors.py ask DB INDEX WORDS...  # open both, print the top 10 titles
    python bench/plain_anchors.py build DB INDEX         # index every paper of a catalog
    python bench/plain_anchors.py serve DB INDEX MIX OUT # answer a bench's queries: p50s, RSS
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import sys
import time
from collections import defaultdict
from pathlib import Path

import tantivy

SAMPLE = Path(__file__).resolve().parents[1] / "bot" / "data" / "sample_papers.jsonl.gz"
PROMPT = "papers> (type a search)"
_COLUMNS = (
    "id TEXT PRIMARY KEY, title TEXT, summary TEXT, authors TEXT, ai_keywords TEXT, upvotes INT"
)


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("text")
    builder.add_integer_field("upvotes", stored=True, fast=True)
    return builder.build()


def _rows_of_sample() -> list[tuple[str, str, str, str, str, int]]:
    rows = []
    with gzip.open(SAMPLE, "rb") as lines:
        for line in lines:
            paper = json.loads(line)["paper"]
            authors = json.dumps([a["name"] for a in paper.get("authors", [])])
            keywords = json.dumps(paper.get("ai_keywords") or [])
            rows.append(
                (paper["id"], paper["title"], paper["summary"], authors, keywords, paper["upvotes"])
            )
    return rows


def _index(rows: object, folder: Path, heap: int = 50_000_000) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(_schema(), path=str(folder))
    writer = index.writer(heap_size=heap, num_threads=1)
    for paper_id, title, summary, authors, keywords, upvotes in rows:  # type: ignore[attr-defined]
        text = "\n".join([title, " ; ".join(json.loads(keywords)), summary, authors])
        writer.add_document(tantivy.Document(id=paper_id, text=text, upvotes=upvotes))
    writer.commit()
    writer.wait_merging_threads()


def first_start(database: Path, folder: Path) -> None:
    rows = _rows_of_sample()
    connection = sqlite3.connect(database)
    connection.execute(f"CREATE TABLE IF NOT EXISTS paper ({_COLUMNS})")
    connection.executemany("INSERT OR REPLACE INTO paper VALUES (?, ?, ?, ?, ?, ?)", rows)
    connection.commit()
    _index(connection.execute("SELECT * FROM paper"), folder)
    print(f"Loaded {len(rows):,} papers.\n{PROMPT}", flush=True)
    for line in sys.stdin:  # each line a search, as the shell's "search ..." is
        ask(database, folder, line.strip())


def ask(database: Path, folder: Path, words: str) -> None:
    connection = sqlite3.connect(database)
    index = tantivy.Index.open(str(folder))
    searcher = index.searcher()
    query = index.parse_query(words, ["text"])
    for _score, address in searcher.search(query, 10).hits:
        paper_id = searcher.doc(address).get_first("id")
        title = connection.execute("SELECT title FROM paper WHERE id = ?", (paper_id,)).fetchone()
        print(paper_id, title[0] if title else "")


def build(database: Path, folder: Path) -> None:
    connection = sqlite3.connect(database)
    query = "SELECT id, title, summary, authors, ai_keywords, upvotes FROM paper"
    _index(connection.execute(query), folder, heap=200_000_000)


def serve(database: Path, folder: Path, mix: Path, out: Path) -> None:
    """Answer each (shape, text) query of ``mix`` plainly (``_plain_query``, then the first five
    titles from SQLite); write each shape's latencies in ms and the resident memory at the end
    to ``out``. Filters are not in the plain index: its parser drops them (``since:`` alone
    matches every paper)."""
    connection = sqlite3.connect(database)
    index = tantivy.Index.open(str(folder))
    searcher = index.searcher()
    times: dict[str, list[float]] = defaultdict(list)
    for shape, words in json.loads(mix.read_text(encoding="utf-8")):
        started = time.perf_counter()
        query = _plain_query(index, words)
        hits = searcher.search(query, 5).hits
        ids = [searcher.doc(address).get_first("id") for _score, address in hits]
        marks = ",".join("?" * len(ids))
        connection.execute(f"SELECT id, title FROM paper WHERE id IN ({marks})", ids).fetchall()
        times[shape].append((time.perf_counter() - started) * 1000)
    status = Path("/proc/self/status").read_text(encoding="utf-8").split("VmRSS:")[1]
    rss = int(status.split()[0]) / 1024
    out.write_text(json.dumps({"ms": times, "rss_mb": rss}), encoding="utf-8")


def _plain_query(index: tantivy.Index, words: str) -> tantivy.Query:
    """tantivy's lenient parser over the text field; a lone ``word*`` as a prefix, which that
    parser would read as the plain word."""
    if words.endswith("*") and words[:-1].isalnum():
        return tantivy.Query.regex_query(index.schema, "text", words[:-1].lower() + ".*")
    return index.parse_query_lenient(words, ["text"])[0]


def main(argv: list[str]) -> None:
    what, database, folder = argv[0], Path(argv[1]), Path(argv[2])
    if what == "first-start":
        first_start(database, folder)
    elif what == "ask":
        ask(database, folder, " ".join(argv[3:]))
    elif what == "build":
        build(database, folder)
    elif what == "serve":
        serve(database, folder, Path(argv[3]), Path(argv[4]))
    else:
        raise SystemExit(f"unknown anchor {what!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
