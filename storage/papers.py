"""The paper catalog: upserts that stamp changes for the search index, lookups, trending windows.

Every function takes the caller's ``Session`` (one unit of work per use case) and returns core
``Paper`` dataclasses, never ORM rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Row, bindparam, case, func, text
from sqlalchemy import select as core_select
from sqlmodel import Session, select

from bot.model import Paper, UpsertResult
from storage.db import insert_for, insert_new_rows
from storage.tables import PAPER_TABLE, PaperRow

_CHUNK = 500


def to_paper(row: PaperRow | Row[Any]) -> Paper:
    return Paper(
        id=row.id,
        title=row.title,
        summary=row.summary,
        authors=tuple(json.loads(row.authors)),
        published_at=row.published_at,
        hf_daily_date=row.hf_daily_date,
        upvotes=row.upvotes,
        num_comments=row.num_comments,
        github_repo=row.github_repo,
        github_stars=row.github_stars,
        project_page=row.project_page,
        ai_summary=row.ai_summary,
        ai_keywords=tuple(json.loads(row.ai_keywords)),
        thumbnail=row.thumbnail,
        fetched_at=row.fetched_at,
        organization=row.organization,
        organization_name=row.organization_name,
        submitted_by=row.submitted_by,
        submitted_by_name=row.submitted_by_name,
    )


def merge_sighting(known: Paper, seen: Paper) -> Paper:
    """A newer sighting refreshes what we knew; fields it lacks keep their known values."""
    return replace(
        known,
        title=seen.title or known.title,
        summary=seen.summary or known.summary,
        authors=seen.authors or known.authors,
        published_at=seen.published_at or known.published_at,
        hf_daily_date=seen.hf_daily_date or known.hf_daily_date,
        upvotes=seen.upvotes,
        num_comments=max(seen.num_comments, known.num_comments),
        github_repo=seen.github_repo or known.github_repo,
        github_stars=seen.github_stars if seen.github_stars is not None else known.github_stars,
        project_page=seen.project_page or known.project_page,
        ai_summary=seen.ai_summary or known.ai_summary,
        ai_keywords=seen.ai_keywords or known.ai_keywords,
        thumbnail=seen.thumbnail or known.thumbnail,
        fetched_at=seen.fetched_at or known.fetched_at,
        **{name: getattr(seen, name) or getattr(known, name) for name in _SUBMISSION},
    )


# Who submitted a paper and for which organization: kept when a sighting (a search hit, the
# bundled sample) lacks them.
_SUBMISSION = ("organization", "organization_name", "submitted_by", "submitted_by_name")


def _row_values(paper: Paper) -> dict[str, Any]:
    if paper.fetched_at is None:
        raise ValueError(f"paper {paper.id} has no fetched_at")
    values = {name: getattr(paper, name) for name in _COLUMNS}
    values["authors"] = json.dumps(list(paper.authors))
    values["ai_keywords"] = json.dumps(list(paper.ai_keywords))
    return values


_COLUMNS = tuple(c.name for c in PAPER_TABLE.columns if c.name != "search_seq")
_EMPTY_LIST = "[]"  # authors and AI keywords are JSON lists


def _merged_columns(excluded: Any) -> dict[str, ColumnElement[Any]]:
    """``merge_sighting`` as SQL: the row a sighting leaves, computed under the row's lock."""
    known = PAPER_TABLE.c

    def unless_empty(name: str, empty: str = "") -> ColumnElement[Any]:
        seen = excluded[name]
        return case((func.coalesce(seen, empty) != empty, seen), else_=known[name])

    def unless_null(name: str) -> ColumnElement[Any]:
        return func.coalesce(excluded[name], known[name])

    return {
        "title": unless_empty("title"),
        "summary": unless_empty("summary"),
        "authors": unless_empty("authors", _EMPTY_LIST),
        "published_at": unless_null("published_at"),
        "hf_daily_date": unless_null("hf_daily_date"),
        "upvotes": excluded.upvotes,
        "num_comments": case(
            (excluded.num_comments > known.num_comments, excluded.num_comments),
            else_=known.num_comments,
        ),
        "github_repo": unless_empty("github_repo"),
        "github_stars": unless_null("github_stars"),
        "project_page": unless_empty("project_page"),
        "ai_summary": unless_empty("ai_summary"),
        "ai_keywords": unless_empty("ai_keywords", _EMPTY_LIST),
        "thumbnail": unless_empty("thumbnail"),
        "fetched_at": unless_null("fetched_at"),
        **{name: unless_empty(name) for name in _SUBMISSION},
        "search_seq": excluded.search_seq,
    }


def _upsert_statement(session: Session) -> Any:
    """One atomic insert-or-merge per paper, so concurrent writers of one id never collide."""
    return _upsert_for(session.get_bind().dialect.name)


@cache
def _upsert_for(dialect: str) -> Any:
    """Built once per dialect: a first start writes the sample in dozens of batches, and SQLAlchemy
    keys its compiled-statement cache on the statement it is given."""
    insert = insert_for(dialect)(PAPER_TABLE)
    return insert.on_conflict_do_update(
        index_elements=[PAPER_TABLE.c.id], set_=_merged_columns(insert.excluded)
    )


def _stamp_from(session: Session) -> int:
    """The first free ``search_seq``, under a lock held to commit so stamps commit in order.

    Search indexes catch up by reading rows stamped after the last one they saw (see
    storage.search_index); a stamp that committed after a higher one would be skipped. SQLite
    writers already hold the database's write lock; PostgreSQL ones take an advisory lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_STAMP_LOCK)
    return int(session.execute(_LAST_STAMP).scalar_one()) + 1


_STAMP_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.paper_stamp'))")
_LAST_STAMP = text("SELECT coalesce(max(search_seq), 0) FROM paper")


def upsert_papers(session: Session, papers: Iterable[Paper]) -> UpsertResult:
    """Insert new papers and refresh known ones (upvotes above all), search index included.

    Each written row gets the next ``search_seq`` stamp, which search indexes catch up from.
    Works in chunks of executemany statements: first start loads thousands of papers. Each row is
    written by ``INSERT ... ON CONFLICT DO UPDATE`` that merges in SQL, so a paper that another
    transaction inserted or refreshed since we read it is merged into, never duplicated or lost;
    ids are written in sorted order so concurrent batches lock rows in the same order.
    """
    latest: dict[str, Paper] = {p.id: p for p in papers}
    added = updated = 0
    stamp = _stamp_from(session) if latest else 0
    ids = list(latest)
    in_lock_order = sorted(ids)
    upsert = _upsert_statement(session)
    for start in range(0, len(ids), _CHUNK):
        chunk = in_lock_order[start : start + _CHUNK]
        known = get_papers(session, chunk)
        new = [latest[i] for i in chunk if i not in known]
        refreshed = [merge_sighting(known[i], latest[i]) for i in chunk if i in known]
        changed = [p for p in refreshed if p != known[p.id]]
        if new or changed:
            written = sorted(new + changed, key=lambda p: p.id)
            rows = [
                _row_values(latest[p.id]) | {"search_seq": stamp + n} for n, p in enumerate(written)
            ]
            _write(session, upsert, rows, new={p.id for p in new})
            stamp += len(written)
        added += len(new)
        updated += len(refreshed)
    return UpsertResult(added=added, updated=updated, ids=tuple(ids))


def _write(session: Session, upsert: Any, rows: list[dict[str, Any]], new: set[str]) -> None:
    """Papers the catalog did not have go in as plain inserts (a first start's whole sample),
    the rest through the merging upsert. Should another writer have inserted one of the new
    ones meanwhile, they all go through the upsert too: merging a row into itself changes
    nothing, so the outcome is the upsert's either way."""
    inserts = [row for row in rows if row["id"] in new]
    merges = [row for row in rows if row["id"] not in new]
    if insert_new_rows(session, PAPER_TABLE, inserts) < len(inserts):
        merges += inserts
    if merges:
        session.execute(upsert, merges)


def get_paper(session: Session, paper_id: str) -> Paper | None:
    return get_papers(session, [paper_id]).get(paper_id)


_GET_PAPERS = core_select(PAPER_TABLE).where(PAPER_TABLE.c.id.in_(bindparam("ids", expanding=True)))


def get_papers(session: Session, paper_ids: Sequence[str]) -> dict[str, Paper]:
    """Plain rows, not ORM objects: reads on hot paths (cards after a vote) stay cheap."""
    rows = session.execute(_GET_PAPERS, {"ids": list(paper_ids)})
    return {row.id: to_paper(row) for row in rows}


_CATALOG_IDS = core_select(PAPER_TABLE.c.id).where(
    PAPER_TABLE.c.id.in_(bindparam("ids", expanding=True))
)


def catalog_ids(session: Session, paper_ids: Iterable[str]) -> set[str]:
    """Which of ``paper_ids`` the catalog has: the id column only, for checks on hot paths."""
    wanted = list(paper_ids)
    if not wanted:
        return set()
    return set(session.execute(_CATALOG_IDS, {"ids": wanted}).scalars())


def count_papers(session: Session) -> int:
    return session.exec(select(func.count()).select_from(PaperRow)).one()


def latest_daily_date(session: Session, on_or_before: date | None = None) -> date | None:
    """The newest Daily Papers date in the catalog (not after ``on_or_before`` when given)."""
    query = select(func.max(PaperRow.hf_daily_date))
    if on_or_before is not None:
        query = query.where(PaperRow.hf_daily_date <= on_or_before)  # type: ignore[operator]
    return session.exec(query).one()


def least_recently_fetched_day(session: Session, first: date, last: date) -> datetime | None:
    """When the stalest Daily Papers day in ``[first, last]`` was last fetched: the oldest of the
    days' newest ``fetched_at``: a day's listing stamps all its papers, so one paper Hugging
    Face stopped listing does not keep its day stale, and a paper seen again in a search
    freshens its own day only. None when no day in the range has papers."""
    newest_per_day = (
        select(func.max(PaperRow.fetched_at).label("fetched"))
        .where(PaperRow.hf_daily_date >= first, PaperRow.hf_daily_date <= last)  # type: ignore[operator]
        .group_by(PaperRow.hf_daily_date)  # type: ignore[arg-type]
        .subquery()
    )
    oldest: datetime | None = session.exec(select(func.min(newest_per_day.c.fetched))).one()
    if oldest is None or oldest.tzinfo is not None:
        return oldest
    return oldest.replace(tzinfo=UTC)  # stored naive, in UTC


def trending(session: Session, start: date, end: date, limit: int) -> list[Paper]:
    """Papers on Daily Papers from ``start`` to ``end`` (inclusive), most upvoted first."""
    query = (
        select(PaperRow)
        .where(PaperRow.hf_daily_date >= start, PaperRow.hf_daily_date <= end)  # type: ignore[operator]
        .order_by(PaperRow.upvotes.desc(), PaperRow.id)  # type: ignore[attr-defined]
        .limit(limit)
    )
    return [to_paper(row) for row in session.exec(query)]
