"""Slack ack benchmark: 100 concurrent signed ``/papers search`` requests against the HTTP app.

Three processes, so the figures are the app's alone: ``paperbot run`` serves Slack over HTTP
(the production path: slack-bolt's AsyncApp under uvicorn, the sample catalog, offline); a
load generator in a process of its own sends the form-encoded slash commands, signed as Slack
signs them, each to a channel of its own (posts to one channel are paced one a second), all at
once; this process runs the loopback fake of Slack's Web API and counts the answers. Between
paperbot's bursts, the same load generator sends the same bursts to the plain anchor
(bench/plain_slack.py: a do-nothing app on the same uvicorn, httptools and uvloop), which goes
first every other time. Prints the acknowledgement latency (p50/p99 of the HTTP round trip;
budget p99 < 100 ms, docs/benchmarks.md), the ratio of the two p99s (goal <= 1.2) and the time
until every answer reached ``chat.postMessage``. Runs on SQLite
and, when PAPERBOT_BENCH_PG_URL (or PAPERBOT_TEST_DATABASE_URL) is set, on PostgreSQL in a
private schema, dropped afterwards.

    .venv/bin/python bench/slack_ack.py [--requests 100] [--bursts 5]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.postgres import bench_server, postgres_schema  # noqa: E402
from loopback.slack import FakeSlack  # noqa: E402
from loopback.slack_signing import SECRET, command_form, signature  # noqa: E402

QUERIES = ["linear attention", "diffusion", "lora", "reasoning", "video generation", "agents"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def signed_command(response_url: str, i: int) -> tuple[bytes, dict[str, str]]:
    """One ``/papers search`` to channel ``C<i>``, form-encoded and signed as Slack does."""
    form = command_form(f"search {QUERIES[i % len(QUERIES)]}", response_url, channel_id=f"C{i}")
    body = urlencode(form)
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(SECRET, stamp, body),
    }
    return body.encode(), headers


def raw_request(port: int, body: bytes, headers: dict[str, str]) -> bytes:
    lines = ["POST /slack/events HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
    return "\r\n".join(lines).encode() + body


async def timed_post(port: int, request: bytes) -> float:
    """Connect, send, read the whole response; the seconds that took (Slack's view of an ack).
    Plain sockets, so the client's own work barely counts."""
    sent = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    status = await reader.readline()
    await reader.read()  # until the server closes (Connection: close)
    took = time.monotonic() - sent
    writer.close()
    if b" 200 " not in status:
        raise SystemExit(f"a command got {status!r}")
    return took


def generate_load(port: int, response_url: str, channels: range) -> tuple[float, list[float]]:
    """The load generator's process: one command per channel, all at once; (start on the
    monotonic clock, which all processes share, and each ack latency)."""
    prepared = [raw_request(port, *signed_command(response_url, i)) for i in channels]

    async def burst() -> tuple[float, list[float]]:
        started = time.monotonic()
        acks = await asyncio.gather(*(timed_post(port, request) for request in prepared))
        return started, list(acks)

    return asyncio.run(burst())


async def until_serving(port: int, response_url: str, app: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 300  # a first start loads the sample: over 60 s at load 15
    while True:
        try:  # also the warm-up: bolt's auth.test, the first queries
            await timed_post(port, raw_request(port, *signed_command(response_url, -1)))
            return
        except OSError:
            if app.returncode is not None or time.monotonic() > deadline:
                raise SystemExit("paperbot run did not start serving") from None
            await asyncio.sleep(0.2)


async def run(url: str, requests: int, bursts: int, label: str) -> None:
    fake = FakeSlack()
    await fake.start()
    port, anchor_port = free_port(), free_port()
    anchor = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "bench" / "plain_slack.py"), str(anchor_port)
    )
    env = {**os.environ, "PAPERBOT_DATABASE_URL": url, "PAPERBOT_OFFLINE": "1"}
    env |= {"PAPERBOT_LOAD_SAMPLE": "1", "PAPERBOT_SLACK_BOT_TOKEN": "xoxb-bench"}
    env |= {"PAPERBOT_SLACK_SIGNING_SECRET": SECRET, "PAPERBOT_SLACK_API_URL": fake.api_url}
    env |= {"PAPERBOT_HTTP_PORT": str(port), "PAPERBOT_LOG_LEVEL": "WARNING"}
    for name in ("PAPERBOT_CONSOLE", "PAPERBOT_DISCORD_TOKEN", "PAPERBOT_SLACK_APP_TOKEN"):
        env.pop(name, None)
    app = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL
    )
    try:
        await until_serving(port, fake.response_url(), app)
        await fake.wait_for_long(lambda: bool(fake.called("chat.postMessage")))

        await until_serving(anchor_port, fake.response_url(), anchor)

        answers: list[float] = []
        acks: list[float] = []
        plain: list[float] = []
        loads: list[float] = []
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(1, mp_context=spawn) as pool:

            async def paperbot_burst(channels: range) -> None:
                load = asyncio.get_running_loop().run_in_executor(
                    pool, generate_load, port, fake.response_url(), channels
                )
                await asyncio.wait_for(fake.wait_for_long(answered(fake, channels)), 300)
                done_at = time.monotonic()
                started, burst_acks = await load
                acks.extend(burst_acks)
                answers.append(done_at - started)

            async def anchor_burst(channels: range) -> None:
                _, burst_acks = await asyncio.get_running_loop().run_in_executor(
                    pool, generate_load, anchor_port, fake.response_url(), channels
                )
                plain.extend(burst_acks)

            for burst in range(bursts):  # alternately, which goes first alternating too
                channels = range(burst * requests, (burst + 1) * requests)
                pair = [paperbot_burst, anchor_burst]
                for one in pair if burst % 2 == 0 else reversed(pair):
                    await one(channels)
                    await asyncio.sleep(1)  # let the app settle between bursts
                loads.append(os.getloadavg()[0])
    finally:
        for process in (app, anchor):
            if process.returncode is None:
                process.terminate()
            await process.wait()
        await fake.stop()
    p50, p99 = percentile(acks, 0.5) * 1000, percentile(acks, 0.99) * 1000
    a50, a99 = percentile(plain, 0.5) * 1000, percentile(plain, 0.99) * 1000
    verdict = "within budget" if p99 < 100 else "OVER the 100 ms budget"
    print(
        f"{label:<10} {bursts} x {requests} commands: ack p99 ratio {p99 / a99:.2f}x (goal <= 1.2) "
        f"| paperbot p50 {p50:.1f} ms, p99 {p99:.1f} ms ({verdict}; slowest "
        f"{max(acks) * 1000:.0f} ms), every answer posted after "
        f"{statistics.median(answers):.2f} s (median) | do-nothing anchor p50 {a50:.1f} ms, "
        f"p99 {a99:.1f} ms | load {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores",
        flush=True,
    )


def answered(fake: FakeSlack, channels: range) -> Callable[[], bool]:
    wanted = {f"C{i}" for i in channels}

    def check() -> bool:
        return wanted <= {p["channel"] for p in fake.called("chat.postMessage")}

    return check


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--bursts", type=int, default=5, help="bursts per database (noise)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(f"sqlite:///{folder}/slack.db", args.requests, args.bursts, "sqlite"))
    pg = bench_server()
    if pg is None:
        return
    with postgres_schema(pg) as url:
        asyncio.run(run(url, args.requests, args.bursts, "postgresql"))


if __name__ == "__main__":
    main()
