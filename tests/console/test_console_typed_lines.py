"""What a typed line means in the console: a command to the core, a gesture on a card, or quit."""

from __future__ import annotations

import pytest

from adapters.console.translate import (
    GESTURE_USAGE,
    Blank,
    CardAction,
    CardReaction,
    CardVote,
    GestureError,
    Quit,
    translate_line,
)
from bot.model import Invocation


@pytest.mark.parametrize("typed", ["quit", "exit", "/quit", "/exit", ":q", "  QUIT ", "Exit"])
def test_each_quit_word_in_any_case_ends_the_shell(typed: str) -> None:
    assert translate_line(typed, "me") == Quit()


@pytest.mark.parametrize("typed", ["", "   ", "\t"])
def test_an_empty_line_does_nothing(typed: str) -> None:
    assert translate_line(typed, "me") == Blank()


def test_a_command_is_asked_by_the_person_in_the_consoles_one_channel() -> None:
    assert translate_line("  /papers search lora  ", "ada") == Invocation(
        "console", "local", "console", "ada", "/papers search lora"
    )


@pytest.mark.parametrize(
    ("typed", "gesture"),
    [
        ("vote 2 up", CardVote(2, 1)),
        ("VOTE 3 Down", CardVote(3, -1)),
        ("vote 999 down", CardVote(999, -1)),
        ("react 1 :fire:", CardReaction(1, ":fire:", added=True)),
        ("Unreact 4 :eyes:", CardReaction(4, ":eyes:", added=False)),
        ("save 999", CardAction(999, "save")),
        ("Similar 1", CardAction(1, "similar")),
    ],
)
def test_gestures_name_a_card_and_what_to_do_to_it(typed: str, gesture: object) -> None:
    assert translate_line(typed, "me") == gesture


@pytest.mark.parametrize("typed", ["vote", "vote 1000 up", "vote 0 up", "react 1", "vote 1 up now"])
def test_a_gesture_without_a_card_number_in_range_shows_the_usage(typed: str) -> None:
    assert translate_line(typed, "me") == GestureError(f"Usage: {GESTURE_USAGE}")


def test_a_vote_that_is_neither_up_nor_down_says_so() -> None:
    assert translate_line("vote 2 sideways", "me") == GestureError(
        "vote takes up or down, e.g. vote 2 up"
    )
