"""Every reply is split to the platform's limits by one core function."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.model import Paper
from bot.reply import Heading, PaperCard, Part, Reply, Text
from bot.reply_split import MessageLimits, neutral_size, split_reply


def twenty_cards() -> Reply:
    cards = [PaperCard(Paper(f"2606.{i:05d}", f"Paper {i}"), rank=i) for i in range(1, 21)]
    return Reply((Heading("Trending today"), Text("20 papers"), *cards))


def cards_of(message: Reply) -> list[PaperCard]:
    return [p for p in message.parts if isinstance(p, PaperCard)]


@pytest.mark.parametrize(("per_message", "messages"), [(10, 2), (3, 7), (1, 20)])
def test_twenty_cards_fill_messages_of_at_most_max_cards_in_order(
    per_message: int, messages: int
) -> None:
    split = split_reply(twenty_cards(), MessageLimits(max_cards=per_message))

    assert len(split) == messages
    assert all(len(cards_of(m)) <= per_message for m in split)
    ranks = [card.rank for m in split for card in cards_of(m)]
    assert ranks == list(range(1, 21))
    assert split[0].parts[:2] == (Heading("Trending today"), Text("20 papers"))
    assert split[1].parts[0] == Heading(f"Trending today (continued, 2/{messages})")


def test_a_reply_within_limits_is_one_message_unchanged() -> None:
    reply = twenty_cards()
    assert split_reply(reply, MessageLimits(max_cards=20)) == [reply]
    assert split_reply(reply, MessageLimits()) == [reply]


def test_one_card_a_message_sends_the_header_alone_then_each_card() -> None:
    split = split_reply(twenty_cards(), MessageLimits(one_card_per_message=True))

    assert len(split) == 21
    assert cards_of(split[0]) == []
    assert all(len(cards_of(m)) == 1 for m in split[1:])
    assert not any(isinstance(p, Heading) for m in split[1:] for p in m.parts)


def test_messages_stay_within_a_character_budget() -> None:
    long = "word " * 300
    cards = [
        PaperCard(Paper(f"2606.{i:05d}", f"Paper {i}", summary=long), rank=i) for i in range(1, 21)
    ]
    reply = Reply((Heading("Search"), *cards))
    limits = MessageLimits(max_cards=10, max_chars=4_000)

    split = split_reply(reply, limits)

    assert all(sum(neutral_size(p) for p in m.parts) <= 4_000 for m in split)
    assert [c.paper.id for m in split for c in cards_of(m)] == [c.paper.id for c in cards]


def test_a_card_longer_than_a_whole_message_is_cut_to_fit() -> None:
    huge = Paper("2606.00001", "A title", summary="x " * 5_000, ai_summary="y " * 3_000)
    reply = Reply((PaperCard(huge, rank=1),))

    (message,) = split_reply(reply, MessageLimits(max_chars=2_000))

    (card,) = cards_of(message)
    assert neutral_size(card) <= 2_000
    assert card.paper.id == "2606.00001"
    assert card.paper.title == "A title"
    assert card.paper.summary.endswith("…")


def test_private_and_outcome_survive_the_split() -> None:
    reply = replace(twenty_cards(), private=True)
    assert all(m.private for m in split_reply(reply, MessageLimits(max_cards=3)))


def test_an_adapter_measure_decides_what_fits() -> None:
    def cost(part: Part) -> int:  # a made-up platform where a card costs 25 units, text 1
        return 25 if isinstance(part, PaperCard) else 1

    split = split_reply(twenty_cards(), MessageLimits(max_chars=200, measure=cost))
    assert all(sum(cost(p) for p in m.parts) <= 200 for m in split)
    assert all(len(cards_of(m)) >= 7 for m in split[:-1])  # full, not one card a message
    assert sum(len(cards_of(m)) for m in split) == 20
