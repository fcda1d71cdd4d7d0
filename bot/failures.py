"""What paperbot says when something fails: worded once here, for every platform.

Adapters never write their own failure lines; the core sends these through the adapter's
``Responder``/``VoteResponder`` like any other private message.
"""

from __future__ import annotations

from bot.reply import Outcome, Reply, Text, text_reply
from bot.votes.events import Effect, VoteResult

COMMAND_FAILED = "Something went wrong on our side; the error is in the bot's log."
VOTE_NOT_SAVED = "Your vote could not be saved just now (the database is busy); please try again."


def command_failed() -> Reply:
    """The one private line for a command that failed on our side (never a stack trace)."""
    return text_reply(COMMAND_FAILED, outcome=Outcome.UNAVAILABLE, private=True)


def vote_note(result: VoteResult) -> Reply | None:
    """A private line for a vote that changed nothing visible; None when the card says it all."""
    if result.effect is Effect.FAILED:
        return text_reply(VOTE_NOT_SAVED, outcome=Outcome.UNAVAILABLE, private=True)
    if result.effect is Effect.IGNORED:
        reason = f"Not counted: {result.reason}." if result.reason else "Not counted."
        return Reply((Text(reason, "muted"),), private=True)
    return None
