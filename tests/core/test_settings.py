"""Settings come from the environment and bad values fail at start with the variable's name."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_need_no_environment() -> None:
    settings = load_settings({})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("paperbot.db")
    assert settings.timezone == "UTC"
    assert settings.reaction_values["fire"] == 1
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
    assert settings.reaction_values == {"tada": 1, "thumbsdown": -1}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PAPERBOT_TIMEZONE", "Mars/Olympus"),
        ("PAPERBOT_DATABASE_URL", "mysql://x"),
        ("PAPERBOT_HF_BASE_URL", "ftp://hf"),
        ("PAPERBOT_OFFLINE", "maybe"),
        ("PAPERBOT_INTERACTIVE_TIMEOUT", "-1"),
        ("PAPERBOT_VOTE_REACTIONS", "fire=2"),
    ],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value})
