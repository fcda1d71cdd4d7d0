"""What each sent message shows, kept apart per platform, workspace, channel and message.

A message is named by its ref within a channel: the same ref elsewhere is another message, and
a paper shown in one message says nothing about another (storage/posted_messages.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.model import Channel, SentMessage
from storage.db import Database
from storage.posted_messages import (
    layout_of_message,
    papers_of_messages,
    papers_shown_since,
    record_layout,
    record_posted,
)
from tests.support.queries import papers_of_message

T0 = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)
P1, P2 = "2606.00001", "2606.00002"
HERE = Channel("slack", "T1", "C1")
# Each differs from HERE in one part of a message's address.
ELSEWHERE = (
    Channel("discord", "T1", "C1"),
    Channel("slack", "T2", "C1"),
    Channel("slack", "T1", "C2"),
)


def post(db: Database, where: Channel, ref: str, *papers: str, at: datetime = T0) -> None:
    db.write_now(lambda s: record_posted(s, where, [SentMessage(ref, papers)], at))


def test_a_paper_is_linked_to_every_message_that_shows_it(db: Database) -> None:
    post(db, HERE, "m1", P1)
    post(db, HERE, "m2", P1, P2)  # another message in the same channel
    for where in ELSEWHERE:
        post(db, where, "m1", P1)  # the same ref in another place
    shown = [(where, ref) for where in (HERE, *ELSEWHERE) for ref in ("m1", "m2")]
    found = db.read_now(
        lambda s: [papers_of_message(s, w.platform, w.channel, ref) for w, ref in shown]
    )
    # A message is found by platform, channel and ref: T2's C1 is the same channel as T1's.
    assert found == [[P1], [P1, P2], [P1], [], [P1], [P1, P2], [P1], []]
    for where in (HERE, *ELSEWHERE):
        assert db.read_now(lambda s, w=where: papers_shown_since(s, w, T0)) >= {P1}  # type: ignore[misc]


def test_recording_a_message_again_or_a_paper_twice_in_it_adds_nothing(db: Database) -> None:
    post(db, HERE, "m1", P1, P1)
    post(db, HERE, "m1", P2, P1, at=T0 + timedelta(minutes=1))  # a resend shows P2 too
    assert db.read_now(lambda s: papers_of_message(s, "slack", "C1", "m1")) == [P1, P2]


def test_many_messages_are_looked_up_at_once_and_unknown_ones_left_out(db: Database) -> None:
    post(db, HERE, "m1", P2, P1)
    post(db, HERE, "m2", P2)
    post(db, Channel("discord", "T1", "C1"), "m2", P1)
    wanted = {("slack", "C1", "m1"), ("slack", "C1", "m2"), ("discord", "C1", "m2")}
    found = db.read_now(lambda s: papers_of_messages(s, wanted | {("slack", "C1", "m9")}))
    assert found == {
        ("slack", "C1", "m1"): [P1, P2],
        ("slack", "C1", "m2"): [P2],
        ("discord", "C1", "m2"): [P1],
    }
    assert db.read_now(lambda s: papers_of_messages(s, set())) == {}


def test_papers_shown_since_count_from_that_instant_in_that_channel_only(db: Database) -> None:
    post(db, HERE, "m1", P1, at=T0)
    post(db, HERE, "m2", P2, at=T0 - timedelta(seconds=1))
    for where in ELSEWHERE:
        post(db, where, "m3", P2, at=T0)
    assert db.read_now(lambda s: papers_shown_since(s, HERE, T0)) == {P1}


def test_a_messages_layout_is_kept_per_message_and_the_first_record_wins(db: Database) -> None:
    def record(where: Channel, ref: str, layout: str) -> None:
        db.write_now(lambda s: record_layout(s, where, ref, layout, T0))

    record(HERE, "m1", "first")
    record(HERE, "m1", "a resend")
    record(HERE, "m2", "other message")
    for i, where in enumerate(ELSEWHERE):
        record(where, "m1", f"elsewhere {i}")
    places = [(HERE, "m1"), (HERE, "m2"), *((w, "m1") for w in ELSEWHERE), (HERE, "m9")]
    found = db.read_now(lambda s: [layout_of_message(s, w, ref) for w, ref in places])
    assert found == ["first", "other message", "elsewhere 0", "elsewhere 1", "elsewhere 2", None]
