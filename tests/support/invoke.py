"""Run text through the core as a user in a channel would, and read the reply back."""

from __future__ import annotations

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.model import Invocation
from bot.reply import Reply, Text


def invocation(
    text: str, user: str = "U1", channel: str = "C1", workspace: str = "T1"
) -> Invocation:
    return Invocation(platform="test", workspace=workspace, channel=channel, user=user, text=text)


async def ask(
    dispatcher: Dispatcher,
    deps: Deps,
    text: str,
    progress: list[str] | None = None,
    **who: str,
) -> Reply:
    """The reply to ``text``; what the command said while working goes into ``progress``."""
    if progress is None:
        progress = []

    async def record(message: str) -> None:
        progress.append(message)

    return await dispatcher.handle(deps, invocation(text, **who), record)


def texts(reply: Reply) -> str:
    return "\n".join(p.text for p in reply.parts if isinstance(p, Text))
