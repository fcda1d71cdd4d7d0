"""What each ``--role`` runs, and the settings and refusals that go with it."""

from __future__ import annotations

import pytest

from bot.cli import build_parser
from bot.cli.adapter_settings import load_adapter_settings
from bot.cli.roles import Role, plan
from bot.settings import SettingsError
from tests.support.processes import run_paperbot

EVERYTHING = {
    "PAPERBOT_CONSOLE": "1",
    "PAPERBOT_SLACK_BOT_TOKEN": "xoxb-1",
    "PAPERBOT_SLACK_SIGNING_SECRET": "s",
    "PAPERBOT_DISCORD_TOKEN": "d",
}


def test_all_runs_everything_the_settings_turn_on_with_the_scheduler() -> None:
    chosen = load_adapter_settings(EVERYTHING)
    everything = plan(Role.ALL, chosen)
    assert everything.serve == chosen
    assert everything.scheduler
    assert not everything.post_only.any


def test_web_serves_slack_and_the_console_and_schedules_nothing() -> None:
    web = plan(Role.WEB, load_adapter_settings(EVERYTHING))
    assert web.serve.slack is not None
    assert web.serve.console
    assert web.serve.discord is None
    assert not web.scheduler
    assert not web.post_only.any


def test_worker_serves_discord_runs_the_scheduler_and_posts_to_slack_without_serving_it() -> None:
    worker = plan(Role.WORKER, load_adapter_settings(EVERYTHING))
    assert worker.serve.discord is not None
    assert worker.serve.slack is None
    assert not worker.serve.console
    assert worker.post_only.slack is not None  # Slack digests go out from the worker
    assert worker.scheduler


def test_a_slack_only_team_can_still_run_a_worker_for_its_digests() -> None:
    slack_only = load_adapter_settings({k: v for k, v in EVERYTHING.items() if "SLACK" in k})
    assert plan(Role.WORKER, slack_only).any
    discord_only = load_adapter_settings({"PAPERBOT_DISCORD_TOKEN": "d"})
    assert not plan(Role.WEB, discord_only).any


def test_the_role_defaults_to_all_and_must_be_one_of_the_three() -> None:
    assert build_parser().parse_args(["run"]).role == "all"
    assert build_parser().parse_args(["run", "--role", "worker"]).role == "worker"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--role", "scheduler"])


@pytest.mark.parametrize("raw", ["0", "-1", "two", "1025", "1.5"])
def test_discord_shards_is_a_whole_number_from_1(raw: str) -> None:
    with pytest.raises(SettingsError, match="PAPERBOT_DISCORD_SHARDS"):
        load_adapter_settings({"PAPERBOT_DISCORD_TOKEN": "d", "PAPERBOT_DISCORD_SHARDS": raw})


def test_discord_shards_defaults_to_one() -> None:
    chosen = load_adapter_settings({"PAPERBOT_DISCORD_TOKEN": "d"})
    assert chosen.discord is not None
    assert chosen.discord.shards == 1
    four = load_adapter_settings({"PAPERBOT_DISCORD_TOKEN": "d", "PAPERBOT_DISCORD_SHARDS": "4"})
    assert four.discord is not None
    assert four.discord.shards == 4


def test_a_web_process_with_only_discord_configured_exits_78_saying_why(tmp_path: object) -> None:
    result = run_paperbot(
        "run",
        "--role",
        "web",
        env={
            "PAPERBOT_DATABASE_URL": f"sqlite:///{tmp_path}/bot.db",
            "PAPERBOT_LOAD_SAMPLE": "0",
            "PAPERBOT_DISCORD_TOKEN": "d",
        },
    )
    assert result.returncode == 78, result.stderr[-2000:]
    assert "web role serves Slack or the terminal chat" in result.stdout
