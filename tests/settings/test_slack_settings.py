"""Slack settings from the environment, and ``paperbot run`` serving Slack from them."""

from __future__ import annotations

import asyncio
import socket
import sys
import time
from pathlib import Path

import pytest

from adapters.slack.adapter import SlackAdapter
from bot.cli.adapter_settings import SlackSettings, load_adapter_settings
from bot.cli.adapters import configured_adapters
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core
from bot.settings import SettingsError
from loopback.slack import FakeSlack
from loopback.slack_signing import SECRET, SlackSender
from tests.support.processes import child_env

ROOT = Path(__file__).resolve().parents[2]
TOKENS = {"PAPERBOT_SLACK_BOT_TOKEN": "xoxb-1", "PAPERBOT_SLACK_SIGNING_SECRET": "s"}
OAUTH = {
    "PAPERBOT_SLACK_CLIENT_ID": "1.2",
    "PAPERBOT_SLACK_CLIENT_SECRET": "cs",
    "PAPERBOT_SLACK_SIGNING_SECRET": "s",
}


def test_a_bot_token_and_signing_secret_turn_slack_on_with_http_defaults() -> None:
    chosen = load_adapter_settings(TOKENS)
    assert chosen.any
    assert chosen.slack == SlackSettings(bot_token="xoxb-1", signing_secret="s")
    assert chosen.slack.api_url == "https://slack.com/api/"
    assert (chosen.slack.http.host, chosen.slack.http.port) == ("127.0.0.1", 3000)
    assert load_adapter_settings({}).slack is None


def test_an_app_token_chooses_socket_mode_without_a_signing_secret() -> None:
    env = {"PAPERBOT_SLACK_BOT_TOKEN": "xoxb-1", "PAPERBOT_SLACK_APP_TOKEN": "xapp-1"}
    slack = load_adapter_settings(env).slack
    assert slack is not None
    assert slack.app_token is not None
    assert (slack.app_token.get_secret_value(), slack.signing_secret) == ("xapp-1", None)


def test_the_api_url_host_and_port_can_be_moved() -> None:
    env = TOKENS | {"PAPERBOT_SLACK_API_URL": "http://127.0.0.1:9/api/"}
    env |= {"PAPERBOT_HTTP_HOST": "0.0.0.0", "PAPERBOT_HTTP_PORT": "8080"}
    slack = load_adapter_settings(env).slack
    assert slack is not None
    assert (slack.api_url, slack.http.host, slack.http.port) == (
        "http://127.0.0.1:9/api/",
        "0.0.0.0",
        8080,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PAPERBOT_SLACK_BOT_TOKEN": "xoxb-1"}, "PAPERBOT_SLACK_SIGNING_SECRET"),
        (TOKENS | {"PAPERBOT_HTTP_PORT": "http"}, "PAPERBOT_HTTP_PORT"),
        (TOKENS | {"PAPERBOT_SLACK_API_URL": "slack.com"}, "PAPERBOT_SLACK_API_URL"),
        (TOKENS | {"PAPERBOT_SLACK_API_URL": "http://"}, "PAPERBOT_SLACK_API_URL"),
        (TOKENS | {"PAPERBOT_SLACK_BOT_TOKEN": "notatoken"}, "PAPERBOT_SLACK_BOT_TOKEN"),
        (TOKENS | {"PAPERBOT_SLACK_BOT_TOKEN": "xoxp-1-user"}, "PAPERBOT_SLACK_BOT_TOKEN"),
        (TOKENS | {"PAPERBOT_HTTP_HOST": "http://0.0.0.0:3000"}, "PAPERBOT_HTTP_HOST"),
        (TOKENS | {"PAPERBOT_HTTP_HOST": "exa mple"}, "PAPERBOT_HTTP_HOST"),
        ({"PAPERBOT_SLACK_APP_TOKEN": "xapp-1"}, "PAPERBOT_SLACK_BOT_TOKEN"),
        (TOKENS | {"PAPERBOT_SLACK_APP_TOKEN": "xoxb-2"}, "PAPERBOT_SLACK_APP_TOKEN"),
        ({"PAPERBOT_SLACK_CLIENT_ID": "1.2"}, "PAPERBOT_SLACK_CLIENT_SECRET"),
        (TOKENS | OAUTH, "PAPERBOT_SLACK_BOT_TOKEN"),
        ({k: v for k, v in OAUTH.items() if "SIGNING" not in k}, "PAPERBOT_SLACK_SIGNING_SECRET"),
    ],
)
def test_bad_slack_settings_name_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        load_adapter_settings(env)


def test_the_composition_root_builds_the_slack_adapter(deps: Deps, dispatcher: Dispatcher) -> None:
    chosen = load_adapter_settings(TOKENS)
    [adapter] = configured_adapters(chosen, Core(deps, dispatcher), console=None)  # type: ignore[arg-type]
    assert isinstance(adapter, SlackAdapter)
    assert adapter.platform == "slack"


def test_a_client_id_and_secret_without_a_bot_token_turn_on_oauth_mode() -> None:
    slack = load_adapter_settings(OAUTH).slack
    assert slack is not None
    assert (slack.bot_token, slack.client_id) == (None, "1.2")
    assert slack.client_secret is not None
    assert slack.client_secret.get_secret_value() == "cs"
    assert "cs" not in repr(slack)


def test_the_composition_root_builds_oauth_mode_over_the_bots_database(
    deps: Deps, dispatcher: Dispatcher
) -> None:
    chosen = load_adapter_settings(OAUTH)
    core = Core(deps, dispatcher)
    [adapter] = configured_adapters(chosen, core, None, deps.db)  # type: ignore[arg-type]
    assert isinstance(adapter, SlackAdapter)
    assert adapter.app.oauth_flow is not None
    assert adapter.app.oauth_flow.install_path == "/slack/install"


def test_token_mode_loads_none_of_the_oauth_stores() -> None:
    probe = (
        "import sys\n"
        "from bot.cli.adapter_settings import load_adapter_settings\n"
        "from bot.cli.adapters import slack_adapter\n"
        # building the adapter touches only the core's API-error counter
        "class Core:\n"
        "    def api_error(self, platform, code): pass\n"
        f"slack_adapter(Core(), load_adapter_settings({TOKENS!r}).slack)\n"
        "assert 'adapters.slack.oauth_database' not in sys.modules\n"
        "assert 'sqlalchemy.ext.asyncio' not in sys.modules\n"
        "print('ok')\n"
    )
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "ok", done.stderr[-2000:]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_paperbot_run_serves_slack_and_answers_a_command(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    port = free_port()
    env = child_env(PAPERBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    env |= {"PAPERBOT_OFFLINE": "1", "PAPERBOT_LOAD_SAMPLE": "0"}
    env |= {"PAPERBOT_SLACK_BOT_TOKEN": "xoxb-run", "PAPERBOT_SLACK_SIGNING_SECRET": SECRET}
    env |= {"PAPERBOT_SLACK_API_URL": fake_slack.api_url, "PAPERBOT_HTTP_PORT": str(port)}
    env.pop("PAPERBOT_CONSOLE", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        sender = SlackSender(f"http://127.0.0.1:{port}/slack/events")
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = await sender.command("help", fake_slack.response_url())
                break
            except OSError:
                assert process.returncode is None, "paperbot run ended before serving"
                assert time.monotonic() < deadline, "paperbot run did not start serving"
                await asyncio.sleep(0.2)
        assert status == 200
        await fake_slack.wait_for(lambda: bool(fake_slack.responses))
        assert fake_slack.responses[0]["response_type"] == "ephemeral"
        assert "search" in str(fake_slack.responses[0]["blocks"])
        assert fake_slack.called("auth.test"), "bolt checks the token at the configured API URL"
    finally:
        if process.returncode is None:
            process.terminate()
        out, _ = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, out.decode()
