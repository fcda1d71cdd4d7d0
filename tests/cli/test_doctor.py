"""``paperbot doctor``: every part passes against the fakes, then each part fails in turn.

The doctor's checks run in-process against FakeHfServer, FakeSlack, FakeDiscord and a migrated
database (SQLite, and PostgreSQL when reachable); one test runs the real process end to end.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.cli.doctor import Check, exit_code, run_checks
from bot.cli.exit_codes import EXIT_CONFIG
from loopback.discord import FakeDiscord
from loopback.hf import FakeHfServer
from loopback.slack import FakeSlack
from storage import migrate
from storage.db import Database
from tests.support.databases import migrated_database
from tests.support.processes import run_paperbot

SLACK_TOKEN = "xoxb-doctor"
DISCORD_TOKEN = "discord-doctor-token"


@pytest.fixture
def hf() -> Iterator[FakeHfServer]:
    with FakeHfServer() as server:
        yield server


@pytest.fixture
async def discord_fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


def environment(
    database_url: str, hf: FakeHfServer, slack: FakeSlack, discord: FakeDiscord
) -> dict[str, str]:
    return {
        "PAPERBOT_DATABASE_URL": database_url,
        "PAPERBOT_HF_BASE_URL": hf.base_url,
        "PAPERBOT_SLACK_BOT_TOKEN": SLACK_TOKEN,
        "PAPERBOT_SLACK_SIGNING_SECRET": "secret",
        "PAPERBOT_SLACK_API_URL": slack.api_url,
        "PAPERBOT_DISCORD_TOKEN": DISCORD_TOKEN,
        "PAPERBOT_DISCORD_API_URL": discord.api_url,
    }


def verdicts(checks: list[Check]) -> dict[str, bool | None]:
    return {check.name: check.ok for check in checks}


def detail(checks: list[Check], name: str) -> str:
    return next(check.detail for check in checks if check.name == name)


@pytest.fixture
def env(
    db: Database, hf: FakeHfServer, fake_slack: FakeSlack, discord_fake: FakeDiscord
) -> dict[str, str]:
    return environment(db.url, hf, fake_slack, discord_fake)


async def test_every_part_passes_against_the_fakes(
    env: dict[str, str], hf: FakeHfServer, fake_slack: FakeSlack, discord_fake: FakeDiscord
) -> None:
    checks = await run_checks(env)

    assert verdicts(checks) == {
        "settings": True,
        "database": True,
        "schema": True,
        "Hugging Face": True,
        "Slack": True,
        "Discord": True,
    }
    assert exit_code(checks) == 0
    assert "Slack, Discord" in detail(checks, "settings")
    assert migrate.head_revision() in detail(checks, "schema")
    assert len(hf.requests_to("/api/daily_papers")) == 1
    assert fake_slack.tokens_used("auth.test") == [SLACK_TOKEN]
    assert "UBOT" in detail(checks, "Slack")
    assert [c.path for c in discord_fake.calls] == ["/users/@me"]
    assert "paperbot" in detail(checks, "Discord")


async def test_a_bad_setting_is_named_and_the_parts_needing_it_are_not_checked(
    env: dict[str, str],
) -> None:
    checks = await run_checks({**env, "PAPERBOT_TIMEZONE": "Nowhere/Atall"})

    assert checks[0] == Check("settings", False, checks[0].detail)
    assert "PAPERBOT_TIMEZONE" in checks[0].detail
    assert verdicts(checks)["database"] is None
    assert verdicts(checks)["Hugging Face"] is None
    assert exit_code(checks) == EXIT_CONFIG


async def test_a_bad_adapter_setting_skips_only_the_adapters(env: dict[str, str]) -> None:
    checks = await run_checks({**env, "PAPERBOT_SLACK_BOT_TOKEN": "xoxp-user-token"})

    assert "PAPERBOT_SLACK_BOT_TOKEN" in detail(checks, "settings")
    assert verdicts(checks) == {
        "settings": False,
        "database": True,
        "schema": True,
        "Hugging Face": True,
        "Slack": None,
        "Discord": None,
    }
    assert exit_code(checks) == EXIT_CONFIG


async def test_a_file_that_is_not_a_database_fails_the_database(
    env: dict[str, str], tmp_path: Path
) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"these are my notes, not a database" * 100)

    checks = await run_checks({**env, "PAPERBOT_DATABASE_URL": f"sqlite:///{junk}"})

    assert verdicts(checks)["database"] is False
    assert "not a database" in detail(checks, "database")
    assert verdicts(checks)["schema"] is None
    assert verdicts(checks)["Hugging Face"] is True
    assert exit_code(checks) == 1


async def test_a_missing_database_file_is_reported_not_created(
    env: dict[str, str], tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "paperbot.db"

    checks = await run_checks({**env, "PAPERBOT_DATABASE_URL": f"sqlite:///{missing}"})

    assert verdicts(checks)["database"] is False
    assert "paperbot db upgrade" in detail(checks, "database")
    assert not missing.parent.exists()


async def test_a_folder_named_as_the_database_file_fails_the_database(
    env: dict[str, str], tmp_path: Path
) -> None:
    checks = await run_checks({**env, "PAPERBOT_DATABASE_URL": f"sqlite:///{tmp_path}"})

    assert verdicts(checks)["database"] is False
    assert "is a folder" in detail(checks, "database")


async def test_a_schema_behind_head_says_to_upgrade(env: dict[str, str], tmp_path: Path) -> None:
    with migrated_database("sqlite", tmp_path) as behind:
        migrate.downgrade(behind, "-1")
        checks = await run_checks({**env, "PAPERBOT_DATABASE_URL": behind.url})

    assert verdicts(checks)["database"] is True
    assert verdicts(checks)["schema"] is False
    assert "paperbot db upgrade" in detail(checks, "schema")
    assert exit_code(checks) == 1


async def test_an_empty_database_file_has_no_schema_yet(
    env: dict[str, str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()

    checks = await run_checks({**env, "PAPERBOT_DATABASE_URL": f"sqlite:///{empty}"})

    assert verdicts(checks)["schema"] is False
    assert "empty" in detail(checks, "schema")
    assert "paperbot db upgrade" in detail(checks, "schema")


async def test_a_schema_from_a_newer_paperbot_is_not_used(
    env: dict[str, str], tmp_path: Path
) -> None:
    with migrated_database("sqlite", tmp_path) as newer:
        with newer.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
        checks = await run_checks({**env, "PAPERBOT_DATABASE_URL": newer.url})

    assert verdicts(checks)["schema"] is False
    assert "newer paperbot" in detail(checks, "schema")


async def test_hugging_face_answering_503_fails_without_retrying(
    env: dict[str, str], hf: FakeHfServer
) -> None:
    hf.respond_next(status=503, times=2)

    checks = await run_checks(env)

    assert verdicts(checks)["Hugging Face"] is False
    assert "503" in detail(checks, "Hugging Face")
    assert len(hf.requests_to("/api/daily_papers")) == 1
    assert exit_code(checks) == 1


async def test_hugging_face_refusing_connections_fails(env: dict[str, str]) -> None:
    with FakeHfServer() as gone:
        closed = gone.base_url  # nothing listens there once it has stopped

    checks = await run_checks({**env, "PAPERBOT_HF_BASE_URL": closed})

    assert verdicts(checks)["Hugging Face"] is False
    assert "unreachable" in detail(checks, "Hugging Face")


async def test_offline_skips_hugging_face(env: dict[str, str], hf: FakeHfServer) -> None:
    checks = await run_checks({**env, "PAPERBOT_OFFLINE": "1"})

    assert verdicts(checks)["Hugging Face"] is None
    assert "offline" in detail(checks, "Hugging Face")
    assert hf.requests == []
    assert exit_code(checks) == 0


async def test_slack_refusing_the_token_fails(env: dict[str, str], fake_slack: FakeSlack) -> None:
    fake_slack.invalid_tokens.add(SLACK_TOKEN)

    checks = await run_checks(env)

    assert verdicts(checks)["Slack"] is False
    assert "invalid_auth" in detail(checks, "Slack")
    assert exit_code(checks) == 1


async def test_slack_oauth_mode_counts_the_installed_workspaces(env: dict[str, str]) -> None:
    oauth = {k: v for k, v in env.items() if k != "PAPERBOT_SLACK_BOT_TOKEN"}
    oauth |= {"PAPERBOT_SLACK_CLIENT_ID": "111.222", "PAPERBOT_SLACK_CLIENT_SECRET": "shh"}

    checks = await run_checks(oauth)

    assert verdicts(checks)["Slack"] is True
    assert "no workspace has installed" in detail(checks, "Slack")


async def test_discord_refusing_the_token_fails(
    env: dict[str, str], discord_fake: FakeDiscord
) -> None:
    discord_fake.revoked = True

    checks = await run_checks(env)

    assert verdicts(checks)["Discord"] is False
    assert "401" in detail(checks, "Discord")
    assert exit_code(checks) == 1


async def test_platforms_not_configured_are_not_checked(env: dict[str, str]) -> None:
    core_only = {k: v for k, v in env.items() if "SLACK" not in k and "DISCORD" not in k}

    checks = await run_checks(core_only)

    assert verdicts(checks)["Slack"] is None
    assert verdicts(checks)["Discord"] is None
    assert detail(checks, "Slack") == "not configured"
    assert exit_code(checks) == 0


def test_the_command_prints_a_row_per_part_and_exits_by_the_worst(
    sqlite_db: Database, hf: FakeHfServer
) -> None:
    env = {"PAPERBOT_DATABASE_URL": sqlite_db.url, "PAPERBOT_HF_BASE_URL": hf.base_url}

    passed = run_paperbot("doctor", env=env)
    hf.respond_next(status=503)
    failed = run_paperbot("doctor", env=env)
    misconfigured = run_paperbot("doctor", env={**env, "PAPERBOT_OFFLINE": "maybe"})

    assert passed.returncode == 0, passed.stdout + passed.stderr
    for part in ("settings", "database", "schema", "Hugging Face", "Slack", "Discord"):
        assert part in passed.stdout
    assert "✗" not in passed.stdout
    assert failed.returncode == 1
    assert "✗" in failed.stdout
    assert misconfigured.returncode == EXIT_CONFIG
    assert "PAPERBOT_OFFLINE" in misconfigured.stdout
