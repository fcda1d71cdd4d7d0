"""Filters read alike in any case: phone keyboards capitalise the first letter of a word."""

from __future__ import annotations

from datetime import date

import pytest

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.model.search import SearchQuery
from bot.reply import Heading
from bot.search_query import parse_search_query
from tests.support.invoke import ask

LOWER = "video author:lin limit:2 since:2026-01-01"


@pytest.mark.parametrize(
    "typed",
    [
        "Video Author:Lin Limit:2 Since:2026-01-01",
        "video AUTHOR:lin LIMIT:2 SINCE:2026-01-01",
        'video Author:"Lin" lImIt:2 sInCe:2026-01-01',
    ],
)
def test_filter_names_are_read_in_any_case(typed: str) -> None:
    expected = SearchQuery(terms=("video",), author=("lin",), since=date(2026, 1, 1), limit=2)
    assert parse_search_query(LOWER) == expected
    assert parse_search_query(typed) == expected


async def test_a_capitalised_filter_filters_the_search_as_its_lower_case_form(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    typed = await ask(dispatcher, deps, "search video Author:Lin LIMIT:2 Since:2026-01-01")
    assert typed == await ask(dispatcher, deps, f"search {LOWER}")
    assert typed.parts[0] == Heading("Papers matching 'video author:lin since:2026-01-01'")
    assert len(typed.papers) == 2
    for paper in typed.papers:
        assert paper.published_at is not None
        assert paper.published_at.date() >= date(2026, 1, 1)
        assert any(name.split()[-1] == "Lin" for name in paper.authors)
