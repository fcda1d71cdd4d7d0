"""``paper`` shows what cites the paper on the Hub under its card, and still answers with the
card alone when the Hub does not."""

from __future__ import annotations

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.model.hub import HubCitations, HubRepo
from bot.reply import Link, PaperCard, Text
from bot.sources.errors import UpstreamUnavailable
from loopback.ports import FakeSource
from tests.support.invoke import ask, texts

PAPER = "2606.00467"


def cited_by(models: int, spaces: int = 0) -> HubCitations:
    return HubCitations(
        models=tuple(HubRepo("model", f"org/m{i}", 100 - i) for i in range(models)),
        spaces=tuple(HubRepo("space", f"org/s{i}", 5) for i in range(spaces)),
    )


async def test_the_card_comes_with_counts_and_the_most_liked_repositories_linked(
    dispatcher: Dispatcher, deps: Deps, fake_source: FakeSource
) -> None:
    fake_source.hub[PAPER] = cited_by(models=5, spaces=1)
    reply = await ask(dispatcher, deps, f"paper {PAPER}")
    assert isinstance(reply.parts[0], PaperCard)
    said = texts(reply)
    assert "On the Hugging Face Hub: 5 models, 0 datasets, 1 Space." in said
    links = [s for p in reply.parts if isinstance(p, Text) for s in p.spans if isinstance(s, Link)]
    assert [link.label for link in links] == ["org/m0", "org/m1", "org/m2", "org/s0"]
    assert links[-1].url == "https://huggingface.co/spaces/org/s0"
    assert "♥ 100" in said
    assert "datasets:" not in said  # a kind with nothing has no line of its own


async def test_a_paper_nothing_cites_says_so(
    dispatcher: Dispatcher, deps: Deps, fake_source: FakeSource
) -> None:
    reply = await ask(dispatcher, deps, f"paper {PAPER}")
    assert "No model, dataset or Space on the Hugging Face Hub cites it yet." in texts(reply)


async def test_without_the_hub_the_card_answers_alone(
    dispatcher: Dispatcher, deps: Deps, fake_source: FakeSource
) -> None:
    fake_source.failure = UpstreamUnavailable("Hugging Face is unavailable")
    reply = await ask(dispatcher, deps, f"paper {PAPER}")
    assert [type(p) for p in reply.parts] == [PaperCard]
    assert not reply.private
