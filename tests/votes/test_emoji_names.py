"""One key per emoji, whichever platform spelled it: Slack's names, Discord's characters."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import emoji as emoji_data
import pytest
from sqlmodel import update

from bot.votes.emoji import (
    DEFAULT_REACTION_VALUES,
    DEFAULT_REACTIONS,
    canonical_emoji,
    parse_reaction_map,
    reaction_value,
)
from bot.votes.export import write_votes
from bot.votes.opinion import Mark, load_reactions
from storage.db import Database
from storage.tables import VoteRow
from storage.votes import export_votes
from tests.votes.helpers import PAPERS, T0, open_desk

P1 = PAPERS[0]


@pytest.mark.parametrize(
    ("key", "spellings"),
    [
        (
            "👍",
            ["thumbsup", "+1", ":+1:", "thumbs_up", "+1::skin-tone-4", ":thumbsup::skin-tone-2:"],
        ),
        ("👍", ["👍", "👍🏽", "👍🏿\ufe0f", " 👍 "]),
        ("👎", ["thumbsdown", "-1", "-1::skin-tone-3", "👎", "👎🏻"]),
        ("❤️", ["heart", "red_heart", ":heart:", "❤", "❤️"]),
        ("⭐", ["star", "⭐"]),
        ("🔥", ["fire", "fire::skin-tone-2", "🔥"]),
        ("🚀", ["rocket", "🚀"]),
        ("🎉", ["tada", ":tada:", "🎉"]),
        ("👀", ["eyes", "👀"]),
        ("🇺🇸", ["flag-us", "us", "🇺🇸"]),  # Slack spells country flags flag-xx
    ],
)
def test_every_spelling_of_an_emoji_has_one_key(key: str, spellings: list[str]) -> None:
    assert {canonical_emoji(spelling) for spelling in spellings} == {key}


@pytest.mark.parametrize(
    ("key", "variants"),
    [
        (
            "🙋",
            [
                "raising_hand",
                "woman-raising-hand",  # Slack
                "man-raising-hand::skin-tone-5",
                "🙋‍♀️",  # Discord: ZWJ and the female sign
                "🙋🏽‍♂️",
                "🙋",
            ],
        ),
        ("🧑‍💻", ["technologist", "female-technologist", "man_technologist", "👩‍💻", "👨🏾‍💻"]),
        ("🏃‍➡️", ["🏃‍♀️‍➡️", "🏃🏻‍♂‍➡"]),  # the gender is not always last
    ],
)
def test_skin_tones_and_genders_count_as_their_base_emoji(key: str, variants: list[str]) -> None:
    assert {canonical_emoji(variant) for variant in variants} == {key}


def test_sequences_that_only_look_gendered_stay_themselves() -> None:
    family = "👨‍👩‍👦"  # no 🧑‍👩‍👦 exists to fold it into
    assert canonical_emoji(family) == canonical_emoji("family_man_woman_boy") == family
    assert canonical_emoji("♀️") == canonical_emoji("female_sign") == "♀️"


def test_a_custom_emoji_is_its_lower_case_name() -> None:
    assert canonical_emoji("partyparrot") == "partyparrot"
    assert canonical_emoji(":PartyParrot:") == "partyparrot"
    assert canonical_emoji("party-parrot::skin-tone-2") == "party-parrot"


def test_every_emoji_the_library_knows_has_a_name_with_its_key_and_keys_are_stable() -> None:
    """Both ways for all of them: the character Discord sends and a name of it (with
    underscores or, as Slack writes many, hyphens) give the same key, which maps to itself. A
    name may stand for another emoji: the library's beetle is 🐞 as on GitHub, and 🪲 has no other
    name."""
    unnamed = []
    for character, data in emoji_data.EMOJI_DATA.items():
        key = canonical_emoji(character)
        assert canonical_emoji(key) == key, character
        names = [n.strip(":") for n in (data["en"], *data.get("alias", []))]
        named = [name for name in names if canonical_emoji(name) == key]
        for name in (name for name in named if "-" not in name):
            assert canonical_emoji(name.replace("_", "-")) == key, (character, name)
        if not named:
            unnamed.append(character)
    assert unnamed == ["🪲"]


def test_the_default_reactions_are_the_same_six() -> None:
    assert DEFAULT_REACTION_VALUES == {"👍": 1, "🔥": 1, "⭐": 1, "❤️": 1, "🚀": 1, "👎": -1}
    assert parse_reaction_map(DEFAULT_REACTIONS) == DEFAULT_REACTION_VALUES
    for up in ("👍", "+1", "thumbsup", "🔥", "fire", "⭐", "star", "❤️", "heart", "🚀", "rocket"):
        assert reaction_value(up, DEFAULT_REACTION_VALUES) == 1
    for down in ("👎", "-1", "thumbsdown", "👎🏾"):
        assert reaction_value(down, DEFAULT_REACTION_VALUES) == -1
    for other in ("🎉", "tada", "👀", "eyes", "partyparrot"):
        assert reaction_value(other, DEFAULT_REACTION_VALUES) == 0


@pytest.mark.parametrize(
    ("spec", "reactions"),
    [
        ("tada=1", ["tada", "🎉", ":tada:"]),
        ("🎉=1", ["tada", "🎉"]),
        ("eyes=1", ["eyes", "👀"]),
        ("👀=1", ["eyes", "👀"]),
        ("raising_hand=1", ["woman-raising-hand", "🙋‍♀️", "🙋🏽"]),
        ("🙋‍♂️=1", ["raising_hand", "🙋"]),
        ("partyparrot=1", ["partyparrot", ":PartyParrot:"]),
    ],
)
def test_a_setting_by_name_or_character_counts_either_spelling(
    spec: str, reactions: list[str]
) -> None:
    values = parse_reaction_map(spec)
    assert [reaction_value(r, values) for r in reactions] == [1] * len(reactions)


def test_a_setting_may_not_list_one_emoji_twice_in_two_spellings() -> None:
    with pytest.raises(ValueError, match=r"^'👀' is listed twice \(as '👀'\)$"):
        parse_reaction_map("eyes=1, 👀=-1")


def test_stored_names_read_as_todays_keys_and_the_newer_mark_wins() -> None:
    """Rows written while keys were names (thumbsup) hold those names."""
    at, later = T0.isoformat(), (T0 + timedelta(seconds=1)).isoformat()
    raw = json.dumps({"thumbsup": [True, at], "👍": [False, later], "fire": [True, at]})
    assert load_reactions(raw) == {
        "👍": Mark(False, T0 + timedelta(seconds=1)),
        "🔥": Mark(True, T0),
    }
    tie = json.dumps({"heart": [True, at], "❤️": [False, at]})
    assert load_reactions(tie) == {"❤️": Mark(False, T0)}  # on a tie, the removal


async def test_a_reaction_stored_under_its_old_name_still_counts(db: Database) -> None:
    desk = await open_desk(db)
    await desk.send(desk.react("U1", P1, "fire", at=T0))
    legacy = json.dumps({"fire": [True, T0.isoformat()]})  # as the row was written before
    db.write_now(lambda s: s.execute(update(VoteRow).values(reactions=legacy, emoji="fire")))
    await desk.send(desk.react("U1", P1, "👎", at=T0 + timedelta(seconds=1)))
    assert (desk.tally(P1).up, desk.tally(P1).down) == (0, 1)
    await desk.send(desk.react("U1", P1, "👎", added=False, at=T0 + timedelta(seconds=2)))
    assert (desk.tally(P1).up, desk.tally(P1).down) == (1, 0)  # the 🔥 is still on


async def test_a_vote_stored_under_its_old_name_exports_its_character(db: Database) -> None:
    desk = await open_desk(db)
    await desk.send(desk.react("U1", P1, "-1"))
    db.write_now(lambda s: s.execute(update(VoteRow).values(emoji="thumbsdown")))
    out = io.StringIO()
    db.read_now(lambda s: write_votes(export_votes(s), "json", out))
    assert [vote["emoji"] for vote in json.loads(out.getvalue())] == ["👎"]
