"""The search grammar at its edges: limit bounds, error messages, short exclusions, long phrases.

Found by mutation testing (docs/testing.md): each case here was unguarded.
"""

from __future__ import annotations

import pytest

from bot.search_query import MAX_LIMIT, MAX_TERMS, parse_search_query
from bot.usage import UsageError


def test_limit_takes_one_and_clamps_six_digit_numbers() -> None:
    assert parse_search_query("lora limit:1").limit == 1
    assert parse_search_query("lora limit:999999").limit == MAX_LIMIT


@pytest.mark.parametrize(
    ("text", "named"),
    [("lora limit:0", "limit:"), ("lora limit:1234567", "limit:"), ("lora since:soon", "since:")],
)
def test_bad_filter_values_raise_an_error_naming_the_filter(text: str, named: str) -> None:
    with pytest.raises(UsageError, match=named):
        parse_search_query(text)


def test_a_one_letter_exclusion_is_still_an_exclusion() -> None:
    query = parse_search_query("lora -x")
    assert query.excluded == ("x",)
    assert query.terms == ("lora",)


def test_a_phrase_of_stopwords_keeps_a_word_to_search_for() -> None:
    query = parse_search_query('"of the"')
    assert (query.terms, query.phrases) == (("the",), ())


def test_a_phrase_keeps_its_first_eight_words() -> None:
    query = parse_search_query('"one two three four five six seven eight nine ten"')
    assert query.phrases == (("one", "two", "three", "four", "five", "six", "seven", "eight"),)


@pytest.mark.parametrize("text", ['"lora of the"', '"of the lora"', '"the lora of"'])
def test_a_phrase_sheds_every_stopword_at_its_ends_down_to_its_one_content_word(text: str) -> None:
    query = parse_search_query(text)
    assert (query.terms, query.phrases) == (("lora",), ())


def test_a_phrase_sheds_stopwords_at_both_ends_and_keeps_those_inside() -> None:
    query = parse_search_query('"the state of the art of"')
    assert (query.terms, query.phrases) == ((), (("state", "of", "the", "art"),))


@pytest.mark.parametrize("text", ["the author:dao", "the adapt*"])
def test_a_stopword_beside_an_author_filter_or_a_prefix_is_dropped(text: str) -> None:
    assert parse_search_query(text).terms == ()


def test_a_long_query_is_reported_cut_only_when_words_were_left_out() -> None:
    repeated = parse_search_query("lora " * (MAX_TERMS + 6))
    assert (repeated.terms, repeated.truncated) == (("lora",), False)
    mixed = " ".join([f"w{i}" for i in range(MAX_TERMS)] + [f"-x{i}" for i in range(MAX_TERMS)])
    every_kind_full = parse_search_query(f'{mixed} p* "low rank" llm-as-judge')
    assert len(every_kind_full.terms) == len(every_kind_full.excluded) == MAX_TERMS
    assert not every_kind_full.truncated
    one_too_many = parse_search_query(" ".join(f"-x{i}" for i in range(MAX_TERMS + 1)))
    assert (len(one_too_many.excluded), one_too_many.truncated) == (MAX_TERMS, True)


def test_an_author_filter_keeps_its_first_eight_words() -> None:
    query = parse_search_query('lora author:"a b c d e f g h i j"')
    assert query.author == ("a", "b", "c", "d", "e", "f", "g", "h")


def test_a_stopword_beside_only_words_or_only_a_phrase_is_dropped() -> None:
    assert parse_search_query("the lora").terms == ("lora",)
    beside_a_phrase = parse_search_query('the "low rank"')
    assert (beside_a_phrase.terms, beside_a_phrase.phrases) == ((), (("low", "rank"),))


def test_a_hyphenated_exclusion_excludes_its_first_word_only() -> None:
    assert parse_search_query("lora -vision-language").excluded == ("vision",)
