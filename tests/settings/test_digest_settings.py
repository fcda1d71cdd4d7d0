"""The digest settings: defaults, parsing, and clear errors for bad values."""

from __future__ import annotations

import pytest

from bot.model import Channel
from bot.settings import SettingsError, load_settings


def test_defaults_anyone_edits_no_admin_channel_six_hours_grace() -> None:
    settings = load_settings({})
    assert settings.subscription_editors is None
    assert settings.admin_channel is None
    assert settings.digest_grace_hours == 6.0
    assert settings.sync_minutes == 15


def test_values_are_parsed() -> None:
    settings = load_settings(
        {
            "PAPERBOT_ADMIN_CHANNEL": "slack:T0123:C0456",
            "PAPERBOT_SUBSCRIPTION_EDITORS": "U1, U2",
            "PAPERBOT_DIGEST_GRACE_HOURS": "2.5",
            "PAPERBOT_SYNC_MINUTES": "0",
        }
    )
    assert settings.admin_channel == Channel("slack", "T0123", "C0456")
    assert settings.subscription_editors == frozenset({"U1", "U2"})
    assert settings.digest_grace_hours == 2.5
    assert settings.sync_minutes == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PAPERBOT_ADMIN_CHANNEL", "C0456"),
        ("PAPERBOT_ADMIN_CHANNEL", "slack::C0456"),
        ("PAPERBOT_ADMIN_CHANNEL", "irc:T1:C1"),
        ("PAPERBOT_SUBSCRIPTION_EDITORS", "U1,,U2"),
        ("PAPERBOT_SUBSCRIPTION_EDITORS", "U1,anyone"),
        ("PAPERBOT_DIGEST_GRACE_HOURS", "0"),
        ("PAPERBOT_DIGEST_GRACE_HOURS", "nan"),
        ("PAPERBOT_DIGEST_GRACE_HOURS", "a day"),
        ("PAPERBOT_SYNC_MINUTES", "-1"),
        ("PAPERBOT_SYNC_MINUTES", "1.5"),
        ("PAPERBOT_SYNC_MINUTES", "1441"),
        ("PAPERBOT_SYNC_MINUTES", "often"),
        ("PAPERBOT_TIMEZONE", "Europe"),
    ],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value})
