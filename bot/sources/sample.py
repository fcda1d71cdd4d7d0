"""The bundled sample catalog: 8,500+ real Daily Papers, so a fresh install has something to show.

Built from the recorded fixtures by ``scripts/build_sample.py``; stored in HF's own item format,
so it goes through the same schema (and the same fixes) as a live API answer.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib import resources

from bot.model import Paper
from bot.sources.hf.schema import DailyPaperItem, to_paper

SAMPLE_PACKAGE = "bot.data"
SAMPLE_FILE = "sample_papers.jsonl.gz"


def load_sample_papers(fetched_at: datetime) -> list[Paper]:
    """Every paper of the packaged sample, in file order (by daily date, then id)."""
    with _sample_lines() as lines:
        return [
            to_paper(DailyPaperItem.model_validate_json(line), fetched_at)
            for line in lines
            if line.strip()
        ]


def first_sample_id() -> str:
    """The id of the sample's first paper, read without decompressing the rest."""
    with _sample_lines() as lines:
        return _paper_id(next(line for line in lines if line.strip()))


def last_sample_id() -> str:
    """The id of the sample's last paper: the whole file is decompressed, none of it parsed."""
    last = b""
    with _sample_lines() as lines:
        for line in lines:
            if line.strip():
                last = line
    return _paper_id(last)


def _paper_id(line: bytes) -> str:
    return DailyPaperItem.model_validate_json(line).paper.id


@contextmanager
def _sample_lines() -> Iterator[gzip.GzipFile]:
    source = resources.files(SAMPLE_PACKAGE).joinpath(SAMPLE_FILE)
    with source.open("rb") as packed, gzip.open(packed, "rb") as lines:
        yield lines
