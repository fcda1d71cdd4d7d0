"""The search text analysis: what the index's schema keeps of each field."""

from __future__ import annotations

import pytest
import tantivy

from storage.search_text import SCHEMA, WORDS, Analysis, word_pairs


def test_only_titles_and_author_names_keep_word_positions() -> None:
    """Positions were a third of the index; elsewhere phrases are word pairs (docs/architecture)."""
    searcher = tantivy.Index(SCHEMA).searcher()

    def has_positions(field: str) -> bool:
        try:
            searcher.search(tantivy.Query.phrase_query(SCHEMA, field, ["a", "b"]), 1)
        except ValueError:
            return False
        return True

    fields = ["id", "text", "title", "keywords", "authors", "pairs"]
    assert [f for f in fields if has_positions(f)] == ["title", "authors"]


TRICKY = [
    "Low-Rank Adaptation (LoRA) of the models: x²y, Ⅻ, ⑴ and ½ in C++/C#, snake_case 3.14",
    "İstanbul ǅemal क़ि हिन्दी ñandú naïve café über—straße ﬁne ＡＢＣ 🚀 ℃ ㎏",
    "a" * 70 + " kept " + "é" * 40 + " " + "z" * 63 + " the of a",
    "\x00tabs\tand\u00a0spaces\u2003of\u3000every\x85kind\x1cend",
    "",
]


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_an_index_builds_analysis_gives_the_analyzers_words_and_pairs(text: str) -> None:
    """The build analyses each run of text once (``Analysis``); the index must hold exactly
    the words and word pairs the queries' analyzer gives, whatever the text holds."""
    analysis = Analysis(limit=3)  # small, so the memo is also emptied between texts
    for _ in range(2):  # the second time from the memo
        words, pairs = analysis.words(text)
        assert words.split() == WORDS.analyze(text)  # what the field's whitespace tokenizer finds
        assert pairs == " ".join(word_pairs(WORDS.analyze(text)))
