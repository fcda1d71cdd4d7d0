"""``paperbot run --role``: which parts of paperbot one process runs, so a team can run several.

- ``all`` (the default): everything the settings turn on, in one process.
- ``web``: Slack (HTTP: events, clicks, slash commands and the OAuth routes; or Socket Mode) and
  the terminal chat. It holds no session and schedules nothing, so any number of ``web``
  processes can serve behind a load balancer.
- ``worker``: the Discord gateway (each shard in one worker at a time, ``bot/cli/shards.py``)
  and the scheduler (digests, retries and sweeps, pruning, the catalog sync; one leader at a
  time). It builds the Slack adapter without serving it, for its poster: digests go to Slack
  channels from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.cli.adapter_settings import AdapterSettings


class Role(StrEnum):
    ALL = "all"
    WEB = "web"
    WORKER = "worker"


@dataclass(frozen=True, slots=True)
class RolePlan:
    """What a role runs, given the adapters the settings turn on."""

    serve: AdapterSettings  # adapters started and shown in /readyz
    post_only: AdapterSettings  # adapters built only so their posters can post digests
    scheduler: bool

    @property
    def any(self) -> bool:
        return self.serve.any or self.post_only.any


NOTHING_TO_RUN = {
    Role.WEB: "The web role serves Slack or the terminal chat; neither is configured.",
    Role.WORKER: "The worker role serves Discord and posts digests; no adapter is configured.",
}


def plan(role: Role, chosen: AdapterSettings) -> RolePlan:
    if role is Role.WEB:
        return RolePlan(AdapterSettings(console=chosen.console, slack=chosen.slack), _NONE, False)
    if role is Role.WORKER:
        return RolePlan(
            AdapterSettings(discord=chosen.discord), AdapterSettings(slack=chosen.slack), True
        )
    return RolePlan(chosen, _NONE, True)


_NONE = AdapterSettings()
