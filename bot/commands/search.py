"""``search``: the local catalog first, Hugging Face's own search to fill up a short answer."""

from __future__ import annotations

from sqlmodel import Session

from bot.cards import paper_cards
from bot.commands.spec import Command, Context, Option
from bot.model import Paper
from bot.model.search import SearchQuery
from bot.reply import Heading, Part, Reply, Text
from bot.search_query import MAX_LIMIT, parse_search_query, words
from bot.sources.errors import SourceError
from bot.usage import UsageError
from storage.papers import upsert_papers
from storage.search import SearchResult, search_catalog

FEW_WORDS = 4  # up to this many, a query that no paper matches in full asks Hugging Face too


async def run_search(ctx: Context, args: str) -> Reply:
    query = parse_search_query(args)
    if query.is_empty:
        raise UsageError("Tell me what to search for.")

    index = ctx.deps.db.search_index
    local: SearchResult = await ctx.deps.db.read(lambda s: search_catalog(s, query, index))
    papers = list(local.papers)
    notes: list[Part] = []
    # A few words that no paper has together: Hugging Face may know one that has them all. A
    # sentence never matches every word; its best matches are already ranked first.
    partial = local.matched_any and _word_count(query) <= FEW_WORDS
    if query.has_text and (len(papers) < query.limit or partial):
        papers, note = await _fill_from_source(ctx, query, papers, exact=not partial)
        if note:
            notes.append(Text(note, "muted"))

    if not papers:
        return Reply(
            (
                Text(f"No papers match {query.describe()!r}.", "plain"),
                Text("Try fewer or shorter words, a word* prefix, or drop a filter.", "muted"),
                *notes,
            )
        )

    def cards(session: Session) -> Reply:
        heading = f"Papers matching {query.describe()!r}"
        parts: list[Part] = [Heading(heading)]
        if partial and papers == local.papers:
            parts.append(Text("No paper has every word; these have some of them.", "muted"))
        if query.truncated:
            parts.append(Text("The query was long; only its first words were used.", "muted"))
        return Reply((*parts, *notes, *paper_cards(session, ctx.invocation, papers)))

    return await ctx.deps.db.read(cards)


def _of_organization(paper: Paper, wanted: tuple[str, ...]) -> bool:
    """``org:``'s words in a row in the organization's handle or name, as the index matches."""
    for name in (paper.organization, paper.organization_name):
        found = words(name or "")
        if any(tuple(found[i : i + len(wanted)]) == wanted for i in range(len(found))):
            return True
    return False


def _word_count(query: SearchQuery) -> int:
    return len(query.terms) + len(query.prefixes) + len(query.phrases) + len(query.joined)


async def _fill_from_source(
    ctx: Context, query: SearchQuery, papers: list[Paper], *, exact: bool
) -> tuple[list[Paper], str | None]:
    """Ask Hugging Face for more; its finds join the catalog so they can be voted on."""
    phrases = (" ".join(p) for p in (*query.phrases, *query.joined))
    words = " ".join([*query.terms, *query.prefixes, *phrases])
    await ctx.progress("Asking Hugging Face for more papers…")
    try:
        found = await ctx.deps.source.search(words, query.limit)
    except SourceError as error:
        return papers, f"Showing the local catalog only: {error}"
    if query.since:
        found = [p for p in found if p.published_at and p.published_at.date() >= query.since]
    if query.organization:
        found = [p for p in found if _of_organization(p, query.organization)]
    known = {p.id for p in papers}
    extra = [p for p in found if p.id not in known]
    if not extra:
        return papers, None
    await ctx.deps.db.write(lambda s: upsert_papers(s, extra))
    merged = papers + extra if exact else extra + papers
    return merged[: query.limit], None


SEARCH = Command(
    name="search",
    usage=f'search <words> ["a phrase"] [word*] [-word] [author:NAME] [org:NAME] '
    f"[since:YYYY-MM-DD] [limit:1-{MAX_LIMIT}]",
    summary="search papers by title, keywords, abstract and authors",
    handler=run_search,
    examples=(
        "search linear attention",
        'search "direct preference" author:rafailov limit:3',
        'search diffusion org:"Google DeepMind"',
    ),
    options=(
        Option(
            "query",
            'Words, "a phrase", word*, -word, author:NAME, org:NAME, since:YYYY-MM-DD',
            required=True,
        ),
        Option(
            "limit",
            f"How many papers to show (1-{MAX_LIMIT})",
            "number",
            low=1,
            high=MAX_LIMIT,
            written="limit:{}",
        ),
    ),
)
