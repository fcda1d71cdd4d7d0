"""Neutral reply -> Discord message (content, embeds, vote buttons). Pure: nothing is sent here.

Every ``str`` span and every piece of paper text is escaped for Discord markdown, so a query like
``*bold* <@123>`` shows exactly as typed and cannot mention anyone. ``Person`` spans become
``<@id>`` mentions, and ``ALLOWED_MENTIONS`` keeps every message from pinging @everyone, roles or
even the users it names (a voter list should not notify its voters).

Limits (docs/architecture.md, "Discord adapter"): 10 embeds, 4,096 characters an embed
description, 6,000 characters of embeds a message, 2,000 of content, 5 rows of 5 buttons (a row
a card: 👍, 👎, Save, Discuss, Similar). Each card is an embed whose description is bounded
by construction; ``measure`` is the exact size a part adds, so the core's splitter keeps a
message within ``DISCORD_LIMITS``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import assert_never
from urllib.parse import quote

import discord

from adapters.discord.buttons import CardActionButton, VoteButton
from bot.facade import ACTION_KINDS, MessageLimits
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
    paper_facts,
    plural,
    replies_line,
    submission_line,
)

MAX_EMBEDS = 10
MAX_DESCRIPTION = 4096
MAX_CONTENT = 2000
MAX_TITLE = 256
MAX_MESSAGE_EMBED_CHARS = 6000
MAX_ROWS = 5  # of at most 5 buttons each
# A card's row: 👍, 👎, Save, Discuss and Similar, so a message holds as many cards as rows.
MAX_CARDS = MAX_ROWS
MAX_AUTHORS = 6
MAX_AUTHOR_CHARS = 80
MAX_SUMMARY = 700
MAX_KEYWORDS = 8
MAX_URL = 300
CARD_COLOUR = 0xFFD21E  # Hugging Face yellow
TEXT_COLOUR = 0x5865F2

ALLOWED_MENTIONS = discord.AllowedMentions(
    everyone=False, users=False, roles=False, replied_user=False
)

_MARKDOWN = str.maketrans({char: "\\" + char for char in "\\*_~`|<>#-[]()@"})


def escape(text: str) -> str:
    """Literal text for Discord: every markdown or mention character is backslash-escaped (by
    ``str.translate``: a regex substitution per character took seconds on a long summary)."""
    return text.translate(_MARKDOWN)


def _safe_url(url: str) -> str:
    """A URL that cannot end a markdown link early: spaces and parentheses are percent-encoded."""
    return quote(url[:MAX_URL], safe=":/?#[]@!$&'*+,;=%~-._")


def link(url: str, label: str) -> str:
    return f"[{escape(label)}]({_safe_url(url)})"


def render_spans(spans: tuple[Span, ...]) -> str:
    out: list[str] = []
    for span in spans:
        match span:
            case str():
                out.append(escape(span))
            case Code(text=text) if "\n" in text:  # a code block
                out.append("```\n" + text.replace("```", "ˋˋˋ") + "\n```")
            case Code(text=text):
                out.append("`" + text.replace("`", "ˋ") + "`" if text else "")
            case Person(user_id=user_id):
                out.append(f"<@{user_id}>" if user_id.isdigit() else escape(f"@{user_id}"))
            case Link(url=url, label=label):
                out.append(link(url, label) if label else f"<{_safe_url(url)}>")
            case _:
                assert_never(span)
    return "".join(out)


def escape_within(text: str, limit: int) -> str:
    """``text`` on one line, escaped, and cut (with "…") so the escaped form fits ``limit``.

    Escaping can double a text's length (``***`` -> ``\\*\\*\\*``), so shortening before
    escaping would not bound what Discord counts.
    """
    escaped = escape(" ".join(text.split()))
    if len(escaped) <= limit:
        return escaped
    out: list[str] = []
    size = 0
    for char in " ".join(text.split()):
        piece = escape(char)
        if size + len(piece) > limit - 1:
            break
        out.append(piece)
        size += len(piece)
    return "".join(out).rstrip() + "…"


def _fitting_url(url: str | None) -> str | None:
    """``url`` made safe, or None when that is longer than ``MAX_URL`` (a cut URL is broken)."""
    if not url:
        return None
    safe = quote(url, safe=":/?#[]@!$&'*+,;=%~-._")
    return safe if len(safe) <= MAX_URL else None


def render_text_part(part: Heading | Text | VoterList | Attachment) -> str:
    match part:
        case Heading(spans=spans):
            return f"**{render_spans(spans)}**"
        case Text(spans=spans, tone=tone):
            text = render_spans(spans)
            if tone == "muted":
                return "\n".join(
                    f"-# {line}" if line.strip() else line for line in text.split("\n")
                )
            return f"⚠️ {text}" if tone == "error" else text
        case VoterList(paper=paper, voters=voters):
            lines = [f"**{escape_within(paper.title, MAX_TITLE)}**"]
            for voter in voters:
                mark = "👍" if voter.value > 0 else "👎"
                how = how_voted(voter, name=str)
                who = render_spans((Person(voter.user_id),))
                lines.append(f"{mark} {who} · {escape(how)} · <t:{int(voter.at.timestamp())}:R>")
            return "\n".join(lines)
        case Attachment(title=title):  # the file itself goes with the message (``files``)
            return f"📎 {escape_within(title, MAX_TITLE)}"
        case _:
            assert_never(part)


def render_file(file: Attachment) -> discord.File:
    """A message attachment: discord.py sends it as ``files[n]`` of a multipart body beside
    ``payload_json``. A new ``File`` each time: one is read once when sent."""
    return discord.File(io.BytesIO(file.content), filename=file.filename, description=file.title)


def author_name(author: str) -> str:
    return escape_within(author, MAX_AUTHOR_CHARS)


def card_title(card: PaperCard) -> str:
    """The rank and the escaped title, within Discord's 256 characters of an embed title."""
    prefix = f"{card.rank}. " if card.rank is not None else ""
    return prefix + escape_within(card.paper.title, MAX_TITLE - len(prefix))


def card_description(card: PaperCard) -> str:
    """Authors, submitter, HF upvotes, summary, keywords and links; under 4,096 characters by
    construction.

    Every piece has a bound after escaping: authors ~520, organization and submitter ~360 (two
    names of ``MAX_OWNER_NAME``), stats ~150, summary 700, keywords ~370 and at most five links
    of ``MAX_URL`` characters (~1,600), about 3,750 in all.
    """
    paper = card.paper
    lines: list[str] = []
    if paper.authors:
        authors = authors_line(paper.authors, MAX_AUTHORS, author_name)
        lines.append(f"*{authors}*")
    if submitted := submission_line(paper, escape):
        lines.append(f"-# {submitted}")
    upvotes = f"▲ **{paper.upvotes}** {plural('upvote', paper.upvotes)} on Hugging Face"
    lines.append(" · ".join((upvotes, *paper_facts(paper))))
    summary = paper.ai_summary or paper.summary
    if summary:
        lines.append("\n" + escape_within(summary, MAX_SUMMARY))
    if paper.ai_keywords:
        keywords = (escape_within(k, 40) for k in paper.ai_keywords[:MAX_KEYWORDS])
        lines.append("-# " + " · ".join(keywords))
    targets = [
        (paper.hf_url, "Hugging Face"), (paper.arxiv_url, "arXiv"), (paper.pdf_url, "PDF"),
        (paper.github_repo, "GitHub"), (paper.project_page, "Project page"),
    ]  # fmt: skip
    fitting = ((_fitting_url(url), label) for url, label in targets)
    links = [f"[{label}]({url})" for url, label in fitting if url is not None]
    lines.append("\n" + " · ".join(links))
    return "\n".join(lines)


def card_footer(card: PaperCard) -> str:
    footer = f"arXiv {card.paper.id}"
    if card.votable:
        footer += f" · team votes 👍 {card.tally.up}  👎 {card.tally.down}"
    if replies := replies_line(card):
        footer += f" · {replies}"
    return footer


def render_card(card: PaperCard) -> discord.Embed:
    paper = card.paper
    embed = discord.Embed(
        title=card_title(card),
        url=_fitting_url(paper.hf_url),
        description=card_description(card),
        colour=CARD_COLOUR,
    )
    embed.set_footer(text=card_footer(card))
    if thumbnail := _fitting_url(paper.thumbnail):
        embed.set_thumbnail(url=thumbnail)
    return embed


def measure(part: Part) -> int:
    """Characters ``part`` adds to a message, as Discord counts them (exact for cards)."""
    match part:
        case PaperCard():
            return len(render_card(part))
        case Heading() | Text() | VoterList() | Attachment():
            return len(render_text_part(part)) + 1
        case _:
            assert_never(part)


DISCORD_LIMITS = MessageLimits(
    max_cards=MAX_CARDS, max_chars=MAX_MESSAGE_EMBED_CHARS - 100, measure=measure
)
DIGEST_LIMITS = MessageLimits(
    max_cards=1, max_chars=MAX_MESSAGE_EMBED_CHARS - 100, one_card_per_message=True, measure=measure
)


@dataclass(slots=True)
class DiscordMessage:
    """What to pass to ``send``/``edit``: content, embeds, the vote buttons and any files."""

    content: str = ""
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None
    files: list[discord.File] = field(default_factory=list)

    def send_kwargs(self) -> dict[str, object]:
        kwargs: dict[str, object] = {
            "content": self.content or None,
            "embeds": self.embeds,
            "allowed_mentions": ALLOWED_MENTIONS,
        }
        if self.view is not None:
            kwargs["view"] = self.view
        if self.files:  # only on a new message: a message with a file is never edited
            kwargs["files"] = self.files
        return kwargs


def render_reply(reply: Reply) -> DiscordMessage:
    """One message of a reply (already split to ``DISCORD_LIMITS``)."""
    texts = [render_text_part(p) for p in reply.parts if not isinstance(p, PaperCard)]
    cards = [p for p in reply.parts if isinstance(p, PaperCard)][:MAX_EMBEDS]
    message = DiscordMessage()
    text = "\n".join(texts)
    if len(text) <= MAX_CONTENT:
        message.content = text
    else:  # too long for content: a plain embed holds up to 4,096 characters
        message.embeds.append(
            discord.Embed(description=_cut(text, MAX_DESCRIPTION), colour=TEXT_COLOUR)
        )
    message.embeds += [render_card(card) for card in cards[: MAX_EMBEDS - len(message.embeds)]]
    votable = [card for card in cards if card.votable]
    if votable:
        message.view = vote_view(votable)
    message.files = [render_file(file) for file in reply.attachments]
    return message


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def vote_view(cards: list[PaperCard]) -> discord.ui.View:
    """A row per card: 👍/👎 with their counts, then Save, Discuss and Similar; each button's
    custom_id alone says what it does."""
    view = discord.ui.View(timeout=None)
    for row, card in enumerate(cards[:MAX_ROWS]):
        rank = f"#{card.rank} · " if card.rank is not None else ""
        for value in (1, -1):
            count = card.tally.up if value > 0 else card.tally.down
            view.add_item(VoteButton(card.paper.id, value, f"{rank}{count}", row))
        for kind in ACTION_KINDS:
            view.add_item(CardActionButton(kind, card.paper.id, row))
    return view
