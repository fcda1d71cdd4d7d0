"""The search text analysis: what the index's schema keeps of each field."""

from __future__ import annotations

import tantivy

from storage.search_text import SCHEMA


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
