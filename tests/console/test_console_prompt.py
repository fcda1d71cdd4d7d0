"""The shell's prompt on a terminal: it shows ``papers>``, returns the typed line, and keeps
each line in the history file (in a folder it makes), so the arrow keys find it next time.

prompt_toolkit reads keys from a pipe and draws into a string here, as it would on a terminal.
"""

from __future__ import annotations

import io
from pathlib import Path

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput

from adapters.console.app import prompt_reader


async def test_a_typed_line_is_returned_after_the_prompt_and_kept_in_the_history_file(
    tmp_path: Path,
) -> None:
    history = tmp_path / "not" / "yet" / "history"
    screen = io.StringIO()
    with create_pipe_input() as keys, create_app_session(keys, PlainTextOutput(screen)):
        read = prompt_reader(history)
        keys.send_text("search lora\r")
        assert await read("papers> ") == "search lora"
    assert "papers> search lora" in screen.getvalue()
    assert "+search lora" in history.read_text().splitlines()
