"""PAPERBOT_METRICS_PORT and PAPERBOT_METRICS_HOST: health and metrics off unless a port is set."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.cli.adapter_settings import HealthSettings, load_health_settings
from bot.settings import SettingsError
from tests.support.processes import run_paperbot


def test_health_is_off_by_default_and_binds_loopback_when_on() -> None:
    assert load_health_settings({}) == HealthSettings(port=None, host="127.0.0.1")
    assert load_health_settings({"PAPERBOT_METRICS_PORT": "9464"}) == HealthSettings(port=9464)
    env = {"PAPERBOT_METRICS_PORT": "0", "PAPERBOT_METRICS_HOST": "0.0.0.0"}
    assert load_health_settings(env) == HealthSettings(port=0, host="0.0.0.0")


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PAPERBOT_METRICS_PORT": "metrics"}, "PAPERBOT_METRICS_PORT"),
        ({"PAPERBOT_METRICS_PORT": "65536"}, "PAPERBOT_METRICS_PORT"),
        ({"PAPERBOT_METRICS_PORT": "-1"}, "PAPERBOT_METRICS_PORT"),
        ({"PAPERBOT_METRICS_PORT": "9464", "PAPERBOT_METRICS_HOST": "http://x"}, "_HOST"),
    ],
)
def test_bad_health_settings_name_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        load_health_settings(env)


def test_paperbot_run_exits_78_naming_a_bad_metrics_port(tmp_path: Path) -> None:
    env = {"PAPERBOT_CONSOLE": "1", "PAPERBOT_METRICS_PORT": "nine", "PAPERBOT_OFFLINE": "1"}
    env |= {"PAPERBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"}
    done = run_paperbot("run", env=env)
    assert done.returncode == 78, done.stderr
    assert "PAPERBOT_METRICS_PORT" in done.stdout + done.stderr


def test_paperbot_run_exits_78_naming_a_metrics_port_it_cannot_listen_on(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {"PAPERBOT_CONSOLE": "1", "PAPERBOT_METRICS_PORT": str(port), "PAPERBOT_OFFLINE": "1"}
        env |= {"PAPERBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"}
        env |= {"PAPERBOT_LOAD_SAMPLE": "0"}
        done = run_paperbot("run", env=env)
    assert done.returncode == 78, done.stderr
    assert f"PAPERBOT_METRICS_PORT: cannot listen on 127.0.0.1:{port}" in done.stdout
