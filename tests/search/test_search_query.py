"""The search grammar: what users type becomes safe, structured words and filters."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.model.search import SearchQuery
from bot.search_query import MAX_LIMIT, MAX_TERMS, parse_search_query
from bot.usage import UsageError


def test_plain_words_become_lowercased_terms_and_nothing_else() -> None:
    assert parse_search_query("Linear ATTENTION") == SearchQuery(terms=("linear", "attention"))


def test_quoted_text_becomes_a_phrase_and_hyphenated_words_stay_joined() -> None:
    query = parse_search_query('"low rank" LLM-as-a-judge')
    assert query.phrases == (("low", "rank"),)
    assert query.joined == (("llm", "as", "a", "judge"),)


def test_prefixes_exclusions_and_filters() -> None:
    query = parse_search_query('adapt* -vision author:"Tri Dao" since:2024-01-31 limit:3')
    assert query.prefixes == ("adapt",)
    assert query.excluded == ("vision",)
    assert query.author == ("tri", "dao")
    assert query.since == date(2024, 1, 31)
    assert query.limit == 3


def test_limit_is_capped() -> None:
    assert parse_search_query("x limit:500").limit == MAX_LIMIT


@pytest.mark.parametrize("text", ["since:yesterday", "since:2024-13-01", "limit:0", "limit:many"])
def test_bad_filters_are_explained(text: str) -> None:
    with pytest.raises(UsageError):
        parse_search_query(text)


@pytest.mark.parametrize(
    "text", ['"unbalanced', "-", "*", "( AND ) NEAR", "🚀🚀", "'; DROP TABLE paper;--"]
)
def test_operator_characters_never_survive(text: str) -> None:
    query = parse_search_query(text)
    for word in (*query.terms, *query.prefixes, *query.excluded):
        assert word.isalnum() or "_" in word


def test_huge_queries_are_truncated() -> None:
    query = parse_search_query(" ".join(f"w{i}" for i in range(5000)))
    assert len(query.terms) == MAX_TERMS
    assert query.truncated


@given(st.text(max_size=300))
def test_any_text_parses_or_raises_a_query_error(text: str) -> None:
    try:
        query = parse_search_query(text)
    except UsageError:
        return
    assert 1 <= query.limit <= MAX_LIMIT
    assert all(w and all(c.isalnum() or c == "_" for c in w) for w in query.terms)


def test_stopwords_drop_out_unless_they_are_the_whole_query() -> None:
    query = parse_search_query('attention is all you need "the open" "a generic model"')
    assert query.terms == ("attention", "all", "you", "need", "open")
    assert query.phrases == (("generic", "model"),)
    assert parse_search_query("the").terms == ("the",)


@pytest.mark.parametrize("text", ["limit:١٢", "limit:99999999999999999999"])
def test_limits_are_plain_ascii_numbers(text: str) -> None:
    try:
        query = parse_search_query(f"lora {text}")
    except UsageError:
        return
    assert query.limit == MAX_LIMIT


def test_queries_are_read_as_nfkc_text() -> None:
    """Full-width letters and a superscript two read as what they look like (Unicode NFKC)."""
    assert parse_search_query("lora limit:²").limit == 2
    query = parse_search_query(
        "\uff4c\uff4f\uff52\uff41 \uff41\uff55\uff54\uff48\uff4f\uff52\uff1a\uff44\uff41\uff4f"
    )
    assert query.terms == ("lora",)
    assert query.author == ("dao",)
    assert parse_search_query("cafe\u0301").terms == ("caf\u00e9",)


def test_org_takes_a_name_or_a_quoted_name_and_is_described() -> None:
    query = parse_search_query('diffusion org:"Google DeepMind"')
    assert (query.terms, query.organization) == (("diffusion",), ("google", "deepmind"))
    assert query.describe() == "diffusion org:google deepmind"
    assert parse_search_query("ORG:Qwen").organization == ("qwen",)
    assert not parse_search_query("org:nvidia").is_empty
    assert parse_search_query("the org:nvidia").terms == ()  # a stopword beside a filter
