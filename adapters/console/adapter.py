"""The console as an ``Adapter``: the chat loop runs as a task until end of input."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from rich.console import Console

from adapters.console.app import FILES_DIR, ConsoleChat, ReadLine
from adapters.console.poster import ConsolePoster
from adapters.console.translate import PLATFORM
from bot.facade import Core, Deadline, Poster


class ConsoleAdapter:
    def __init__(
        self,
        core: Core,
        console: Console,
        read_line: ReadLine,
        *,
        patch_stdout: bool = False,
        files_dir: Path = FILES_DIR,
    ) -> None:
        self.chat = ConsoleChat(core, console, files_dir=files_dir)
        self._read_line = read_line
        self._patch_stdout = patch_stdout
        self.platform = PLATFORM
        self.ends_by_itself = True
        self.poster: Poster = ConsolePoster(self.chat)
        self._task: asyncio.Task[int] | None = None

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> int:
        if not self._patch_stdout:
            return await self.chat.run(self._read_line)
        from prompt_toolkit.patch_stdout import patch_stdout

        with patch_stdout(raw=True):  # a digest printed mid-prompt goes above the prompt
            return await self.chat.run(self._read_line)

    @property
    def serving(self) -> bool:
        return self._task is not None and not self._task.done()

    async def wait(self) -> None:
        if self._task is not None:
            await asyncio.shield(self._task)

    async def stop(self, deadline: Deadline | None = None) -> None:
        """The console's line being handled ends with it: nothing was acknowledged elsewhere."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
