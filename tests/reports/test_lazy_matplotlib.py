"""matplotlib costs a second and tens of MB: only drawing a report's chart may import it."""

from __future__ import annotations

import subprocess
import sys


def test_paperbot_and_its_digest_runner_start_without_matplotlib() -> None:
    check = (
        "import sys, bot.cli, bot.cli.runtime, bot.digests.run, bot.reports.compose, "
        "bot.commands.table; print('matplotlib' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=50, check=True
    )
    assert done.stdout.strip() == "False"
