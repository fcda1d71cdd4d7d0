"""HF's text and time fixes, apart from the pydantic models that apply them
(``bot.sources.hf.schema``), so the bundled sample is read without loading those."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def as_utc(value: datetime) -> datetime:
    """HF sends ``...Z``; a naive timestamp is taken as UTC rather than as local time."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def collapse_whitespace(text: str) -> str:
    """One line, single spaces: arXiv titles arrive hard-wrapped (``"...Model with\\n  AIEV"``)."""
    return " ".join(text.split())


def unwrap_paragraphs(text: str) -> str:
    """Join arXiv's hard-wrapped abstract lines, keeping blank-line paragraph breaks."""
    paragraphs = (collapse_whitespace(part) for part in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(part for part in paragraphs if part)
