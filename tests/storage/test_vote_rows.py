"""Vote rows written through ``storage.votes`` directly, as the vote recorders write them."""

from __future__ import annotations

import re

import pytest

from storage.db import Database
from storage.votes import save_votes

SAVED = (
    "('button_value', 'button_at', 'reactions', 'value', 'source', 'emoji', 'event_at', "
    "'channel', 'updated_at')"
)


def test_a_vote_row_is_saved_whole_or_refused_naming_what_is_missing(sqlite_db: Database) -> None:
    """A caller that forgets a column would otherwise leave it stale in the row."""
    message = f"save_votes needs exactly {SAVED}, got ['emoji', 'value']"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        sqlite_db.write_now(lambda s: save_votes(s, {1: {"value": 1, "emoji": "fire"}}))
