"""A card's Save, Discuss and Similar buttons on Discord: clicks from the loopback gateway."""

from __future__ import annotations

from bot.deps import Deps
from loopback.discord import (
    APP_ID,
    BOT_USER,
    CHANNEL_ID,
    EPHEMERAL,
    GUILD_ID,
    USER_ID,
    FakeDiscord,
    user,
)
from storage.papers import get_paper
from storage.reading import open_entries
from tests.discord.conftest import Bots
from tests.discord.test_discord_loopback import custom_ids, search_message


async def click_and_hear(fake: FakeDiscord, message_id: int, custom_id: str) -> str:
    """Click, and return what the clicker was told in the follow-up, which must be private."""
    token = await fake.click(message_id, custom_id)
    [callback] = await fake.until("POST", f"/{token}/callback")
    assert callback.body["type"] == 5  # "thinking…"
    assert callback.body["data"]["flags"] & EPHEMERAL
    [follow_up] = await fake.until("POST", f"/webhooks/{APP_ID}/{token}")
    assert follow_up.body["flags"] & EPHEMERAL
    return str(follow_up.body.get("content") or follow_up.body["embeds"])


async def test_discuss_starts_one_thread_from_the_card_and_links_it_to_every_clicker(
    bots: Bots, fake: FakeDiscord, deps: Deps
) -> None:
    await bots.start()
    message_id, body = await search_message(fake, "lora", 1)
    discuss = next(i for i in custom_ids(body) if i.startswith("discuss:"))

    told = await click_and_hear(fake, message_id, discuss)
    thread_id = fake.threads[message_id]
    url = f"https://discord.com/channels/{GUILD_ID}/{thread_id}"
    assert "Opened a thread" in told
    assert url in told
    [started] = fake.calls_to("POST", f"/channels/{CHANNEL_ID}/messages/{message_id}/threads")
    paper = deps.db.read_now(lambda s: get_paper(s, discuss.removeprefix("discuss:")))
    assert paper is not None
    assert started.body["name"] == " ".join(paper.title.split())[:100]
    assert started.body["auto_archive_duration"] == 10080  # a week: a paper is read over days
    [opening] = fake.calls_to("POST", f"/channels/{thread_id}/messages")
    assert opening.body["embeds"][0]["url"].startswith("https://huggingface.co/papers/")

    again = await click_and_hear(fake, message_id, discuss)
    assert "discussed here already" in again
    assert url in again
    assert len(fake.calls_to("POST", "/threads")) == 1


async def test_save_puts_the_paper_on_the_clickers_reading_list(
    bots: Bots, fake: FakeDiscord, deps: Deps
) -> None:
    await bots.start()
    message_id, body = await search_message(fake, "lora", 1)
    save = next(i for i in custom_ids(body) if i.startswith("save:"))

    told = await click_and_hear(fake, message_id, save)
    assert "on your reading list now" in told
    [entry] = deps.db.read_now(lambda s: open_entries(s, "discord", str(GUILD_ID)))
    assert entry.paper.id == save.removeprefix("save:")


async def test_replies_in_the_thread_are_counted_on_the_card_the_bots_own_are_not(
    bots: Bots, fake: FakeDiscord
) -> None:
    await bots.start()
    message_id, body = await search_message(fake, "lora", 1)
    discuss = next(i for i in custom_ids(body) if i.startswith("discuss:"))
    await click_and_hear(fake, message_id, discuss)
    thread_id = fake.threads[message_id]
    edits = f"/channels/{CHANNEL_ID}/messages/{message_id}"

    await fake.write(thread_id, BOT_USER)
    await fake.write(thread_id, user(USER_ID))
    [edit] = await fake.until("PATCH", edits)
    assert "💬 1 reply" in edit.body["embeds"][0]["footer"]["text"]

    await fake.write(thread_id, user(USER_ID))
    second = (await fake.until("PATCH", edits, 2))[-1]
    assert "💬 2 replies" in second.body["embeds"][0]["footer"]["text"]
    assert custom_ids(second.body) == custom_ids(body)  # the buttons stay


async def test_discuss_without_the_permission_for_threads_says_so(
    bots: Bots, fake: FakeDiscord
) -> None:
    await bots.start()
    message_id, body = await search_message(fake, "lora", 1)
    discuss = next(i for i in custom_ids(body) if i.startswith("discuss:"))
    fake.forbidden.add(CHANNEL_ID)
    told = await click_and_hear(fake, message_id, discuss)
    assert "cannot open a thread" in told
    assert message_id not in fake.threads


async def test_a_thread_someone_already_started_from_the_card_is_taken_over(
    bots: Bots, fake: FakeDiscord
) -> None:
    await bots.start()
    message_id, body = await search_message(fake, "lora", 1)
    discuss = next(i for i in custom_ids(body) if i.startswith("discuss:"))
    fake.threads[message_id] = message_id  # a person opened one by hand
    told = await click_and_hear(fake, message_id, discuss)
    assert "Opened a thread" in told
    assert f"https://discord.com/channels/{GUILD_ID}/{message_id}" in told


async def test_a_save_click_on_a_card_sent_before_a_restart_still_saves(
    bots: Bots, fake: FakeDiscord, deps: Deps
) -> None:
    """A new process has no view of the old message: only the registered dynamic button."""
    first = await bots.start()
    message_id, body = await search_message(fake, "lora", 1)
    save = next(i for i in custom_ids(body) if i.startswith("save:"))
    await first.stop()

    await bots.start()
    told = await click_and_hear(fake, message_id, save)
    assert "on your reading list now" in told
    [entry] = deps.db.read_now(lambda s: open_entries(s, "discord", str(GUILD_ID)))
    assert entry.paper.id == save.removeprefix("save:")
