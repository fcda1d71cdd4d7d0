"""What ``paperbot ask`` and ``paperbot ingest`` tell a script, and what a card shows in the
terminal: real processes, a loopback Hugging Face, exit codes as documented in the README."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from loopback.hf import FakeHfServer, HfCatalog
from loopback.ports import make_paper
from storage import migrate
from storage.db import Database
from storage.papers import upsert_papers
from tests.support.processes import run_paperbot


@pytest.fixture
def hf_server() -> Iterator[FakeHfServer]:
    with FakeHfServer(HfCatalog.empty()) as server:
        yield server


def settings(tmp_path: Path, hf_server: FakeHfServer, **more: str) -> dict[str, str]:
    return {
        "PAPERBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "PAPERBOT_HF_BASE_URL": hf_server.base_url,
        "PAPERBOT_LOAD_SAMPLE": "0",
        **more,
    }


def test_a_paper_hugging_face_does_not_know_exits_3(
    tmp_path: Path, hf_server: FakeHfServer
) -> None:
    done = run_paperbot("ask", "paper 2611.99999", env=settings(tmp_path, hf_server))
    assert done.returncode == 3, done.stdout + done.stderr
    assert "does not list 2611.99999" in done.stdout


def test_hugging_face_unavailable_exits_4(tmp_path: Path, hf_server: FakeHfServer) -> None:
    hf_server.respond_next(503, times=50)
    env = settings(tmp_path, hf_server, PAPERBOT_INTERACTIVE_TIMEOUT="1")
    done = run_paperbot("ask", "paper 2611.99999", env=env)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "Could not fetch 2611.99999" in done.stdout


def test_ingest_refuses_to_run_offline_and_calls_nobody(
    tmp_path: Path, hf_server: FakeHfServer
) -> None:
    env = settings(tmp_path, hf_server, PAPERBOT_OFFLINE="1")
    done = run_paperbot("ingest", "--date", "2026-06-12", env=env)
    assert done.returncode == 78
    assert "PAPERBOT_OFFLINE" in done.stdout
    assert hf_server.requests == []


def test_a_card_cuts_long_author_lists_and_abstracts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    db = Database(url)
    migrate.upgrade(db)
    authors = tuple(f"Author A{n:02d}" for n in range(1, 11))
    abstract = " ".join(f"w{n:03d}" for n in range(200))  # 999 characters
    paper = make_paper("2699.00001", "A long paper", authors=authors, summary=abstract)
    db.write_now(lambda s: upsert_papers(s, [paper]))
    db.dispose()
    env = {"PAPERBOT_DATABASE_URL": url, "PAPERBOT_OFFLINE": "1", "PAPERBOT_LOAD_SAMPLE": "0"}
    done = run_paperbot("ask", "paper 2699.00001", env=env)
    assert done.returncode == 0, done.stderr
    shown = set(re.findall(r"\w+", done.stdout))
    assert {"A01", "A06"} <= shown
    assert not {"A07", "A10"} & shown
    assert {"w000", "w040"} <= shown  # the abstract's beginning ...
    assert not {"w120", "w199"} & shown  # ... cut well before its end
    assert "…" in done.stdout
