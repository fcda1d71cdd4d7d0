"""``paperbot export votes``: every current vote as CSV or JSON, for spreadsheets and scripts."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Literal, TextIO

from bot.votes.emoji import canonical_emoji
from storage.votes import ExportedVote

ExportFormat = Literal["csv", "json"]
FIELDS = (
    "platform",
    "workspace",
    "channel",
    "paper_id",
    "title",
    "user_id",
    "value",
    "source",
    "emoji",
    "updated_at",
)


def _record(vote: ExportedVote) -> dict[str, object]:
    record = asdict(vote)
    record["updated_at"] = vote.updated_at.isoformat()
    if vote.emoji:  # a vote stored before emoji were kept as characters has a name: thumbsup
        record["emoji"] = canonical_emoji(vote.emoji)
    return record


def write_votes(votes: Iterable[ExportedVote], fmt: ExportFormat, out: TextIO) -> int:
    """Write the votes to ``out``; returns how many were written."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for vote in votes:
            writer.writerow(_record(vote))
            count += 1
        return count
    records = [_record(vote) for vote in votes]
    json.dump(records, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(records)
