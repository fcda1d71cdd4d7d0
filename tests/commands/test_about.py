"""``about``: the version, what the catalog holds and this channel's digests, privately."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.model import Channel
from bot.model.digests import DigestSpec, Subscription
from bot.reply import Outcome
from bot.version import paperbot_version
from storage.papers import count_papers
from storage.subscriptions import save_subscription
from tests.support.invoke import ask, texts


async def test_about_names_the_version_and_what_the_catalog_holds(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    papers = deps.db.read_now(count_papers)

    reply = await ask(dispatcher, deps, "/papers about")

    assert reply.private
    assert reply.parts[0].text == f"paperbot {paperbot_version()}"  # type: ignore[union-attr]
    assert paperbot_version() != "unknown"  # the suite runs on an installed paperbot
    said = texts(reply)
    assert f"Catalog: {papers:,} papers, the newest from the Daily Papers of " in said
    assert "This channel has no digest" in said
    assert "asked of Hugging Face" in said


async def test_about_lists_this_channels_digests_and_says_when_it_is_offline(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    sub = Subscription(Channel("test", "T1", "C1"), DigestSpec("weekly", weekdays=(0,)), "U1")
    deps.db.write_now(lambda s: save_subscription(s, sub, datetime(2026, 6, 1, tzinfo=UTC)))
    offline = replace(deps, settings=deps.settings.model_copy(update={"offline": True}))

    said = texts(await ask(dispatcher, offline, "about"))

    assert "This channel's digests: weekly." in said
    assert "Offline: answers come from the catalog only (PAPERBOT_OFFLINE)." in said


async def test_about_with_words_is_a_usage_error(dispatcher: Dispatcher, deps: Deps) -> None:
    reply = await ask(dispatcher, deps, "about everything")
    assert reply.outcome is Outcome.USAGE
    assert "Usage: /papers about" in texts(reply)
