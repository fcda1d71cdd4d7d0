"""The bundled sample catalog: 8,500+ real Daily Papers, so a fresh install has something to show.

Built from the recorded fixtures by ``scripts/build_sample.py``; stored in HF's own item format,
so it goes through the same schema (and the same fixes) as a live API answer.
"""

from __future__ import annotations

import gzip
from datetime import datetime
from importlib import resources

from bot.model import Paper
from bot.sources.hf.schema import DailyPaperItem, to_paper

SAMPLE_PACKAGE = "bot.data"
SAMPLE_FILE = "sample_papers.jsonl.gz"


def load_sample_papers(fetched_at: datetime) -> list[Paper]:
    """Every paper of the packaged sample, in file order (by daily date, then id)."""
    source = resources.files(SAMPLE_PACKAGE).joinpath(SAMPLE_FILE)
    with source.open("rb") as packed, gzip.open(packed, "rb") as lines:
        return [
            to_paper(DailyPaperItem.model_validate_json(line), fetched_at)
            for line in lines
            if line.strip()
        ]
