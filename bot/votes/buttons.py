"""The action id a vote button carries, e.g. ``vote:2406.12345:up``.

It is all a click needs (Discord persists it in ``custom_id``, max 100 chars; Slack in
``action_id``/``value``), so clicks on old cards still work after a restart.
"""

from __future__ import annotations

import re

_ACTION = re.compile(r"^vote:(?P<paper>[A-Za-z0-9.\-/]{1,64}):(?P<dir>up|down)$")


def vote_action_id(paper_id: str, value: int) -> str:
    return f"vote:{paper_id}:{'up' if value > 0 else 'down'}"


def parse_vote_action(action_id: str) -> tuple[str, int] | None:
    """``(paper_id, +1/-1)``, or None when the id is not one of ours."""
    match = _ACTION.match(action_id)
    if not match:
        return None
    return match["paper"], 1 if match["dir"] == "up" else -1
