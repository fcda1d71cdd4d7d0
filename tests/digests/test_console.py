"""Digests in the console: printed into the chat when due (its cards votable like any reply's),
and ``paperbot shell`` posts a digest that came due shortly before it started."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from rich.console import Console

from adapters.console.app import ConsoleChat
from adapters.console.poster import ConsolePoster
from adapters.console.translate import CHANNEL, PLATFORM, WORKSPACE, translate_line
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.digests.grammar import parse_subscribe
from bot.digests.window import window_at
from bot.facade import Core
from bot.model import Channel
from bot.model.digests import RunState, Subscription
from bot.reply import text_reply
from bot.scheduling.triggers import digest_trigger, last_fire
from storage import migrate
from storage.db import Database
from storage.digest_runs import get_run
from storage.papers import upsert_papers
from storage.subscriptions import save_subscription
from tests.digests.helpers import Desk, local, make_desk, paper
from tests.support.processes import run_paperbot

CONSOLE = Channel(PLATFORM, WORKSPACE, CHANNEL)


async def test_a_due_digest_prints_into_the_chat_and_its_cards_take_votes(
    sqlite_db: Database, dispatcher: Dispatcher
) -> None:
    desk: Desk = make_desk(sqlite_db)
    screen = io.StringIO()
    core = Core(desk.deps, dispatcher)
    chat = ConsoleChat(core, Console(file=screen, width=120, color_system=None))
    desk.runner.posters = {PLATFORM: ConsolePoster(chat)}
    thursday = datetime(2026, 6, 11).date()
    desk.add_papers(paper("2606.00001", thursday, 7, "Quiet transformers"))
    spec = parse_subscribe("daily 09:00 Europe/Berlin", "UTC")
    sub = sqlite_db.write_now(
        partial(
            save_subscription,
            sub=Subscription(CONSOLE, spec, "me"),
            now=datetime(2026, 6, 1, tzinfo=UTC),
        )
    )
    assert await desk.fire(sub, local("2026-06-12 09:00", "Europe/Berlin")) is RunState.POSTED
    out = screen.getvalue()
    assert "Daily digest: Hugging Face papers of Thu 11 Jun 2026" in out
    assert "Quiet transformers" in out
    await chat.handle(translate_line("vote 1 up", "me"))
    assert "👍 1  👎 0" in screen.getvalue()


def test_paperbot_shell_posts_a_digest_that_came_due_while_it_was_down(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    now = datetime.now(UTC)
    fired = now - timedelta(hours=1)
    spec = parse_subscribe(f"daily every day {fired:%H:%M} UTC top 2", "UTC")
    latest = last_fire(digest_trigger(spec), now, timedelta(days=1))
    assert latest is not None
    day = window_at(spec, latest).first
    db = Database(url)
    migrate.upgrade(db)
    db.write_now(lambda s: upsert_papers(s, [paper(f"2699.0000{i}", day, i) for i in range(1, 4)]))
    sub = Subscription(CONSOLE, spec, "me")
    saved = db.write_now(partial(save_subscription, sub=sub, now=now - timedelta(days=2)))
    assert saved.id is not None

    env = {"PAPERBOT_DATABASE_URL": url, "PAPERBOT_OFFLINE": "1", "PAPERBOT_LOAD_SAMPLE": "0"}
    done = run_paperbot("shell", env=env, stdin="")
    assert done.returncode == 0, done.stderr
    assert f"Daily digest: Hugging Face papers of {day:%a %d %b %Y}" in done.stdout
    assert "Paper 2699.00003" in done.stdout
    assert "Paper 2699.00001" not in done.stdout
    # A header message, then one message a card (so reactions on each card count). The prompt
    # is up before the catch-up posts, so the run is read back, not asked for in the chat.
    run = db.read_now(lambda s: get_run(s, saved.id, day))
    db.dispose()
    assert run is not None
    assert run.state is RunState.POSTED
    assert len(run.paper_ids) == 2
    assert len(run.message_refs) == 3


async def test_a_post_for_another_console_channel_prints_under_that_channels_name(
    deps: Deps, dispatcher: Dispatcher
) -> None:
    """An admin alert, say: the console has one chat, so the channel is named above the post."""
    screen = io.StringIO()
    chat = ConsoleChat(Core(deps, dispatcher), Console(file=screen, width=120, color_system=None))
    poster = ConsolePoster(chat)
    await poster.send(Channel(PLATFORM, WORKSPACE, "admin"), text_reply("a digest failed"))
    await poster.send(CONSOLE, text_reply("hello"))
    lines = [line.strip() for line in screen.getvalue().splitlines() if line.strip()]
    assert lines == ["── #admin ──", "a digest failed", "hello"]
