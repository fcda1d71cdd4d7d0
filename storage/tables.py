"""The whole data model (docs/architecture.md) as SQLModel tables.

Lists (authors, keywords, message refs) are stored as JSON text so the same schema works on SQLite
and PostgreSQL. Platform ids are strings: Discord snowflakes do not fit everywhere an int would.
The search index is not here: each process keeps its own (storage.search_index), fed from
``paper.search_seq``; ``catalog_instance`` (one id made by migration 0004) tells it which catalog
it indexes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, String, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class PaperRow(SQLModel, table=True):
    __tablename__ = "paper"
    __table_args__ = (Index("ix_paper_daily_upvotes", "hf_daily_date", "upvotes"),)

    id: str = Field(primary_key=True, max_length=64)
    title: str = Field(sa_column=Column(Text, nullable=False))
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    authors: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    published_at: datetime | None = None
    hf_daily_date: date | None = None
    upvotes: int = Field(default=0, index=True)
    num_comments: int = 0
    github_repo: str | None = Field(default=None, max_length=512)
    github_stars: int | None = None
    project_page: str | None = Field(default=None, max_length=1024)
    ai_summary: str | None = Field(default=None, sa_column=Column(Text))
    ai_keywords: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    thumbnail: str | None = Field(default=None, max_length=1024)
    fetched_at: datetime
    # Migration 0004: when the row last changed, in commit order; search indexes catch up from it
    # (see storage.search_index).
    search_seq: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, index=True))
    # Migration 0007: the Daily Papers submitter and organization (Hub handle and display name).
    organization: str | None = Field(default=None, max_length=128)
    organization_name: str | None = Field(default=None, max_length=256)
    submitted_by: str | None = Field(default=None, max_length=128)
    submitted_by_name: str | None = Field(default=None, max_length=256)


class SubscriptionRow(SQLModel, table=True):
    __tablename__ = "subscription"
    __table_args__ = (
        UniqueConstraint(
            "platform", "workspace", "channel", "kind", name="uq_subscription_channel_kind"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    workspace: str = Field(max_length=128)
    channel: str = Field(max_length=128)
    kind: str = Field(max_length=16)  # daily | weekly
    local_time: str = Field(max_length=5)  # HH:MM in the subscription's timezone
    timezone: str = Field(max_length=64)  # IANA name
    weekdays: str = Field(default="mon,tue,wed,thu,fri", max_length=64)
    top_n: int = 5
    keywords: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    min_upvotes: int = 0
    # Migration 0007: digest filters on organizations and authors, JSON lists like keywords.
    organizations: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    authors: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    # Migration 0009: the digest's order, upvotes or team ("subscribe ... for-team").
    ranking: str = Field(
        default="upvotes", sa_column=Column(String(16), nullable=False, server_default="upvotes")
    )
    created_by: str = Field(max_length=128)
    enabled: bool = True
    created_at: datetime
    updated_at: datetime


class DigestRunRow(SQLModel, table=True):
    __tablename__ = "digest_run"
    __table_args__ = (
        UniqueConstraint("subscription_id", "digest_date", name="uq_digest_run_subscription_date"),
        Index("ix_digest_run_state_next", "state", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="subscription.id", ondelete="CASCADE", index=True)
    digest_date: date
    # claimed | waiting | failed -> posted | skipped; missed (storage/digest_runs.py explains)
    state: str = Field(max_length=16)
    attempts: int = 0
    message_refs: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    error: str | None = Field(default=None, sa_column=Column(Text))
    claimed_at: datetime
    updated_at: datetime
    # Migration 0002: the fire time (its grace window ends the retries), when to retry, and the
    # papers chosen, frozen at the first attempt so a retry finishes the same digest.
    due_at: datetime | None = None
    next_attempt_at: datetime | None = None
    paper_ids: str = Field(default="[]", sa_column=Column(Text, nullable=False))


class PostedMessageRow(SQLModel, table=True):
    __tablename__ = "posted_message"
    __table_args__ = (
        UniqueConstraint(
            "platform",
            "workspace",
            "channel",
            "message_ref",
            "paper_id",
            name="uq_posted_message_paper",
        ),
        Index("ix_posted_message_ref", "platform", "channel", "message_ref", "paper_id"),
        Index("ix_posted_message_channel_time", "platform", "workspace", "channel", "posted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    workspace: str = Field(max_length=128)
    channel: str = Field(max_length=128)
    message_ref: str = Field(max_length=128)
    paper_id: str = Field(max_length=64)
    posted_at: datetime


class MessageLayoutRow(SQLModel, table=True):
    """What a sent message showed, in order (JSON written by the core), so a vote can rebuild the
    whole message with current tallies; one row per message, beside its posted_message rows."""

    __tablename__ = "message_layout"
    __table_args__ = (
        UniqueConstraint(
            "platform", "workspace", "channel", "message_ref", name="uq_message_layout_ref"
        ),
        Index("ix_message_layout_ref", "platform", "channel", "message_ref"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    workspace: str = Field(max_length=128)
    channel: str = Field(max_length=128)
    message_ref: str = Field(max_length=128)
    layout: str = Field(sa_column=Column(Text, nullable=False))
    posted_at: datetime


class VoteRow(SQLModel, table=True):
    """One person's current opinion on one paper in one workspace.

    ``value`` is the opinion the events add up to (+1, -1, or 0 when taken back). ``reactions``
    holds, per vote emoji, whether it is on the person's card now and the time of the last add or
    remove (a last-writer-wins register), so reaction events give the same result in any order of
    delivery. ``source``/``emoji``/``event_at`` describe what decided the current value.
    """

    __tablename__ = "vote"
    __table_args__ = (
        UniqueConstraint(
            "platform", "workspace", "paper_id", "user_id", name="uq_vote_person_paper"
        ),
        Index("ix_vote_workspace_time", "platform", "workspace", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    workspace: str = Field(max_length=128)
    paper_id: str = Field(max_length=64)
    user_id: str = Field(max_length=128)
    value: int
    source: str = Field(max_length=16)  # button | reaction
    channel: str = Field(max_length=128)
    emoji: str | None = Field(default=None, max_length=64)
    reactions: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    button_value: int = 0
    button_at: datetime | None = None
    event_at: datetime
    created_at: datetime
    updated_at: datetime


class ReadingItemRow(SQLModel, table=True):
    """A paper one person saved to read, in one workspace; ``done_at`` set once they read it.

    The team's reading list is every person's open items in the workspace (migration 0006).
    """

    __tablename__ = "reading_item"
    __table_args__ = (
        UniqueConstraint(
            "platform", "workspace", "user_id", "paper_id", name="uq_reading_person_paper"
        ),
        Index("ix_reading_workspace_saved", "platform", "workspace", "saved_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    workspace: str = Field(max_length=128)
    user_id: str = Field(max_length=128)
    paper_id: str = Field(max_length=64, foreign_key="paper.id")
    channel: str = Field(max_length=128)  # where it was saved
    saved_at: datetime
    done_at: datetime | None = None


class DiscussionRow(SQLModel, table=True):
    """The thread where a channel discusses a paper: one per paper and channel (migration 0008).

    The row is claimed (``thread_ref`` still None) by the click that opens the thread, so two
    clicks at once open one thread; ``thread_ref`` and ``url`` are filled once it exists.
    """

    __tablename__ = "discussion"
    __table_args__ = (
        UniqueConstraint(
            "platform", "workspace", "channel", "paper_id", name="uq_discussion_channel_paper"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    workspace: str = Field(max_length=128)
    channel: str = Field(max_length=128)
    paper_id: str = Field(max_length=64, foreign_key="paper.id")
    opened_by: str = Field(max_length=128)
    claimed_at: datetime
    thread_ref: str | None = Field(default=None, max_length=128)  # a Slack ts, a Discord id
    url: str | None = Field(default=None, max_length=512)
    message_ref: str | None = Field(default=None, max_length=128)  # the card it was opened from
    replies: int | None = None  # counted where the platform tells us of each reply (Discord)


class DiscussionReplyRow(SQLModel, table=True):
    """One reply counted in a discussion thread, with its time: what the weekly report's "most
    discussed" counts (migration 0008)."""

    __tablename__ = "discussion_reply"
    __table_args__ = (Index("ix_discussion_reply_at", "discussion_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    discussion_id: int = Field(foreign_key="discussion.id")
    at: datetime


class ProcessedEventRow(SQLModel, table=True):
    __tablename__ = "processed_event"

    platform: str = Field(primary_key=True, max_length=32)
    event_id: str = Field(primary_key=True, max_length=191)
    received_at: datetime = Field(index=True)


# Core table objects, for hot paths that read plain rows instead of ORM instances.
PAPER_TABLE: Table = PaperRow.__table__  # type: ignore[attr-defined]
VOTE_TABLE: Table = VoteRow.__table__  # type: ignore[attr-defined]
POSTED_MESSAGE_TABLE: Table = PostedMessageRow.__table__  # type: ignore[attr-defined]
