"""``paperbot run`` with a Discord token: logs in to the (loopback) Discord, stops on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from loopback.discord import FakeDiscord
from tests.support.processes import child_env

ROOT = Path(__file__).resolve().parents[2]


async def test_paperbot_run_serves_discord_until_sigterm_and_then_closes_the_gateway(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    env = child_env(PAPERBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    env |= {"PAPERBOT_OFFLINE": "1", "PAPERBOT_LOAD_SAMPLE": "0", "PAPERBOT_CONSOLE": "0"}
    env |= {"PAPERBOT_DISCORD_TOKEN": "bot-token", "PAPERBOT_DISCORD_API_URL": fake.api_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await asyncio.wait_for(fake.connected(), 60)
        assert fake.identified == 1
        process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, err.decode()[-2000:]
    assert fake.gateway_closed


async def test_paperbot_run_exits_70_when_discord_ends_the_session_for_good(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    """A gateway that will not come back is a dead process to its supervisor, not a clean exit."""
    env = child_env(PAPERBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    env |= {"PAPERBOT_OFFLINE": "1", "PAPERBOT_LOAD_SAMPLE": "0", "PAPERBOT_CONSOLE": "0"}
    env |= {"PAPERBOT_DISCORD_TOKEN": "bot-token", "PAPERBOT_DISCORD_API_URL": fake.api_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await asyncio.wait_for(fake.connected(), 60)
        await fake.revoke()
        _out, err = await asyncio.wait_for(process.communicate(), 60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 70, err.decode()[-2000:]
    assert "the discord adapter stopped serving" in err.decode()
