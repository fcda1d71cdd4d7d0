"""The real Slack app served on loopback, talking to a loopback fake of Slack's Web API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from functools import partial

import pytest

from adapters.slack.adapter import EVENTS_PATH, SlackAdapter
from adapters.slack.poster import ChannelPacer
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core, Invocation
from bot.reply import VoterList
from loopback.responders import RecordingResponder
from loopback.slack import FakeSlack
from loopback.slack_signing import SECRET, SlackSender
from tests.support.queries import papers_of_message
from tests.support.recording_core import RecordingCore

__all__ = ["RecordingCore"]  # the Slack tests import it from here

PAPER = "2606.00467"
TS = "1780000000.000001"  # the fake's first message


@pytest.fixture
def core(deps: Deps, dispatcher: Dispatcher) -> RecordingCore:
    return RecordingCore(deps, dispatcher)


def serve_slack(
    core: Core,
    fake: FakeSlack,
    api_timeout: float = 30.0,
    post_interval: float = 0,
    stop_grace: float = 30.0,
    port: int = 0,
) -> SlackAdapter:
    return SlackAdapter(
        core,
        bot_token="xoxb-test",
        signing_secret=SECRET,
        api_url=fake.api_url,
        host="127.0.0.1",
        port=port,
        pacer=ChannelPacer(interval=post_interval),
        api_timeout=api_timeout,
        stop_grace=stop_grace,
    )


@pytest.fixture
async def slack_app(core: RecordingCore, fake_slack: FakeSlack) -> AsyncIterator[SlackAdapter]:
    adapter = serve_slack(core, fake_slack)
    await adapter.start()
    yield adapter
    await adapter.stop()


def sender_for(adapter: SlackAdapter) -> SlackSender:
    return SlackSender(f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}")


@pytest.fixture
def slack(slack_app: SlackAdapter) -> SlackSender:
    return sender_for(slack_app)


@pytest.fixture
async def posted(slack: SlackSender, fake_slack: FakeSlack, deps: Deps) -> str:
    """PAPER's card in C1, once the core has recorded it: a reaction that came sooner would
    find no paper on the message (on PostgreSQL the record can trail the post)."""
    await slack.command(f"paper {PAPER}", fake_slack.response_url())
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.postMessage")))
    shown = partial(papers_of_message, platform="slack", channel="C1", message_ref=TS)
    await eventually(lambda: bool(deps.db.read_now(shown)))
    return TS


async def voters(deps: Deps, dispatcher: Dispatcher) -> list[tuple[str, int]]:
    """Who counts for PAPER in workspace T1, and how, as ``votes`` tells it."""
    reply = await Core(deps, dispatcher).handle_command(
        Invocation("slack", "T1", "C1", "U1", f"votes {PAPER}"), RecordingResponder()
    )
    lists = [p for p in reply.parts if isinstance(p, VoterList)]
    return [(v.user_id, v.value) for part in lists for v in part.voters]


async def eventually(check: Callable[[], bool]) -> None:
    """Until ``check()`` holds (the app handles events after acknowledging them); 5 s at most."""
    for _ in range(250):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the change never happened")
