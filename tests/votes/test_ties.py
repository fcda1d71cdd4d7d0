"""Events at the same instant, and a reaction map that changes under stored reactions.

Platforms stamp events to the second or millisecond, so ties happen: a removal beats an add of
the same emoji at the same instant, whichever arrives first, and a click beats a reaction.
"""

from __future__ import annotations

from dataclasses import replace

from storage.db import Database
from tests.votes.helpers import PAPERS, T0, open_desk

P1, P2, _ = PAPERS


async def test_an_add_and_a_remove_at_the_same_instant_leave_no_vote_in_either_order(
    db: Database,
) -> None:
    desk = await open_desk(db)
    await desk.send(desk.react("U1", P1, "fire", at=T0))
    await desk.send(desk.react("U1", P1, "fire", added=False, at=T0))
    await desk.send(desk.react("U2", P2, "fire", added=False, at=T0))
    await desk.send(desk.react("U2", P2, "fire", at=T0))
    assert desk.tally(P1).up == 0
    assert desk.tally(P2).up == 0


async def test_a_click_beats_a_reaction_at_the_same_instant(db: Database) -> None:
    desk = await open_desk(db)
    await desk.send(desk.react("U1", P1, "thumbsup", at=T0))
    await desk.send(desk.click("U1", P1, -1, at=T0))
    await desk.send(desk.click("U2", P2, -1, at=T0))
    await desk.send(desk.react("U2", P2, "rocket", at=T0))
    for paper in (P1, P2):
        assert (desk.tally(paper).up, desk.tally(paper).down) == (0, 1)


async def test_a_reaction_that_stops_being_a_vote_no_longer_counts(db: Database) -> None:
    """PAPERBOT_VOTE_REACTIONS changed after the reaction was stored: its next event decides
    without it (and without failing on it)."""
    desk = await open_desk(db)
    await desk.send(desk.react("U1", P1, "heart", at=T0))
    values = {"🔥": 1, "👎": -1}  # ❤️ is no vote any more
    changed = replace(
        desk,
        deps=replace(
            desk.deps, settings=desk.deps.settings.model_copy(update={"reaction_values": values})
        ),
    )
    receipt = await changed.send(changed.react("U1", P1, "fire", added=False, at=T0))
    assert receipt.result.value == 0
    assert changed.tally(P1).up == 0
