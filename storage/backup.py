"""``paperbot export all`` / ``paperbot import``: a team's state as one JSON object, and back.

What a backup holds: subscriptions (schedule and enabled state), their digest runs (history),
votes (every column, the reactions register included), the sent-message ledger (posted messages
and message layouts: what a click or reaction on an old message needs to rebuild it), reading
lists (done items too, so a read paper stays read), the channels' discussion threads (opened
ones: a claim in progress is minutes long) with the times of their replies (the weekly report's
"most discussed"; a reply is its thread and its time), the papers those rows name (not the
catalog: it refills from Hugging Face, but leaderboards need titles offline), and, only when
asked, Slack OAuth installations (they hold bot tokens).

Left out: processed events (they only dedupe a platform's redeliveries within the retention
window, and the vote rules already give the same result for a replayed event), Slack OAuth
states (one-time, minutes long) and search indexes (rebuilt from the papers).

Rows are matched on natural keys, never on ids: importing twice changes nothing, and importing
into a database with other data merges. The newer row wins: by ``updated_at`` for subscriptions
and digest runs, by the deciding event's ``event_at`` for votes; the ledger's first record wins,
as when it is written live. Subscription ids that digest runs reference are mapped through the
subscription's channel and kind.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    DateTime,
    Integer,
    MetaData,
    Table,
    and_,
    select,
    text,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session

from storage.db import dialect_insert
from storage.papers import get_papers, to_paper, upsert_papers
from storage.tables import (
    PAPER_TABLE,
    VOTE_TABLE,
    DigestRunRow,
    DiscussionReplyRow,
    DiscussionRow,
    MessageLayoutRow,
    PaperRow,
    PostedMessageRow,
    ReadingItemRow,
    SubscriptionRow,
)

FORMAT = 1  # bump when a reader of the old format would misread the new one
SLACK_TABLES = ("slack_bots", "slack_installations")

_SUBSCRIPTION: Table = SubscriptionRow.__table__  # type: ignore[attr-defined]
_RUN: Table = DigestRunRow.__table__  # type: ignore[attr-defined]
_POSTED: Table = PostedMessageRow.__table__  # type: ignore[attr-defined]
_LAYOUT: Table = MessageLayoutRow.__table__  # type: ignore[attr-defined]
_READING: Table = ReadingItemRow.__table__  # type: ignore[attr-defined]
_DISCUSSION: Table = DiscussionRow.__table__  # type: ignore[attr-defined]
_REPLY: Table = DiscussionReplyRow.__table__  # type: ignore[attr-defined]

_SUBSCRIPTION_KEY = ("platform", "workspace", "channel", "kind")
_KEYS: dict[str, tuple[str, ...]] = {
    "subscription": _SUBSCRIPTION_KEY,
    "digest_run": ("subscription_id", "digest_date"),
    "vote": ("platform", "workspace", "paper_id", "user_id"),
    "posted_message": ("platform", "workspace", "channel", "message_ref", "paper_id"),
    "message_layout": ("platform", "workspace", "channel", "message_ref"),
    "reading_item": ("platform", "workspace", "user_id", "paper_id"),
    "discussion": ("platform", "workspace", "channel", "paper_id"),
    # slack_sdk's tables have no unique constraint; a row is one installation event.
    "slack_bots": ("client_id", "enterprise_id", "team_id", "installed_at"),
    "slack_installations": ("client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
}
_NOT_EXPORTED = {"subscription_id", "search_seq"}  # and surrogate ids (see _exported)


def _exported(table: Table) -> list[Column[Any]]:
    """The columns a backup holds: not surrogate ids, which mean nothing in another database."""
    return [
        c
        for c in table.columns
        if c.name not in _NOT_EXPORTED and not (c.primary_key and isinstance(c.type, Integer))
    ]


class BackupError(ValueError):
    """A file that is not a paperbot backup, or one this paperbot cannot read."""


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """How many records of each kind the backup held (all now in the database)."""

    papers: int = 0
    subscriptions: int = 0
    digest_runs: int = 0
    votes: int = 0
    posted_messages: int = 0
    message_layouts: int = 0
    reading_items: int = 0
    discussions: int = 0
    discussion_replies: int = 0
    slack_bots: int = 0
    slack_installations: int = 0

    def line(self) -> str:
        return ", ".join(
            f"{getattr(self, f.name)} {f.name.replace('_', ' ')}" for f in fields(self)
        )


def _to_json(column: Column[Any], value: Any) -> Any:
    if isinstance(value, datetime):
        # Stored in UTC; SQLite and slack_sdk's columns give it back without a zone.
        return (
            value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        ).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _from_json(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, DateTime):
        parsed = datetime.fromisoformat(value)
        parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
        return parsed if kind.timezone else parsed.replace(tzinfo=None)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    return value


def _records(
    session: Session, table: Table, order: Sequence[str], *where: ColumnElement[bool]
) -> list[dict[str, Any]]:
    exported = _exported(table)
    query = select(*exported).where(*where).order_by(*(table.c[name] for name in order))
    return [
        {c.name: _to_json(c, value) for c, value in zip(exported, row, strict=True)}
        for row in session.execute(query)
    ]


def _values(table: Table, record: Mapping[str, Any]) -> dict[str, Any]:
    return {c.name: _from_json(c, record[c.name]) for c in _exported(table) if c.name in record}


def schema_revision(session: Session) -> str | None:
    return session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _slack_table(session: Session, name: str) -> Table:
    return Table(name, MetaData(), autoload_with=session.connection())


def export_all(session: Session, include_slack: bool) -> dict[str, Any]:
    """Everything a move needs, as one JSON-ready object (ordered, so equal states export equal)."""
    runs = []
    subscription_keys = {
        row.id: list(row[1:])
        for row in session.execute(
            select(_SUBSCRIPTION.c.id, *(_SUBSCRIPTION.c[k] for k in _SUBSCRIPTION_KEY))
        )
    }
    run_columns = _exported(_RUN)
    for row in session.execute(
        select(_RUN.c.subscription_id, *run_columns).order_by(
            _RUN.c.subscription_id, _RUN.c.digest_date
        )
    ):
        record = {c.name: _to_json(c, value) for c, value in zip(run_columns, row[1:], strict=True)}
        runs.append({"subscription": subscription_keys[row[0]]} | record)
    runs.sort(key=lambda r: (r["subscription"], r["digest_date"]))
    data: dict[str, Any] = {
        "format": FORMAT,
        "schema_revision": schema_revision(session),
        "subscriptions": _records(session, _SUBSCRIPTION, _KEYS["subscription"]),
        "digest_runs": runs,
        "votes": _records(session, VOTE_TABLE, _KEYS["vote"]),
        "posted_messages": _records(session, _POSTED, _KEYS["posted_message"]),
        "message_layouts": _records(session, _LAYOUT, _KEYS["message_layout"]),
        "reading_items": _records(session, _READING, _KEYS["reading_item"]),
        "discussions": _records(
            session, _DISCUSSION, _KEYS["discussion"], _DISCUSSION.c.thread_ref.is_not(None)
        ),
        "discussion_replies": [
            {"discussion": list(key), "at": _to_json(_REPLY.c.at, at)}
            for key, at in _replies(session)
        ],
    }
    data["papers"] = _referenced_papers(session, data)
    if include_slack:
        for name in SLACK_TABLES:
            data[name] = _records(session, _slack_table(session, name), _KEYS[name])
    return data


def _replies(session: Session) -> list[tuple[tuple[Any, ...], datetime]]:
    """Each counted reply as its thread's natural key and its time, in order."""
    keys = [_DISCUSSION.c[k] for k in _KEYS["discussion"]]
    query = (
        select(*keys, _REPLY.c.at)
        .join_from(_REPLY, _DISCUSSION, _REPLY.c.discussion_id == _DISCUSSION.c.id)
        .order_by(*keys, _REPLY.c.at)
    )
    return [(tuple(row[:-1]), row[-1]) for row in session.execute(query)]


def _import_replies(session: Session, records: Sequence[Mapping[str, Any]]) -> None:
    """Add the replies the database lacks. A reply has no identity but its thread and time, so
    the backup's replies at each (thread, time) are added only beyond those already there."""
    keys = [_DISCUSSION.c[k] for k in _KEYS["discussion"]]
    ids = {tuple(row[1:]): row[0] for row in session.execute(select(_DISCUSSION.c.id, *keys))}
    have = Counter((key, _to_json(_REPLY.c.at, at)) for key, at in _replies(session))
    wanted = Counter((tuple(r["discussion"]), str(r["at"])) for r in records)
    new = [
        {"discussion_id": ids[key], "at": _from_json(_REPLY.c.at, at)}
        for (key, at), count in wanted.items()
        for _ in range(count - have[(key, at)])
    ]
    if new:
        session.execute(_REPLY.insert(), new)


def _referenced_papers(session: Session, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    named = ("votes", "posted_messages", "reading_items", "discussions")
    wanted = {r["paper_id"] for kind in named for r in data[kind]}
    for run in data["digest_runs"]:
        wanted.update(json.loads(run["paper_ids"]))
    return _records_where(session, PAPER_TABLE, sorted(wanted))


def _records_where(session: Session, table: Table, ids: list[str]) -> list[dict[str, Any]]:
    exported = _exported(table)
    found: list[dict[str, Any]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = select(*exported).where(table.c.id.in_(chunk)).order_by(table.c.id)
        found.extend(
            {c.name: _to_json(c, value) for c, value in zip(exported, row, strict=True)}
            for row in session.execute(query)
        )
    return found


def check_backup(data: object) -> Mapping[str, Any]:
    """The backup, if this paperbot can read it; ``BackupError`` saying why not otherwise."""
    if not isinstance(data, dict) or not isinstance(data.get("format"), int):
        raise BackupError("this is not a paperbot backup (no format number)")
    if data["format"] > FORMAT:
        raise BackupError(
            f"this backup has format {data['format']} (schema revision "
            f"{data.get('schema_revision')}), made by a newer paperbot; this one reads format "
            f"{FORMAT} and older: upgrade paperbot to import it (nothing was imported)"
        )
    return data


def import_all(session: Session, data: object, include_slack: bool = False) -> ImportSummary:
    """Merge a backup into the database; importing the same backup again changes nothing."""
    backup = check_backup(data)
    try:
        return _import(session, backup, include_slack)
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(f"the backup is damaged or incomplete: {error!r}") from error


def _import(session: Session, backup: Mapping[str, Any], include_slack: bool) -> ImportSummary:
    papers = [to_paper(PaperRow(**_values(PAPER_TABLE, r))) for r in backup.get("papers", [])]
    # The catalog's own copy of a paper is as fresh as the backup's or fresher (upvotes grow):
    # only papers it lacks are added.
    known = get_papers(session, [p.id for p in papers])
    upsert_papers(session, [p for p in papers if p.id not in known])
    subscriptions = backup.get("subscriptions", [])
    _upsert(session, _SUBSCRIPTION, "subscription", subscriptions, newer_by="updated_at")
    ids = {
        tuple(row[1:]): row[0]
        for row in session.execute(
            select(_SUBSCRIPTION.c.id, *(_SUBSCRIPTION.c[k] for k in _SUBSCRIPTION_KEY))
        )
    }
    runs = backup.get("digest_runs", [])
    rows = [_values(_RUN, r) | {"subscription_id": ids[tuple(r["subscription"])]} for r in runs]
    _upsert_rows(session, _RUN, "digest_run", rows, newer_by="updated_at")
    votes = backup.get("votes", [])
    # A vote's time is its deciding event's, not when this database wrote it down.
    _upsert(session, VOTE_TABLE, "vote", votes, newer_by="event_at")
    posted = backup.get("posted_messages", [])
    _upsert(session, _POSTED, "posted_message", posted, newer_by=None)
    layouts = backup.get("message_layouts", [])
    _upsert(session, _LAYOUT, "message_layout", layouts, newer_by=None)
    reading = backup.get("reading_items", [])
    # Saving again moves saved_at on; marking done keeps it: the later save wins, done or not.
    _upsert(session, _READING, "reading_item", reading, newer_by="saved_at")
    discussions = backup.get("discussions", [])
    _upsert(session, _DISCUSSION, "discussion", discussions, newer_by=None)
    replies = backup.get("discussion_replies", [])
    _import_replies(session, replies)
    slack = {name: 0 for name in SLACK_TABLES}
    if include_slack:
        for name in SLACK_TABLES:
            slack[name] = _insert_missing(session, name, backup.get(name, []))
    return ImportSummary(
        papers=len(papers),
        subscriptions=len(subscriptions),
        digest_runs=len(runs),
        votes=len(votes),
        posted_messages=len(posted),
        message_layouts=len(layouts),
        reading_items=len(reading),
        discussions=len(discussions),
        discussion_replies=len(replies),
        **slack,
    )


def _upsert(
    session: Session,
    table: Table,
    key: str,
    records: Iterable[Mapping[str, Any]],
    newer_by: str | None,
) -> None:
    _upsert_rows(session, table, key, [_values(table, r) for r in records], newer_by)


def _upsert_rows(
    session: Session,
    table: Table,
    key: str,
    rows: list[dict[str, Any]],
    newer_by: str | None,
) -> None:
    """Insert rows by natural key; a known row is replaced when the backup's is as new or newer
    by the ``newer_by`` column, or kept (``None``: the ledger's first record wins)."""
    if not rows:
        return
    keys = _KEYS[key]
    insert = dialect_insert(session)(table)
    if newer_by is None:
        statement = insert.on_conflict_do_nothing(index_elements=list(keys))
    else:
        changed = {
            c.name: insert.excluded[c.name] for c in table.columns if c.name not in (*keys, "id")
        }
        statement = insert.on_conflict_do_update(
            index_elements=list(keys),
            set_=changed,
            where=table.c[newer_by] <= insert.excluded[newer_by],
        )
    rows.sort(key=lambda row: tuple(str(row[k]) for k in keys))  # one lock order
    for start in range(0, len(rows), 500):
        session.execute(statement, rows[start : start + 500])


def _insert_missing(session: Session, name: str, records: Sequence[Mapping[str, Any]]) -> int:
    """slack_sdk's rows, added unless an equal installation (same natural key) is there."""
    table = _slack_table(session, name)
    for record in records:
        values = _values(table, record)
        same = and_(*(table.c[k].is_not_distinct_from(values.get(k)) for k in _KEYS[name]))
        if session.execute(select(table.c.id).where(same).limit(1)).first() is None:
            session.execute(table.insert().values(values))
    return len(records)
