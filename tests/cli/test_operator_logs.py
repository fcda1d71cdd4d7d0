"""Logs an operator can use: ``PAPERBOT_LOG_LEVEL`` and ``PAPERBOT_LOG_FORMAT`` (text or one JSON
object per line), and one INFO line per command and vote saying where, what and how long."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

import pytest

from bot.cli import main
from bot.cli.logs import configure_logging
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import ButtonVote, Core, Invocation, ReactionChange
from bot.settings import SettingsError
from loopback.responders import RecordingResponder

AT = datetime(2026, 6, 13, 10, tzinfo=UTC)


class Configure(Protocol):
    def __call__(self, env: Mapping[str, str], verbose: bool = False) -> io.StringIO: ...


@pytest.fixture
def logs() -> Iterator[Configure]:
    """Configures the ``paperbot`` command's logging from an environment, into a string."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)

    def configure(env: Mapping[str, str], verbose: bool = False) -> io.StringIO:
        root.handlers = []
        configure_logging(verbose=verbose, env=env)
        out = io.StringIO()
        for handler in root.handlers:
            assert isinstance(handler, logging.StreamHandler)
            handler.setStream(out)
        return out

    try:
        yield configure
    finally:
        root.handlers, level = saved
        root.setLevel(level)


def json_lines(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def asking(text: str) -> Invocation:
    return Invocation("test", "T1", "C1", "U1", text)


async def test_json_lines_carry_a_commands_and_a_votes_fields(
    logs: Configure, deps: Deps, dispatcher: Dispatcher
) -> None:
    out = logs({"PAPERBOT_LOG_LEVEL": "info", "PAPERBOT_LOG_FORMAT": "json"})
    core = Core(deps, dispatcher)
    await core.handle_command(asking("/papers search secret-query words"), RecordingResponder())
    responder = RecordingResponder()
    await core.handle_command(asking("today 3"), responder)
    (ref,) = responder.with_cards()
    paper = responder.messages[ref].papers[0].id
    await core.handle_vote(ButtonVote("test", "T1", "C1", "U2", paper, 1, "e1", AT, ref), responder)
    reaction = ReactionChange("test", "T1", "C1", ref, "U3", "fire", True, "e2", AT)
    await core.handle_vote(reaction, responder)

    lines = [line for line in json_lines(out) if line["logger"].startswith("paperbot.")]
    assert [line["logger"] for line in lines] == [
        "paperbot.commands",
        "paperbot.commands",
        "paperbot.votes",
        "paperbot.votes",
    ]
    for line in lines:
        assert line["level"] == "INFO"
        assert datetime.fromisoformat(line["time"]).tzinfo is not None
        assert (line["platform"], line["workspace"], line["channel"]) == ("test", "T1", "C1")
        assert isinstance(line["duration_ms"], int)
        assert line["duration_ms"] >= 0
        assert f"duration_ms={line['duration_ms']}" in line["message"]
    search, today, click, fire = lines
    assert (search["command"], search["outcome"]) == ("search", "ok")
    assert (today["command"], today["outcome"]) == ("today", "ok")
    assert "secret-query" not in out.getvalue()  # the command, never what was asked
    assert (click["source"], click["effect"]) == ("click", "recorded")
    # A reaction on a message of three cards names no one paper: it is not a vote.
    assert (fire["source"], fire["effect"]) == ("reaction", "ignored")
    assert "source=reaction effect=ignored" in fire["message"]


async def test_a_command_that_fails_says_so_in_its_line(
    logs: Configure, deps: Deps, dispatcher: Dispatcher
) -> None:
    out = logs({"PAPERBOT_LOG_LEVEL": "info", "PAPERBOT_LOG_FORMAT": "json"})

    class Refusing(RecordingResponder):
        async def send(self, message: Any) -> str | None:
            raise RuntimeError("the platform said no")

    await Core(deps, dispatcher).handle_command(asking("today 1"), Refusing())

    lines = [line for line in json_lines(out) if line["logger"].startswith("paperbot.")]
    crash, done = lines[0], lines[-1]
    assert "the platform said no" in crash["exc"]
    assert (done["command"], done["outcome"]) == ("today", "unavailable")


async def test_text_lines_say_the_same_fields(
    logs: Configure, deps: Deps, dispatcher: Dispatcher
) -> None:
    out = logs({"PAPERBOT_LOG_LEVEL": "INFO"})
    await Core(deps, dispatcher).handle_command(asking("help"), RecordingResponder())

    (line,) = [line for line in out.getvalue().splitlines() if " paperbot." in line]
    assert " INFO paperbot.commands: command platform=test workspace=T1 channel=C1" in line
    assert "command=help outcome=ok duration_ms=" in line
    assert not line.startswith("{")


async def test_the_default_level_warning_hides_the_info_lines(
    logs: Configure, deps: Deps, dispatcher: Dispatcher
) -> None:
    out = logs({})
    await Core(deps, dispatcher).handle_command(asking("help"), RecordingResponder())
    logging.getLogger("paperbot.core").warning("still written")
    assert out.getvalue().count("\n") == 1
    assert "paperbot.core: still written" in out.getvalue()


def test_the_level_hides_lines_below_it_and_json_holds_each_line_as_an_object(
    logs: Configure,
) -> None:
    out = logs({"PAPERBOT_LOG_LEVEL": "warning", "PAPERBOT_LOG_FORMAT": "json"})
    logging.getLogger("paperbot.test").info("hidden")
    logging.getLogger("paperbot.test").warning("shown %d", 1, extra={"workspace": "T1"})
    (line,) = [json.loads(text) for text in out.getvalue().splitlines()]
    assert line.keys() == {"time", "level", "logger", "message", "workspace"}
    assert (line["level"], line["logger"], line["message"]) == (
        "WARNING",
        "paperbot.test",
        "shown 1",
    )


def test_verbose_means_debug_whatever_the_level_says(logs: Configure) -> None:
    out = logs({"PAPERBOT_LOG_LEVEL": "error"}, verbose=True)
    logging.getLogger("paperbot.test").debug("a debug line")
    assert "a debug line" in out.getvalue()


@pytest.mark.parametrize(
    ("name", "value"), [("PAPERBOT_LOG_LEVEL", "loud"), ("PAPERBOT_LOG_FORMAT", "yaml")]
)
def test_a_bad_value_is_refused_naming_the_variable(logs: Configure, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        logs({name: value})


@pytest.mark.parametrize(
    ("name", "value"), [("PAPERBOT_LOG_LEVEL", "loud"), ("PAPERBOT_LOG_FORMAT", "yaml")]
)
def test_the_command_exits_78_with_one_line_for_a_bad_value(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    assert main(["ask", "help"]) == 78
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1
    assert name in printed
