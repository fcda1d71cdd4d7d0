"""slack_sdk's SQLAlchemy installation and OAuth state stores in the bot's own database.

The tables are made by the migrations (docs/architecture.md, "Slack OAuth mode"), not by the
SDK's ``create_tables``. The composition root hands over the database engine as an opaque
handle, so this package never imports storage or SQLAlchemy itself; only OAuth mode loads this
module (and, through the SDK, SQLAlchemy's asyncio extension).
"""

from __future__ import annotations

from typing import Any

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from adapters.slack.oauth import (
    STATE_SECONDS,
    SlackOAuth,
    ThreadedInstallationStore,
    ThreadedStateStore,
)


def database_oauth(client_id: str, client_secret: str, engine: Any) -> SlackOAuth:
    """OAuth mode over slack_sdk's SQLAlchemy stores on ``engine`` (the bot's own database)."""
    installations = SQLAlchemyInstallationStore(client_id=client_id, engine=engine)
    states = SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine)
    return SlackOAuth(
        client_id,
        client_secret,
        ThreadedInstallationStore(installations),
        ThreadedStateStore(states),
    )
