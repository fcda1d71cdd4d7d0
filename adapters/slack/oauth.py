"""Multi-workspace Slack: the OAuth install flow, and each workspace's bot token from the store.

The stores are slack_sdk's (``oauth_database.py`` builds them over the bot's own database). Their
calls block, so they run in a worker thread behind slack_sdk's async store interfaces. Nothing
here is loaded in single-workspace token mode beyond these small classes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.installation_store import InstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.state_store import OAuthStateStore

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
BOT_SCOPES = (
    "commands",
    "chat:write",
    "reactions:read",
    "links:read",
    "links:write",
    "files:write",
)  # as deploy/slack/manifest.yml
STATE_SECONDS = 600  # an install link is good for ten minutes


@dataclass(frozen=True, slots=True)
class SlackOAuth:
    """What OAuth mode needs: the app's credentials and where tokens and states are kept."""

    client_id: str
    client_secret: str = field(repr=False)
    installations: AsyncInstallationStore = field(repr=False)
    states: AsyncOAuthStateStore = field(repr=False)

    async def bot_token(self, workspace: str) -> str | None:
        """The bot's token in ``workspace``, or None when paperbot is not installed there."""
        bot = await self.installations.async_find_bot(enterprise_id=None, team_id=workspace)
        return None if bot is None else bot.bot_token


class ThreadedInstallationStore(AsyncInstallationStore):
    """A blocking installation store behind the async interface bolt's ``AsyncApp`` calls."""

    def __init__(self, store: InstallationStore) -> None:
        self._store = store

    @property
    def logger(self) -> Any:
        return self._store.logger

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self._store.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self._store.save_bot, bot)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        return await asyncio.to_thread(
            lambda: self._store.find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await asyncio.to_thread(
            lambda: self._store.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            )
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(
            lambda: self._store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        )

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await asyncio.to_thread(
            lambda: self._store.delete_installation(
                enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
            )
        )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(
            lambda: self._store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
        )


class ThreadedStateStore(AsyncOAuthStateStore):
    """A blocking OAuth state store behind the async interface."""

    def __init__(self, store: OAuthStateStore) -> None:
        self._store = store

    @property
    def logger(self) -> Any:
        return self._store.logger

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self._store.issue, *args, **kwargs)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self._store.consume, state)
