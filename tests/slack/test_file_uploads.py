"""Files on Slack: the external upload flow, recorded by the fake, and what an ephemeral answer
shows instead (Slack attaches no file to an answer only one person sees)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from adapters.slack.app import CommandAnswer
from adapters.slack.oauth import BOT_SCOPES
from adapters.slack.poster import ChannelPacer, SlackPoster, upload_file, web_client
from adapters.slack.render import render_reply
from bot.deps import Deps
from bot.facade import Channel
from bot.model import Paper
from bot.reply import Attachment, Reply, Text
from loopback.slack import FakeSlack, blocks_text
from loopback.slack_signing import SlackSender
from storage.reading import Reader, save_paper
from tests.reading.test_bibtex import parsed

ROOT = Path(__file__).resolve().parents[2]
BIB = "@misc{lovelace1843notes,\n  title = {{Notes} & <more>},\n}\n"
FILE = Attachment("reading.bib", BIB.encode(), "application/x-bibtex", "Your reading list", BIB)
CHART = Attachment("chart.png", b"\x89PNG\r\n\x1a\nnot really", "image/png", "Votes per day")


async def test_a_file_is_uploaded_to_the_channel_by_the_external_upload_flow(
    fake_slack: FakeSlack,
) -> None:
    poster = SlackPoster(web_client("xoxb-test", fake_slack.api_url), ChannelPacer(interval=0))

    ref = await poster.send(Channel("slack", "T1", "C1"), Reply((CHART,)))

    [asked] = fake_slack.called("files.getUploadURLExternal")
    assert asked["filename"] == "chart.png"
    assert int(asked["length"]) == len(CHART.content)
    assert asked["alt_txt"] == "Votes per day"  # a picture is described for screen readers
    [shared] = fake_slack.shared_files()
    assert shared.content == CHART.content  # the bytes POSTed to the fake's upload URL
    [done] = fake_slack.called("files.completeUploadExternal")
    assert done["channel_id"] == "C1"
    assert json.loads(done["files"]) == [{"id": shared.file_id, "title": "Votes per day"}]
    assert ref == shared.file_id
    assert fake_slack.tokens_used("files.completeUploadExternal") == ["xoxb-test"]
    assert fake_slack.called("chat.postMessage") == []


async def test_a_file_for_a_thread_names_the_thread(fake_slack: FakeSlack) -> None:
    client = web_client("xoxb-test", fake_slack.api_url)
    await upload_file(client, ChannelPacer(interval=0), "C1", FILE, thread_ts="1780000000.000001")
    [done] = fake_slack.called("files.completeUploadExternal")
    assert (done["channel_id"], done["thread_ts"]) == ("C1", "1780000000.000001")
    [asked] = fake_slack.called("files.getUploadURLExternal")
    assert "alt_txt" not in asked  # text is its own description
    assert fake_slack.shared_files()[0].content == BIB.encode()


class Respond:
    """A response URL as bolt's ``respond`` posts to it: each call recorded."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def __call__(self, **body: Any) -> None:
        self.calls.append(body)


async def test_a_private_answer_shows_a_files_text_as_a_code_block_instead(
    fake_slack: FakeSlack,
) -> None:
    respond = Respond()
    client = web_client("xoxb-test", fake_slack.api_url)
    answer = CommandAnswer(client, ChannelPacer(interval=0), respond, "C1")  # type: ignore[arg-type]

    assert await answer.send(Reply((Text("Here:"), FILE), private=True)) is None

    assert fake_slack.uploads == {}  # nothing uploaded: nobody else may see it
    [said] = respond.calls
    assert said["response_type"] == "ephemeral"
    shown = blocks_text(said)
    assert "```@misc{lovelace1843notes,\n  title = {{Notes} &amp; &lt;more&gt;},\n}\n```" in shown
    assert "Slack cannot attach a file to an answer only you see" in shown


async def test_a_bot_outside_the_channel_answers_with_the_files_text_through_the_response_url(
    fake_slack: FakeSlack,
) -> None:
    fake_slack.not_in_channel.add("C1")
    respond = Respond()
    client = web_client("xoxb-test", fake_slack.api_url)
    answer = CommandAnswer(client, ChannelPacer(interval=0), respond, "C1")  # type: ignore[arg-type]

    assert await answer.send(Reply((FILE,))) is None

    assert fake_slack.shared_files() == []  # Slack refused to share it in C1
    assert answer.fell_back
    [said] = respond.calls
    assert said["response_type"] == "in_channel"
    assert "lovelace1843notes" in blocks_text(said)


def test_a_long_file_is_cut_in_its_preview_and_says_so() -> None:
    text = "x" * 5_000
    long = Attachment("big.bib", text.encode(), "application/x-bibtex", "Big", text)
    blocks = render_reply(Reply((long,), private=True)).blocks
    assert all(len(b["text"]["text"]) <= 3_000 for b in blocks if "text" in b)
    assert "cut at 2,994 characters" in blocks_text({"blocks": blocks})


def test_a_picture_without_text_is_named_where_it_cannot_be_attached() -> None:
    shown = blocks_text({"blocks": render_reply(Reply((CHART,), private=True)).blocks})
    assert "Votes per day" in shown
    assert "chart.png" in shown
    assert "ask in a channel I am in" in shown


def test_both_manifests_and_the_oauth_install_ask_for_files_write() -> None:
    for name in ("manifest.yml", "manifest-socket.yml"):
        manifest = (ROOT / "deploy" / "slack" / name).read_text()
        scopes = manifest.split("bot:", 1)[1].split("settings:", 1)[0]
        listed = [line.split("#")[0].strip(" -") for line in scopes.splitlines()]
        assert sorted(s for s in listed if s) == sorted(BOT_SCOPES), name
    assert "files:write" in BOT_SCOPES


async def test_a_long_export_in_a_channel_is_uploaded_as_a_bib_file(
    slack: SlackSender, fake_slack: FakeSlack, deps: Deps, sample_papers: list[Paper]
) -> None:
    """The whole path: /papers export bibtex, the core's Attachment, the adapter's upload."""
    reader = Reader("slack", "T1", "U1")
    for paper in sample_papers[:15]:
        deps.db.write_now(partial(save_paper, reader=reader, paper_id=paper.id, channel="C1",
                                  now=datetime(2026, 6, 1, tzinfo=UTC)))  # fmt: skip

    await slack.command("export bibtex", fake_slack.response_url())
    await fake_slack.wait_for(lambda: bool(fake_slack.shared_files()))

    [upload] = fake_slack.shared_files()
    assert upload.filename.startswith("reading-mine-")
    assert upload.filename.endswith(".bib")
    assert upload.shared is not None
    assert upload.shared["channel_id"] == "C1"
    assert [e["eprint"] for e in parsed(upload.content.decode())] == [
        p.id for p in sample_papers[:15]
    ]
    [said] = fake_slack.called("chat.postMessage")  # "15 papers of your reading list as BibTeX:"
    assert "15 papers of your reading list" in blocks_text(said)
