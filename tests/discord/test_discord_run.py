"""``paperbot run`` with a Discord token: logs in to the (loopback) Discord, stops on SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from loopback.discord import FakeDiscord
from tests.support.processes import child_env, free_port, ready_answer

ROOT = Path(__file__).resolve().parents[2]


@contextlib.asynccontextmanager
async def discord_only(
    fake: FakeDiscord, tmp_path: Path, **settings: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """``paperbot run`` with Discord (the loopback one) as its only adapter, plus ``settings``;
    killed on the way out if the test left it running."""
    env = child_env(PAPERBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    env |= {"PAPERBOT_OFFLINE": "1", "PAPERBOT_LOAD_SAMPLE": "0", "PAPERBOT_CONSOLE": "0"}
    env |= {"PAPERBOT_DISCORD_TOKEN": "bot-token", "PAPERBOT_DISCORD_API_URL": fake.api_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env | settings,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_paperbot_run_serves_discord_until_sigterm_and_then_closes_the_gateway(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    async with discord_only(fake, tmp_path) as process:
        await asyncio.wait_for(fake.connected(), 120)
        assert fake.identified == 1
        process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()[-2000:]
    assert fake.gateway_closed


async def test_paperbot_run_exits_70_when_discord_ends_the_session_for_good(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    """A gateway that will not come back is a dead process to its supervisor, not a clean exit."""
    async with discord_only(fake, tmp_path) as process:
        await asyncio.wait_for(fake.connected(), 120)
        await fake.revoke()
        _out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 70, err.decode()[-2000:]
    assert "the discord adapter stopped serving" in err.decode()


async def test_paperbot_run_serves_readyz_and_metrics_beside_discord_alone(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    """Discord-only still has health: ready once the gateway session is, then metrics scrape."""
    port = free_port()
    async with discord_only(fake, tmp_path, PAPERBOT_METRICS_PORT=str(port)) as process:
        ready = await ready_answer(f"http://127.0.0.1:{port}/readyz", process)
        async with httpx.AsyncClient() as http:
            metrics = await http.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
        process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(process.communicate(), 30)
    assert ready.status_code == 200, ready.text + err.decode()[-2000:]
    assert "adapter discord: serving" in ready.text.splitlines()
    assert metrics.status_code == 200
    names = {family.name for family in text_string_to_metric_families(metrics.text)}
    assert {"paperbot_commands", "paperbot_votes"} <= names
    assert process.returncode == 0, err.decode()[-2000:]


async def test_paperbot_run_exits_78_naming_the_token_when_discord_refuses_it(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    """A token Discord refuses is a setting to fix, said in one line, not a traceback."""
    fake.revoked = True
    async with discord_only(fake, tmp_path) as process:
        out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 78, err.decode()[-2000:]
    assert "Discord refused PAPERBOT_DISCORD_TOKEN" in out.decode()
    assert "Traceback" not in err.decode()
