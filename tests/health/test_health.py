"""/healthz, /readyz and /metrics, scraped over loopback from a server on a real database."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from bot.cli.health import PrometheusMetrics
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import ButtonVote, CardClick, Core, Invocation, Posters
from bot.scheduling.service import DigestService, build_digest_service
from loopback.ports import make_paper
from loopback.responders import RecordingResponder, RefusingResponder
from storage import migrate
from storage.db import Database
from storage.papers import latest_daily_date, upsert_papers
from tests.health.scrape import FakeAdapter, samples, scrape_once

AT = datetime(2026, 6, 13, 10, tzinfo=UTC)


async def test_healthz_answers_ok(deps: Deps, metrics: PrometheusMetrics) -> None:
    response = await scrape_once("/healthz", deps.db, [], None, metrics)
    assert response.status_code == 200
    assert response.text == "ok\n"


async def test_readyz_is_200_with_a_line_per_part_when_all_is_well(
    deps: Deps, digests: DigestService, metrics: PrometheusMetrics
) -> None:
    adapters = [FakeAdapter("discord"), FakeAdapter("slack")]
    response = await scrape_once("/readyz", deps.db, adapters, digests, metrics)
    assert response.status_code == 200, response.text
    assert response.text.splitlines() == [
        "database: reachable",
        f"schema: at head {migrate.head_revision()}",
        "adapter discord: serving",
        "adapter slack: serving",
        "scheduler: running (leading)",
    ]


async def test_readyz_is_503_naming_an_adapter_that_is_not_serving(
    db: Database, digests: DigestService, metrics: PrometheusMetrics
) -> None:
    adapters = [FakeAdapter("discord", serving=False), FakeAdapter("slack")]
    response = await scrape_once("/readyz", db, adapters, digests, metrics)
    assert response.status_code == 503
    lines = response.text.splitlines()
    assert "adapter discord: NOT READY: not connected or not serving" in lines
    assert "adapter slack: serving" in lines
    assert "database: reachable" in lines


async def test_readyz_is_503_naming_the_scheduler_when_it_is_not_running(
    deps: Deps, metrics: PrometheusMetrics
) -> None:
    stopped = build_digest_service(deps, Posters())
    response = await scrape_once("/readyz", deps.db, [FakeAdapter("discord")], stopped, metrics)
    assert response.status_code == 503
    assert "scheduler: NOT READY: the digest scheduler is not running" in response.text


async def test_readyz_is_503_naming_the_database_when_it_is_gone(
    tmp_path: Path, metrics: PrometheusMetrics
) -> None:
    gone = Database(f"sqlite:///{tmp_path / 'no such folder' / 'bot.db'}", search_dir=None)
    try:
        response = await scrape_once("/readyz", gone, [FakeAdapter("discord")], None, metrics)
    finally:
        gone.dispose()
    assert response.status_code == 503
    lines = response.text.splitlines()
    assert lines[0].startswith("database: NOT READY: unreachable")
    assert lines[1].startswith("schema: NOT READY")


async def test_readyz_is_503_when_the_schema_is_behind_head(
    db: Database, digests: DigestService, metrics: PrometheusMetrics
) -> None:
    head = migrate.head_revision()
    migrate.downgrade(db, "-1")
    response = await scrape_once("/readyz", db, [], digests, metrics)
    assert response.status_code == 503
    assert f"not at head {head}" in response.text


async def test_metrics_count_commands_by_name_and_outcome_with_their_latency(
    deps: Deps, dispatcher: Dispatcher, metrics: PrometheusMetrics
) -> None:
    core = Core(deps, dispatcher, metrics=metrics)
    started = time.perf_counter()
    await core.handle_command(Invocation("test", "T1", "C1", "U1", "today 3"), RecordingResponder())
    took = time.perf_counter() - started
    await core.handle_command(
        Invocation("test", "T1", "C1", "U1", "frobnicate"), RecordingResponder()
    )
    response = await scrape_once("/metrics", deps.db, [], None, metrics)
    assert response.status_code == 200
    counted = samples(response.text, "paperbot_commands_total")
    assert counted[(("command", "today"), ("outcome", "ok"))] == 1
    assert counted[(("command", "unknown"), ("outcome", "usage"))] == 1
    timed = samples(response.text, "paperbot_command_seconds_count")
    assert timed[(("command", "today"),)] == 1
    seconds = samples(response.text, "paperbot_command_seconds_sum")
    assert 0 < seconds[(("command", "today"),)] <= took  # its own time, within the call's


async def todays_cards(core: Core, channel: RecordingResponder) -> tuple[str, str]:
    """``today`` answered in ``channel``: the message with its cards, and its first paper."""
    await core.handle_command(Invocation("test", "T1", "C1", "U1", "today 3"), channel)
    (ref,) = channel.with_cards()
    return ref, channel.messages[ref].papers[0].id


async def test_metrics_count_a_command_whose_answer_could_not_be_sent_as_an_error(
    deps: Deps, dispatcher: Dispatcher, metrics: PrometheusMetrics
) -> None:
    core = Core(deps, dispatcher, metrics=metrics)
    await core.handle_command(Invocation("test", "T1", "C1", "U1", "today 1"), RefusingResponder())
    response = await scrape_once("/metrics", deps.db, [], None, metrics)
    counted = samples(response.text, "paperbot_commands_total")
    assert counted == {(("command", "today"), ("outcome", "error")): 1}


async def test_metrics_count_card_clicks_by_the_action_clicked(
    deps: Deps, dispatcher: Dispatcher, metrics: PrometheusMetrics
) -> None:
    core = Core(deps, dispatcher, metrics=metrics)
    ref, paper = await todays_cards(core, RecordingResponder())
    for kind in ("discuss", "save"):
        click = CardClick("test", "T1", "C1", "U2", kind, paper, ref)
        await core.handle_card_action(click, RecordingResponder())
    response = await scrape_once("/metrics", deps.db, [], None, metrics)
    counted = samples(response.text, "paperbot_commands_total")
    assert counted[(("command", "discuss"), ("outcome", "ok"))] == 1
    assert counted[(("command", "save"), ("outcome", "ok"))] == 1


async def test_metrics_count_votes_by_source_and_effect(
    deps: Deps, dispatcher: Dispatcher, metrics: PrometheusMetrics
) -> None:
    core = Core(deps, dispatcher, metrics=metrics)
    channel = RecordingResponder()
    ref, paper = await todays_cards(core, channel)
    await core.handle_vote(ButtonVote("test", "T1", "C1", "U2", paper, 1, "e1", AT, ref), channel)
    response = await scrape_once("/metrics", deps.db, [], None, metrics)
    votes = samples(response.text, "paperbot_votes_total")
    assert votes == {(("effect", "recorded"), ("source", "click")): 1}


async def test_metrics_show_the_catalogs_newest_daily_papers_day(
    deps: Deps, metrics: PrometheusMetrics
) -> None:
    newest = await deps.db.read(latest_daily_date)
    assert newest is not None
    response = await scrape_once("/metrics", deps.db, [], None, metrics)
    stamp = datetime.combine(newest, datetime.min.time(), UTC).timestamp()
    assert samples(response.text, "paperbot_catalog_newest_day_timestamp_seconds") == {(): stamp}


async def test_metrics_show_how_far_the_search_index_is_behind_the_catalog(
    db: Database, metrics: PrometheusMetrics
) -> None:
    papers = [make_paper(f"2606.0000{n}", f"Paper {n}") for n in range(1, 4)]
    await db.write(lambda s: upsert_papers(s, papers[:2]))
    before = await scrape_once("/metrics", db, [], None, metrics)
    await db.read(db.search_index.sync)
    await db.write(lambda s: upsert_papers(s, papers[2:]))
    after = await scrape_once("/metrics", db, [], None, metrics)
    await db.read(db.search_index.sync)
    synced = await scrape_once("/metrics", db, [], None, metrics)
    name = "paperbot_search_index_behind_papers"
    assert samples(before.text, name) == {(): 2}
    assert samples(after.text, name) == {(): 1}
    assert samples(synced.text, name) == {(): 0}
