"""How many Slack workspaces have installed the app in OAuth mode, for ``paperbot doctor``.

The rows are slack_sdk's (``slack_bots``, made by migration 0005 and written by its SQLAlchemy
installation store); an uninstall deletes them, so what is left is what is installed.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

_WORKSPACES = text(
    "SELECT COUNT(*) FROM (SELECT DISTINCT enterprise_id, team_id FROM slack_bots "
    "WHERE client_id = :client_id) AS installed"
)


def installed_workspaces(session: Session, client_id: str) -> int:
    """Workspaces (or Enterprise Grid organisations) holding a bot token for ``client_id``."""
    return int(session.execute(_WORKSPACES, {"client_id": client_id}).scalar_one())
