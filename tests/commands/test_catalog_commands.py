"""search, paper, today/week/month and help, through the dispatcher as a user types them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.reply import Heading, Outcome
from bot.search_query import parse_search_query
from bot.sources.errors import UpstreamUnavailable
from loopback.ports import FakeSource, FixedClock, make_paper
from storage.papers import get_paper, upsert_papers
from storage.search import search_catalog
from tests.support.invoke import ask, texts


async def test_search_answers_from_the_catalog_with_cards(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    reply = await ask(dispatcher, deps, "/papers search lora limit:3")
    assert reply.outcome is Outcome.OK
    assert len(reply.papers) == 3
    assert isinstance(reply.parts[0], Heading)


async def test_search_without_words_is_a_private_usage_error(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    reply = await ask(dispatcher, deps, "search")
    assert reply.outcome is Outcome.USAGE
    assert reply.private
    assert "Usage: /papers search" in texts(reply)


async def test_bad_filter_value_says_what_is_wrong(dispatcher: Dispatcher, deps: Deps) -> None:
    reply = await ask(dispatcher, deps, "search lora since:last-week")
    assert reply.outcome is Outcome.USAGE
    assert "since:" in texts(reply)


async def test_search_fills_a_short_answer_from_hugging_face(
    dispatcher: Dispatcher, deps: Deps, fake_source: FakeSource
) -> None:
    remote = make_paper("2611.00001", "Zorbulating quillworts", upvotes=7)
    fake_source.search_results = [remote]
    reply = await ask(dispatcher, deps, "search zorbulating quillworts")
    assert [p.id for p in reply.papers] == ["2611.00001"]
    assert deps.db.read_now(lambda s: get_paper(s, "2611.00001")) is not None


async def test_papers_fetched_at_search_time_are_searchable_at_once(
    dispatcher: Dispatcher, deps: Deps, fake_source: FakeSource
) -> None:
    fake_source.search_results = [make_paper("2611.00001", "Zorbulating quillworts")]
    await ask(dispatcher, deps, "search zorbulating quillworts")
    query = parse_search_query("quillworts")
    found = deps.db.read_now(lambda s: search_catalog(s, query, deps.db.search_index))
    assert [p.id for p in found.papers] == ["2611.00001"]


async def test_a_pasted_sentence_answers_from_the_ranked_catalog_first(
    dispatcher: Dispatcher, deps: Deps, fake_source: FakeSource
) -> None:
    local = make_paper("2611.00003", "Quillwort pruning makes zorbulate networks cheaper")
    deps.db.write_now(lambda s: upsert_papers(s, [local]))
    fake_source.search_results = [make_paper("2611.00004", "Something else")]
    sentence = "how can quillwort pruning make large zorbulate networks cheaper to serve limit:1"
    reply = await ask(dispatcher, deps, f"search {sentence}")
    assert [p.id for p in reply.papers] == ["2611.00003"]
    assert fake_source.calls == []


async def test_search_still_answers_when_hugging_face_is_down(
    dispatcher: Dispatcher, deps: Deps, fake_source: FakeSource
) -> None:
    fake_source.failure = UpstreamUnavailable("HF answered 503")
    reply = await ask(dispatcher, deps, "search zorbulating quillworts")
    assert reply.outcome is Outcome.OK
    assert "No papers match" in texts(reply)
    assert "local catalog only" in texts(reply)


async def test_paper_by_id_and_link_comes_from_the_catalog(
    dispatcher: Dispatcher, deps: Deps, fake_source: FakeSource
) -> None:
    for text in ("paper 2606.00467", "paper https://huggingface.co/papers/2606.00467"):
        reply = await ask(dispatcher, deps, text)
        assert [p.id for p in reply.papers] == ["2606.00467"]
    assert [call for call in fake_source.calls if call[0] == "paper"] == []  # not fetched


async def test_unknown_paper_is_fetched_from_hugging_face_and_kept(
    dispatcher: Dispatcher, deps: Deps, fake_source: FakeSource
) -> None:
    fake_source.papers["2611.00002"] = make_paper("2611.00002", "A new paper")
    reply = await ask(dispatcher, deps, "paper arxiv.org/abs/2611.00002v2")
    assert [p.id for p in reply.papers] == ["2611.00002"]
    assert deps.db.read_now(lambda s: get_paper(s, "2611.00002")) is not None


async def test_paper_unknown_everywhere_is_not_found(dispatcher: Dispatcher, deps: Deps) -> None:
    reply = await ask(dispatcher, deps, "paper 2611.99999")
    assert reply.outcome is Outcome.NOT_FOUND
    assert "does not list 2611.99999" in texts(reply)


async def test_paper_with_garbage_is_a_usage_error(dispatcher: Dispatcher, deps: Deps) -> None:
    reply = await ask(dispatcher, deps, "paper lora")
    assert reply.outcome is Outcome.USAGE


async def test_today_shows_the_latest_days_papers_by_upvotes(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    reply = await ask(dispatcher, deps, "today 10")
    papers = reply.papers
    assert len(papers) == 10
    assert {p.hf_daily_date for p in papers} == {date(2026, 6, 12)}
    assert [p.upvotes for p in papers] == sorted((p.upvotes for p in papers), reverse=True)


async def test_week_and_month_cover_wider_windows(dispatcher: Dispatcher, deps: Deps) -> None:
    week = (await ask(dispatcher, deps, "week 20")).papers
    month = (await ask(dispatcher, deps, "month 20")).papers
    assert all(p.hf_daily_date and p.hf_daily_date >= date(2026, 6, 6) for p in week)
    assert all(p.hf_daily_date and p.hf_daily_date >= date(2026, 5, 14) for p in month)
    assert max(p.upvotes for p in month) >= max(p.upvotes for p in week)


async def test_stale_catalog_says_how_old_it_is(
    dispatcher: Dispatcher, deps: Deps, clock: FixedClock
) -> None:
    clock.now = datetime(2026, 11, 22, 9, tzinfo=UTC)
    reply = await ask(dispatcher, deps, "today")
    assert reply.papers
    assert "12 Jun 2026" in texts(reply)


@pytest.mark.parametrize("text", ["today 0", "week lots", "month 1 2"])
async def test_trending_rejects_bad_counts(dispatcher: Dispatcher, deps: Deps, text: str) -> None:
    assert (await ask(dispatcher, deps, text)).outcome is Outcome.USAGE


async def test_help_lists_every_command_and_unknown_commands_point_to_it(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    reply = await ask(dispatcher, deps, "help")
    for name in ("search", "paper", "today", "week", "month", "help"):
        assert f"/papers {name}" in texts(reply)
    unknown = await ask(dispatcher, deps, "/papers frobnicate")
    assert unknown.outcome is Outcome.USAGE
    assert unknown.private
