"""Which reactions count as votes, whatever spelling the platform uses for the emoji.

Slack sends names (``+1``, ``fire::skin-tone-3``), Discord sends the characters themselves
(``👍🏽``, ``❤️``). Both are reduced to one canonical name before the map is consulted.
"""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_REACTION_VALUES: Mapping[str, int] = {
    "thumbsup": 1,
    "fire": 1,
    "star": 1,
    "heart": 1,
    "rocket": 1,
    "thumbsdown": -1,
}

_ALIASES = {
    "+1": "thumbsup",
    "👍": "thumbsup",
    "thumbs_up": "thumbsup",
    "-1": "thumbsdown",
    "👎": "thumbsdown",
    "thumbs_down": "thumbsdown",
    "🔥": "fire",
    "⭐": "star",
    "❤": "heart",
    "red_heart": "heart",
    "🚀": "rocket",
}

_SKIN_TONES = "".join(chr(c) for c in range(0x1F3FB, 0x1F400))
_VARIATION_SELECTORS = "\ufe0e\ufe0f"


def canonical_emoji(emoji: str) -> str:
    """``:+1::skin-tone-2:``, ``+1``, ``👍🏽`` and ``👍`` all become ``thumbsup``."""
    name = emoji.strip().strip(":").split("::", 1)[0].lower()
    name = "".join(ch for ch in name if ch not in _SKIN_TONES and ch not in _VARIATION_SELECTORS)
    return _ALIASES.get(name, name)


def parse_reaction_map(spec: str) -> dict[str, int]:
    """``"thumbsup=1,fire=1,thumbsdown=-1"`` -> a map of canonical names to +1/-1."""
    values: dict[str, int] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        name, _, raw = item.partition("=")  # no "=": raw is "", which is no value
        emoji = canonical_emoji(name)
        if not emoji or raw.strip() not in {"1", "+1", "-1"}:
            raise ValueError(f"{item.strip()!r} should look like fire=1 or thumbsdown=-1")
        if emoji in values:
            raise ValueError(f"{name.strip()!r} is listed twice (as {emoji!r})")
        values[emoji] = int(raw.strip())
    if not values:
        raise ValueError("the reaction map is empty")
    return values


def reaction_value(emoji: str, values: Mapping[str, int]) -> int:
    """+1, -1, or 0 when the emoji is not a vote."""
    return values.get(canonical_emoji(emoji), 0)
