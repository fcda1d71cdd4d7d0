"""The Hub's repository lists (``/api/models``, ``/api/datasets``, ``/api/spaces``) as
``HubRepo`` values: only the id and the likes are read, and an item without an id is skipped,
so a field the Hub adds or drops elsewhere in an item changes nothing."""

from __future__ import annotations

from typing import Any

from bot.model.hub import HubKind, HubRepo

HUB_PATHS: dict[HubKind, str] = {
    "model": "/api/models",
    "dataset": "/api/datasets",
    "space": "/api/spaces",
}


def citing_query(paper_id: str, limit: int) -> dict[str, str]:
    """The documented list filters: repositories tagged ``arxiv:<id>``, most liked first."""
    return {"filter": f"arxiv:{paper_id}", "sort": "likes", "direction": "-1", "limit": str(limit)}


def hub_repos(kind: HubKind, raw: list[Any]) -> tuple[HubRepo, ...]:
    """The usable items of one list answer, most liked first (whatever order it came in)."""
    repos = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        repo_id = item.get("id") or item.get("modelId")
        likes = item.get("likes")
        if isinstance(repo_id, str) and "/" in repo_id:
            repos.append(HubRepo(kind, repo_id, likes if isinstance(likes, int) else 0))
    return tuple(sorted(repos, key=lambda repo: -repo.likes))
