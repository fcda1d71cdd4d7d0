"""What a paper has on the Hub: the three list endpoints asked through the client's one paced,
retried path, their answers read leniently, and the guarded source's cache and fail-fast."""

from __future__ import annotations

import pytest

from bot.model.hub import HubCitations, HubRepo
from bot.sources.errors import UpstreamUnavailable
from bot.sources.guarded import HUB_CACHE_SECONDS, GuardedSource
from bot.sources.hf.client import HUB_LIMIT, HuggingFaceClient
from bot.sources.hf.hub import hub_repos
from loopback.hf import FakeHfServer
from loopback.ports import FakeSource, MonotonicClock

YARN = "2309.00071"  # the paper tests/fixtures/hub answers for


async def test_models_datasets_and_spaces_citing_a_paper_come_most_liked_first(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    found = await hf.hub_citations(YARN)
    assert [(r.repo_id, r.likes) for r in found.models[:2]] == [
        ("Qwen/Qwen2.5-VL-7B-Instruct", 1595),
        ("Qwen/Qwen2.5-7B-Instruct", 900),
    ]
    assert [r.likes for r in found.models] == sorted((r.likes for r in found.models), reverse=True)
    assert found.datasets == (HubRepo("dataset", "example-org/pg19-long-context", 7),)
    assert found.spaces == ()
    assert found.datasets[0].url == "https://huggingface.co/datasets/example-org/pg19-long-context"
    asked = {r.path: r.query for r in hf_server.requests}
    assert set(asked) == {"/api/models", "/api/datasets", "/api/spaces"}
    for query in asked.values():
        assert query == {
            "filter": f"arxiv:{YARN}",
            "sort": "likes",
            "direction": "-1",
            "limit": str(HUB_LIMIT),
        }


async def test_a_paper_nothing_cites_has_an_empty_answer(hf: HuggingFaceClient) -> None:
    assert (await hf.hub_citations("2606.00467")).empty


async def test_a_failing_hub_list_is_retried_like_every_other_request(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.respond_next(503, path="/api/datasets")
    found = await hf.hub_citations(YARN)
    assert len(found.datasets) == 1
    assert len(hf_server.requests_to("/api/datasets")) == 2


async def test_a_hub_that_stays_down_is_a_source_error(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.respond_next(503, times=10, path="/api/models")
    with pytest.raises(UpstreamUnavailable):
        await hf.hub_citations(YARN)


def test_items_without_a_repository_id_are_skipped_and_missing_likes_count_as_none() -> None:
    raw = [{"id": "a/b", "likes": 3}, {"likes": 9}, "junk", {"modelId": "c/d"}, {"id": "noslash"}]
    assert hub_repos("model", raw) == (HubRepo("model", "a/b", 3), HubRepo("model", "c/d", 0))


def test_a_kind_with_as_many_as_were_asked_for_may_have_more() -> None:
    many = tuple(HubRepo("space", f"o/s{i}", 0) for i in range(3))
    citations = HubCitations(spaces=many, asked=3)
    assert (citations.count("space"), citations.count("model")) == ("3+", "0")


async def test_the_guarded_source_keeps_an_answer_for_a_while_then_asks_again() -> None:
    clock = MonotonicClock()
    answer = HubCitations(models=(HubRepo("model", "a/b", 1),))
    inner = FakeSource(hub={YARN: answer})
    guarded = GuardedSource(inner, timeout=5, clock=clock)
    assert await guarded.hub_citations(YARN) == answer
    assert await guarded.hub_citations(YARN) == answer
    assert inner.calls == [("hub_citations", YARN)]
    clock.now += HUB_CACHE_SECONDS
    await guarded.hub_citations(YARN)
    assert len(inner.calls) == 2


async def test_the_guarded_source_skips_the_hub_during_a_cool_down() -> None:
    clock = MonotonicClock()
    inner = FakeSource(failure=UpstreamUnavailable("down"))
    guarded = GuardedSource(inner, timeout=5, cool_down=60, clock=clock)
    for _ in range(2):
        with pytest.raises(UpstreamUnavailable):
            await guarded.hub_citations(YARN)
    assert len(inner.calls) == 1
