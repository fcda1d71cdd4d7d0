"""similar: the catalog's papers most like one paper, on both databases; what a card's "Similar"
action runs (``similar <id>``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.reply import Outcome, Reply
from bot.settings import Settings
from loopback.ports import FakeSource, FixedClock, make_paper
from storage.db import Database
from tests.support import topical
from tests.support.invoke import ask, texts
from tests.support.topical import topic_id


def catalog_deps(db: Database, source: FakeSource | None = None) -> Deps:
    topical.load(db)
    clock = FixedClock(datetime(2026, 6, 12, 9, tzinfo=UTC))
    return Deps(Settings(database_url=db.url, timezone="UTC"), db, source or FakeSource(), clock)


def ids(reply: Reply) -> list[str]:
    return [paper.id for paper in reply.papers]


async def test_the_papers_on_its_topic_answer_and_the_paper_itself_never(
    db: Database, dispatcher: Dispatcher
) -> None:
    deps = catalog_deps(db)
    reply = await ask(dispatcher, deps, f"similar {topic_id('protein', 2)}")
    assert reply.outcome is Outcome.OK
    assert not reply.private
    # Up to 5, but only papers sharing its telling words: the rest share only common ones.
    assert sorted(ids(reply)) == [topic_id("protein", n) for n in (1, 3, 4, 5)]
    assert "Protein folding study 2" in reply.parts[0].text  # type: ignore[union-attr]


async def test_a_link_and_a_count_are_understood(db: Database, dispatcher: Dispatcher) -> None:
    deps = catalog_deps(db)
    link = f"https://huggingface.co/papers/{topic_id('speech', 1)}"
    reply = await ask(dispatcher, deps, f"similar {link} 2")
    assert len(ids(reply)) == 2
    assert all(pid.startswith("2606.4") for pid in ids(reply))


async def test_a_paper_not_in_the_catalog_is_fetched_and_compared(
    db: Database, dispatcher: Dispatcher
) -> None:
    words = topical.TOPICS["robot"]
    fetched = make_paper("2607.00001", "A robot paper", summary=f"{words}. {words}.")
    deps = catalog_deps(db, FakeSource(papers={fetched.id: fetched}))
    reply = await ask(dispatcher, deps, "similar 2607.00001 3")
    assert ids(reply)
    assert all(pid.startswith("2606.3") for pid in ids(reply))


async def test_an_unknown_paper_is_not_found(db: Database, dispatcher: Dispatcher) -> None:
    deps = catalog_deps(db)
    reply = await ask(dispatcher, deps, "similar 2607.99999")
    assert reply.outcome is Outcome.NOT_FOUND
    assert "Hugging Face does not list 2607.99999" in texts(reply)
    assert reply.papers == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("similar", "Which paper?"),
        ("similar 2606.00001 99", "Show from 1 to 20 papers, not 99."),
        ("similar 2606.00001 2606.00002", "Give one paper, and at most one number"),
        ("similar not-a-paper", "is not an arXiv id or a paper link"),
    ],
)
async def test_bad_input_repeats_the_usage(
    db: Database, dispatcher: Dispatcher, text: str, message: str
) -> None:
    deps = catalog_deps(db)
    reply = await ask(dispatcher, deps, text)
    assert reply.outcome is Outcome.USAGE
    assert reply.private
    assert message in texts(reply)
    assert "Usage: /papers similar <arXiv id" in texts(reply)
