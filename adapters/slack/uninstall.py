"""A workspace removing paperbot: its tokens leave the store and its digests stop.

``app_uninstalled`` removes everything; ``tokens_revoked`` naming the bot's token does the same
(the bot can no longer post there), while one naming only people's tokens removes just theirs.
Slack sends both without a usable token, so bolt delivers them without authorizing. In
single-workspace token mode there is no store (the token is in the environment): only the
digests stop.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from adapters.slack.translate import PLATFORM
from bot.facade import Core

log = logging.getLogger("paperbot.slack")


class UninstallHandlers:
    def __init__(self, core: Core, installations: AsyncInstallationStore | None) -> None:
        self._core = core
        self._installations = installations

    async def on_app_uninstalled(self, context: AsyncBoltContext) -> None:
        await self._remove_workspace(context)

    async def on_tokens_revoked(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        tokens = event.get("tokens") or {}
        if tokens.get("bot"):
            await self._remove_workspace(context)
            return
        for user_id in tokens.get("oauth") or []:
            if self._installations is None:
                return
            await self._installations.async_delete_installation(
                enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id
            )

    async def _remove_workspace(self, context: AsyncBoltContext) -> None:
        team = context.team_id
        if not team:
            log.warning("an uninstall event without a workspace id was ignored")
            return
        if self._installations is not None:
            await self._installations.async_delete_all(
                enterprise_id=context.enterprise_id, team_id=team
            )
        await self._core.workspace_removed(PLATFORM, team)
