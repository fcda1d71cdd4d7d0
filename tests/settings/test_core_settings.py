"""Settings come from the environment and bad values fail at start with the variable's name."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_need_no_environment() -> None:
    settings = load_settings({})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("paperbot.db")
    assert settings.timezone == "UTC"
    assert settings.reaction_values["🔥"] == 1
    assert not settings.offline


def test_values_are_read_and_normalised() -> None:
    settings = load_settings(
        {
            "PAPERBOT_DATABASE_URL": "postgresql://bot@db/papers",
            "PAPERBOT_HF_BASE_URL": "http://127.0.0.1:9999/",
            "PAPERBOT_TIMEZONE": "Europe/Berlin",
            "PAPERBOT_OFFLINE": "yes",
            "PAPERBOT_VOTE_REACTIONS": "tada=1,👎=-1",
        }
    )
    assert settings.hf_base_url == "http://127.0.0.1:9999"
    assert settings.offline
    assert settings.reaction_values == {"🎉": 1, "👎": -1}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PAPERBOT_TIMEZONE", "Mars/Olympus"),
        ("PAPERBOT_DATABASE_URL", "mysql://x"),
        ("PAPERBOT_HF_BASE_URL", "ftp://hf"),
        ("PAPERBOT_OFFLINE", "maybe"),
        ("PAPERBOT_INTERACTIVE_TIMEOUT", "-1"),
        ("PAPERBOT_VOTE_REACTIONS", "fire=2"),
        ("PAPERBOT_VOTE_REACTIONS", "=1,fire=1"),
        ("PAPERBOT_VOTE_REACTIONS", "fire=1,🔥=-1"),
        ("PAPERBOT_VOTE_REACTIONS", "thumbsup=1,:+1:=1"),
        ("PAPERBOT_DATABASE_URL", "sqlite"),
        ("PAPERBOT_DATABASE_URL", "postgres"),
        ("PAPERBOT_DATABASE_URL", "sqlite:/x.db"),
        ("PAPERBOT_DATABASE_URL", "sqlite:///"),
        ("PAPERBOT_DATABASE_URL", "sqlite://"),
        ("PAPERBOT_DATABASE_URL", "sqlite:///:memory:"),
        ("PAPERBOT_DATABASE_URL", "postgresql://bot@db:port/papers"),
        ("PAPERBOT_DATABASE_URL", "postgresql://bot@db:99999/papers"),
        ("PAPERBOT_HF_BASE_URL", "http://"),
        ("PAPERBOT_HF_BASE_URL", "https://[::1"),
        ("PAPERBOT_HF_BASE_URL", "http://hf:port"),
        ("PAPERBOT_HF_BASE_URL", "http://hf host"),
        ("PAPERBOT_HF_BASE_URL", "http://hüggingface.co"),
        ("PAPERBOT_HF_TOKEN", "hf_tökén"),
        ("PAPERBOT_HF_TOKEN", "hf_a b"),
        ("PAPERBOT_INTERACTIVE_TIMEOUT", "nan"),
        ("PAPERBOT_INTERACTIVE_TIMEOUT", "inf"),
        ("PAPERBOT_INTERACTIVE_TIMEOUT", "1e309"),
        ("PAPERBOT_INTERACTIVE_TIMEOUT", "0"),
        ("PAPERBOT_DIGEST_GRACE_HOURS", "nan"),
        ("PAPERBOT_LOG_LEVEL", "verbose"),
        ("PAPERBOT_LOG_LEVEL", "critical"),
        ("PAPERBOT_LOG_FORMAT", "xml"),
    ],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value})


def test_log_level_and_format_default_to_warning_and_text() -> None:
    settings = load_settings({})
    assert (settings.log_level, settings.log_format) == ("warning", "text")


def test_log_level_and_format_are_read_case_blind() -> None:
    settings = load_settings({"PAPERBOT_LOG_LEVEL": " INFO ", "PAPERBOT_LOG_FORMAT": "Json"})
    assert (settings.log_level, settings.log_format) == ("info", "json")


def test_a_database_password_is_never_repeated_in_a_message() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"PAPERBOT_DATABASE_URL": "postgresql://bot:s3cret@db:port/papers"})
    assert "s3cret" not in str(error.value)


@pytest.mark.parametrize(
    "url", ["sqlite:///relative.db", "sqlite:////abs/bot.db", "postgresql://bot@db:5433/p"]
)
def test_usable_database_urls_are_accepted(url: str) -> None:
    assert load_settings({"PAPERBOT_DATABASE_URL": url}).database_url == url
