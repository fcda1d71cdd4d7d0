"""save, reading, done: each person's reading list, and the team's with who saved what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.reply import Heading, Outcome, Reply, Text
from bot.settings import Settings
from loopback.ports import FakeSource, FixedClock, make_paper
from storage.db import Database
from storage.papers import get_paper, upsert_papers
from tests.support.invoke import ask, texts

CATALOG = [make_paper(f"2606.0000{n}", f"Paper {n}") for n in range(1, 5)]


def team_deps(db: Database, source: FakeSource | None = None) -> Deps:
    db.write_now(lambda s: upsert_papers(s, CATALOG))
    clock = FixedClock(datetime(2026, 6, 12, 9, tzinfo=UTC))
    return Deps(Settings(database_url=db.url), db, source or FakeSource(), clock)


async def said(dispatcher: Dispatcher, deps: Deps, text: str, user: str = "U1") -> Reply:
    """Ask as ``user``, a minute after the previous question (saves are ordered by time)."""
    assert isinstance(deps.clock, FixedClock)
    deps.clock.now += timedelta(minutes=1)
    return await ask(dispatcher, deps, text, user=user)


def ids(reply: Reply) -> list[str]:
    return [paper.id for paper in reply.papers]


async def test_a_saved_paper_is_on_my_list_and_only_i_am_told(
    db: Database, dispatcher: Dispatcher
) -> None:
    deps = team_deps(db)
    saved = await said(dispatcher, deps, "save 2606.00002")
    assert saved.private
    assert saved.outcome is Outcome.OK
    assert "Paper 2 (2606.00002) is on your reading list now" in texts(saved)
    mine = await said(dispatcher, deps, "reading")
    assert mine.private
    assert ids(mine) == ["2606.00002"]
    assert ids(await said(dispatcher, deps, "reading mine", user="U2")) == []


async def test_saving_twice_keeps_one_entry(db: Database, dispatcher: Dispatcher) -> None:
    deps = team_deps(db)
    await said(dispatcher, deps, "save 2606.00001")
    again = await said(dispatcher, deps, "save https://huggingface.co/papers/2606.00001")
    assert "was already on your reading list" in texts(again)
    assert ids(await said(dispatcher, deps, "reading team")) == ["2606.00001"]


async def test_the_team_list_names_every_saver_oldest_paper_first(
    db: Database, dispatcher: Dispatcher
) -> None:
    deps = team_deps(db)
    await said(dispatcher, deps, "save 2606.00003", user="U3")
    await said(dispatcher, deps, "save 2606.00001", user="U1")
    await said(dispatcher, deps, "save 2606.00003", user="U2")
    team = await said(dispatcher, deps, "reading team", user="U4")
    assert not team.private
    assert ids(team) == ["2606.00003", "2606.00001"]
    lines = [p.text for p in team.parts if isinstance(p, Text)]
    assert lines[0].startswith("Saved by @U3, @U2, since")
    assert lines[1].startswith("Saved by @U1, since")
    heading = team.parts[0]
    assert isinstance(heading, Heading)
    assert "2 to read" in heading.text


async def test_done_takes_it_off_my_list_but_not_off_others(
    db: Database, dispatcher: Dispatcher
) -> None:
    deps = team_deps(db)
    await said(dispatcher, deps, "save 2606.00001", user="U1")
    await said(dispatcher, deps, "save 2606.00001", user="U2")
    await said(dispatcher, deps, "save 2606.00002", user="U1")
    done = await said(dispatcher, deps, "done 2606.00001", user="U1")
    assert done.private
    assert "Marked 2606.00001 as read" in texts(done)
    assert ids(await said(dispatcher, deps, "reading", user="U1")) == ["2606.00002"]
    team = await said(dispatcher, deps, "reading team")
    assert ids(team) == ["2606.00001", "2606.00002"]
    assert next(p.text for p in team.parts if isinstance(p, Text)).startswith("Saved by @U2,")


async def test_saving_a_read_paper_puts_it_back(db: Database, dispatcher: Dispatcher) -> None:
    deps = team_deps(db)
    await said(dispatcher, deps, "save 2606.00001")
    await said(dispatcher, deps, "done 2606.00001")
    assert "Already marked" in texts(await said(dispatcher, deps, "done 2606.00001"))
    back = await said(dispatcher, deps, "save 2606.00001")
    assert "is back on your reading list" in texts(back)
    assert ids(await said(dispatcher, deps, "reading")) == ["2606.00001"]


async def test_done_on_a_paper_never_saved_says_so(
    sqlite_db: Database, dispatcher: Dispatcher
) -> None:
    reply = await said(dispatcher, team_deps(sqlite_db), "done 2606.00004")
    assert reply.outcome is Outcome.NOT_FOUND
    assert "not on your reading list" in texts(reply)


async def test_each_workspace_has_its_own_lists(db: Database, dispatcher: Dispatcher) -> None:
    deps = team_deps(db)
    await ask(dispatcher, deps, "save 2606.00001", workspace="T1")
    other = await ask(dispatcher, deps, "reading team", workspace="T2")
    assert ids(other) == []
    assert "The team's reading list is empty." in texts(other)


async def test_a_paper_the_catalog_lacks_is_fetched_then_saved(
    db: Database, dispatcher: Dispatcher
) -> None:
    fetched = make_paper("2607.00009", "From Hugging Face")
    source = FakeSource(papers={fetched.id: fetched})
    deps = team_deps(db, source)
    await said(dispatcher, deps, "save 2607.00009")
    assert db.read_now(lambda s: get_paper(s, "2607.00009")) is not None
    assert ids(await said(dispatcher, deps, "reading")) == ["2607.00009"]


async def test_a_paper_hugging_face_does_not_know_is_not_saved(
    sqlite_db: Database, dispatcher: Dispatcher
) -> None:
    deps = team_deps(sqlite_db)
    reply = await said(dispatcher, deps, "save 2607.99999")
    assert reply.outcome is Outcome.NOT_FOUND
    assert ids(await said(dispatcher, deps, "reading")) == []


async def test_whose_list_must_be_mine_or_team(sqlite_db: Database, dispatcher: Dispatcher) -> None:
    reply = await said(dispatcher, team_deps(sqlite_db), "reading everyone")
    assert reply.outcome is Outcome.USAGE
    assert "reading team" in texts(reply)
