"""What a click on a vote button tells its clicker on Discord is theirs alone: an ephemeral
follow-up, never a public message, and the card is left as it was."""

from __future__ import annotations

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Core
from bot.votes.events import Effect, VoteEvent, VoteResult
from bot.votes.service import VoteReceipt, VoteRecorder
from loopback.discord import APP_ID, EPHEMERAL, FakeDiscord
from tests.discord.conftest import Bots
from tests.discord.test_discord_loopback import custom_ids, search_message


class UnsavedVotes(VoteRecorder):
    """A database that takes no vote (busy past every retry)."""

    async def record(self, event: VoteEvent) -> VoteReceipt:
        return VoteReceipt(VoteResult(Effect.FAILED), None)


async def test_a_click_that_is_not_saved_is_told_so_privately_and_the_card_stays(
    deps: Deps, dispatcher: Dispatcher, fake: FakeDiscord
) -> None:
    fake.callback_within = 60.0
    bots = Bots(Core(deps, dispatcher, votes=UnsavedVotes(deps)), fake, answer_within=30.0)
    try:
        await bots.start()
        message_id, before = await search_message(fake, "lora", 1)
        up = next(i for i in custom_ids(before) if i.endswith(":up"))
        token = await fake.click(message_id, up)
        [note] = await fake.until("POST", f"/webhooks/{APP_ID}/{token}")
        assert note.body["flags"] & EPHEMERAL
        assert note.body["content"].startswith("⚠️ Your vote could not be saved just now")
        assert all(flags & EPHEMERAL for _, flags in fake.shown_for(token))
        assert fake.messages[message_id]["embeds"] == before["embeds"]
    finally:
        await bots.stop()
