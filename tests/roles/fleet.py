"""``paperbot run --role …`` processes for the roles tests, and bounded waits on what they show.

Each process gets only the settings named here (``tests/support/processes.py``), its own health
port, a search index under the test's folder, and its output in a file (read when a test
fails). Waits poll something observable (an endpoint, the database, a fake's record) with a
generous deadline, never a fixed sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from tests.support.processes import child_env

ROOT = Path(__file__).resolve().parents[2]
WAIT = 180.0  # seconds any one observable wait may take on a loaded 2-core machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Member:
    """One running ``paperbot run --role ROLE`` with its health port (and Slack port, if web)."""

    name: str
    process: asyncio.subprocess.Process
    metrics_port: int
    http_port: int
    log: Path
    out: IO[bytes]

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/slack/events"

    async def readyz(self) -> tuple[int, str]:
        """``/readyz``'s status and text; (0, reason) while the process does not answer."""
        try:
            async with httpx.AsyncClient() as http:
                answer = await http.get(f"http://127.0.0.1:{self.metrics_port}/readyz", timeout=10)
        except httpx.TransportError as error:
            return 0, type(error).__name__
        return answer.status_code, answer.text

    async def until_ready(self, *lines: str) -> str:
        """Until ``/readyz`` is 200 and shows every one of ``lines``; its text."""
        last = ""

        async def shows() -> bool:
            nonlocal last
            status, last = await self.readyz()
            return status == 200 and all(line in last.splitlines() for line in lines)

        await until(shows, f"{self.name} ready with {lines}", self)
        return last

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


async def start_member(name: str, role: str, settings: Mapping[str, str], tmp_path: Path) -> Member:
    metrics_port, http_port = free_port(), free_port()
    log = tmp_path / f"{name}.log"
    out = log.open("wb")
    env = child_env(
        settings,
        PAPERBOT_METRICS_PORT=str(metrics_port),
        PAPERBOT_HTTP_PORT=str(http_port),
        XDG_CACHE_HOME=str(tmp_path / f"cache-{name}"),  # the search index, per process
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--role", role, cwd=ROOT, env=env,
        stdout=out, stderr=out,
    )  # fmt: skip
    return Member(name, process, metrics_port, http_port, log, out)


async def stop_member(member: Member) -> None:
    """SIGTERM, then SIGKILL if it has not ended in its own time; always closes its log."""
    with contextlib.suppress(ProcessLookupError):
        if member.process.returncode is None:
            member.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(member.process.wait(), 60)
            except TimeoutError:
                member.process.kill()
                await member.process.wait()
    member.out.close()


async def until(
    check: Callable[[], Awaitable[bool]] | Callable[[], bool],
    what: str,
    *watched: Member,
    within: float = WAIT,
) -> None:
    """Poll ``check`` until it holds; fail naming ``what`` after ``within`` seconds, or at once
    when a watched process has exited (with its output's tail)."""
    deadline = time.monotonic() + within
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        for member in watched:
            if member.process.returncode is not None:
                raise AssertionError(
                    f"{member.name} exited ({member.process.returncode}) while waiting for "
                    f"{what}:\n{member.tail()}"
                )
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {m.name}\n{m.tail()}" for m in watched)
            raise AssertionError(f"no {what} within {within:g} s\n{tails}")
        await asyncio.sleep(0.1)
