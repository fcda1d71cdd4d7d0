"""Neutral reply -> Block Kit blocks plus a plain-text fallback. Pure: no network, no clock.

Text from users and from Hugging Face is escaped for mrkdwn: ``&``, ``<`` and ``>`` become
entities (so ``<@U1>`` typed in a query never pings anyone), and a zero-width space after each of
``* _ ~ ``` keeps Slack from pairing them into bold, italics, strikes or code. Only ``Person``
spans become mentions. ``measure`` tells the core's splitter what a part costs, so every message
stays within Slack's 50 blocks and 40,000 characters; sections are cut at 3,000 characters here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, assert_never

from bot.facade import ACTION_KINDS, ActionKind, MessageLimits, card_action_id, vote_action_id
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
    authors_line,
    how_voted,
    plural,
    replies_line,
    size_label,
    span_text,
    submission_line,
)

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_MESSAGE_CHARS = 40_000
MAX_SECTION_CHARS = 3_000
MAX_HEADER_CHARS = 150
MAX_FALLBACK_CHARS = 3_000
CODE_FENCE = "```"
BLOCK_COST = MAX_MESSAGE_CHARS // MAX_BLOCKS  # a block uses 1/50 of a message, whatever it holds
MAX_AUTHORS = 8
MAX_SUMMARY = 600
ELLIPSIS = "…"

# A markup character is defused with a zero-width space after it, except an underscore inside a
# word (``not_in_channel``), which mrkdwn never reads as italics: error codes and snake_case
# names stay searchable and copyable.
_FORMATTING = re.compile(r"([*~`]|(?<!\w)_|_(?!\w))")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """What ``chat.postMessage`` / ``chat.update`` / a response URL take: blocks and fallback."""

    blocks: list[Block]
    text: str


def escape(text: str) -> str:
    """Literal text for mrkdwn: entities for ``& < >``, markup characters defused."""
    return _FORMATTING.sub("\\1\u200b", _entities(text))


def _entities(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code_block(text: str, limit: int | None = None) -> str:
    """Text as a fenced code block, cut to ``limit`` characters inside the fences."""
    inner = _entities(text).replace(CODE_FENCE, "ˋˋˋ")
    return f"{CODE_FENCE}{inner if limit is None else _cut(inner, limit)}{CODE_FENCE}"


def _link_label(text: str) -> str:
    return escape(text).replace("|", "¦")


def mrkdwn_span(span: Span) -> str:
    match span:
        case str():
            return escape(span)
        case Code(text=code) if "\n" in code:
            return code_block(code)
        case Code(text=code):
            return f"`{_entities(code).replace('`', 'ˋ')}`"
        case Person(user_id=user_id):
            return f"<@{user_id}>" if _USER_ID.match(user_id) else escape(f"@{user_id}")
        case Link(url=url, label=label):
            target = safe_url(url)
            return f"<{target}|{_link_label(label)}>" if label else f"<{target}>"
        case _:
            assert_never(span)


def safe_url(url: str) -> str:
    """A URL that cannot end the ``<url|label>`` link it sits in."""
    return url.replace("<", "%3C").replace(">", "%3E").replace("|", "%7C").replace(" ", "%20")


def mrkdwn(spans: tuple[Span, ...]) -> str:
    return "".join(mrkdwn_span(span) for span in spans)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def _sections(text: str) -> list[Block]:
    """One section per 3,000 characters (cut at a line end when there is one)."""
    blocks: list[Block] = []
    while text:
        chunk = text[:MAX_SECTION_CHARS]
        if len(text) > MAX_SECTION_CHARS and "\n" in chunk:
            chunk = chunk[: chunk.rindex("\n") + 1]
        text = text[len(chunk) :]
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
    return blocks


def render_part(part: Part) -> list[Block]:
    match part:
        case Heading():
            return [
                {
                    "type": "header",
                    "text": {"type": "plain_text", "text": _cut(part.text, MAX_HEADER_CHARS)},
                }
            ]
        case Text(spans=spans, tone=tone):
            body = mrkdwn(spans)
            if tone == "muted":
                return [{"type": "context", "elements": [_mrkdwn(body, MAX_SECTION_CHARS)]}]
            return _sections(f"⚠️ {body}" if tone == "error" else body)
        case PaperCard():
            return render_card(part)
        case VoterList():
            return render_voters(part)
        case Attachment():
            return render_file_preview(part)
        case _:
            assert_never(part)


NO_FILES_HERE = "Slack cannot attach a file to an answer only you see, so here is its text"
NO_PREVIEW = "Slack cannot attach a file to an answer only you see; ask in a channel I am in"


def render_file_preview(file: Attachment) -> list[Block]:
    """A file where Slack takes none (an ephemeral answer): its name, and its text as a code
    block (cut to one section, and said so), or a line saying it could not be attached."""
    head = f"📎 *{_link_label(file.title)}* · {escape(file.filename)}, {size_label(file.size)}"
    blocks: list[Block] = [{"type": "section", "text": {"type": "mrkdwn", "text": head}}]
    if file.preview_text is None:
        return [*blocks, {"type": "context", "elements": [_mrkdwn(NO_PREVIEW + ".", 300)]}]
    room = MAX_SECTION_CHARS - 2 * len(CODE_FENCE)
    fits = len(_entities(file.preview_text)) <= room
    note = NO_FILES_HERE + ("." if fits else f", cut at {room:,} characters.")
    fenced = code_block(file.preview_text, room)
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": fenced}})
    return [*blocks, {"type": "context", "elements": [_mrkdwn(note, 300)]}]


def _mrkdwn(text: str, limit: int) -> Block:
    return {"type": "mrkdwn", "text": _cut(text, limit)}


def card_text(card: PaperCard) -> str:
    paper = card.paper
    rank = f"{card.rank}. " if card.rank is not None else ""
    lines = [f"*<{paper.hf_url}|{_link_label(rank + ' '.join(paper.title.split()))}>*"]
    if paper.authors:
        lines.append(escape(authors_line(paper.authors, MAX_AUTHORS)))
    if submitted := submission_line(paper, escape):
        lines.append(submitted)
    stats = f"▲ {paper.upvotes} HF {plural('upvote', paper.upvotes)}"
    if paper.hf_daily_date:
        stats += f" · Daily Papers {paper.hf_daily_date:%d %b %Y}"
    lines.append(stats)
    summary = paper.ai_summary or _cut(" ".join(paper.summary.split()), MAX_SUMMARY)
    if summary:
        lines.append(escape(summary))
    links = [f"<{paper.hf_url}|Hugging Face>", f"<{paper.arxiv_url}|arXiv>"]
    links.append(f"<{paper.pdf_url}|PDF>")
    if paper.github_repo:
        links.append(f"<{safe_url(paper.github_repo)}|GitHub>")
    lines.append(" · ".join(links))
    return _cut("\n".join(lines), MAX_SECTION_CHARS)


def render_card(card: PaperCard) -> list[Block]:
    paper = card.paper
    blocks: list[Block] = [{"type": "section", "text": {"type": "mrkdwn", "text": card_text(card)}}]
    if not card.votable:
        return blocks
    blocks.append(
        {
            "type": "context",
            "elements": [_mrkdwn(team_line(card), MAX_HEADER_CHARS)],
        }
    )
    blocks.append(
        {
            "type": "actions",
            "block_id": f"vote|{paper.id}",
            "elements": [
                _button("👍 Up", vote_action_id(paper.id, 1), paper.id),
                _button("👎 Down", vote_action_id(paper.id, -1), paper.id),
                *(
                    _button(ACTION_LABELS[kind], card_action_id(kind, paper.id), paper.id)
                    for kind in ACTION_KINDS
                ),
            ],
        }
    )
    return blocks


ACTION_LABELS: dict[ActionKind, str] = {
    "save": "🔖 Save",
    "discuss": "💬 Discuss",
    "similar": "🔍 Similar",
}


def team_line(card: PaperCard) -> str:
    tally = card.tally
    line = f"Team: 👍 {tally.up} · 👎 {tally.down}"
    replies = replies_line(card)
    return f"{line} · {replies}" if replies else line


def _button(label: str, action_id: str, paper_id: str) -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": paper_id,
    }


def render_voters(part: VoterList) -> list[Block]:
    lines = [f"*{escape(' '.join(part.paper.title.split()))}*"]
    for voter in part.voters:
        mark = "👍" if voter.value > 0 else "👎"
        how = how_voted(voter)
        who = mrkdwn_span(Person(voter.user_id))
        lines.append(f"{mark} {who}  {how}, {voter.at:%Y-%m-%d %H:%M} UTC")
    return _sections("\n".join(lines))


def fallback_text(reply: Reply) -> str:
    """The notification and screen-reader text: the heading or first text, then the titles."""
    lines: list[str] = []
    for part in reply.parts:
        match part:
            case Heading() | Text():
                lines.append(escape("".join(span_text(s) for s in part.spans)))
            case PaperCard(paper=paper) | VoterList(paper=paper):
                lines.append(escape(paper.title))
            case Attachment(title=title):
                lines.append(escape(title))
            case _:
                assert_never(part)
    return _cut("\n".join(lines), MAX_FALLBACK_CHARS) or "paperbot"


def render_reply(reply: Reply) -> SlackMessage:
    blocks = [block for part in reply.parts for block in render_part(part)]
    return SlackMessage(blocks[:MAX_BLOCKS], fallback_text(reply))


def measure(part: Part) -> int:
    """A part's cost against ``MAX_MESSAGE_CHARS``: its characters, or its blocks' share.

    Counting each block as 1/50 of a message makes a message within budget also within 50
    blocks, whichever of the two limits binds first.
    """
    blocks = render_part(part)
    chars = sum(_block_chars(block) for block in blocks)
    return max(chars, BLOCK_COST * len(blocks))


def _block_chars(block: Block) -> int:
    if "text" in block:
        return len(block["text"]["text"])
    return sum(len(e["text"]) if isinstance(e.get("text"), str) else 20 for e in block["elements"])


SLACK_LIMITS = MessageLimits(max_cards=10, max_chars=MAX_MESSAGE_CHARS, measure=measure)
DIGEST_LIMITS = MessageLimits(
    max_chars=MAX_MESSAGE_CHARS, one_card_per_message=True, measure=measure
)
