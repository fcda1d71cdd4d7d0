"""The facade adapters use: replies go out split and recorded, votes come back as whole messages."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import (
    ButtonVote,
    Core,
    Effect,
    Invocation,
    MessageLimits,
    MessageUpdate,
    ReactionChange,
    VoteEvent,
)
from bot.failures import COMMAND_FAILED, VOTE_NOT_SAVED
from bot.model import Tally
from bot.reply import Outcome, PaperCard, Reply, Text
from bot.votes.service import VoteReceipt, VoteRecorder
from loopback.responders import RecordingResponder, RefusingResponder

AT = datetime(2026, 6, 13, 10, tzinfo=UTC)


def asking(text: str, user: str = "U1") -> Invocation:
    return Invocation("test", "T1", "C1", user, text)


@pytest.fixture
def core(deps: Deps, dispatcher: Dispatcher) -> Core:
    return Core(deps, dispatcher)


def cards(message: Reply) -> list[PaperCard]:
    return [p for p in message.parts if isinstance(p, PaperCard)]


async def test_a_reply_is_delivered_split_to_the_adapters_limits(core: Core) -> None:
    channel = RecordingResponder(MessageLimits(3))
    reply = await core.handle_command(asking("today 7"), channel)

    assert len(reply.papers) == 7
    assert [len(m.papers) for m in channel.messages.values()] == [3, 3, 1]


async def test_a_click_rebuilds_the_whole_message_with_every_card_in_order(core: Core) -> None:
    channel = RecordingResponder()
    await core.handle_command(asking("today 5"), channel)
    (ref,) = channel.with_cards()
    shown = cards(channel.messages[ref])
    third = shown[2].paper.id

    click = ButtonVote("test", "T1", "C1", "U2", third, 1, "e1", AT, ref)
    outcome = await core.handle_vote(click, channel)

    assert outcome.result.effect is Effect.RECORDED
    assert outcome.card is not None
    assert (outcome.card.paper.id, outcome.card.tally) == (third, Tally(up=1))
    (update,) = outcome.updates
    assert update.message_ref == ref
    rebuilt = cards(update.message)
    assert [(c.paper.id, c.rank) for c in rebuilt] == [(c.paper.id, c.rank) for c in shown]
    assert [c.tally for c in rebuilt] == [Tally(), Tally(), Tally(up=1), Tally(), Tally()]
    assert update.message.parts[0] == channel.messages[ref].parts[0]  # the heading too


async def test_a_reaction_counts_on_a_sent_message_without_the_adapter_remembering_it(
    core: Core,
) -> None:
    channel = RecordingResponder(MessageLimits(one_card_per_message=True))
    await core.handle_command(asking("today 2"), channel)
    first = channel.with_cards()[0]

    outcome = await core.handle_vote(
        ReactionChange("test", "T1", "C1", first, "U2", "fire", True, "e1", AT),
        channel,
    )

    assert outcome.result.effect is Effect.RECORDED
    (update,) = outcome.updates
    assert cards(update.message)[0].tally == Tally(up=1)


async def test_a_reaction_on_a_message_of_several_papers_is_not_a_vote(core: Core) -> None:
    channel = RecordingResponder()
    await core.handle_command(asking("today 3"), channel)
    (ref,) = channel.with_cards()

    outcome = await core.handle_vote(
        ReactionChange("test", "T1", "C1", ref, "U2", "fire", True, "e1", AT),
        channel,
    )

    assert outcome.result.effect is Effect.IGNORED
    assert outcome.updates == ()


async def test_messages_without_a_reference_are_not_recorded_but_clicks_still_count(
    core: Core,
) -> None:
    ephemeral = RecordingResponder(refer=False)
    await core.handle_command(asking("today 1"), ephemeral)
    (message,) = ephemeral.messages.values()
    paper = message.papers[0].id

    click = ButtonVote("test", "T1", "C1", "U2", paper, -1, "e1", AT, "never-recorded")
    outcome = await core.handle_vote(click, ephemeral)

    assert outcome.result.effect is Effect.RECORDED
    assert outcome.updates == ()
    assert outcome.card is not None
    assert outcome.card.tally == Tally(down=1)


async def test_a_replayed_event_changes_nothing_and_updates_nothing(core: Core) -> None:
    channel = RecordingResponder()
    await core.handle_command(asking("today 1"), channel)
    (ref,) = channel.with_cards()
    paper = channel.messages[ref].papers[0].id
    click = ButtonVote("test", "T1", "C1", "U2", paper, 1, "same-id", AT, ref)

    await core.handle_vote(click, channel)
    again = await core.handle_vote(click, channel)

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

    voter = RecordingResponder()
    outcome = await core.handle_vote(click, voter)

    assert outcome.result.effect is Effect.FAILED
    assert outcome.updates == ()
    not_saved = Reply((Text(VOTE_NOT_SAVED, "error"),), Outcome.UNAVAILABLE, private=True)
    assert voter.only() == not_saved


async def test_every_message_a_vote_changed_reaches_the_adapter_as_an_edit(core: Core) -> None:
    channel = RecordingResponder()
    await core.handle_command(asking("today 2"), channel)
    (ref,) = channel.with_cards()
    paper = channel.messages[ref].papers[1].id

    outcome = await core.handle_vote(
        ButtonVote("test", "T1", "C1", "U2", paper, 1, "e1", AT, ref), channel
    )

    assert channel.edits == list(outcome.updates)
    assert [c.tally for c in cards(channel.edits[0].message)] == [Tally(), Tally(up=1)]


async def test_a_vote_that_does_not_count_is_told_to_the_voter_alone(core: Core) -> None:
    channel = RecordingResponder()
    await core.handle_command(asking("today 3"), channel)
    (ref,) = channel.with_cards()
    voter = RecordingResponder()

    reaction = ReactionChange("test", "T1", "C1", ref, "U2", "fire", True, "e1", AT)
    await core.handle_vote(reaction, voter)

    note = voter.only()
    assert note.private
    assert note.parts[0].text.startswith("Not counted: ")  # type: ignore[union-attr]
    assert voter.edits == []


async def test_a_refused_answer_is_logged_and_told_privately_in_the_one_wording(
    core: Core, caplog: pytest.LogCaptureFixture
) -> None:
    refusing = RefusingResponder()

    reply = await core.handle_command(asking("today 1"), refusing)

    assert reply == Reply((Text(COMMAND_FAILED, "error"),), Outcome.UNAVAILABLE, private=True)
    assert refusing.only() == reply
    assert "'today 1' failed" in caplog.text


class HeldFirstEdit(RecordingResponder):
    """A platform whose first message edit takes until the test lets it through."""

    def __init__(self) -> None:
        super().__init__()
        self.editing = asyncio.Event()
        self.release = asyncio.Event()

    async def edit(self, update: MessageUpdate) -> None:
        if not self.editing.is_set():
            self.editing.set()
            await self.release.wait()
        await super().edit(update)


class NotingRecorder(VoteRecorder):
    """The real recorder, noting each event id it has recorded."""

    def __init__(self, deps: Deps) -> None:
        super().__init__(deps)
        self.recorded: dict[str, asyncio.Event] = {}

    async def record(self, event: VoteEvent) -> VoteReceipt:
        receipt = await super().record(event)
        self.recorded.setdefault(event.event_id, asyncio.Event()).set()
        return receipt


async def test_votes_on_one_message_edit_it_in_turn_so_the_last_edit_shows_the_last_tally(
    deps: Deps, dispatcher: Dispatcher
) -> None:
    recorder = NotingRecorder(deps)
    core = Core(deps, dispatcher, votes=recorder)
    channel = RecordingResponder()
    await core.handle_command(asking("today 1"), channel)
    (ref,) = channel.with_cards()
    paper = channel.messages[ref].papers[0].id
    platform = HeldFirstEdit()

    first = asyncio.create_task(
        core.handle_vote(ButtonVote("test", "T1", "C1", "U2", paper, 1, "e1", AT, ref), platform)
    )
    await platform.editing.wait()  # the first vote's edit is on its way, slowly
    recorder.recorded["e2"] = asyncio.Event()
    second = asyncio.create_task(
        core.handle_vote(ButtonVote("test", "T1", "C1", "U3", paper, 1, "e2", AT, ref), platform)
    )
    await recorder.recorded["e2"].wait()
    done, _ = await asyncio.wait({second}, timeout=0.5)
    assert not done  # waits for the first edit rather than overtaking it
    platform.release.set()
    await asyncio.gather(first, second)

    assert [cards(e.message)[0].tally for e in platform.edits] == [Tally(up=1), Tally(up=2)]
