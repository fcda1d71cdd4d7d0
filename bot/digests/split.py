"""Split a reply into messages that each fit the platform's limits (Slack: 50 blocks; Discord:
10 embeds), so a long digest goes out as several posts instead of being refused."""

from __future__ import annotations

from bot.ports import MessageLimits
from bot.reply import Heading, PaperCard, Part, Reply


def split_reply(reply: Reply, limits: MessageLimits) -> list[Reply]:
    """The first message keeps everything before the first card; later ones get a heading
    that says they continue it. Cards keep their order and ranks."""
    per_message = limits.max_cards
    cards = sum(1 for part in reply.parts if isinstance(part, PaperCard))
    if per_message is None or cards <= per_message:
        return [reply]
    if per_message < 1:
        raise ValueError("a message must be able to carry at least one card")
    title = next((p.text for p in reply.parts if isinstance(p, Heading)), "Digest")
    total = -(-cards // per_message)
    chunks: list[list[Part]] = [[]]
    in_chunk = 0
    for part in reply.parts:
        if isinstance(part, PaperCard):
            if in_chunk == per_message:
                chunks.append([Heading(f"{title} (continued, {len(chunks) + 1}/{total})")])
                in_chunk = 0
            in_chunk += 1
        chunks[-1].append(part)
    return [Reply(tuple(parts), reply.outcome, reply.private) for parts in chunks]
