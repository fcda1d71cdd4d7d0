"""Typed failures of a paper source, so callers can tell the user what went wrong."""

from __future__ import annotations


class SourceError(Exception):
    """Base class: the source could not answer."""


class PaperNotFound(SourceError):
    def __init__(self, paper_id: str) -> None:
        super().__init__(f"paper {paper_id} is not known to the source")
        self.paper_id = paper_id


class InvalidRequest(SourceError):
    """The source rejected what we asked (HTTP 400): a bug or bad user input, not worth retrying."""


class RateLimited(SourceError):
    """Still rate limited after the retries; ``retry_after`` says when trying again makes sense."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UpstreamUnavailable(SourceError):
    """5xx answers or network failures that outlasted the retries."""


class MalformedResponse(SourceError):
    """The source answered, but not with what its schema promises."""
