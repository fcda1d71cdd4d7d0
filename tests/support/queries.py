"""Reads and writes that only tests need, written against the session as storage/ is.

The product has no use for them, so they live here rather than in storage/ (issue 17).
"""

from __future__ import annotations

from sqlmodel import Session

from bot.model import Tally
from storage.votes import tallies


def paper_tally(session: Session, platform: str, workspace: str, paper_id: str) -> Tally:
    """The team's votes on one paper; nothing when nobody voted."""
    return tallies(session, platform, workspace, [paper_id]).get(paper_id, Tally())
