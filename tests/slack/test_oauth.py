"""Slack OAuth mode, end to end on each database: install through the redirect, answer an
installed workspace with its own token, and forget a workspace that uninstalls paperbot."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import partial

import aiohttp
import pytest
from sqlalchemy import text
from sqlmodel import Session

from adapters.slack.adapter import EVENTS_PATH, SlackAdapter
from adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH
from adapters.slack.oauth_database import database_oauth
from adapters.slack.poster import ChannelPacer
from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Channel, Core, PostRejected
from bot.model import Paper
from bot.model.digests import DigestSpec, Subscription
from bot.reply import Heading, Reply
from loopback.ports import FakeSource, FixedClock
from loopback.slack import FakeSlack, bot_token_for
from loopback.slack_signing import SECRET, SlackSender
from storage.db import Database
from storage.papers import upsert_papers
from storage.subscriptions import enabled_subscriptions, save_subscription
from tests.slack.conftest import eventually

NEW_TEAM = "T2"
CODE = "code-for-t2"


@pytest.fixture
def oauth_deps(
    db: Database, sample_papers: list[Paper], fake_source: FakeSource, clock: FixedClock
) -> Deps:
    from bot.settings import Settings

    db.write_now(lambda s: upsert_papers(s, sample_papers[:3]))
    return Deps(Settings(database_url=db.url, timezone="UTC"), db, fake_source, clock=clock)


@pytest.fixture
async def oauth_app(
    oauth_deps: Deps, dispatcher: Dispatcher, fake_slack: FakeSlack
) -> AsyncIterator[SlackAdapter]:
    fake_slack.install_codes[CODE] = NEW_TEAM
    fake_slack.app_credentials = ("1234.5678", "client-secret")
    adapter = SlackAdapter(
        Core(oauth_deps, dispatcher),
        oauth=database_oauth("1234.5678", "client-secret", oauth_deps.db.engine),
        signing_secret=SECRET,
        api_url=fake_slack.api_url,
        port=0,
        pacer=ChannelPacer(interval=0),
    )
    await adapter.start()
    yield adapter
    await adapter.stop()


def base(adapter: SlackAdapter) -> str:
    return f"http://127.0.0.1:{adapter.port}"


async def install(adapter: SlackAdapter, code: str, *, tamper: bool = False) -> int:
    """Open the install page, then come back through the redirect as Slack sends the browser.
    The state cookie is ``Secure`` (paperbot sits behind TLS), so it is carried over by hand."""
    async with aiohttp.ClientSession() as browser:
        async with browser.get(base(adapter) + INSTALL_PATH) as page:
            assert page.status == 200
            found = re.search(r"state=([\w-]+)", await page.text())
            assert found, "the install page links to Slack with a state"
            cookie = page.headers["Set-Cookie"].split(";")[0]
        state = "forged" + found.group(1)[6:] if tamper else found.group(1)
        query = {"code": code, "state": state}
        headers = {"Cookie": cookie.replace(found.group(1), state)}
        redirect = base(adapter) + REDIRECT_PATH
        async with browser.get(redirect, params=query, headers=headers) as back:
            return back.status


def stored_bots(db: Database) -> list[tuple[str, str]]:
    def read(session: Session) -> list[tuple[str, str]]:
        rows = session.connection().execute(text("SELECT team_id, bot_token FROM slack_bots"))
        return [(str(team), str(token)) for team, token in rows]

    return db.read_now(read)


async def test_an_install_through_the_redirect_stores_the_workspace_token(
    oauth_app: SlackAdapter, oauth_deps: Deps, fake_slack: FakeSlack
) -> None:
    assert await install(oauth_app, CODE) == 200
    access = fake_slack.called("oauth.v2.access")
    assert [call["code"] for call in access] == [CODE]
    assert stored_bots(oauth_deps.db) == [(NEW_TEAM, bot_token_for(NEW_TEAM))]


async def test_an_install_with_a_forged_state_stores_nothing(
    oauth_app: SlackAdapter, oauth_deps: Deps, fake_slack: FakeSlack
) -> None:
    status = await install(oauth_app, CODE, tamper=True)
    assert status >= 400
    assert fake_slack.called("oauth.v2.access") == []
    assert stored_bots(oauth_deps.db) == []


async def test_a_command_from_an_installed_workspace_is_answered_with_its_token(
    oauth_app: SlackAdapter, fake_slack: FakeSlack, sample_papers: list[Paper]
) -> None:
    await install(oauth_app, CODE)
    slack = SlackSender(base(oauth_app) + EVENTS_PATH)
    paper = sample_papers[0].id
    status, _ = await slack.command(f"paper {paper}", fake_slack.response_url(), team_id=NEW_TEAM)
    assert status == 200
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.postMessage")))
    assert fake_slack.tokens_used("chat.postMessage") == [bot_token_for(NEW_TEAM)]


async def test_a_command_from_a_workspace_that_never_installed_gets_no_answer(
    oauth_app: SlackAdapter, fake_slack: FakeSlack, sample_papers: list[Paper]
) -> None:
    slack = SlackSender(base(oauth_app) + EVENTS_PATH)
    await slack.command(f"paper {sample_papers[0].id}", fake_slack.response_url(), team_id="T9")
    await install(oauth_app, CODE)  # a later request, so the first one was handled by then
    await slack.command("help", fake_slack.response_url(), team_id=NEW_TEAM)
    await fake_slack.wait_for(lambda: bool(fake_slack.responses))
    assert fake_slack.called("chat.postMessage") == []
    assert len(fake_slack.responses) == 1


def installed_people(db: Database) -> list[str]:
    def read(session: Session) -> list[str]:
        rows = session.connection().execute(text("SELECT user_id FROM slack_installations"))
        return [str(user) for (user,) in rows]

    return db.read_now(read)


def subscribe(db: Database, workspace: str) -> None:
    sub = Subscription(Channel("slack", workspace, "C1"), DigestSpec(), "U1")
    db.write_now(partial(save_subscription, sub=sub, now=datetime(2026, 6, 1, tzinfo=UTC)))


@pytest.mark.parametrize("event", ["app_uninstalled", "tokens_revoked"])
async def test_uninstalling_removes_the_tokens_and_stops_that_workspaces_digests(
    oauth_app: SlackAdapter, oauth_deps: Deps, fake_slack: FakeSlack, event: str
) -> None:
    await install(oauth_app, CODE)
    subscribe(oauth_deps.db, NEW_TEAM)
    subscribe(oauth_deps.db, "T1")
    body: dict[str, object] = {"type": event, "event_ts": "1780000000.000100"}
    if event == "tokens_revoked":
        body["tokens"] = {"oauth": ["U1"], "bot": ["UBOT"]}
    slack = SlackSender(base(oauth_app) + EVENTS_PATH)
    status, _ = await slack.event(body, team=NEW_TEAM)
    assert status == 200

    def removed() -> bool:
        enabled = oauth_deps.db.read_now(enabled_subscriptions)
        return [s.channel.workspace for s in enabled] == ["T1"]

    await eventually(removed)
    assert stored_bots(oauth_deps.db) == []


async def test_revoking_only_peoples_tokens_keeps_the_bot_and_its_digests(
    oauth_app: SlackAdapter, oauth_deps: Deps, fake_slack: FakeSlack, sample_papers: list[Paper]
) -> None:
    await install(oauth_app, CODE)
    assert installed_people(oauth_deps.db) == ["U1"]
    subscribe(oauth_deps.db, NEW_TEAM)
    slack = SlackSender(base(oauth_app) + EVENTS_PATH)
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": ["U1"]}, "event_ts": "1780000000.1"}
    await slack.event(revoked, team=NEW_TEAM)
    await eventually(lambda: installed_people(oauth_deps.db) == [])
    await slack.command(f"paper {sample_papers[0].id}", fake_slack.response_url(), team_id=NEW_TEAM)
    await fake_slack.wait_for(lambda: bool(fake_slack.called("chat.postMessage")))
    assert stored_bots(oauth_deps.db) == [(NEW_TEAM, bot_token_for(NEW_TEAM))]
    assert len(oauth_deps.db.read_now(enabled_subscriptions)) == 1


async def test_digests_post_with_each_workspaces_token_and_not_where_uninstalled(
    oauth_app: SlackAdapter, fake_slack: FakeSlack
) -> None:
    await install(oauth_app, CODE)
    header = Reply((Heading("Daily papers"),))
    await oauth_app.poster.send(Channel("slack", NEW_TEAM, "C5"), header)
    assert fake_slack.tokens_used("chat.postMessage") == [bot_token_for(NEW_TEAM)]
    with pytest.raises(PostRejected, match="not installed"):
        await oauth_app.poster.send(Channel("slack", "T9", "C5"), header)
