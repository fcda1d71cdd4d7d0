"""Slack ack benchmark: 100 concurrent signed ``/papers search`` requests against the HTTP app.

The real ``SlackAdapter`` (slack-bolt's AsyncApp under uvicorn) serves on 127.0.0.1 over the
bundled sample catalog and calls a loopback fake of Slack's Web API. Each request is a
form-encoded slash command signed as Slack signs it, sent to a channel of its own (posts to one
channel are paced one a second). Prints the acknowledgement latency (p50/p99 of the HTTP
round trip; budget p99 < 100 ms, docs/benchmarks.md) and the time until every answer reached
``chat.postMessage``. Runs on SQLite and, when PAPERBOT_BENCH_PG_URL (or
PAPERBOT_TEST_DATABASE_URL) is set, on PostgreSQL in a private schema, dropped afterwards.

    .venv/bin/python bench/slack_ack.py [--requests 100]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from adapters.slack.adapter import EVENTS_PATH, SlackAdapter  # noqa: E402
from bot.commands.table import build_dispatcher  # noqa: E402
from bot.deps import Deps  # noqa: E402
from bot.facade import Core  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.sources.sample import load_sample_papers  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import Database, normalise_url  # noqa: E402
from storage.papers import upsert_papers  # noqa: E402
from tests.slack.fake_slack import FakeSlack  # noqa: E402
from tests.slack.signed import SECRET, command_form, signature  # noqa: E402
from tests.support.fakes import FakeSource  # noqa: E402

QUERIES = ["linear attention", "diffusion", "lora", "reasoning", "video generation", "agents"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def run(url: str, requests: int) -> None:
    db = Database(url)
    migrate.upgrade(db)
    papers = load_sample_papers(datetime(2026, 6, 13, tzinfo=UTC))
    db.write_now(lambda s: upsert_papers(s, papers))
    if db.dialect == "sqlite":
        await db.read(db.common_terms.get)  # as paperbot run does at start
    settings = Settings(database_url=url, offline=True)
    deps = Deps(settings, db, source=FakeSource())
    fake = FakeSlack()
    await fake.start()
    adapter = SlackAdapter(
        Core(deps, build_dispatcher()),
        bot_token="xoxb-bench",
        signing_secret=SECRET,
        api_url=fake.api_url,
        port=0,
    )
    await adapter.start()
    target = f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}"
    acks: list[float] = []
    async with aiohttp.ClientSession() as session:

        async def command(i: int) -> None:
            form = command_form(
                f"search {QUERIES[i % len(QUERIES)]}", fake.response_url(), channel_id=f"C{i}"
            )
            body = urlencode(form)
            stamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": signature(SECRET, stamp, body),
            }
            sent = time.perf_counter()
            async with session.post(target, data=body.encode(), headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise SystemExit(f"request {i} got HTTP {response.status}")
            acks.append(time.perf_counter() - sent)

        await command(-1)  # warm-up: bolt's auth.test, first queries
        await fake.wait_for_long(lambda: bool(fake.called("chat.postMessage")))
        acks.clear()
        started = time.perf_counter()
        await asyncio.gather(*(command(i) for i in range(requests)))
        acked = time.perf_counter() - started

        def answered() -> bool:
            channels = {p["channel"] for p in fake.called("chat.postMessage")}
            return len(channels) >= requests + 1

        await asyncio.wait_for(fake.wait_for_long(answered), 300)
        done = time.perf_counter() - started
    await adapter.stop()
    await fake.stop()
    dialect = db.dialect
    db.dispose()
    p50, p99 = percentile(acks, 0.5) * 1000, percentile(acks, 0.99) * 1000
    verdict = "within budget" if p99 < 100 else "OVER the 100 ms budget"
    print(
        f"{dialect:<10} {requests} commands: ack p50 {p50:.1f} ms, p99 {p99:.1f} ms "
        f"(mean {statistics.mean(acks) * 1000:.1f} ms, all acked in {acked:.2f} s; {verdict}); "
        f"every answer posted after {done:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(f"sqlite:///{folder}/slack.db", args.requests))
    pg = os.environ.get("PAPERBOT_BENCH_PG_URL") or os.environ.get("PAPERBOT_TEST_DATABASE_URL")
    if not pg:
        print("postgresql skipped: set PAPERBOT_BENCH_PG_URL to a database it may write to")
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    from sqlalchemy import create_engine, text

    admin = create_engine(normalise_url(pg))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        sep = "&" if "?" in pg else "?"
        asyncio.run(run(f"{pg}{sep}options=-csearch_path%3D{schema}", args.requests))
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
