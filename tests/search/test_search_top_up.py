"""Hugging Face's search fills a short answer, within the query's filters."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from loopback.ports import FakeSource, make_paper
from tests.support.invoke import ask


async def test_since_applies_to_papers_found_on_hugging_face(
    dispatcher: Dispatcher, deps: Deps, fake_source: FakeSource
) -> None:
    recent, early = datetime(2026, 11, 2, tzinfo=UTC), datetime(2022, 11, 2, tzinfo=UTC)
    fake_source.search_results = [
        make_paper("2611.00001", "Zorbulating quillworts", published_at=recent),
        make_paper("2211.00001", "Zorbulating quillworts, early", published_at=early),
    ]
    reply = await ask(dispatcher, deps, "search zorbulating quillworts since:2026-01-01")
    assert [p.id for p in reply.papers] == ["2611.00001"]


async def test_org_applies_to_papers_found_on_hugging_face(
    dispatcher: Dispatcher, deps: Deps, fake_source: FakeSource
) -> None:
    fake_source.search_results = [
        make_paper("2611.00001", "Zorbulating quillworts", organization_name="Google DeepMind"),
        make_paper("2611.00002", "Zorbulating quillworts too", organization="deepmind"),
        make_paper("2611.00003", "Zorbulating quillworts, elsewhere", organization="meta"),
        make_paper("2611.00004", "Zorbulating quillworts, on their own"),
    ]
    reply = await ask(dispatcher, deps, "search zorbulating quillworts org:deepmind")
    assert [p.id for p in reply.papers] == ["2611.00001", "2611.00002"]
    reply = await ask(dispatcher, deps, 'search zorbulating quillworts org:"DeepMind Google"')
    assert reply.papers == ()
