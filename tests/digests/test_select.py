"""Choosing a digest's papers: keywords, minimum upvotes, the 7-day rule, ranking, top N."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial

from bot.digests.select import select_papers
from bot.model import SentMessage
from bot.model.digests import DigestSpec, RunState
from storage.posted_messages import record_posted
from tests.digests.helpers import Desk, channel, local, paper

THU = date(2026, 6, 11)
DUE = local("2026-06-12 09:00", "Europe/Berlin")

PAPERS = [
    paper("1", THU, 40, "Reward Models for RLHF", summary="We study preference learning."),
    paper("2", THU, 90, "A world model for robots", summary="Video prediction."),
    paper("3", THU, 20, "Scaling laws", ai_keywords=("reward  modeling", "scaling")),
    paper("4", THU, 60, "Direct preference optimisation", summary="No reward model needed."),
    paper("5", THU, 5, "Another RLHF trick"),
]


def ids(spec: DigestSpec, shown: set[str] | None = None) -> list[str]:
    return [p.id for p in select_papers(PAPERS, spec, shown or set()).papers]


def test_ranks_by_upvotes_and_keeps_the_top_n() -> None:
    assert ids(DigestSpec(top_n=3)) == ["2", "4", "1"]


def test_keywords_match_title_ai_keywords_and_abstract_at_word_starts() -> None:
    spec = DigestSpec(keywords=("reward model",), top_n=10)
    assert ids(spec) == ["4", "1", "3"]  # abstract, title (plural), keywords (other spacing)
    assert ids(DigestSpec(keywords=("rl",), top_n=10)) == ["1", "5"]  # RLHF, never "world"
    assert ids(DigestSpec(keywords=("rlhf", "robots"), top_n=10)) == ["2", "1", "5"]


def test_any_of_the_ai_keywords_may_match() -> None:
    tagged = paper("6", THU, 1, "Scaling laws", ai_keywords=("scaling", "reward modeling"))
    spec = DigestSpec(keywords=("reward model",))
    assert [p.id for p in select_papers([tagged], spec, set()).papers] == ["6"]


def test_equal_upvotes_rank_by_comments_then_by_id() -> None:
    tied = [
        paper("b", THU, 7, num_comments=1),
        paper("c", THU, 7, num_comments=4),
        paper("a", THU, 7, num_comments=1),
    ]
    assert [p.id for p in select_papers(tied, DigestSpec(), set()).papers] == ["c", "a", "b"]


def test_minimum_upvotes_and_the_seven_day_rule() -> None:
    assert ids(DigestSpec(min_upvotes=40, top_n=10)) == ["2", "4", "1"]
    selection = select_papers(PAPERS, DigestSpec(min_upvotes=40, top_n=10), {"2"})
    assert [p.id for p in selection.papers] == ["4", "1"]
    assert selection.already_shown == 1


def test_empty_selections_say_why() -> None:
    assert select_papers([], DigestSpec(), set()).why_empty() == "Hugging Face listed no papers"
    no_match = select_papers(PAPERS, DigestSpec(keywords=("quantum",)), set())
    assert no_match.why_empty() == "none of the 5 papers matched the filters"
    seen = select_papers(PAPERS[:1], DigestSpec(), {"1"})
    assert "shown in this channel in the last 7 days" in seen.why_empty()


async def test_a_digest_leaves_out_what_the_channel_saw_this_week(desk: Desk) -> None:
    desk.add_papers(*PAPERS)
    shown_at = datetime(2026, 6, 9, tzinfo=UTC)
    old_at = datetime(2026, 6, 1, tzinfo=UTC)  # 11 days before: may be shown again
    for where, ref, paper_id, at in (
        ("C1", "m-old", "4", old_at),
        ("C1", "m-new", "2", shown_at),
        ("C2", "m-c2", "1", shown_at),  # another channel's digest does not count
    ):
        messages = [SentMessage(ref, (paper_id,))]
        desk.db.write_now(
            partial(record_posted, channel=channel(where), messages=messages, posted_at=at)
        )
    sub = desk.subscribe('daily 09:00 Europe/Berlin top 3 keywords "reward model, robot"')
    assert await desk.fire(sub, DUE) is RunState.POSTED
    [post] = desk.poster.in_channel()
    assert post.paper_ids == ["4", "1", "3"]  # "2" was shown in C1 three days ago
    assert "keywords: reward model, robot" in post.text


async def test_nothing_matching_skips_the_day_and_says_why(desk: Desk) -> None:
    desk.add_papers(*PAPERS)
    sub = desk.subscribe("daily 09:00 Europe/Berlin keywords quantum min-upvotes 1")
    assert await desk.fire(sub, DUE) is RunState.SKIPPED
    run = desk.run(sub, THU)
    assert run is not None
    assert run.error == "none of the 5 papers matched the filters for Thu 11 Jun"
    assert desk.poster.posts == []


LABS = [
    paper("d1", THU, 30, organization="google-deepmind", organization_name="Google DeepMind"),
    paper("d2", THU, 20, organization="google", organization_name="Google"),
    paper("d3", THU, 50, authors=("Niccolò Biondi", "Yann LeCun")),
    paper("d4", THU, 10, authors=("Adam Smith",), organization="meta", organization_name="Meta"),
]


def lab_ids(spec: DigestSpec) -> list[str]:
    return [p.id for p in select_papers(LABS, spec, set()).papers]


def test_an_organization_matches_its_display_name_or_handle_in_whole_words() -> None:
    assert lab_ids(DigestSpec(organizations=("Google DeepMind",))) == ["d1"]
    assert lab_ids(DigestSpec(organizations=("google",))) == ["d1", "d2"]
    assert lab_ids(DigestSpec(organizations=("deepmind", "META"))) == ["d1", "d4"]
    assert lab_ids(DigestSpec(organizations=("goog",))) == []


def test_authors_match_whole_names_in_any_case_and_without_accents() -> None:
    assert lab_ids(DigestSpec(authors=("niccolo biondi",))) == ["d3"]
    assert lab_ids(DigestSpec(authors=("LeCun", "Adam Smith"))) == ["d3", "d4"]
    assert lab_ids(DigestSpec(authors=("Ada",))) == []


def test_every_kind_of_filter_must_hold_and_a_paper_without_an_organization_fails_it() -> None:
    spec = DigestSpec(organizations=("meta",), authors=("Adam Smith", "LeCun"))
    assert lab_ids(spec) == ["d4"]
    selection = select_papers(LABS, DigestSpec(organizations=("nvidia",)), set())
    assert selection.why_empty() == "none of the 4 papers matched the filters"
