"""The console as ``paperbot shell`` runs it: an adapter serving until the input ends, which is
a normal end (a server that stops has died; the shell that reads its last line has not)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from adapters.console.adapter import ConsoleAdapter
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core


async def test_the_shell_serves_until_its_input_ends_and_that_is_a_normal_end(
    deps: Deps, dispatcher: Dispatcher, tmp_path: Path
) -> None:
    lines = iter(["search lora limit:1"])
    screen = io.StringIO()

    async def read(_prompt: str) -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    console = Console(file=screen, width=120, color_system=None)
    adapter = ConsoleAdapter(Core(deps, dispatcher), console, read, files_dir=tmp_path)
    assert adapter.ends_by_itself
    assert not adapter.serving
    await adapter.start()
    assert adapter.serving
    await adapter.wait()
    assert not adapter.serving
    assert "lora" in screen.getvalue().lower()
    await adapter.stop()
