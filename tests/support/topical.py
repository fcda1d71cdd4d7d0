"""A small catalog of papers on five distinct topics, and votes on it: what similarity tests
rank. Each topic has three older papers (the ones a team votes on) and two on the newest Daily
Papers day; the newest day's papers on the topic a team likes have the fewest upvotes, so
upvote order and the team's order differ."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from bot.model import Paper
from bot.votes.batch import record_votes
from bot.votes.events import ButtonVote
from loopback.ports import make_paper
from storage.db import Database
from storage.papers import upsert_papers

NEWEST = date(2026, 6, 12)
OLDER = date(2026, 6, 1)
VOTED_AT = datetime(2026, 6, 12, 8, tzinfo=UTC)
GENERIC = "We propose a new method and show that it improves results over strong baselines."
TOPICS = {
    "rlhf": "reward model preference optimization human feedback alignment policy",
    "diffusion": "diffusion denoising image synthesis latent sampler pixels",
    "protein": "protein folding structure residue molecular binding",
    "robot": "robot manipulation grasping embodied gripper tabletop",
    "speech": "speech audio recognition acoustic waveform speaker",
}
# Upvotes of each topic's two newest papers: the liked topic's are the least upvoted.
NEWEST_UPVOTES = {"rlhf": (3, 2), "diffusion": (90, 80), "protein": (50, 40), "robot": (30, 20)}


def topic_id(topic: str, n: int) -> str:
    """Papers 1-3 of a topic are older, 4-5 on the newest day: ``2606.<topic><n>``."""
    return f"2606.{list(TOPICS).index(topic)}000{n}"


def _paper(topic: str, n: int) -> Paper:
    words = TOPICS[topic].split()
    rotated = " ".join(words[n % len(words) :] + words[: n % len(words)])
    newest = n > 3
    upvotes = NEWEST_UPVOTES.get(topic, (10, 5))[n - 4] if newest else 10 * n
    return make_paper(
        topic_id(topic, n),
        f"{words[0].title()} {words[1]} study {n}",
        summary=f"{rotated}. {GENERIC} We study {words[0]} {words[2]} with {words[-1]}.",
        hf_daily_date=NEWEST if newest else OLDER,
        upvotes=upvotes,
    )


CATALOG: tuple[Paper, ...] = tuple(_paper(t, n) for t in TOPICS for n in range(1, 6))


def load(db: Database) -> None:
    db.write_now(lambda s: upsert_papers(s, CATALOG))


def vote(
    db: Database,
    votes: Sequence[tuple[str, str, int]],
    workspace: str = "T1",
    at: datetime = VOTED_AT,
) -> None:
    """Button votes ``(user, paper id, +1 or -1)`` in ``workspace``, in channel C1, at ``at``."""
    events = [
        ButtonVote("test", workspace, "C1", user, paper_id, value, f"{workspace}-{at}-{i}", at)
        for i, (user, paper_id, value) in enumerate(votes)
    ]
    db.write_now(lambda s: record_votes(s, events, {}, at))


LIKES_RLHF = (
    ("U1", topic_id("rlhf", 1), 1),
    ("U2", topic_id("rlhf", 1), 1),
    ("U3", topic_id("rlhf", 1), 1),
    ("U1", topic_id("rlhf", 2), 1),
    ("U2", topic_id("diffusion", 1), -1),
)
