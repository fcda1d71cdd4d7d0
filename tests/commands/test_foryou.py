"""foryou: the newest papers ranked by what the team voted up, with reasons, on both databases;
a team that has not voted gets upvote order and is told so."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.commands.dispatch import Dispatcher
from bot.commands.foryou import FORYOU
from bot.commands.similar import SIMILAR
from bot.reply import Heading, Outcome, PaperCard, Reply, Text
from storage.db import Database
from tests.commands.test_similar import catalog_deps, ids
from tests.support import topical
from tests.support.invoke import ask, texts
from tests.support.topical import LIKES_RLHF, topic_id


def newest(*topics: str) -> list[str]:
    """The newest day's two papers of each topic, in that order."""
    return [topic_id(t, n) for t in topics for n in (4, 5)]


UPVOTE_ORDER = newest("diffusion", "protein", "robot", "speech", "rlhf")


def reason_after(reply: Reply, paper_id: str) -> str | None:
    """The text that follows a paper's card: its reason, when it has one."""
    parts = list(reply.parts)
    for i, part in enumerate(parts):
        if isinstance(part, PaperCard) and part.paper.id == paper_id:
            after = parts[i + 1] if i + 1 < len(parts) else None
            return after.text if isinstance(after, Text) else None
    raise AssertionError(f"{paper_id} is not in the reply")


async def test_papers_like_the_ones_voted_up_come_first_and_like_the_ones_voted_down_last(
    db: Database, dispatcher: Dispatcher
) -> None:
    deps = catalog_deps(db)
    topical.vote(db, LIKES_RLHF)
    reply = await ask(dispatcher, deps, "foryou today 10")
    assert reply.outcome is Outcome.OK
    assert not reply.private
    assert ids(reply) == newest("rlhf", "protein", "robot", "speech", "diffusion")
    heading = reply.parts[0]
    assert isinstance(heading, Heading)
    assert heading.text == "For your team on Hugging Face, Fri 12 Jun 2026"


async def test_each_liked_card_says_which_voted_paper_it_is_like_and_how_many_liked_it(
    db: Database, dispatcher: Dispatcher
) -> None:
    deps = catalog_deps(db)
    topical.vote(db, LIKES_RLHF)
    reply = await ask(dispatcher, deps, "foryou 3")
    assert len(ids(reply)) == 3
    reason = "Like “Reward model study 1”, which 3 of you voted up."
    assert reason_after(reply, topic_id("rlhf", 4)) == reason
    assert reason_after(reply, topic_id("rlhf", 5)) == reason
    assert reason_after(reply, topic_id("protein", 4)) is None  # like nothing voted on


async def test_one_voter_is_one_of_you(db: Database, dispatcher: Dispatcher) -> None:
    deps = catalog_deps(db)
    topical.vote(db, [("U9", topic_id("robot", 1), 1)])
    reply = await ask(dispatcher, deps, "foryou 1")
    assert ids(reply) == [topic_id("robot", 4)]
    assert reason_after(reply, topic_id("robot", 4)) == (
        "Like “Robot manipulation study 1”, which one of you voted up."
    )


async def test_a_team_that_has_not_voted_gets_upvote_order_and_is_told_why(
    db: Database, dispatcher: Dispatcher
) -> None:
    deps = catalog_deps(db)
    topical.vote(db, LIKES_RLHF, workspace="T2")  # another team's taste is not this one's
    reply = await ask(dispatcher, deps, "foryou week 10")
    assert ids(reply) == UPVOTE_ORDER
    assert "Nobody here has voted on a paper yet" in texts(reply)
    assert "upvote order" in texts(reply)


async def test_the_week_covers_seven_days_up_to_the_newest(
    db: Database, dispatcher: Dispatcher
) -> None:
    deps = catalog_deps(db)
    topical.vote(db, LIKES_RLHF)
    reply = await ask(dispatcher, deps, "foryou 20 week")
    assert sorted(ids(reply)) == sorted(UPVOTE_ORDER)  # the older papers are 11 days before
    assert reply.parts[0].text.startswith("For your team over 7 days")  # type: ignore[union-attr]


async def test_an_empty_catalog_says_how_to_fill_it(db: Database, dispatcher: Dispatcher) -> None:
    deps = catalog_deps(db)
    db.write_now(lambda s: s.execute(text("DELETE FROM paper")))
    reply = await ask(dispatcher, deps, "foryou")
    assert "The catalog has no Daily Papers yet." in texts(reply)


def test_a_forms_values_become_the_text_a_person_would_type() -> None:
    assert FORYOU.text({"window": "week", "count": 10}) == "foryou week 10"
    assert FORYOU.text({}) == "foryou"
    assert SIMILAR.text({"paper": "2606.00001", "count": 3}) == "similar 2606.00001 3"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foryou month", "Say today or week"),
        ("foryou today week", "Say today or week"),
        ("foryou 0", "Show from 1 to 20 papers, not 0."),
        ("foryou 5 6", "Say today or week"),
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
    assert "Usage: /papers foryou [today|week] [1-20]" in texts(reply)
