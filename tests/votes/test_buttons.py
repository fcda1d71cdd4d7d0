"""Vote buttons carry everything a click needs in their action id."""

from __future__ import annotations

import pytest

from bot.votes.buttons import parse_vote_action, vote_action_id


@pytest.mark.parametrize("paper_id", ["2406.12345", "hep-th/9901001"])
@pytest.mark.parametrize("value", [1, -1])
def test_action_ids_round_trip_and_fit_discords_limit(paper_id: str, value: int) -> None:
    action = vote_action_id(paper_id, value)
    assert len(action) <= 100
    assert parse_vote_action(action) == (paper_id, value)


@pytest.mark.parametrize("action", ["", "vote:2406.12345", "vote:2406.12345:sideways", "page:next"])
def test_foreign_action_ids_are_not_votes(action: str) -> None:
    assert parse_vote_action(action) is None
