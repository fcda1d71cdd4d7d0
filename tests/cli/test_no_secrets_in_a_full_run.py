"""``paperbot run`` at DEBUG, serving Slack, Discord and Slack OAuth against the loopback fakes:
no token, signing secret or client secret anywhere in what it writes."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from collections.abc import Mapping
from pathlib import Path

import aiohttp

from adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH
from loopback.discord import FakeDiscord
from loopback.hf import FakeHfServer, recorded_catalog
from loopback.slack import FakeSlack, bot_token_for
from loopback.slack_signing import SlackSender
from tests.support.processes import child_env, free_port, ready_answer

ROOT = Path(__file__).resolve().parents[2]
SIGNING_SECRET = "fullrun-signing-secret-0123456789"
TOKENS = {
    "PAPERBOT_SLACK_BOT_TOKEN": "xoxb-1-fullrun-bot-token",
    "PAPERBOT_SLACK_SIGNING_SECRET": SIGNING_SECRET,
    "PAPERBOT_DISCORD_TOKEN": "MTIz.fullrun.discord-token-value",
    "PAPERBOT_HF_TOKEN": "hf_fullrunsecrettoken1234",
}
OAUTH = {
    "PAPERBOT_SLACK_CLIENT_ID": "1234.5678",
    "PAPERBOT_SLACK_CLIENT_SECRET": "fullrun-client-secret-value",
    "PAPERBOT_SLACK_SIGNING_SECRET": SIGNING_SECRET,
}


def read(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")


async def logged_until(log: Path, *needles: str) -> str:
    """The child's log once it holds every needle (it runs at its own pace on a loaded
    machine); the log as it is after a generous number of looks, if not."""
    text = ""
    for _ in range(1200):
        text = await asyncio.to_thread(read, log)
        if all(needle in text for needle in needles):
            break
        await asyncio.sleep(0.1)
    return text


async def run_at_debug(
    tmp_path: Path, settings: Mapping[str, str], fake_slack: FakeSlack, hf: FakeHfServer
) -> tuple[asyncio.subprocess.Process, Path, int]:
    """``paperbot run`` at DEBUG with ``settings``; its output goes to a file, read as it grows."""
    http_port, metrics_port = free_port(), free_port()
    env = child_env(PAPERBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    env |= {"PAPERBOT_LOAD_SAMPLE": "0", "PAPERBOT_LOG_LEVEL": "debug"}
    env |= {"PAPERBOT_HF_BASE_URL": hf.base_url, "PAPERBOT_SLACK_API_URL": fake_slack.api_url}
    env |= {"PAPERBOT_HTTP_PORT": str(http_port), "PAPERBOT_METRICS_PORT": str(metrics_port)}
    log = tmp_path / "paperbot.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=env | dict(settings),
            stdout=out, stderr=out,
        )  # fmt: skip
    ready = await ready_answer(f"http://127.0.0.1:{metrics_port}/readyz", process)
    assert ready.status_code == 200, ready.text + log.read_text()[-3000:]
    return process, log, http_port


async def stopped(process: asyncio.subprocess.Process, log: Path) -> str:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 120)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    return await asyncio.to_thread(read, log)


def assert_no_secret(text: str, secrets: list[str]) -> None:
    assert " DEBUG " in text  # the run did log at DEBUG
    for secret in secrets:
        assert secret not in text, f"{secret} is in the log"


async def test_a_slack_and_discord_run_logs_no_token_or_secret_at_debug(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    with FakeHfServer(recorded_catalog()) as hf:
        async with FakeDiscord() as discord:
            settings = TOKENS | {"PAPERBOT_DISCORD_API_URL": discord.api_url}
            process, log, port = await run_at_debug(tmp_path, settings, fake_slack, hf)
            try:
                slack = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET)
                status, _ = await slack.command("search attention", fake_slack.response_url())
                assert status == 200
                await discord.slash("search", query="attention")
                await logged_until(log, "command platform=slack", "command platform=discord")
            finally:
                text = await stopped(process, log)
    assert "command platform=slack" in text, text[-3000:]
    assert "command platform=discord" in text, text[-3000:]
    assert_no_secret(text, list(TOKENS.values()))


async def test_a_slack_oauth_install_logs_no_client_secret_or_installed_token_at_debug(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    fake_slack.install_codes["code-t2"] = "T2"
    with FakeHfServer(recorded_catalog()) as hf:
        process, log, port = await run_at_debug(tmp_path, OAUTH, fake_slack, hf)
        try:
            async with aiohttp.ClientSession() as browser:
                async with browser.get(f"http://127.0.0.1:{port}{INSTALL_PATH}") as page:
                    found = re.search(r"state=([\w-]+)", await page.text())
                    assert found, "the install page links to Slack with a state"
                    cookie = page.headers["Set-Cookie"].split(";")[0]
                redirect = f"http://127.0.0.1:{port}{REDIRECT_PATH}"
                query = {"code": "code-t2", "state": found.group(1)}
                async with browser.get(redirect, params=query, headers={"Cookie": cookie}) as back:
                    assert back.status == 200
            slack = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET)
            status, _ = await slack.command("today", fake_slack.response_url(), team_id="T2")
            assert status == 200
            await logged_until(log, "command platform=slack")
        finally:
            text = await stopped(process, log)
    assert "command platform=slack workspace=T2" in text, text[-3000:]
    assert_no_secret(
        text, [OAUTH["PAPERBOT_SLACK_CLIENT_SECRET"], SIGNING_SECRET, bot_token_for("T2")]
    )
