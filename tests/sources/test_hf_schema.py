"""Our model of HF's wire format holds for every recorded item, old and new, and for the quirks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from bot.sources.hf.schema import (
    DailyPaperItem,
    HfPaper,
    hf_paper_to_paper,
    parse_search_hit,
    to_paper,
)
from loopback.hf import recorded_items

FETCHED = datetime(2026, 6, 13, 8, 0, tzinfo=UTC)


def item(**paper: Any) -> dict[str, Any]:
    return {"paper": {"id": "2606.00001", "title": "A title", **paper}}


def test_every_recorded_item_parses_into_a_paper() -> None:
    raw = recorded_items()

    papers = [to_paper(DailyPaperItem.model_validate(entry), FETCHED) for entry in raw]

    assert len(papers) == 8_506 + 30
    assert len({p.id for p in papers}) == len(papers)
    assert all(p.title and "\n" not in p.title and "  " not in p.title for p in papers)
    assert all(p.hf_daily_date is not None for p in papers)
    assert all(p.authors for p in papers)
    assert all(p.published_at is not None and p.published_at.tzinfo == UTC for p in papers)


def test_old_items_without_submitted_on_daily_at_or_ai_fields_parse() -> None:
    entry = item(publishedAt="2024-05-23T02:53:25.000Z", upvotes=7)
    entry["_daily_date"] = "2024-05-27"

    paper = to_paper(DailyPaperItem.model_validate(entry), FETCHED)

    assert paper.hf_daily_date == date(2024, 5, 27)
    assert paper.ai_summary is None
    assert paper.ai_keywords == ()
    assert paper.github_repo is None


def test_submitted_on_daily_at_wins_over_the_fallback_date() -> None:
    entry = item(submittedOnDailyAt="2026-06-12T00:00:00.000Z")
    entry["_daily_date"] = "2026-06-11"

    paper = to_paper(DailyPaperItem.model_validate(entry), FETCHED)

    assert paper.hf_daily_date == date(2026, 6, 12)


def test_without_any_daily_date_the_paper_has_none() -> None:
    paper = hf_paper_to_paper(HfPaper.model_validate(item()["paper"]), FETCHED)

    assert paper.hf_daily_date is None


def test_hard_line_breaks_in_titles_collapse_to_single_spaces() -> None:
    entry = item(title="AutoCoder: Enhancing Code Large Language Model with\n  AIEV-Instruct ")

    paper = to_paper(DailyPaperItem.model_validate(entry), FETCHED)

    assert paper.title == "AutoCoder: Enhancing Code Large Language Model with AIEV-Instruct"


def test_wrapped_abstracts_are_unwrapped_but_keep_paragraphs() -> None:
    entry = item(summary="First line\nwraps here.\n\nSecond\n paragraph.\n")

    paper = to_paper(DailyPaperItem.model_validate(entry), FETCHED)

    assert paper.summary == "First line wraps here.\n\nSecond paragraph."


def test_a_missing_summary_is_empty_or_taken_from_the_item() -> None:
    bare = to_paper(DailyPaperItem.model_validate(item()), FETCHED)
    from_item = to_paper(DailyPaperItem.model_validate({**item(), "summary": "Top"}), FETCHED)

    assert bare.summary == ""
    assert from_item.summary == "Top"


def test_hidden_authors_are_authors() -> None:
    entry = item(authors=[{"name": "Shown", "hidden": False}, {"name": "Hidden", "hidden": True}])

    paper = to_paper(DailyPaperItem.model_validate(entry), FETCHED)

    assert paper.authors == ("Shown", "Hidden")


def test_thumbnail_falls_back_to_the_older_media_url() -> None:
    old = DailyPaperItem.model_validate({**item(), "mediaUrl": "https://cdn/x.png"})
    new = DailyPaperItem.model_validate(
        {**item(), "thumbnail": "https://cdn/t.png", "mediaUrl": "https://cdn/x.png"}
    )

    assert to_paper(old, FETCHED).thumbnail == "https://cdn/x.png"
    assert to_paper(new, FETCHED).thumbnail == "https://cdn/t.png"


def test_counts_and_links_come_from_where_hf_puts_them() -> None:
    entry = {
        "paper": {
            "id": "2606.00001",
            "title": "T",
            "upvotes": 12,
            "githubRepo": "https://github.com/a/b",
            "githubStars": 5,
            "projectPage": "https://a.github.io/b",
            "ai_summary": "Short.",
            "ai_keywords": ["x", "y"],
        },
        "numComments": 3,
        "upvotes": 999,  # not where HF keeps upvotes: ignored
    }

    paper = to_paper(DailyPaperItem.model_validate(entry), FETCHED)

    assert (paper.upvotes, paper.num_comments, paper.github_stars) == (12, 3, 5)
    assert paper.github_repo == "https://github.com/a/b"
    assert paper.project_page == "https://a.github.io/b"
    assert paper.ai_keywords == ("x", "y")


def test_datetimes_are_timezone_aware_utc() -> None:
    entry = item(publishedAt="2026-06-01T02:00:00+02:00", submittedOnDailyAt="2026-06-12T00:00:00")
    naive_fetch = datetime(2026, 6, 13, 8, 0)

    paper = to_paper(DailyPaperItem.model_validate(entry), naive_fetch)

    assert paper.published_at == datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    assert paper.published_at is not None
    assert paper.published_at.tzinfo == UTC
    assert paper.fetched_at == datetime(2026, 6, 13, 8, 0, tzinfo=UTC)
    assert paper.hf_daily_date == date(2026, 6, 12)


def test_fetched_at_in_another_zone_is_converted_to_utc() -> None:
    berlin = timezone(timedelta(hours=2))

    paper = to_paper(
        DailyPaperItem.model_validate(item()), datetime(2026, 6, 13, 10, tzinfo=berlin)
    )

    assert paper.fetched_at == datetime(2026, 6, 13, 8, tzinfo=UTC)
    assert paper.fetched_at is not None
    assert paper.fetched_at.tzinfo == UTC


def test_unknown_fields_are_ignored() -> None:
    entry = {**item(brandNewField={"x": 1}), "anotherNewField": [1, 2]}

    assert DailyPaperItem.model_validate(entry).paper.id == "2606.00001"


@pytest.mark.parametrize(
    "hit",
    [
        {"paper": {"id": "2409.07146", "title": "Gated Slot Attention"}, "numComments": 1},
        {"id": "2409.07146", "title": "Gated Slot Attention", "thumbnailUrl": "https://t/x.png"},
    ],
    ids=["daily-item-shape", "bare-paper-shape"],
)
def test_search_hits_parse_in_either_shape(hit: dict[str, Any]) -> None:
    paper = to_paper(parse_search_hit(hit), FETCHED)

    assert (paper.id, paper.title) == ("2409.07146", "Gated Slot Attention")


def test_the_recorded_day_carries_submitters_for_all_and_organizations_for_16() -> None:
    raw = recorded_items()[-30:]

    papers = {p.id: p for p in (to_paper(DailyPaperItem.model_validate(e), FETCHED) for e in raw)}

    assert all(p.submitted_by for p in papers.values())
    assert sum(1 for p in papers.values() if p.organization) == 16
    caltech = papers["2606.00467"]
    assert (caltech.organization, caltech.organization_name) == (
        "caltech",
        "California institute of technology",
    )
    assert (caltech.submitted_by, caltech.submitted_by_name) == ("RKocielnik", "Rafal Kocielnik")
    assert papers["2606.12730"].organization is None


def test_a_paper_page_names_its_submitter_and_organization_inside_the_paper() -> None:
    entry = item(
        submittedOnDailyBy={"name": "ak", "fullname": "AK"},
        organization={"name": "google", "fullname": "Google"},
    )

    paper = hf_paper_to_paper(HfPaper.model_validate(entry["paper"]), FETCHED)

    assert (paper.submitted_by, paper.submitted_by_name) == ("ak", "AK")
    assert (paper.organization, paper.organization_name) == ("google", "Google")


@pytest.mark.parametrize("owner", [{}, {"name": ""}, {"name": 7}, "google", []])
def test_an_owner_without_a_handle_is_left_out_and_the_paper_kept(owner: object) -> None:
    entry = item()
    entry["organization"] = owner
    entry["submittedBy"] = {"name": "ak", "fullname": None}

    paper = to_paper(DailyPaperItem.model_validate(entry), FETCHED)

    assert paper.organization is None
    assert (paper.submitted_by, paper.submitted_by_name) == ("ak", "ak")
