"""``paperbot search``: the catalog's ranked answer to a query, for people and for scripts.

``paperbot search "QUERY"`` prints the ranked papers (arXiv id, title, relevance score) from the
local catalog only (no Hugging Face top-up, so the answer is the ranking itself);
``--json`` prints them as one JSON object, and ``-`` answers one query per line of standard
input with one line each, so a script can send many queries through one process and one index.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import IO, Any

from rich.console import Console

from bot.cli.runtime import open_database
from bot.search_query import parse_search_query
from bot.settings import Settings
from bot.usage import UsageError
from storage.db import Database
from storage.search import search_catalog

EXIT_USAGE = 2


def add_search_parser(sub: Any) -> None:
    """Register ``search`` on the ``paperbot`` command's subparsers."""
    search = sub.add_parser("search", help="search the local catalog and print ranked papers")
    search.add_argument("query", help='the query, as in chat (e.g. "lora since:2025-01-01"), or -')
    search.add_argument("--json", action="store_true", help="print JSON (one line per query)")
    search.set_defaults(run=cmd_search)


async def cmd_search(settings: Settings, _console: Console, args: argparse.Namespace) -> int:
    return await asyncio.to_thread(_search, settings, args.query, args.json)


def _search(settings: Settings, query: str, as_json: bool) -> int:
    db = open_database(settings, Console(stderr=True))  # standard output is for the answers
    try:
        if query != "-":
            return answer(db, query, as_json, sys.stdout)
        failed = False
        for line in sys.stdin:
            failed |= answer(db, line.rstrip("\n"), as_json, sys.stdout) != 0
        return EXIT_USAGE if failed else 0
    finally:
        db.dispose()


def answer(db: Database, text: str, as_json: bool, out: IO[str]) -> int:
    """Write the answer to one query; 0, or 2 when the query cannot be run as typed."""
    try:
        query = parse_search_query(text)
        if query.is_empty:
            raise UsageError("Tell me what to search for.")
    except UsageError as error:
        _write(out, {"query": text, "error": str(error)} if as_json else f"error: {error}")
        return EXIT_USAGE
    result = db.read_now(lambda s: search_catalog(s, query, db.search_index))
    found = [
        {"id": paper.id, "title": paper.title, "score": round(score, 4)}
        for paper, score in zip(result.papers, result.scores, strict=True)
    ]
    if as_json:
        _write(out, {"query": text, "matched_any": result.matched_any, "results": found})
    else:
        lines = [f"{r['score']:8.3f}  {r['id']:<12}  {r['title']}" for r in found]
        _write(out, "\n".join(lines) if lines else f"no papers match {text!r}")
    return 0


def _write(out: IO[str], value: object) -> None:
    out.write((value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)) + "\n")
    out.flush()
