"""Save and Similar clicks run their command for the clicker alone, whatever the command does
when typed."""

from __future__ import annotations

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import CardClick, Core, Invocation
from loopback.responders import RecordingResponder
from storage.papers import latest_daily_date, trending


async def test_similar_typed_answers_the_channel_but_clicked_answers_only_the_clicker(
    deps: Deps, dispatcher: Dispatcher
) -> None:
    core = Core(deps, dispatcher)
    day = deps.db.read_now(latest_daily_date)
    assert day is not None
    paper = deps.db.read_now(lambda s: trending(s, day, day, 1))[0]

    typed = RecordingResponder()
    await core.handle_command(Invocation("test", "T1", "C1", "U1", f"similar {paper.id}"), typed)
    assert typed.messages
    assert not any(message.private for message in typed.messages.values())

    clicked = RecordingResponder()
    reply = await core.handle_card_action(
        CardClick("test", "T1", "C1", "U1", "similar", paper.id, "m1"), clicked
    )
    assert reply.papers
    assert paper.id not in [p.id for p in reply.papers]
    assert clicked.messages
    assert all(message.private for message in clicked.messages.values())
