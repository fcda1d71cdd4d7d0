"""A for-team digest's order (``subscribe ... for-team``): the window's papers scored by
``bot.team_taste``, for ``select_papers`` to rank by before upvotes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlmodel import Session

from bot.model import Paper
from bot.model.digests import Subscription
from bot.team_taste import team_picks
from storage.search_index import SearchIndex

Preference = tuple[Mapping[str, float] | None, str | None]  # scores by paper id, a note
NO_VOTES = "Nobody here has voted on a paper yet, so this digest is in Hugging Face upvote order."


def team_preference(
    session: Session, index: SearchIndex, sub: Subscription, papers: Sequence[Paper]
) -> Preference:
    """Each paper's score for the channel's team, or None with a note when the team has not
    voted yet; (None, None) for a digest in upvote order."""
    if sub.spec.ranking != "team":
        return None, None
    picks = team_picks(session, index, sub.channel, papers)
    if picks is None:
        return None, NO_VOTES
    return {pick.paper.id: pick.score for pick in picks}, None
