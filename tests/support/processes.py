"""paperbot processes for tests, in the caller's environment minus any PAPERBOT_* variable.

A developer's shell (or CI) may export PAPERBOT_DATABASE_URL, PAPERBOT_HF_TOKEN and the like; a
child process that inherited them could write to a real database or reach a real host, and its
behaviour would depend on who runs the suite. Tests name every setting the child should see.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import Mapping

import httpx

PREFIX = "PAPERBOT_"


def child_env(settings: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    """``os.environ`` without PAPERBOT_* variables, plus ``settings`` and ``extra``. Its settings
    file is empty unless they name one: a ``paperbot.env`` in the working directory is not read."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(PREFIX)}
    return {**env, "PAPERBOT_ENV_FILE": os.devnull, **(settings or {}), **extra}


def run_paperbot(
    *args: str,
    env: Mapping[str, str],
    stdin: str = "",
    timeout: float = 120,
    cwd: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """``paperbot ARGS`` as a user runs it, with only the settings in ``env``; 100 columns wide.
    ``PAPERBOT_ENV_FILE=""`` in ``env`` lets it read ``paperbot.env`` in ``cwd``, as by default."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=child_env(env, COLUMNS="100"),
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    """A port nothing listens on now (bound to 0 and closed), for a child process to serve."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def ready_answer(url: str, process: asyncio.subprocess.Process) -> httpx.Response:
    """/readyz once it says 200, polled until then (the child may still be starting); the
    last answer if the child exits or an attempt budget runs out first."""
    last: httpx.Response | None = None
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            if process.returncode is not None:
                break
            with contextlib.suppress(httpx.TransportError):
                last = await http.get(url, timeout=10)
                if last.status_code == 200:
                    return last
            await asyncio.sleep(0.1)
    assert last is not None, "the health server never answered"
    return last
