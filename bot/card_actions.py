"""The card actions besides voting: Save, Discuss and Similar, each a button on every card.

Like a vote button's, the action id alone says what to do (``save:2406.12345``), so clicks on
cards posted before a restart still work. Save and Similar run the command of the same name
for the person who clicked, answered privately; Discuss opens the paper's thread in the channel
(``bot/discussions.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from bot.model import Channel, Invocation

ActionKind = Literal["save", "discuss", "similar"]
ACTION_KINDS: tuple[ActionKind, ...] = get_args(ActionKind)

# The paper part matches what a vote button carries (bot/votes/buttons.py).
ACTION_TEMPLATE = r"(?P<kind>save|discuss|similar):(?P<paper>[A-Za-z0-9.\-/]{1,64})"
_ACTION = re.compile(f"^{ACTION_TEMPLATE}$")


def card_action_id(kind: ActionKind, paper_id: str) -> str:
    return f"{kind}:{paper_id}"


def parse_card_action(action_id: str) -> tuple[ActionKind, str] | None:
    """``(kind, paper_id)``, or None when the id is not one of ours."""
    match = _ACTION.match(action_id)
    if not match:
        return None
    kind = next(k for k in ACTION_KINDS if k == match["kind"])
    return kind, match["paper"]


@dataclass(frozen=True, slots=True)
class CardClick:
    """Someone clicked a card action on a message (``message_ref``; None for a private card)."""

    platform: str
    workspace: str
    channel: str
    user: str
    kind: ActionKind
    paper_id: str
    message_ref: str | None = None

    @property
    def where(self) -> Channel:
        return Channel(self.platform, self.workspace, self.channel)

    def invocation(self) -> Invocation:
        """The command a Save or Similar click stands for, as if the person had typed it."""
        return Invocation(
            self.platform, self.workspace, self.channel, self.user, f"{self.kind} {self.paper_id}"
        )
