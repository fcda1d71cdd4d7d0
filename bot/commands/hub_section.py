"""The lines under ``paper``'s card that say what the paper has on the Hugging Face Hub:
how many models, datasets and Spaces cite it, and the most liked few of each, linked."""

from __future__ import annotations

from bot.model.hub import HubCitations, HubKind
from bot.reply import Link, Span, Text, plural

TOP = 3  # repositories shown per kind
_KINDS: tuple[tuple[HubKind, str], ...] = (
    ("model", "model"),
    ("dataset", "dataset"),
    ("space", "Space"),
)


def hub_section(citations: HubCitations) -> tuple[Text, ...]:
    if citations.empty:
        return (Text("No model, dataset or Space on the Hugging Face Hub cites it yet.", "muted"),)
    counts = ", ".join(
        f"{citations.count(kind)} {plural(noun, len(citations.of(kind)))}" for kind, noun in _KINDS
    )
    lines = [Text(f"On the Hugging Face Hub: {counts}.", "muted")]
    for kind, noun in _KINDS:
        repos = citations.of(kind)[:TOP]
        if not repos:
            continue
        spans: list[Span] = [f"Most liked {noun}s: "]
        for index, repo in enumerate(repos):
            spans += [", "] if index else []
            spans += [Link(repo.url, repo.repo_id), f" ♥ {repo.likes:,}"]
        lines.append(Text(tuple(spans)))
    return tuple(lines)
