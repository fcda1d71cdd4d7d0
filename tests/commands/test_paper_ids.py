"""``paper`` accepts the ways people paste a paper, and nothing else."""

from __future__ import annotations

import pytest

from bot.paper_ids import is_paper_id, parse_paper_ref


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2406.12345", "2406.12345"),
        ("2406.12345v3", "2406.12345"),
        ("0704.0001", "0704.0001"),
        ("arXiv:2406.12345", "2406.12345"),
        ("https://huggingface.co/papers/2406.12345", "2406.12345"),
        ("hf.co/papers/2406.12345", "2406.12345"),
        ("https://huggingface.co/papers/2406.12345#community", "2406.12345"),
        ("https://arxiv.org/abs/2406.12345v2", "2406.12345"),
        ("https://arxiv.org/pdf/2406.12345.pdf", "2406.12345"),
        ("<https://arxiv.org/abs/2406.12345|arxiv.org/abs/2406.12345>", "2406.12345"),
        ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("２６０６．００４６７", "2606.00467"),  # typed on a full-width (CJK) keyboard
        ("https://arxiv.org/abs/２４０６.１２３４５", "2406.12345"),
    ],
)
def test_recognises_ids_and_links(text: str, expected: str) -> None:
    assert parse_paper_ref(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "lora", "2406", "24061.2345", "https://example.com/papers/2406.12345", "2406.12345; DROP"],
)
def test_rejects_what_is_not_a_paper(text: str) -> None:
    assert parse_paper_ref(text) is None


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("2406.12345", True),
        ("hep-th/9901001", True),
        ("math.GT/0309136", True),
        ("2406.12345v2", False),  # the catalog keys papers without their version
        ("arXiv:2406.12345", False),
        ("2406.12345\n", False),
        ("../../etc/passwd", False),
        ("", False),
    ],
)
def test_a_bare_paper_id_is_an_arxiv_id_as_the_catalog_keys_it(text: str, bare: bool) -> None:
    assert is_paper_id(text) is bare
