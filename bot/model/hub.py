"""What a paper has on the Hugging Face Hub: the models, datasets and Spaces that cite it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

HubKind = Literal["model", "dataset", "space"]
HUB_URL = "https://huggingface.co"
_PREFIX: dict[HubKind, str] = {"model": "", "dataset": "datasets/", "space": "spaces/"}


@dataclass(frozen=True, slots=True)
class HubRepo:
    """One repository on the Hub (``owner/name``) and its likes."""

    kind: HubKind
    repo_id: str
    likes: int = 0

    @property
    def url(self) -> str:
        return f"{HUB_URL}/{_PREFIX[self.kind]}{self.repo_id}"


@dataclass(frozen=True, slots=True)
class HubCitations:
    """The repositories whose cards cite a paper (tag ``arxiv:<id>``), most liked first, at
    most ``asked`` of each kind: a kind with that many may have more."""

    models: tuple[HubRepo, ...] = ()
    datasets: tuple[HubRepo, ...] = ()
    spaces: tuple[HubRepo, ...] = ()
    asked: int = field(default=100)

    def of(self, kind: HubKind) -> tuple[HubRepo, ...]:
        return {"model": self.models, "dataset": self.datasets, "space": self.spaces}[kind]

    def count(self, kind: HubKind) -> str:
        """How many cite it: ``"100+"`` when the Hub answered as many as were asked for."""
        found = len(self.of(kind))
        return f"{found}+" if found >= self.asked else str(found)

    @property
    def empty(self) -> bool:
        return not (self.models or self.datasets or self.spaces)
