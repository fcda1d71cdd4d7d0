"""The Hugging Face Daily Papers API as a ``PaperSource``: paged, paced, retried, typed errors.

Every call goes through one path: wait for the pacer, send, and on 429/5xx/network failure wait
(the longer of our backoff and the server's hint) and try again, up to ``max_retries``. What
comes back is validated against our own schema; callers only ever see ``Paper`` values or a
``SourceError`` subclass, never an httpx or pydantic exception.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter, ValidationError

from bot.model import Paper
from bot.sources.errors import (
    InvalidRequest,
    MalformedResponse,
    PaperNotFound,
    RateLimited,
    UpstreamUnavailable,
)
from bot.sources.hf.pacing import (
    ANONYMOUS_CALLS_PER_WINDOW,
    TOKEN_CALLS_PER_WINDOW,
    WINDOW_SECONDS,
    RequestPacer,
)
from bot.sources.hf.retry import Backoff, rate_limit_state, server_wait
from bot.sources.hf.schema import (
    DailyPaperItem,
    HfPaper,
    hf_paper_to_paper,
    parse_search_hit,
    to_paper,
)

log = logging.getLogger(__name__)

USER_AGENT = "paperbot/0.1"
PAGE_LIMIT = 100  # HF answers 400 above this
MAX_PAGES = 1000  # a runaway guard: no real day, week or month comes close
MAX_SERVER_WAIT = WINDOW_SECONDS  # a hint beyond one quota window is not worth sleeping through

T = TypeVar("T")

_ITEMS = TypeAdapter(list[DailyPaperItem])
_RAW_LIST = TypeAdapter(list[dict[str, Any]])


def _utc_now() -> datetime:
    return datetime.now(UTC)


class HuggingFaceClient:
    """``PaperSource`` over ``https://huggingface.co/api``; one ``httpx.AsyncClient`` per instance.

    Use as ``async with HuggingFaceClient() as hf:`` or call ``aclose()`` when done.
    """

    def __init__(
        self,
        base_url: str = "https://huggingface.co",
        *,
        token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 20.0,
        max_retries: int = 5,
        pacer: RequestPacer | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers=headers,
            transport=transport,
            timeout=timeout,
            follow_redirects=True,
        )
        self._max_retries = max_retries
        self._sleep = sleep
        quota = TOKEN_CALLS_PER_WINDOW if token else ANONYMOUS_CALLS_PER_WINDOW
        self._pacer = pacer or RequestPacer(quota, WINDOW_SECONDS, sleep=sleep, clock=clock)
        self._backoff = Backoff()
        self._now = _utc_now

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- PaperSource ---------------------------------------------------------------------------

    async def daily_papers(self, day: date) -> list[Paper]:
        """All of ``day``'s Daily Papers; items lacking ``submittedOnDailyAt`` are dated ``day``."""
        return await self._all_pages({"date": day.isoformat()}, fallback_day=day)

    async def weekly_papers(self, iso_year: int, iso_week: int) -> list[Paper]:
        """Every paper of an ISO week (``week=2026-W24``)."""
        return await self._all_pages({"week": f"{iso_year:04d}-W{iso_week:02d}"})

    async def monthly_papers(self, year: int, month: int) -> list[Paper]:
        """Every paper of a calendar month (``month=2026-06``)."""
        return await self._all_pages({"month": f"{year:04d}-{month:02d}"})

    async def paper(self, paper_id: str) -> Paper:
        response = await self._get(f"/api/papers/{quote(paper_id, safe='')}", {}, paper_id)
        found = self._parse(response, lambda: HfPaper.model_validate_json(response.content))
        return hf_paper_to_paper(found, self._now())

    async def search(self, query: str, limit: int) -> list[Paper]:
        if limit <= 0 or not query.strip():
            return []
        response = await self._get("/api/papers/search", {"q": query, "limit": str(limit)})
        raw = self._parse(response, lambda: _RAW_LIST.validate_json(response.content))
        hits = self._parse(response, lambda: [parse_search_hit(item) for item in raw])
        fetched_at = self._now()
        return _unique(to_paper(hit, fetched_at) for hit in hits)[:limit]

    # -- building blocks -----------------------------------------------------------------------

    async def daily_papers_page(
        self, params: dict[str, str], page: int, limit: int = PAGE_LIMIT
    ) -> list[DailyPaperItem]:
        """One page of ``/api/daily_papers`` for a filter (``date``, ``week`` or ``month``)."""
        query = {**params, "limit": str(limit), "p": str(page)}
        response = await self._get("/api/daily_papers", query)
        return self._parse(response, lambda: _ITEMS.validate_json(response.content))

    async def _all_pages(
        self, params: dict[str, str], *, fallback_day: date | None = None
    ) -> list[Paper]:
        """Page with ``p`` until a short page. Stops too if a full page brings nothing new, so a
        server that ignores ``p`` cannot keep us looping."""
        papers: dict[str, Paper] = {}
        for page in range(MAX_PAGES):
            items = await self.daily_papers_page(params, page)
            fetched_at = self._now()
            before = len(papers)
            for item in items:
                if item.paper.id not in papers:
                    if fallback_day is not None and item.daily_date is None:
                        item = item.model_copy(update={"daily_date": fallback_day})
                    papers[item.paper.id] = to_paper(item, fetched_at)
            if len(items) < PAGE_LIMIT or len(papers) == before:
                break
        return list(papers.values())

    async def _get(
        self, path: str, params: dict[str, str], paper_id: str | None = None
    ) -> httpx.Response:
        """GET with pacing and retries; returns a 2xx response or raises a ``SourceError``."""
        retry = 0
        while True:
            await self._pacer.acquire()
            try:
                response = await self._http.get(path, params=params)
            except httpx.DecodingError as error:
                raise MalformedResponse(f"undecodable answer from {path}: {error}") from error
            except httpx.TooManyRedirects as error:
                raise UpstreamUnavailable(f"Hugging Face redirected too often: {error}") from error
            except httpx.TransportError as error:
                reason = f"{type(error).__name__}: {error}".rstrip(": ")
                if retry >= self._max_retries:
                    raise UpstreamUnavailable(
                        f"Hugging Face unreachable ({reason}) after {retry + 1} attempt(s)"
                    ) from error
                await self._wait(retry, None, path, reason)
                retry += 1
                continue

            self._note_quota(response)
            status = response.status_code
            if status < 300:
                return response
            if status == 404 and paper_id is not None:
                raise PaperNotFound(paper_id)
            if status != 429 and status < 500:
                raise InvalidRequest(_client_error_message(response))

            hint = server_wait(response)
            if retry >= self._max_retries or (hint is not None and hint > MAX_SERVER_WAIT):
                retry_after = hint if hint is not None else self._backoff.delay(retry)
                raise _gave_up(response, retry_after, retry + 1)
            await self._wait(retry, hint, path, f"HTTP {status}")
            retry += 1

    async def _wait(self, retry: int, hint: float | None, path: str, reason: str) -> None:
        delay = max(self._backoff.delay(retry), hint or 0.0)
        log.info("HF %s: %s; retry %d in %.1f s", path, reason, retry + 1, delay)
        await self._sleep(delay)

    def _note_quota(self, response: httpx.Response) -> None:
        """When the server says our window is used up, hold every caller until it resets."""
        state = rate_limit_state(response.headers)
        if state.exhausted and state.reset_after is not None:
            self._pacer.hold(min(state.reset_after, MAX_SERVER_WAIT))

    @staticmethod
    def _parse(response: httpx.Response, parse: Callable[[], T]) -> T:
        try:
            return parse()
        except ValidationError as error:
            detail = "invalid"
            for first in error.errors(include_url=False)[:1]:
                where = ".".join(str(part) for part in first["loc"])
                detail = first["msg"] + (f" at {where}" if where else "")
            raise MalformedResponse(
                f"unexpected answer from {response.request.url.path}: {detail}"
            ) from None


def _unique(papers: Iterable[Paper]) -> list[Paper]:
    seen: dict[str, Paper] = {}
    for paper in papers:
        seen.setdefault(paper.id, paper)
    return list(seen.values())


def _client_error_message(response: httpx.Response) -> str:
    """HF explains a 400 as ``{"error": "..."}``; fall back to the status line."""
    detail: object = None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        detail = body.get("error") or body.get("message")
    if not isinstance(detail, str) or not detail.strip():
        detail = response.reason_phrase or "request rejected"
    return f"Hugging Face rejected the request (HTTP {response.status_code}): {detail}"


def _gave_up(
    response: httpx.Response, retry_after: float, attempts: int
) -> RateLimited | UpstreamUnavailable:
    status = response.status_code
    if status == 429:
        return RateLimited(
            f"Hugging Face is rate limiting us (HTTP 429 after {attempts} attempt(s)); "
            f"try again in {retry_after:.0f} s",
            retry_after=retry_after,
        )
    return UpstreamUnavailable(f"Hugging Face answered HTTP {status} after {attempts} attempt(s)")
