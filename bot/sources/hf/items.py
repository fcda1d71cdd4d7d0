"""Which Hugging Face items become papers: those with what a paper card needs.

HF answers are outside text. An item that does not parse, or lacks an id or a (non-blank) title,
would make an empty card and a catalog entry nobody can find, so it is skipped with a log line
and the rest of the answer is kept. An abstract and authors are not required: HF's search still
answers some queries with bare paper objects (id, title, thumbnail), and a later sighting fills
them in. An answer whose every item is
unusable says the format changed: that is a ``MalformedResponse``, not an empty day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from bot.paper_ids import parse_paper_ref
from bot.sources.errors import MalformedResponse
from bot.sources.hf.schema import DailyPaperItem, HfPaper

log = logging.getLogger(__name__)

MAX_LOGGED_ID = 40


def missing_card_fields(paper: HfPaper) -> str | None:
    """What a card would lack (``None`` when the paper is usable). An id must be an arXiv id, as
    every Hugging Face paper's is: anything else (a path, 70 digits) is no paper anyone can ask
    for, and would fail a whole day's upsert on PostgreSQL, whose id column is bounded."""
    if not paper.id.strip():
        return "an id"
    if parse_paper_ref(paper.id) != paper.id:
        return "an arXiv id"
    if not paper.title:
        return "a title"
    return None


def usable_items(
    raw: list[Any], parse: Callable[[Any], DailyPaperItem], where: str
) -> list[DailyPaperItem]:
    """The items of ``raw`` that parse and can make a card; the others are logged and skipped."""
    items: list[DailyPaperItem] = []
    first_problem = ""
    for index, entry in enumerate(raw):
        checked = _check(entry, parse)
        if isinstance(checked, DailyPaperItem):
            items.append(checked)
            continue
        first_problem = first_problem or checked
        log.warning(
            "skipping item %d (%s) of the answer from %s: %s",
            index,
            _item_id(entry),
            where,
            checked,
        )
    if raw and not items:
        raise MalformedResponse(f"unexpected answer from {where}: no usable item ({first_problem})")
    return items


def _check(entry: Any, parse: Callable[[Any], DailyPaperItem]) -> DailyPaperItem | str:
    """The item, or what is wrong with it."""
    if not isinstance(entry, dict):
        return f"{type(entry).__name__}, not an object"
    try:
        item = parse(entry)
    except ValidationError as error:
        return describe(error)
    lacks = missing_card_fields(item.paper)
    return item if lacks is None else f"no {lacks}"


def describe(error: ValidationError) -> str:
    """pydantic's first complaint, with where in the item it is."""
    for first in error.errors(include_url=False)[:1]:
        where = ".".join(str(part) for part in first["loc"])
        return first["msg"] + (f" at {where}" if where else "")
    return "invalid"


def _item_id(entry: Any) -> str:
    paper = entry.get("paper", entry) if isinstance(entry, dict) else None
    value = paper.get("id") if isinstance(paper, dict) else None
    return repr(value)[:MAX_LOGGED_ID] if isinstance(value, str) else "no id"
