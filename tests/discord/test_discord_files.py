"""Files on Discord: message attachments, a multipart body of ``payload_json`` and ``files[n]``,
as the fake records them; for a digest post and for a command's answer alike."""

from __future__ import annotations

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import Channel, Core, Invocation, Responder
from bot.reply import Attachment, Reply, Text
from loopback.discord import CHANNEL_ID, GUILD_ID, FakeDiscord
from tests.discord.test_discord_digests import started

CHANNEL = Channel("discord", str(GUILD_ID), str(CHANNEL_ID))
CHART = Attachment("chart.png", b"\x89PNG\r\n\x1a\nbytes", "image/png", "Votes per day")


async def test_a_posted_file_goes_as_a_message_attachment(
    deps: Deps, dispatcher: Dispatcher, fake: FakeDiscord
) -> None:
    adapter = await started(Core(deps, dispatcher), fake)
    try:
        ref = await adapter.poster.send(CHANNEL, Reply((CHART,)))
    finally:
        await adapter.stop()
    [post] = fake.calls_to("POST", f"/channels/{CHANNEL_ID}/messages")
    [upload] = post.files
    assert (upload.part_name, upload.filename) == ("files[0]", "chart.png")
    assert upload.content == CHART.content
    assert post.body["attachments"] == [
        {"id": 0, "filename": "chart.png", "description": "Votes per day"}
    ]
    assert "Votes per day" in post.body["content"]
    assert fake.messages[int(ref)]["attachments"][0]["filename"] == "chart.png"


class FileAnswer(Core):
    """A core whose every command answers with a text and a file, through the adapter's own
    ``CommandAnswer``: the path a long ``export bibtex`` takes."""

    async def handle_command(self, invocation: Invocation, responder: Responder) -> Reply:
        reply = Reply((Text("Here it is"), CHART))
        await responder.send(reply)
        await responder.send(Reply((CHART,)))  # a second message: a follow-up
        return reply


async def test_a_commands_answer_carries_its_file_in_the_callback_and_in_a_follow_up(
    deps: Deps, dispatcher: Dispatcher, fake: FakeDiscord
) -> None:
    adapter = await started(FileAnswer(deps, dispatcher), fake)
    try:
        await fake.slash("about")
        [callback] = await fake.until("POST", "/callback")
        await fake.until("POST", "/webhooks/")
    finally:
        await adapter.stop()
    [upload] = callback.files
    assert upload.filename == "chart.png"
    assert upload.content == CHART.content
    assert callback.body["data"]["attachments"][0]["filename"] == "chart.png"
    [follow_up] = fake.calls_to("POST", "/webhooks/")
    assert [f.content for f in follow_up.files] == [CHART.content]
    assert follow_up.body["attachments"][0]["filename"] == "chart.png"
