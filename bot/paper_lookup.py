"""One paper by arXiv id: from the catalog, else fetched from Hugging Face and stored, so a card
never shows a paper that a click or a later command could not find again."""

from __future__ import annotations

from bot.deps import Deps, Progress, no_progress
from bot.model import Paper
from storage.papers import get_paper, upsert_papers


async def lookup_paper(deps: Deps, paper_id: str, progress: Progress = no_progress) -> Paper:
    """The catalog's copy, or Hugging Face's (stored before it is returned); ``progress`` hears
    of the fetch. Raises ``PaperNotFound`` or ``SourceError`` as the source does."""
    paper = await deps.db.read(lambda s: get_paper(s, paper_id))
    if paper is not None:
        return paper
    await progress(f"{paper_id} is not in the catalog yet; asking Hugging Face…")
    fetched = await deps.source.paper(paper_id)
    await deps.db.write(lambda s: upsert_papers(s, [fetched]))
    return fetched
