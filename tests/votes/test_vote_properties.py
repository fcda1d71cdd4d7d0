"""Random click and reaction sequences end with the tallies a plain model predicts."""

from __future__ import annotations

import asyncio
import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.votes.emoji import DEFAULT_REACTION_VALUES, canonical_emoji
from bot.votes.events import VoteEvent
from storage.db import Database
from tests.votes.helpers import PAPERS, T0, VoteDesk, open_desk

USERS = ("ana", "bo", "chen", "dia")
EMOJI = ("+1", "-1", "fire", "rocket::skin-tone-2", "eyes", "❤️")
_workspaces = itertools.count()

# (kind, user, paper, detail): click (+1/-1), add/remove (emoji), replay (re-send the last event),
# bot (a reaction by the bot), digest (a reaction on the message that shows every paper).
users, papers = st.sampled_from(USERS), st.sampled_from(PAPERS)
reaction = st.tuples(st.sampled_from(["add", "remove"]), users, papers, st.sampled_from(EMOJI))
action = st.one_of(
    st.tuples(st.just("click"), users, papers, st.sampled_from([1, -1])),
    reaction,
    st.tuples(st.sampled_from(["replay", "bot", "digest"]), users, papers, st.just("fire")),
)


@dataclass
class Model:
    """The rules in their plainest form: the newest of the last click and the present reactions."""

    clicks: dict[tuple[str, str], tuple[int, datetime]] = field(default_factory=dict)
    present: dict[tuple[str, str], dict[str, datetime]] = field(default_factory=dict)

    def opinion(self, key: tuple[str, str]) -> int:
        latest: tuple[datetime, int] | None = None
        if key in self.clicks:
            value, at = self.clicks[key]
            latest = (at, value)
        for emoji, at in self.present.get(key, {}).items():
            value = DEFAULT_REACTION_VALUES.get(emoji, 0)
            if value and (latest is None or at > latest[0]):
                latest = (at, value)
        return latest[1] if latest else 0

    def click(self, key: tuple[str, str], value: int, at: datetime) -> None:
        self.clicks[key] = (0 if self.opinion(key) == value else value, at)

    def react(self, key: tuple[str, str], emoji: str, added: bool, at: datetime) -> None:
        marks = self.present.setdefault(key, {})
        if added:
            marks[canonical_emoji(emoji)] = at
        else:
            marks.pop(canonical_emoji(emoji), None)

    def tallies(self) -> dict[str, tuple[int, int]]:
        result = {}
        for paper in PAPERS:
            opinions = [self.opinion((user, paper)) for user in USERS]
            result[paper] = (opinions.count(1), opinions.count(-1))
        return result


def events_and_model(
    desk: VoteDesk, actions: list[tuple[str, str, str, object]]
) -> tuple[list[VoteEvent], Model]:
    model, events = Model(), []
    for step, (kind, user, paper, detail) in enumerate(actions):
        at = T0 + timedelta(seconds=step)
        if kind == "click":
            assert isinstance(detail, int)
            events.append(desk.click(user, paper, detail, at=at))
            model.click((user, paper), detail, at)
        elif kind in {"add", "remove"}:
            assert isinstance(detail, str)
            events.append(desk.react(user, paper, detail, added=kind == "add", at=at))
            model.react((user, paper), detail, kind == "add", at)
        elif kind == "replay" and events:
            events.append(events[-1])
        elif kind == "bot":
            events.append(desk.react("paperbot", paper, "fire", at=at, by_bot=True))
        elif kind == "digest":
            events.append(desk.react(user, paper, "fire", at=at, message="digest"))
    return events, model


def tallies(desk: VoteDesk) -> dict[str, tuple[int, int]]:
    return {p: (desk.tally(p).up, desk.tally(p).down) for p in PAPERS}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=st.lists(action, max_size=40))
def test_in_order_delivery_matches_the_model(
    db: Database, actions: list[tuple[str, str, str, object]]
) -> None:
    async def scenario() -> None:
        desk = await open_desk(db, workspace=f"W{next(_workspaces)}")
        events, model = events_and_model(desk, actions)
        for event in events:
            await desk.send(event)
        assert tallies(desk) == model.tallies()

    asyncio.run(scenario())


reaction = st.tuples(
    st.sampled_from(["add", "remove"]),
    st.sampled_from(USERS),
    st.sampled_from(PAPERS),
    st.sampled_from(EMOJI),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=st.lists(reaction, max_size=40), seed=st.integers(0, 2**32 - 1))
def test_reactions_in_any_delivery_order_match_the_model(
    db: Database, actions: list[tuple[str, str, str, object]], seed: int
) -> None:
    async def scenario() -> None:
        desk = await open_desk(db, workspace=f"W{next(_workspaces)}")
        events, model = events_and_model(desk, actions)
        random.Random(seed).shuffle(events)
        for event in events:
            await desk.send(event)
        assert tallies(desk) == model.tallies()

    asyncio.run(scenario())
