"""Which reactions count as votes, whatever spelling the platform uses for the emoji.

Slack sends names (``+1``, ``fire::skin-tone-3``, ``woman-raising-hand``), Discord the
characters themselves (``👍🏽``, ``❤️``, ``🙋‍♀️``), and ``PAPERBOT_VOTE_REACTIONS`` may use
either. All are reduced to one key before the map is consulted: the emoji's character without
skin tone or gender, as the ``emoji`` library writes it (``👍``, ``❤️``, ``🙋``), so a reaction
counts the same on every platform. A custom emoji, which only has a name, is its lower-case name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import Any, NamedTuple

_SKIN_TONES = frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))
_VARIATION_SELECTORS = frozenset("\ufe0e\ufe0f")
_ZWJ = "\u200d"  # joins the emoji of a sequence: 🙋 ZWJ ♀ is a woman raising her hand
_GENDER_SIGNS = frozenset("\u2640\u2642")  # ♀ ♂
_MAN_WOMAN = frozenset("\U0001f468\U0001f469")  # 👨 👩, gendered forms of 🧑 in a sequence
_PERSON = "\U0001f9d1"  # 🧑


def _plain(characters: str) -> str:
    return "".join(c for c in characters if c not in _SKIN_TONES and c not in _VARIATION_SELECTORS)


class _Library(NamedTuple):
    """The ``emoji`` library's data and the lookups built from it."""

    data: Mapping[str, Any]  # character -> its names, status, ...
    english: dict[str, str]  # its English names alone
    named: dict[str, str]  # with its aliases (GitHub's and Slack's: +1, tada)
    named_lower: dict[str, str]  # the lower-case spellings of those (Statue_of_Liberty)
    known: frozenset[str]  # every emoji, without skin tone or variation selector


@cache
def _library() -> _Library:
    """The library's names of its emoji (fully qualified); aliases win as in
    ``emojize(language="alias")``. Built once: ``emojize`` searches the whole list for each
    name. Loaded at the first reaction or vote setting to read, not at import: a start with
    the default votes (``paperbot ask``, the shell) never loads the library's tables."""
    import emoji as emoji_data

    english: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for character, data in emoji_data.EMOJI_DATA.items():
        if data["status"] <= emoji_data.STATUS["fully_qualified"]:  # or a component
            english.setdefault(data["en"].strip(":"), character)
            for alias in data.get("alias", ()):
                aliases.setdefault(alias.strip(":"), character)
    named = english | aliases
    lower = {name.lower(): character for name, character in named.items()}
    lower |= {name: c for name, c in named.items() if name.islower()}
    known = frozenset(_plain(e) for e in emoji_data.EMOJI_DATA)
    return _Library(emoji_data.EMOJI_DATA, english, named, lower, known)


def _base(characters: str) -> str:
    """The emoji without skin tone, variation selector or gender: 🙋🏽‍♀️ -> 🙋, 👩‍💻 -> 🧑‍💻."""
    head, *rest = _plain(characters).split(_ZWJ)
    rest = [part for part in rest if part not in _GENDER_SIGNS]
    if rest and head in _MAN_WOMAN and _ZWJ.join([_PERSON, *rest]) in _library().known:
        head = _PERSON
    return _ZWJ.join([head, *rest])


def _named(name: str) -> str | None:
    """The emoji a Slack-style name stands for, or None for a custom emoji's name."""
    library = _library()
    for spelling in (name, name.replace("-", "_")):  # Slack: woman-raising-hand
        if found := library.named.get(spelling) or library.named_lower.get(spelling.lower()):
            return found
    name = name.lower()
    # Two more of Slack's spellings the library has no alias for: flag-us (the two regional
    # indicator letters) and male-technologist / female-technologist (man_ / woman_).
    if flag := re.fullmatch("flag-([a-z]{2})", name):
        return "".join(chr(0x1F1E6 + ord(letter) - ord("a")) for letter in flag[1])
    if gendered := re.fullmatch("(fe)?male[-_](.+)", name):
        return _named(("woman_" if gendered[1] else "man_") + gendered[2])
    return None


@lru_cache(maxsize=4096)
def canonical_emoji(emoji: str) -> str:
    """``:+1::skin-tone-2:``, ``+1``, ``thumbsup``, ``👍🏽`` and ``👍`` all become ``👍``."""
    from emoji import purely_emoji

    text = _base(emoji.strip())
    if not purely_emoji(text):  # a name: Slack's, a custom emoji's, or a setting's
        name = text.strip(":").split("::", 1)[0]
        found = _named(name)
        if found is None:
            return name.lower()
        text = _base(found)
    # The library's own spelling, with the variation selectors that make it draw as an emoji
    # (❤️, not the text-style ❤); one it does not know (newer than it) stays as it came.
    library = _library()
    data = library.data.get(text)
    return library.english[data["en"].strip(":")] if data else text


def parse_reaction_map(spec: str) -> dict[str, int]:
    """``"thumbsup=1,fire=1,thumbsdown=-1"`` -> a map of canonical emoji to +1/-1."""
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


DEFAULT_REACTIONS = "thumbsup=1,fire=1,star=1,heart=1,rocket=1,thumbsdown=-1"
# parse_reaction_map(DEFAULT_REACTIONS), written out (tests/votes check it): reading it at import
# would load the emoji library into every process.
DEFAULT_REACTION_VALUES: Mapping[str, int] = {"👍": 1, "🔥": 1, "⭐": 1, "❤️": 1, "🚀": 1, "👎": -1}


def reaction_value(emoji: str, values: Mapping[str, int]) -> int:
    """+1, -1, or 0 when the emoji is not a vote."""
    return values.get(canonical_emoji(emoji), 0)
