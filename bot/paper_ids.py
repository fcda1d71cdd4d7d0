"""Recognise the ways people paste a paper: a bare arXiv id, or a Hugging Face or arXiv link."""

from __future__ import annotations

import re
import unicodedata

_NEW_STYLE = r"\d{4}\.\d{4,5}"
_OLD_STYLE = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
_ID = rf"(?P<id>{_NEW_STYLE}|{_OLD_STYLE})(?:v\d+)?"
_BARE_ID = re.compile(rf"{_NEW_STYLE}|{_OLD_STYLE}")
_PATTERNS = (
    re.compile(rf"^{_ID}$"),
    re.compile(rf"^arxiv:{_ID}$", re.IGNORECASE),
    re.compile(
        rf"^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/papers/{_ID}(?:[/?#].*)?$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/{_ID}(?:\.pdf)?(?:[/?#].*)?$",
        re.IGNORECASE,
    ),
)


def parse_paper_ref(text: str) -> str | None:
    """The arXiv id (without version) that ``text`` names, or None when it names no paper."""
    # NFKC: full-width digits and dots from CJK keyboards (２６０６．００４６７) are plain ones
    candidate = unicodedata.normalize("NFKC", text).strip().strip("<>")  # Slack wraps in <...>
    candidate = candidate.split("|", 1)[0]  # and may add |label
    for pattern in _PATTERNS:
        match = pattern.match(candidate)
        if match:
            return match["id"]
    return None


def is_paper_id(text: str) -> bool:
    """Whether ``text`` is an arXiv id as the catalog keys papers: no version, prefix or link."""
    return _BARE_ID.fullmatch(text) is not None
