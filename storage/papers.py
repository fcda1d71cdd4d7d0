"""The paper catalog: upserts that keep the search index in step, lookups and trending windows.

Every function takes the caller's ``Session`` (one unit of work per use case) and returns core
``Paper`` dataclasses, never ORM rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, text
from sqlalchemy import select as core_select
from sqlmodel import Session, select

from bot.model import Paper, UpsertResult
from storage.tables import PAPER_TABLE, PaperRow

_CHUNK = 500


def search_key(paper_id: str) -> int:
    """A stable 63-bit integer per paper id: the SQLite FTS rowid, immune to VACUUM renumbering."""
    digest = hashlib.blake2b(paper_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & 0x7FFF_FFFF_FFFF_FFFF


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
    )


def _merge(row: PaperRow, paper: Paper) -> None:
    """Refresh ``row`` from a newer sighting; fields the new sighting lacks keep what we knew."""
    row.title = paper.title or row.title
    row.summary = paper.summary or row.summary
    if paper.authors:
        row.authors = json.dumps(list(paper.authors))
    row.published_at = paper.published_at or row.published_at
    row.hf_daily_date = paper.hf_daily_date or row.hf_daily_date
    row.upvotes = paper.upvotes
    row.num_comments = max(paper.num_comments, row.num_comments)
    row.github_repo = paper.github_repo or row.github_repo
    row.github_stars = paper.github_stars if paper.github_stars is not None else row.github_stars
    row.project_page = paper.project_page or row.project_page
    row.ai_summary = paper.ai_summary or row.ai_summary
    if paper.ai_keywords:
        row.ai_keywords = json.dumps(list(paper.ai_keywords))
    row.thumbnail = paper.thumbnail or row.thumbnail
    row.fetched_at = paper.fetched_at or row.fetched_at


def _new_row(paper: Paper) -> PaperRow:
    if paper.fetched_at is None:
        raise ValueError(f"paper {paper.id} has no fetched_at")
    row = PaperRow(id=paper.id, title=paper.title, fetched_at=paper.fetched_at)
    _merge(row, paper)
    return row


def _index_text(row: PaperRow) -> tuple[str, str, str, str]:
    keywords = " ; ".join(json.loads(row.ai_keywords))
    authors = " ; ".join(json.loads(row.authors))
    return row.title, keywords, row.summary, authors


def upsert_papers(session: Session, papers: Iterable[Paper]) -> UpsertResult:
    """Insert new papers and refresh known ones (upvotes above all), search index included."""
    latest: dict[str, Paper] = {p.id: p for p in papers}
    added = updated = 0
    sqlite = session.get_bind().dialect.name == "sqlite"
    ids = list(latest)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        existing = {
            row.id: row
            for row in session.exec(select(PaperRow).where(PaperRow.id.in_(chunk)))  # type: ignore[attr-defined]
        }
        reindex: list[PaperRow] = []
        for paper_id in chunk:
            row = existing.get(paper_id)
            if row is None:
                row = _new_row(latest[paper_id])
                session.add(row)
                added += 1
                reindex.append(row)
            else:
                before = _index_text(row)
                _merge(row, latest[paper_id])
                updated += 1
                if _index_text(row) != before:
                    reindex.append(row)
        session.flush()
        if sqlite and reindex:
            _write_sqlite_index(session, reindex)
    return UpsertResult(added=added, updated=updated, ids=tuple(ids))


def _write_sqlite_index(session: Session, rows: Sequence[PaperRow]) -> None:
    keys = [{"k": search_key(row.id)} for row in rows]
    session.execute(text("DELETE FROM paper_fts WHERE rowid = :k"), keys)
    session.execute(
        text(
            "INSERT INTO paper_fts (rowid, paper_id, title, keywords, summary, authors) "
            "VALUES (:k, :id, :title, :keywords, :summary, :authors)"
        ),
        [
            dict(zip(("title", "keywords", "summary", "authors"), _index_text(row), strict=True))
            | {"k": search_key(row.id), "id": row.id}
            for row in rows
        ],
    )


def delete_paper(session: Session, paper_id: str) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM paper_fts WHERE rowid = :k"), {"k": search_key(paper_id)})
    session.execute(delete(PaperRow).where(PaperRow.id == paper_id))  # type: ignore[arg-type]


def get_paper(session: Session, paper_id: str) -> Paper | None:
    return get_papers(session, [paper_id]).get(paper_id)


_GET_PAPERS = core_select(PAPER_TABLE).where(PAPER_TABLE.c.id.in_(bindparam("ids", expanding=True)))


def get_papers(session: Session, paper_ids: Sequence[str]) -> dict[str, Paper]:
    """Plain rows, not ORM objects: reads on hot paths (cards after a vote) stay cheap."""
    rows = session.execute(_GET_PAPERS, {"ids": list(paper_ids)})
    return {row.id: to_paper(row) for row in rows}


def count_papers(session: Session) -> int:
    return session.exec(select(func.count()).select_from(PaperRow)).one()


def latest_daily_date(session: Session, on_or_before: date | None = None) -> date | None:
    """The newest Daily Papers date in the catalog (not after ``on_or_before`` when given)."""
    query = select(func.max(PaperRow.hf_daily_date))
    if on_or_before is not None:
        query = query.where(PaperRow.hf_daily_date <= on_or_before)  # type: ignore[operator]
    return session.exec(query).one()


def trending(session: Session, start: date, end: date, limit: int) -> list[Paper]:
    """Papers on Daily Papers from ``start`` to ``end`` (inclusive), most upvoted first."""
    query = (
        select(PaperRow)
        .where(PaperRow.hf_daily_date >= start, PaperRow.hf_daily_date <= end)  # type: ignore[operator]
        .order_by(PaperRow.upvotes.desc(), PaperRow.id)  # type: ignore[attr-defined]
        .limit(limit)
    )
    return [to_paper(row) for row in session.exec(query)]
