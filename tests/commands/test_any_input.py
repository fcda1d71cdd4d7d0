"""Whatever a user types, the dispatcher answers with a reply, never an internal error."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.reply import Outcome, Text
from bot.settings import Settings
from loopback.ports import FakeSource, FixedClock
from storage.db import Database
from tests.support.invoke import ask

NAMES = ["search", "paper", "today", "week", "month", "top", "votes", "help", "frob", ""]
nasty = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]) | st.sampled_from('"*-:()^'),
    max_size=120,
)
lines = st.builds(lambda name, rest: f"/papers {name} {rest}", st.sampled_from(NAMES), nasty)


@pytest.fixture
def catalog_deps(sample_catalog: Database) -> Deps:
    """The sample catalog on each dialect: PostgreSQL's query building meets the same input.
    Nothing here writes (the fake source finds nothing), so the shared catalog stays as it is."""
    settings = Settings(database_url=sample_catalog.url, timezone="UTC")
    return Deps(settings=settings, db=sample_catalog, source=FakeSource(), clock=FixedClock())


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.one_of(lines, nasty))
def test_any_text_gets_a_reply_and_never_an_internal_error(
    dispatcher: Dispatcher, catalog_deps: Deps, text: str
) -> None:
    reply = asyncio.run(ask(dispatcher, catalog_deps, text))
    assert reply.parts
    failures = [p.text for p in reply.parts if isinstance(p, Text) and "went wrong" in p.text]
    assert failures == []
    if reply.outcome is Outcome.USAGE:
        assert reply.private
