"""The environment for a paperbot process a test starts: the caller's, minus any PAPERBOT_*.

A developer's shell (or CI) may export PAPERBOT_DATABASE_URL, PAPERBOT_HF_TOKEN and the like; a
child process that inherited them could write to a real database or reach a real host, and its
behaviour would depend on who runs the suite. Tests name every setting the child should see.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

PREFIX = "PAPERBOT_"


def child_env(settings: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    """``os.environ`` without PAPERBOT_* variables, plus ``settings`` and ``extra``."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(PREFIX)}
    return {**env, **(settings or {}), **extra}
