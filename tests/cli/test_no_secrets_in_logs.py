"""No token, signing secret, client secret or database password reaches a log line, at any
level, whichever library wrote it."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli.logs import REDACTED, RedactSecrets, configure_logging, secrets_in

ENV = {
    "PAPERBOT_SLACK_SIGNING_SECRET": "8f14e45fceea167a5a36dedd4bea2543",
    "PAPERBOT_SLACK_CLIENT_SECRET": "c1ient-s3cret-value",
    "PAPERBOT_DISCORD_TOKEN": "MTIz.discord.token-value",
    "PAPERBOT_HF_TOKEN": "hf_abcdefghijklmnopqrstuv",
    "PAPERBOT_DATABASE_URL": "postgresql://bot:pg-passw0rd@127.0.0.1:5432/paperbot",
    "PAPERBOT_TIMEZONE": "Europe/Berlin",
}
INSTALLED_TOKEN = "xoxb-T9-1234-installed"  # from oauth.v2.access, in no setting


@pytest.fixture(params=["text", "json"])
def written(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """What the ``paperbot`` command's logging writes, at DEBUG, into a string, in each format."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    root.handlers = []
    configure_logging(verbose=True, env={**ENV, "PAPERBOT_LOG_FORMAT": request.param})
    out = io.StringIO()
    for handler in root.handlers:
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(out)
    try:
        yield out
    finally:
        root.handlers, level = saved
        root.setLevel(level)


def test_secrets_are_the_secret_settings_and_the_database_password() -> None:
    assert sorted(secrets_in(ENV)) == sorted(
        [
            "8f14e45fceea167a5a36dedd4bea2543",
            "c1ient-s3cret-value",
            "MTIz.discord.token-value",
            "hf_abcdefghijklmnopqrstuv",
            "pg-passw0rd",
        ]
    )


def test_no_secret_reaches_a_log_line_at_any_level(written: io.StringIO) -> None:
    sdk = logging.getLogger("slack_sdk.web.async_base_client")
    sdk.debug(
        "Received the following response - status: 200, body: %s",
        {"ok": True, "access_token": INSTALLED_TOKEN, "team": {"id": "T9"}},
    )
    logging.getLogger("discord.http").info("token %s", ENV["PAPERBOT_DISCORD_TOKEN"])
    logging.getLogger("paperbot").warning("could not connect to %s", ENV["PAPERBOT_DATABASE_URL"])
    try:
        raise RuntimeError(f"refused {ENV['PAPERBOT_SLACK_CLIENT_SECRET']} and {INSTALLED_TOKEN}")
    except RuntimeError:
        logging.getLogger("paperbot.slack").exception("oauth failed")

    text = written.getvalue()
    for secret in [*secrets_in(ENV), INSTALLED_TOKEN]:
        assert secret not in text, secret
    assert text.count(REDACTED) == 5
    assert "oauth failed" in text
    assert "Traceback" in text  # the traceback is kept, only its secrets go


@pytest.mark.parametrize("written", ["json"], indirect=True)
def test_a_json_line_holds_the_redacted_message_traceback_and_fields(written: io.StringIO) -> None:
    log = logging.getLogger("paperbot.slack")
    try:
        raise RuntimeError(f"refused {INSTALLED_TOKEN}")
    except RuntimeError:
        log.exception("oauth for %s failed", ENV["PAPERBOT_SLACK_CLIENT_SECRET"])
    log.info("installed", extra={"team": "T9", "token": INSTALLED_TOKEN, "scopes": 3})

    failed, installed = (json.loads(line) for line in written.getvalue().splitlines())
    assert failed["message"] == f"oauth for {REDACTED} failed"
    assert failed["exc"].startswith("Traceback")
    assert failed["exc"].endswith(f"RuntimeError: refused {REDACTED}")
    assert (failed["level"], failed["logger"]) == ("ERROR", "paperbot.slack")
    assert installed["message"] == "installed"
    assert (installed["team"], installed["token"], installed["scopes"]) == ("T9", REDACTED, 3)


def test_ordinary_text_is_left_alone() -> None:
    redact = RedactSecrets(["s3cret-value"])
    line = "xoxo, hf_short, a token-ish word and Europe/Berlin"
    assert redact.redact(line) == line


def test_secrets_from_a_settings_file_and_secret_files_are_taken_out_too(tmp_path: Path) -> None:
    token_file = tmp_path / "discord_token"
    token_file.write_text("MTIz.from-a-secret-file\n", encoding="utf-8")
    settings_file = tmp_path / "paperbot.env"
    settings_file.write_text("PAPERBOT_SLACK_SIGNING_SECRET=signing-from-the-file\n")
    env = {"PAPERBOT_ENV_FILE": str(settings_file), "PAPERBOT_DISCORD_TOKEN_FILE": str(token_file)}
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    root.handlers = []
    try:
        configure_logging(verbose=True, env=env)
        out = io.StringIO()
        for handler in root.handlers:
            assert isinstance(handler, logging.StreamHandler)
            handler.setStream(out)
        logging.getLogger("discord.http").debug(
            "token MTIz.from-a-secret-file, signing-from-the-file"
        )
    finally:
        root.handlers, level = saved
        root.setLevel(level)
    assert out.getvalue().count(REDACTED) == 2, out.getvalue()
