"""Settings come from the environment, a settings file and secret files, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.adapter_settings import load_adapter_settings
from bot.settings import SettingsError, load_settings
from bot.settings_source import gather


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_settings_file_named_by_paperbot_env_file_is_read(tmp_path: Path) -> None:
    named = write(tmp_path / "team.env", "PAPERBOT_TIMEZONE=Europe/Berlin\nPAPERBOT_OFFLINE=yes\n")
    settings = load_settings({"PAPERBOT_ENV_FILE": named})
    assert (settings.timezone, settings.offline) == ("Europe/Berlin", True)


def test_the_environment_wins_over_the_settings_file(tmp_path: Path) -> None:
    named = write(tmp_path / "team.env", "PAPERBOT_TIMEZONE=Europe/Berlin\n")
    env = {"PAPERBOT_ENV_FILE": named, "PAPERBOT_TIMEZONE": "Asia/Tokyo"}
    assert load_settings(env).timezone == "Asia/Tokyo"


def test_a_settings_file_that_is_named_but_missing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"PAPERBOT_ENV_FILE names .*missing\.env"):
        load_settings({"PAPERBOT_ENV_FILE": str(tmp_path / "missing.env")})


def test_a_bad_value_in_the_settings_file_names_its_variable(tmp_path: Path) -> None:
    named = write(tmp_path / "team.env", "PAPERBOT_SYNC_MINUTES=often\n")
    with pytest.raises(SettingsError, match="PAPERBOT_SYNC_MINUTES"):
        load_settings({"PAPERBOT_ENV_FILE": named})


def test_a_file_variable_holds_a_secret_without_its_trailing_newline(tmp_path: Path) -> None:
    token = write(tmp_path / "slack_bot_token", "xoxb-from-a-file\n")
    secret = write(tmp_path / "signing_secret", "s3cret-signing\n")
    env = {"PAPERBOT_SLACK_BOT_TOKEN_FILE": token, "PAPERBOT_SLACK_SIGNING_SECRET_FILE": secret}
    slack = load_adapter_settings(env).slack
    assert slack is not None
    assert slack.bot_token is not None
    assert slack.signing_secret is not None
    assert slack.bot_token.get_secret_value() == "xoxb-from-a-file"
    assert slack.signing_secret.get_secret_value() == "s3cret-signing"
    assert "xoxb-from-a-file" not in repr(slack)
    assert "s3cret-signing" not in repr(slack)


def test_a_file_variable_may_come_from_the_settings_file(tmp_path: Path) -> None:
    token = write(tmp_path / "hf_token", "hf_fromafilefromafile\n")
    named = write(tmp_path / "team.env", f"PAPERBOT_HF_TOKEN_FILE={token}\n")
    settings = load_settings({"PAPERBOT_ENV_FILE": named})
    assert settings.hf_secret == "hf_fromafilefromafile"
    assert "hf_fromafile" not in repr(settings)


def test_a_value_and_its_file_variable_together_are_an_error_naming_both(tmp_path: Path) -> None:
    token = write(tmp_path / "discord_token", "t\n")
    env = {"PAPERBOT_DISCORD_TOKEN": "t", "PAPERBOT_DISCORD_TOKEN_FILE": token}
    with pytest.raises(SettingsError) as error:
        gather(env)
    assert str(error.value) == "Set PAPERBOT_DISCORD_TOKEN or PAPERBOT_DISCORD_TOKEN_FILE, not both"


def test_a_file_variable_naming_no_readable_file_is_an_error(tmp_path: Path) -> None:
    env = {"PAPERBOT_DISCORD_TOKEN_FILE": str(tmp_path / "absent")}
    with pytest.raises(SettingsError, match=r"PAPERBOT_DISCORD_TOKEN_FILE names .*absent"):
        load_adapter_settings(env)


def test_a_mapping_reads_no_settings_file_it_does_not_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "paperbot.env", "PAPERBOT_TIMEZONE=Europe/Berlin\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PAPERBOT_TIMEZONE", raising=False)
    monkeypatch.delenv("PAPERBOT_ENV_FILE", raising=False)
    assert load_settings({}).timezone == "UTC"
    assert gather(None)["PAPERBOT_TIMEZONE"] == "Europe/Berlin"


def test_every_error_is_one_line_naming_one_variable() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"PAPERBOT_TIMEZONE": "Mars/\nOlympus", "PAPERBOT_OFFLINE": "maybe"})
    assert "\n" not in str(error.value)
    assert str(error.value).startswith("PAPERBOT_TIMEZONE ")


def test_any_setting_can_come_from_a_file(tmp_path: Path) -> None:
    zone = write(tmp_path / "timezone", "Europe/Berlin\n")
    assert load_settings({"PAPERBOT_TIMEZONE_FILE": zone}).timezone == "Europe/Berlin"
