"""The team's ranking as arithmetic: opinions times likeness, down votes pushing away, reasons
only from papers voted up and noticeably alike; without likeness, upvote order."""

from __future__ import annotations

from bot.model import Tally
from bot.team_taste import Opinion, Pick, rank_for_team
from loopback.ports import make_paper

A, B, C = (make_paper(f"2606.0000{n}", f"Candidate {n}", upvotes=10 * n) for n in (1, 2, 3))
LIKED = Opinion(make_paper("2605.00001", "Liked"), Tally(up=4))
DISLIKED = Opinion(make_paper("2605.00002", "Disliked"), Tally(up=1, down=3))


def order(picks: list[Pick]) -> list[str]:
    return [p.paper.id for p in picks]


def test_without_likeness_the_order_is_hugging_faces_upvotes() -> None:
    picks = rank_for_team([A, B, C], [LIKED], {})
    assert order(picks) == [C.id, B.id, A.id]
    assert all(p.reason() is None for p in picks)


def test_a_paper_like_a_liked_one_rises_and_says_so() -> None:
    picks = rank_for_team([A, B, C], [LIKED], {LIKED.paper.id: {A.id: 0.5}})
    assert order(picks) == [A.id, C.id, B.id]
    assert picks[0].reason() == "Like “Liked”, which 4 of you voted up."


def test_a_paper_like_a_disliked_one_sinks_below_the_rest() -> None:
    picks = rank_for_team([A, B, C], [DISLIKED], {DISLIKED.paper.id: {C.id: 0.5}})
    assert order(picks) == [B.id, A.id, C.id]
    assert picks[-1].reason() is None


def test_liking_and_disliking_what_is_alike_can_cancel_out() -> None:
    alike = {LIKED.paper.id: {A.id: 0.2}, DISLIKED.paper.id: {A.id: 0.5}}
    picks = rank_for_team([A, B], [LIKED, DISLIKED], alike)
    assert order(picks) == [B.id, A.id]  # 4 * 0.2 - 2 * 0.5 < 0
    assert picks[1].reason() is None


def test_chance_overlap_lifts_a_little_but_gives_no_reason() -> None:
    picks = rank_for_team([A, B], [LIKED], {LIKED.paper.id: {A.id: 0.01}})
    assert order(picks) == [A.id, B.id]
    assert picks[0].reason() is None
