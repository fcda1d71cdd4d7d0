"""The opinion rules alone: toggles, switches, reactions in and out of order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.votes.emoji import (
    DEFAULT_REACTION_VALUES,
    canonical_emoji,
    parse_reaction_map,
    reaction_value,
)
from bot.votes.opinion import Opinion

T = datetime(2026, 1, 1, tzinfo=UTC)
V = DEFAULT_REACTION_VALUES


def at(seconds: float) -> datetime:
    return T + timedelta(seconds=seconds)


def test_same_button_twice_takes_the_vote_back_and_the_other_switches() -> None:
    up = Opinion().click(1, at(1), V)
    assert up.decide(V).value == 1
    assert up.click(1, at(2), V).decide(V).value == 0
    assert up.click(-1, at(2), V).decide(V).value == -1


def test_removing_the_reaction_removes_the_vote() -> None:
    added = Opinion().react("🔥", True, at(1))
    assert added is not None
    assert added.decide(V).value == 1
    removed = added.react("🔥", False, at(2))
    assert removed is not None
    assert removed.decide(V).value == 0


def test_remove_that_overtakes_its_add_wins() -> None:
    removed_first = Opinion().react("🔥", False, at(2))
    assert removed_first is not None
    assert removed_first.react("🔥", True, at(1)) is None  # the older add is stale
    assert removed_first.decide(V).value == 0


def test_the_newest_present_reaction_decides() -> None:
    o = Opinion()
    for emoji, added, t in [("🔥", True, 1), ("👎", True, 2), ("👎", False, 3)]:
        nxt = o.react(emoji, added, at(t))
        assert nxt is not None
        o = nxt
    assert o.decide(V).value == 1  # 🔥 is still on the card


def test_a_click_after_a_reaction_overrides_it() -> None:
    o = Opinion().react("🔥", True, at(1))
    assert o is not None
    assert o.click(1, at(2), V).decide(V).value == 0  # 👍 again = take the vote back


def test_emoji_spellings_are_normalised() -> None:
    for spelling in ("+1", ":+1:", "+1::skin-tone-4", "👍", "👍🏽", "thumbsup"):
        assert canonical_emoji(spelling) == "👍"
    assert canonical_emoji("❤") == canonical_emoji("heart") == "❤️"
    assert canonical_emoji("fire::skin-tone-2") == "🔥"
    assert canonical_emoji(":Xray:") == "xray"  # a custom emoji keeps every letter of its name


def test_a_reaction_is_worth_its_maps_value_in_any_spelling_and_nothing_when_unmapped() -> None:
    assert reaction_value("👍🏽", V) == 1
    assert reaction_value(":-1:", V) == -1
    assert reaction_value("eyes", V) == 0


def test_reaction_map_parses_and_rejects_nonsense() -> None:
    assert parse_reaction_map("tada=1, 👎=-1") == {"🎉": 1, "👎": -1}
    for bad in ("tada", "tada=2", "", "fire==1", "=1"):
        try:
            parse_reaction_map(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


def test_reaction_map_skips_empty_items_and_reads_plus_one_as_up() -> None:
    assert parse_reaction_map("fire=+1,, thumbsdown=-1,") == {"🔥": 1, "👎": -1}


def test_reaction_map_errors_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match=r"^'fire=2' should look like fire=1 or thumbsdown=-1$"):
        parse_reaction_map("tada=1, fire=2 ")
    with pytest.raises(ValueError, match=r"^'🔥' is listed twice \(as '🔥'\)$"):
        parse_reaction_map("fire=1, 🔥 =-1")
    with pytest.raises(ValueError, match=r"^the reaction map is empty$"):
        parse_reaction_map(" , ")


def test_thumbs_up_and_down_at_the_same_instant_decide_the_same_in_any_arrival_order() -> None:
    def both(first: str, second: str) -> Opinion:
        opinion: Opinion | None = Opinion()
        for emoji in (first, second):
            assert opinion is not None
            opinion = opinion.react(emoji, True, at(1))
        assert opinion is not None
        return opinion

    assert both("👍", "👎").decide(V) == both("👎", "👍").decide(V)
