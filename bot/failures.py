"""What paperbot says when something fails: worded once here, for every platform.

Adapters never write their own failure lines; the core sends these through the adapter's
``Responder``/``VoteResponder`` like any other private message.
"""

from __future__ import annotations

from bot.reply import Outcome, Reply, Text, text_reply
from bot.votes.events import Effect, VoteResult

COMMAND_FAILED = "Something went wrong on our side; the error is in the bot's log."
VOTE_NOT_SAVED = "Your vote could not be saved just now (the database is busy); please try again."
DATABASE_GONE = (
    "The database is gone (its file was deleted or replaced), so nothing can be saved or "
    "looked up; ask an admin to restart paperbot."
)
GONE = "the database is gone"  # a failed vote's reason when it is


def command_failed() -> Reply:
    """The one private line for a command that failed on our side (never a stack trace)."""
    return text_reply(COMMAND_FAILED, outcome=Outcome.UNAVAILABLE, private=True)


def database_gone() -> Reply:
    """The private line for a command or vote that came after the database file went: said
    plainly, rather than acknowledged into a file nobody can open again."""
    return text_reply(DATABASE_GONE, outcome=Outcome.UNAVAILABLE, private=True)


def vote_note(result: VoteResult) -> Reply | None:
    """A private line for a vote that changed nothing visible; None when the card says it all."""
    if result.effect is Effect.FAILED and result.reason == GONE:
        return database_gone()
    if result.effect is Effect.FAILED:
        return text_reply(VOTE_NOT_SAVED, outcome=Outcome.UNAVAILABLE, private=True)
    if result.effect is Effect.IGNORED:
        reason = f"Not counted: {result.reason}." if result.reason else "Not counted."
        return Reply((Text(reason, "muted"),), private=True)
    return None
