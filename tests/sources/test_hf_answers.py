"""Hugging Face answers are outside input: capped in size, parsed off the event loop, and items
that cannot make a card are skipped with a log line."""

from __future__ import annotations

import gzip
import json
import logging
import threading
from datetime import date

import pytest

from bot.sources.errors import MalformedResponse
from bot.sources.hf.client import MAX_ANSWER_BYTES, HuggingFaceClient
from loopback.hf import FakeHfServer

JUNE_12 = date(2026, 6, 12)


def item(paper_id: str, title: str | None = "A title", **paper: object) -> dict[str, object]:
    fields: dict[str, object] = {"id": paper_id, "summary": "An abstract.", **paper}
    if title is not None:
        fields["title"] = title
    return {"paper": fields, "numComments": 0}


def huge_list() -> bytes:
    padding = "x" * 10_000
    items = [item(f"2606.{i:05d}", summary=padding) for i in range(MAX_ANSWER_BYTES // 10_000)]
    return json.dumps(items).encode()


async def test_an_answer_larger_than_the_cap_is_refused(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.respond_next(200, body=huge_list())
    with pytest.raises(MalformedResponse, match="larger than 4 MB"):
        await hf.search("attention", 10)


async def test_a_small_answer_that_inflates_past_the_cap_is_refused_as_it_streams(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    packed = gzip.compress(huge_list())
    assert len(packed) < MAX_ANSWER_BYTES // 10
    hf_server.respond_next(200, body=packed, headers={"Content-Encoding": "gzip"})
    with pytest.raises(MalformedResponse, match="larger than 4 MB"):
        await hf.daily_papers(JUNE_12)


async def test_a_compressed_answer_within_the_cap_is_read(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    body = gzip.compress(json.dumps([item("2606.00001")]).encode())
    hf_server.respond_next(200, body=body, headers={"Content-Encoding": "gzip"})
    [paper] = await hf.daily_papers(JUNE_12)
    assert paper.id == "2606.00001"


@pytest.mark.parametrize(
    "broken",
    [
        item("2606.00002", title=None),
        item("2606.00002", title="  \n "),
        item("", title="No id"),
        item("2606." + "1" * 70, title="An id no column holds"),
        item("../../etc/passwd", title="A path for an id"),
        {"paper": {"title": "No id at all"}},
        "not an object",
    ],
)
async def test_items_that_cannot_make_a_card_are_skipped_with_a_log_line(
    hf: HuggingFaceClient,
    hf_server: FakeHfServer,
    caplog: pytest.LogCaptureFixture,
    broken: object,
) -> None:
    hf_server.respond_next(200, json=[item("2606.00001"), broken, item("2606.00003")], times=2)
    with caplog.at_level(logging.WARNING, logger="bot.sources.hf"):
        daily = await hf.daily_papers(JUNE_12)
        found = await hf.search("title", 10)
    assert [p.id for p in daily] == ["2606.00001", "2606.00003"]
    assert [p.id for p in found] == ["2606.00001", "2606.00003"]
    skipped = [r for r in caplog.records if "skipping item 1" in r.getMessage()]
    assert len(skipped) == 2
    # Parsed in a worker thread, not on the event loop's.
    assert all(r.thread != threading.main_thread().ident for r in skipped)


async def test_an_answer_with_no_usable_item_is_malformed_not_empty(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.respond_next(200, json=[item("2606.00001", title=None)])
    with pytest.raises(MalformedResponse, match="no usable item"):
        await hf.daily_papers(JUNE_12)


async def test_a_paper_without_a_title_is_malformed(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.respond_next(200, json={"id": "2606.00001", "title": " "})
    with pytest.raises(MalformedResponse, match="without a title"):
        await hf.paper("2606.00001")
