"""export bibtex in the chat: the asker's (or the team's) reading list, or the week's top voted
papers, as BibTeX a parser reads back: a code block when short, a .bib file when longer."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from adapters.console.app import ConsoleChat
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core, Invocation
from bot.reply import Code, Reply, Text
from bot.reply_split import MessageLimits, split_reply
from bot.settings import Settings
from bot.votes.events import ButtonVote
from bot.votes.service import VoteRecorder
from loopback.ports import FakeSource, FixedClock, make_paper
from storage.db import Database
from storage.papers import upsert_papers
from tests.reading.test_bibtex import parsed
from tests.support.invoke import ask

NOW = datetime(2026, 6, 12, 9, tzinfo=UTC)
FEW = [make_paper(f"2606.0000{n}", f"Paper {n}", authors=(f"Ada Author{n}",)) for n in (1, 2)]
MANY = [
    make_paper(f"2606.001{n:02d}", f"A long study of topic {n}", authors=("Ada Lovelace",))
    for n in range(12)
]


def team(db: Database) -> Deps:
    db.write_now(lambda s: upsert_papers(s, [*FEW, *MANY]))
    return Deps(Settings(database_url=db.url), db, FakeSource(), FixedClock(NOW))


def code_block(reply: Reply) -> str:
    [block] = [s.text for p in reply.parts if isinstance(p, Text) for s in p.spans
               if isinstance(s, Code)]  # fmt: skip
    return block


async def save(dispatcher: Dispatcher, deps: Deps, papers: list[str], user: str = "U1") -> None:
    for paper_id in papers:
        await ask(dispatcher, deps, f"save {paper_id}", user=user)


async def test_a_short_reading_list_comes_as_a_bibtex_code_block(
    db: Database, dispatcher: Dispatcher
) -> None:
    deps = team(db)
    await save(dispatcher, deps, ["2606.00002", "2606.00001"])
    await save(dispatcher, deps, [MANY[0].id], user="U2")  # someone else's

    reply = await ask(dispatcher, deps, "export bibtex")

    assert not reply.private
    assert reply.attachments == ()
    entries = parsed(code_block(reply))
    assert [e["eprint"] for e in entries] == ["2606.00002", "2606.00001"]
    assert entries[0]["title"] == "Paper 2"
    assert entries[0]["author"] == ["Ada Author2"]
    assert "2 papers of your reading list as BibTeX" in reply.parts[0].text  # type: ignore[union-attr]


async def test_a_long_list_comes_as_a_bib_file_with_the_same_text_to_preview(
    db: Database, dispatcher: Dispatcher
) -> None:
    deps = team(db)
    await save(dispatcher, deps, [p.id for p in MANY], user="U2")

    reply = await ask(dispatcher, deps, "export bibtex reading team")

    [file] = reply.attachments
    assert file.filename == "reading-team-2026-06-12.bib"
    assert file.media_type == "application/x-bibtex"
    assert file.preview_text == file.content.decode()
    assert [e["eprint"] for e in parsed(file.content.decode())] == [p.id for p in MANY]
    messages = split_reply(reply, MessageLimits(max_cards=10, max_chars=2_000))
    assert [m.attachments == (file,) for m in messages] == [False, True]  # a message of its own


async def test_the_weeks_top_voted_papers_export_in_leaderboard_order(
    db: Database, dispatcher: Dispatcher
) -> None:
    deps = team(db)
    recorder = VoteRecorder(deps)
    clicks = [("U1", "2606.00001", 1), ("U2", "2606.00002", 1), ("U3", "2606.00002", 1)]
    for n, (user, paper_id, value) in enumerate(clicks):
        at = NOW - timedelta(days=1)
        await recorder.record(ButtonVote("test", "T1", "C1", user, paper_id, value, f"e{n}", at))

    reply = await ask(dispatcher, deps, "export bibtex top week")

    assert [e["eprint"] for e in parsed(code_block(reply))] == ["2606.00002", "2606.00001"]


@pytest.mark.parametrize(
    "text", ["export", "export csv", "export bibtex top year", "export bibtex x"]
)
async def test_what_export_cannot_do_is_refused_with_its_usage(
    db: Database, dispatcher: Dispatcher, text: str
) -> None:
    reply = await ask(dispatcher, team(db), text)
    assert reply.private
    assert "Usage: /papers export bibtex" in reply.parts[-1].text  # type: ignore[union-attr]


async def test_an_empty_list_says_so(db: Database, dispatcher: Dispatcher) -> None:
    reply = await ask(dispatcher, team(db), "export bibtex")
    assert reply.parts == (Text("Nothing to export: your reading list has no papers."),)


async def test_the_console_saves_a_file_and_prints_its_path(
    db: Database, dispatcher: Dispatcher, tmp_path: Path
) -> None:
    deps = team(db)
    screen = Console(file=io.StringIO(), record=True, width=200, color_system=None)
    chat = ConsoleChat(Core(deps, dispatcher), screen, user="U2", files_dir=tmp_path / "files")
    await save(dispatcher, deps, [p.id for p in MANY], user="U2")

    await chat.command(Invocation("test", "T1", "C1", "U2", "export bibtex"))
    await chat.command(Invocation("test", "T1", "C1", "U2", "export bibtex"))

    saved = sorted((tmp_path / "files").iterdir())
    assert [p.name for p in saved] == [
        "reading-mine-2026-06-12-2.bib",
        "reading-mine-2026-06-12.bib",
    ]
    assert parsed(saved[1].read_text())[0]["eprint"] == MANY[0].id
    printed = screen.export_text()
    assert f"saved to {saved[1]}" in printed.replace("\n", "")
    assert f"saved to {saved[0]}" in printed.replace("\n", "")
