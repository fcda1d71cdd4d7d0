"""The plain anchor for bench/votes.py: the same events, exact, with stdlib sqlite3 or psycopg and
one transaction per event, in the order paperbot gets them.

Each event is the plainest exact program's work: insert its id into a table of seen ids (a
retry or replay inserts nothing and stops there), find a reaction's paper from the message it
is on, and upsert one row: a reaction's row per person, paper and emoji keeps whether the emoji
is on and the time of its newest add or remove (an older event changes nothing), a click's row
per person and paper repeats (takes back) or switches the opinion. It reads no tallies back for
a card, where paperbot reads one per paper per batch.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.votes.events import ButtonVote, ReactionChange, VoteEvent

_SCHEMA = (
    "CREATE TABLE seen (event_id TEXT PRIMARY KEY)",
    "CREATE TABLE message (channel TEXT, ref TEXT, paper_id TEXT, PRIMARY KEY (channel, ref))",
    "CREATE TABLE reaction (workspace TEXT, paper_id TEXT, user_id TEXT, emoji TEXT,"
    " present INT, at TIMESTAMPTZ, PRIMARY KEY (workspace, paper_id, user_id, emoji))",
    "CREATE TABLE click (workspace TEXT, paper_id TEXT, user_id TEXT, value INT,"
    " PRIMARY KEY (workspace, paper_id, user_id))",
)
_SEEN = "INSERT INTO seen VALUES ({p}) ON CONFLICT DO NOTHING"
_PAPER = "SELECT paper_id FROM message WHERE channel = {p} AND ref = {p}"
# Newest event wins; a removal wins a tie.
_REACT = (
    "INSERT INTO reaction VALUES ({p}, {p}, {p}, {p}, {p}, {p}) "
    "ON CONFLICT (workspace, paper_id, user_id, emoji) DO UPDATE "
    "SET present = excluded.present, at = excluded.at "
    "WHERE reaction.at < excluded.at OR (reaction.at = excluded.at AND excluded.present = 0)"
)
_CLICK = (
    "INSERT INTO click VALUES ({p}, {p}, {p}, {p}) "
    "ON CONFLICT (workspace, paper_id, user_id) DO UPDATE "
    "SET value = CASE WHEN click.value = excluded.value THEN 0 ELSE excluded.value END"
)


class PlainVotes:
    """One connection, one transaction per event; ``placeholder`` is the driver's ("?" or "%s")."""

    def __init__(self, connection: Any, placeholder: str, values: Mapping[str, int]) -> None:
        self._conn = connection
        self._values = values
        self._placeholder = placeholder
        self._seen, self._paper, self._react, self._click = (
            sql.format(p=placeholder) for sql in (_SEEN, _PAPER, _REACT, _CLICK)
        )
        for statement in _SCHEMA:
            connection.execute(statement)
        connection.commit()

    def post(self, messages: Iterable[tuple[str, str, str]]) -> None:
        """The digest messages votes arrive on: (channel, ref, paper_id)."""
        p = self._placeholder
        sql = f"INSERT INTO message VALUES ({p}, {p}, {p})"
        cursor = self._conn.cursor()
        cursor.executemany(sql, list(messages))
        self._conn.commit()

    def clicked(self, votes: Iterable[tuple[str, str, str, int]]) -> None:
        """Older clicks: (workspace, paper_id, user_id, value)."""
        p = self._placeholder
        cursor = self._conn.cursor()
        cursor.executemany(f"INSERT INTO click VALUES ({p}, {p}, {p}, {p})", list(votes))
        self._conn.commit()

    def record(self, event: VoteEvent) -> None:
        conn = self._conn
        try:
            if conn.execute(self._seen, (event.event_id,)).rowcount == 0:
                return  # a retry or replay
            if isinstance(event, ButtonVote):
                params: tuple[object, ...] = (event.workspace, event.paper_id, event.user)
                conn.execute(self._click, (*params, event.value))
            elif isinstance(event, ReactionChange) and event.emoji in self._values:
                row = conn.execute(self._paper, (event.channel, event.message_ref)).fetchone()
                if row is not None:
                    params = (event.workspace, row[0], event.user, event.emoji)
                    conn.execute(self._react, (*params, int(event.added), event.at))
        finally:
            conn.commit()

    def tallies(self, workspace: str) -> Counter[tuple[str, int]]:
        """(paper, +1 or -1) -> how many people of ``workspace`` hold that opinion now."""
        opinions: dict[tuple[str, str], int] = {}
        p = self._placeholder
        for paper, user, emoji in self._conn.execute(
            f"SELECT paper_id, user_id, emoji FROM reaction WHERE present = 1 AND workspace = {p}",
            (workspace,),
        ).fetchall():
            opinions[(paper, user)] = self._values[emoji]
        for paper, user, value in self._conn.execute(
            f"SELECT paper_id, user_id, value FROM click WHERE value != 0 AND workspace = {p}",
            (workspace,),
        ).fetchall():
            opinions[(paper, user)] = value
        return Counter((paper, value) for (paper, _), value in opinions.items())


def sqlite_votes(path: str, values: Mapping[str, int]) -> PlainVotes:
    """SQLite as paperbot sets it up: WAL, synchronous=NORMAL."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return PlainVotes(connection, "?", values)


def postgres_votes(url: str, values: Mapping[str, int]) -> PlainVotes:
    import psycopg

    return PlainVotes(psycopg.connect(url), "%s", values)


def replay(anchor: PlainVotes, rounds: Sequence[Sequence[VoteEvent]]) -> None:
    for batch in rounds:
        for event in batch:
            anchor.record(event)
