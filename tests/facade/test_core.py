"""The facade adapters use: replies go out split and recorded, votes come back as whole messages."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import ButtonVote, Core, Effect, Invocation, MessageLimits, ReactionChange
from bot.model import Tally
from bot.reply import PaperCard, Reply

AT = datetime(2026, 6, 13, 10, tzinfo=UTC)


class Channel:
    """A recording stand-in for a platform channel: numbers each message it is sent."""

    def __init__(self, refer: bool = True) -> None:
        self.messages: dict[str, Reply] = {}
        self._refer = refer
        self._ids = itertools.count(1)

    async def deliver(self, message: Reply) -> str | None:
        ref = f"m{next(self._ids)}"
        self.messages[ref] = message
        return ref if self._refer else None

    def with_cards(self) -> list[str]:
        return [ref for ref, message in self.messages.items() if message.papers]


def asking(text: str, user: str = "U1") -> Invocation:
    return Invocation("test", "T1", "C1", user, text)


@pytest.fixture
def core(deps: Deps, dispatcher: Dispatcher) -> Core:
    return Core(deps, dispatcher)


def cards(message: Reply) -> list[PaperCard]:
    return [p for p in message.parts if isinstance(p, PaperCard)]


async def test_a_reply_is_delivered_split_to_the_adapters_limits(core: Core) -> None:
    channel = Channel()
    reply = await core.handle_command(asking("today 7"), channel.deliver, MessageLimits(3))

    assert len(reply.papers) == 7
    assert [len(m.papers) for m in channel.messages.values()] == [3, 3, 1]


async def test_a_click_rebuilds_the_whole_message_with_every_card_in_order(core: Core) -> None:
    channel = Channel()
    await core.handle_command(asking("today 5"), channel.deliver, MessageLimits())
    (ref,) = channel.with_cards()
    shown = cards(channel.messages[ref])
    third = shown[2].paper.id

    outcome = await core.handle_vote(ButtonVote("test", "T1", "C1", "U2", third, 1, "e1", AT, ref))

    assert outcome.result.effect is Effect.RECORDED
    (update,) = outcome.updates
    assert update.message_ref == ref
    rebuilt = cards(update.message)
    assert [(c.paper.id, c.rank) for c in rebuilt] == [(c.paper.id, c.rank) for c in shown]
    assert [c.tally for c in rebuilt] == [Tally(), Tally(), Tally(up=1), Tally(), Tally()]
    assert update.message.parts[0] == channel.messages[ref].parts[0]  # the heading too


async def test_a_reaction_counts_on_a_sent_message_without_the_adapter_remembering_it(
    core: Core,
) -> None:
    channel = Channel()
    limits = MessageLimits(one_card_per_message=True)
    await core.handle_command(asking("today 2"), channel.deliver, limits)
    first = channel.with_cards()[0]

    outcome = await core.handle_vote(
        ReactionChange("test", "T1", "C1", first, "U2", "fire", True, "e1", AT)
    )

    assert outcome.result.effect is Effect.RECORDED
    (update,) = outcome.updates
    assert cards(update.message)[0].tally == Tally(up=1)


async def test_a_reaction_on_a_message_of_several_papers_is_not_a_vote(core: Core) -> None:
    channel = Channel()
    await core.handle_command(asking("today 3"), channel.deliver, MessageLimits())
    (ref,) = channel.with_cards()

    outcome = await core.handle_vote(
        ReactionChange("test", "T1", "C1", ref, "U2", "fire", True, "e1", AT)
    )

    assert outcome.result.effect is Effect.IGNORED
    assert outcome.updates == ()


async def test_messages_without_a_reference_are_not_recorded_but_clicks_still_count(
    core: Core,
) -> None:
    ephemeral = Channel(refer=False)
    await core.handle_command(asking("today 1"), ephemeral.deliver, MessageLimits())
    (message,) = ephemeral.messages.values()
    paper = message.papers[0].id

    click = ButtonVote("test", "T1", "C1", "U2", paper, -1, "e1", AT, "never-recorded")
    outcome = await core.handle_vote(click)

    assert outcome.result.effect is Effect.RECORDED
    assert outcome.updates == ()
    assert outcome.card is not None
    assert outcome.card.tally == Tally(down=1)


async def test_a_replayed_event_changes_nothing_and_updates_nothing(core: Core) -> None:
    channel = Channel()
    await core.handle_command(asking("today 1"), channel.deliver, MessageLimits())
    (ref,) = channel.with_cards()
    paper = channel.messages[ref].papers[0].id
    click = ButtonVote("test", "T1", "C1", "U2", paper, 1, "same-id", AT, ref)

    await core.handle_vote(click)
    again = await core.handle_vote(click)

    assert again.result.effect is Effect.DUPLICATE
    assert again.updates == ()


class LockedRecorder:
    """A vote recorder whose database stays locked past its busy timeout."""

    async def record(self, event: object) -> object:
        raise RuntimeError("database is locked")


async def test_a_vote_the_database_cannot_take_comes_back_failed_not_raised(
    deps: Deps, dispatcher: Dispatcher
) -> None:
    core = Core(deps, dispatcher, votes=LockedRecorder())  # type: ignore[arg-type]
    click = ButtonVote("test", "T1", "C1", "U2", "2606.00467", 1, "e1", AT, "m1")

    outcome = await core.handle_vote(click)

    assert outcome.result.effect is Effect.FAILED
    assert outcome.updates == ()
