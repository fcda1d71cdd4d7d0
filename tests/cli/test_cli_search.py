"""``paperbot search``: ranked catalog results for people and scripts, one JSON line per query."""

from __future__ import annotations

import io
import json
from pathlib import Path

from bot.cli.search import answer
from loopback.ports import make_paper
from storage.db import Database
from storage.papers import upsert_papers
from tests.cli.test_cli import paperbot
from tests.support.databases import copy_catalog


def test_json_answer_lists_ids_titles_and_scores_best_first(sqlite_db: Database) -> None:
    sqlite_db.write_now(
        lambda s: upsert_papers(
            s,
            [
                make_paper("2401.00001", "Quillwort networks", summary="zorbulate"),
                make_paper("2401.00002", "Zorbulate quillwort networks"),
                make_paper("2401.00003", "Unrelated"),
            ],
        )
    )
    out = io.StringIO()
    assert answer(sqlite_db, "zorbulate quillwort", True, out) == 0
    line = json.loads(out.getvalue())
    assert [r["id"] for r in line["results"]] == ["2401.00002", "2401.00001"]
    assert line["results"][0]["title"] == "Zorbulate quillwort networks"
    assert line["results"][0]["score"] > line["results"][1]["score"] > 0
    assert line["query"] == "zorbulate quillwort"


def test_a_bad_query_is_an_error_line_and_exit_2(sqlite_db: Database) -> None:
    out = io.StringIO()
    assert answer(sqlite_db, "lora since:yesterday", True, out) == 2
    assert "since:" in json.loads(out.getvalue())["error"]
    out = io.StringIO()
    assert answer(sqlite_db, "   ", False, out) == 2
    assert out.getvalue().startswith("error:")


def test_stdin_queries_get_one_json_line_each(sample_catalog_file: Path, tmp_path: Path) -> None:
    catalog = copy_catalog(sample_catalog_file, tmp_path / "bot.db")  # no sample load, no build
    env = {"PAPERBOT_DATABASE_URL": f"sqlite:///{catalog}", "PAPERBOT_OFFLINE": "1"}
    env |= {"PAPERBOT_LOAD_SAMPLE": "0"}
    done = paperbot("search", "--json", "-", env=env, stdin="lora\nsince:nope\ndiffusion limit:2\n")
    assert done.returncode == 2, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["lora", "since:nope", "diffusion limit:2"]
    assert len(lines[0]["results"]) == 5
    assert "error" in lines[1]
    assert len(lines[2]["results"]) == 2
    one = paperbot("search", "lora limit:1", env=env)
    assert one.returncode == 0, one.stderr
    assert one.stdout.split()[1] == lines[0]["results"][0]["id"]
