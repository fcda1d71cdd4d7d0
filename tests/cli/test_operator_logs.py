"""Logs an operator can use: ``PAPERBOT_LOG_LEVEL`` and ``PAPERBOT_LOG_FORMAT`` (text or one JSON
object per line)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator, Mapping
from typing import Protocol

import pytest

from bot.cli import main
from bot.cli.logs import configure_logging
from bot.settings import SettingsError


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
