"""A sent message's layout: its parts in order, with cards kept as paper references.

Text and headings are stored as they were shown; cards and voter lists are stored by paper id,
so rebuilding the message fetches each paper and the team's current tallies. JSON, so it reads
the same on SQLite and PostgreSQL and survives restarts.
"""

from __future__ import annotations

import json
from typing import Any, assert_never

from bot.reply import (
    Attachment,
    Code,
    Heading,
    Link,
    PaperCard,
    Part,
    Person,
    Reply,
    Span,
    Text,
    VoterList,
)

Layout = list[dict[str, Any]]


def encode_layout(message: Reply) -> str:
    return json.dumps([_encode_part(part) for part in message.parts], ensure_ascii=False)


def decode_layout(raw: str) -> Layout:
    layout: Layout = json.loads(raw)
    return layout


def _encode_part(part: Part) -> dict[str, Any]:
    match part:
        case Heading(spans=spans):
            return {"heading": [_encode_span(s) for s in spans]}
        case Text(spans=spans, tone=tone):
            return {"text": [_encode_span(s) for s in spans], "tone": tone}
        case PaperCard(paper=paper, rank=rank, votable=votable):
            return {"card": paper.id, "rank": rank, "votable": votable}
        case VoterList(paper=paper):
            return {"voters": paper.id}
        case Attachment(filename=filename):  # a file is not posted again: its name stands in
            return {"text": [f"📎 {filename}"], "tone": "muted"}
        case _:
            assert_never(part)


def _encode_span(span: Span) -> Any:
    match span:
        case str():
            return span
        case Code(text=text):
            return {"code": text}
        case Person(user_id=user_id):
            return {"person": user_id}
        case Link(url=url, label=label):
            return {"link": url, "label": label}
        case _:
            assert_never(span)


def decode_spans(raw: list[Any]) -> tuple[Span, ...]:
    spans: list[Span] = []
    for item in raw:
        if isinstance(item, str):
            spans.append(item)
        elif "code" in item:
            spans.append(Code(item["code"]))
        elif "person" in item:
            spans.append(Person(item["person"]))
        else:
            spans.append(Link(item["link"], item.get("label", "")))
    return tuple(spans)


def card_ids(layout: Layout) -> list[str]:
    """Every paper the layout shows (cards and voter lists), in order."""
    ids = [str(entry.get("card") or entry.get("voters")) for entry in layout]
    return [i for i, entry in zip(ids, layout, strict=True) if "card" in entry or "voters" in entry]
