"""Which links in a message name papers: only links, the first to each paper, three at most."""

from __future__ import annotations

from bot.links import MAX_LINKS, paper_links, urls_in


def test_links_are_found_without_the_punctuation_or_markup_around_them() -> None:
    text = "see <https://arxiv.org/abs/2606.00467>, and (https://huggingface.co/papers/2606.00468)."
    assert urls_in(text) == (
        "https://arxiv.org/abs/2606.00467",
        "https://huggingface.co/papers/2606.00468",
    )


def test_bare_ids_and_other_sites_are_not_paper_links() -> None:
    assert paper_links(["2606.00467", "arxiv:2606.00467", "https://example.org/2606.00467"]) == {}


def test_the_first_link_to_each_paper_counts_and_at_most_three_papers() -> None:
    links = [
        "https://arxiv.org/pdf/2606.00467v2",
        "https://huggingface.co/papers/2606.00467",
        *(f"https://arxiv.org/abs/2606.0047{i}" for i in range(5)),
    ]
    found = paper_links(links)
    assert list(found.values()) == ["2606.00467", "2606.00470", "2606.00471"]
    assert len(found) == MAX_LINKS
    assert "https://arxiv.org/pdf/2606.00467v2" in found
