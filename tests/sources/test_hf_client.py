"""The HF client against the loopback fake over real TCP: listings, paging, lookups, search."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest

from bot.sources.errors import InvalidRequest, PaperNotFound
from bot.sources.hf.client import PAGE_LIMIT, HuggingFaceClient
from loopback.hf import FakeHfServer, HfCatalog, recorded_items

JUNE_12 = date(2026, 6, 12)


# -- parsing real answers ---------------------------------------------------------------------


async def test_recorded_day_lands_every_field_in_paper(hf: HuggingFaceClient) -> None:
    papers = await hf.daily_papers(JUNE_12)

    assert len(papers) == 30
    assert {p.hf_daily_date for p in papers} == {JUNE_12}
    web = next(p for p in papers if p.id == "2606.10423")
    assert web.upvotes == 2
    assert web.num_comments == 2
    assert web.github_repo == "https://github.com/jayoohwang1/webchallenger"
    assert web.github_stars == 2
    assert web.project_page == "https://jayoohwang1.github.io/webchallenger-site/"
    assert len(web.authors) == 3
    assert web.ai_summary
    assert web.ai_keywords
    assert (
        web.thumbnail
        == "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2606.10423.png"
    )
    assert web.published_at is not None
    assert web.published_at.tzinfo == UTC
    assert web.fetched_at is not None
    assert web.fetched_at.tzinfo == UTC


async def test_items_come_most_upvoted_first(hf: HuggingFaceClient) -> None:
    papers = await hf.daily_papers(JUNE_12)

    assert [p.upvotes for p in papers] == sorted((p.upvotes for p in papers), reverse=True)
    assert papers[0].id == "2606.13681"


async def test_old_day_without_submitted_on_daily_at_is_dated_by_the_day_asked(
    hf: HuggingFaceClient,
) -> None:
    papers = await hf.daily_papers(date(2024, 5, 27))

    assert len(papers) == 13
    assert {p.hf_daily_date for p in papers} == {date(2024, 5, 27)}
    assert all(p.ai_summary is None and p.ai_keywords == () for p in papers)
    autocoder = next(p for p in papers if p.id == "2405.14906")
    assert autocoder.title == "AutoCoder: Enhancing Code Large Language Model with AIEV-Instruct"
    assert autocoder.thumbnail is not None
    assert autocoder.thumbnail.endswith("2405.14906.png")


async def test_weekend_day_is_empty_after_one_request(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    assert await hf.daily_papers(date(2026, 5, 30)) == []
    assert len(hf_server.requests) == 1


# -- paging -----------------------------------------------------------------------------------


async def test_a_day_is_asked_100_a_page_from_page_0(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    await hf.daily_papers(JUNE_12)

    [request] = hf_server.requests
    assert request.path == "/api/daily_papers"
    assert request.query == {"date": "2026-06-12", "limit": "100", "p": "0"}


async def test_week_pages_until_a_short_page(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    papers = await hf.listed_papers({"week": "2026-W20"})

    assert len(papers) == 224
    assert len({p.id for p in papers}) == 224
    queries = [r.query for r in hf_server.requests]
    assert [q["p"] for q in queries] == ["0", "1", "2"]
    assert {q["week"] for q in queries} == {"2026-W20"}
    assert all("date" not in q for q in queries)


async def test_month_pages_until_a_short_page(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    papers = await hf.listed_papers({"month": "2025-10"})

    assert len(papers) == 614
    assert {p.hf_daily_date.month for p in papers if p.hf_daily_date} == {10}
    assert [r.query["p"] for r in hf_server.requests] == [str(n) for n in range(7)]
    assert {r.query["month"] for r in hf_server.requests} == {"2025-10"}


async def test_a_full_last_page_is_followed_by_one_empty_page(
    transport: httpx.AsyncHTTPTransport,
) -> None:
    template = recorded_items()[0]
    items = [
        {**template, "paper": {**template["paper"], "id": f"2405.{n:05d}"}} for n in range(200)
    ]
    with FakeHfServer(HfCatalog.from_items(items)) as server:
        async with HuggingFaceClient(server.base_url, transport=transport) as client:
            papers = await client.daily_papers(date(2024, 5, 27))

    assert len(papers) == 200
    assert [r.query["p"] for r in server.requests] == ["0", "1", "2"]


async def test_papers_repeated_across_pages_are_kept_once(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    month = hf_server.catalog.days(date(2025, 10, 1), date(2025, 10, 31))
    hf_server.respond_next(json=month[:100], path="/api/daily_papers")
    hf_server.respond_next(json=month[60:130], path="/api/daily_papers")  # 40 seen, 30 new

    papers = await hf.daily_papers(date(2025, 10, 1))

    assert [p.id for p in papers] == [item["paper"]["id"] for item in month[:130]]


async def test_a_server_ignoring_p_cannot_keep_the_client_paging(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    same_page = hf_server.catalog.days(date(2025, 10, 1), date(2025, 10, 31))[:100]
    hf_server.respond_next(json=same_page, times=5, path="/api/daily_papers")

    papers = await hf.daily_papers(date(2025, 10, 1))

    assert len(papers) == 100
    assert len(hf_server.requests) == 2


# -- one paper --------------------------------------------------------------------------------


async def test_paper_by_id_reads_the_inner_paper_object(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    paper = await hf.paper("2606.10423")

    assert paper.id == "2606.10423"
    assert paper.hf_daily_date == JUNE_12
    assert paper.github_stars == 2
    assert hf_server.requests[0].path == "/api/papers/2606.10423"


async def test_hidden_authors_still_count_as_authors(hf: HuggingFaceClient) -> None:
    paper = await hf.paper("2406.06263")

    assert paper.authors[0] == "Amir Hossein Kargaran"  # hidden: true on HF
    assert len(paper.authors) == 3


async def test_unknown_paper_raises_paper_not_found(hf: HuggingFaceClient) -> None:
    with pytest.raises(PaperNotFound) as raised:
        await hf.paper("2401.99999")

    assert raised.value.paper_id == "2401.99999"


async def test_paper_id_cannot_escape_its_path_segment(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    with pytest.raises(PaperNotFound):
        await hf.paper("../daily_papers")

    assert hf_server.requests[0].path == "/api/papers/..%2Fdaily_papers"


# -- bad requests -----------------------------------------------------------------------------


async def test_invalid_date_raises_invalid_request_with_the_servers_message(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    with pytest.raises(InvalidRequest, match="Invalid date"):
        await hf.listed_papers({"date": "2026-02-30"})

    assert len(hf_server.requests) == 1  # a 400 is never retried


async def test_impossible_month_raises_invalid_request(hf: HuggingFaceClient) -> None:
    with pytest.raises(InvalidRequest, match="Invalid month"):
        await hf.listed_papers({"month": "2026-13"})


async def test_limit_above_100_is_rejected_like_hf(
    hf_server: FakeHfServer, transport: httpx.AsyncHTTPTransport
) -> None:
    """The fake, like HF, serves at most ``PAGE_LIMIT`` items a page: the client asks that many."""
    query = {"date": "2026-06-12", "p": "0", "limit": str(PAGE_LIMIT + 1)}
    async with httpx.AsyncClient(base_url=hf_server.base_url, transport=transport) as http:
        answer = await http.get("/api/daily_papers", params=query)
    assert answer.status_code == 400
    assert "limit" in answer.json()["error"]


# -- search -----------------------------------------------------------------------------------


async def test_search_matches_titles_and_truncates_to_limit(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    papers = await hf.search("Attention", 5)

    assert len(papers) == 5
    assert all("attention" in p.title.lower() for p in papers)
    [request] = hf_server.requests
    assert request.path == "/api/papers/search"
    assert request.query == {"q": "Attention", "limit": "5"}


async def test_search_truncates_even_when_the_server_sends_more(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.respond_next(json=hf_server.catalog.search("attention")[:20])

    assert len(await hf.search("attention", 3)) == 3


async def test_search_accepts_bare_paper_objects(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    hf_server.respond_next(
        json=[
            {
                "id": "2409.07146",
                "title": "Gated Slot Attention for Efficient\n  Linear-Time Sequence Modeling",
                "thumbnailUrl": "https://cdn-thumbnails.huggingface.co/x/2409.07146.png",
                "source": "hf",
            }
        ]
    )

    [paper] = await hf.search("gated slot attention", 10)

    assert paper.id == "2409.07146"
    assert paper.title == "Gated Slot Attention for Efficient Linear-Time Sequence Modeling"
    assert paper.thumbnail == "https://cdn-thumbnails.huggingface.co/x/2409.07146.png"
    assert paper.summary == ""


async def test_search_with_no_room_for_results_asks_nothing(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    assert await hf.search("attention", 0) == []
    assert await hf.search("   ", 10) == []
    assert hf_server.requests == []


# -- what we send -----------------------------------------------------------------------------


async def test_token_is_sent_as_bearer_and_user_agent_names_paperbot(
    hf_server: FakeHfServer,
) -> None:
    # The client's own default transport, for once.
    async with HuggingFaceClient(hf_server.base_url, token="hf_test_token") as client:
        await client.daily_papers(JUNE_12)

    headers = hf_server.requests[0].headers
    assert headers["authorization"] == "Bearer hf_test_token"
    assert headers["user-agent"] == "paperbot/0.1"


async def test_no_authorization_header_without_a_token(
    hf: HuggingFaceClient, hf_server: FakeHfServer
) -> None:
    await hf.daily_papers(JUNE_12)

    assert "authorization" not in hf_server.requests[0].headers


async def test_fetched_at_is_the_time_of_the_fetch(hf: HuggingFaceClient) -> None:
    before = datetime.now(UTC)
    [paper, *_] = await hf.daily_papers(JUNE_12)

    assert paper.fetched_at is not None
    assert before <= paper.fetched_at <= datetime.now(UTC)
