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

from bot.calendar_periods import CalendarPeriod
from bot.metrics import NO_METRICS, Metrics
from bot.model import Paper
from bot.model.hub import HubCitations
from bot.sources.errors import (
    InvalidRequest,
    MalformedResponse,
    PaperNotFound,
    RateLimited,
    UpstreamUnavailable,
)
from bot.sources.hf.hub import HUB_PATHS, citing_query, hub_repos
from bot.sources.hf.items import describe, missing_card_fields, usable_items
from bot.sources.hf.outcomes import failure_outcome, status_outcome
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
MAX_ANSWER_BYTES = 4_000_000  # a page of the 100 largest recorded items is 1.6 MB
# Describe the body as sent; the body we keep is already decoded and complete.
_BODY_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}
HUB_LIMIT = 100  # repositories asked for per kind: a count shows "100+" beyond it
MAX_SERVER_WAIT = WINDOW_SECONDS  # a hint beyond one quota window is not worth sleeping through

T = TypeVar("T")

_RAW_LIST = TypeAdapter(list[Any])


def _utc_now() -> datetime:
    return datetime.now(UTC)


def hf_pacer(
    token: str | None,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> RequestPacer:
    """Hugging Face's request quota for this token (or none): clients that share one stay
    within it together."""
    quota = TOKEN_CALLS_PER_WINDOW if token else ANONYMOUS_CALLS_PER_WINDOW
    return RequestPacer(quota, WINDOW_SECONDS, sleep=sleep, clock=clock)


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
        connect_retries: int | None = None,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
        pacer: RequestPacer | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = _utc_now,
        metrics: Metrics = NO_METRICS,
    ) -> None:
        """``clock`` paces and waits; ``now`` stamps each paper's ``fetched_at``; every request
        is counted into ``metrics`` by how it ended."""
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
        # A refused or unresolvable host is down, not slow: interactive callers ask for 0 retries
        self._connect_retries = max_retries if connect_retries is None else connect_retries
        self._max_answer_bytes = max_answer_bytes
        self._sleep = sleep
        self._pacer = pacer or hf_pacer(token, sleep=sleep, clock=clock)
        self._backoff = Backoff()
        self._now = now
        self._metrics = metrics

    @property
    def pacer(self) -> RequestPacer:
        """The request quota this client keeps to (shared with the clients given the same)."""
        return self._pacer

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
        return await self.listed_papers({"date": day.isoformat()}, fallback_day=day)

    async def period_papers(self, period: CalendarPeriod) -> list[Paper]:
        """A day's, ISO week's or month's Daily Papers, through the matching filter."""
        fallback = period.first if period.kind == "date" else None
        return await self.listed_papers(period.hf_filter(), fallback_day=fallback)

    async def paper(self, paper_id: str) -> Paper:
        response = await self._get(f"/api/papers/{quote(paper_id, safe='')}", {}, paper_id)
        found = await self._parse(response, lambda: HfPaper.model_validate_json(response.content))
        lacks = missing_card_fields(found)
        if lacks is not None:
            raise MalformedResponse(f"Hugging Face sent paper {paper_id} without {lacks}")
        return hf_paper_to_paper(found, self._now())

    async def search(self, query: str, limit: int) -> list[Paper]:
        if limit <= 0 or not query.strip():
            return []
        response = await self._get("/api/papers/search", {"q": query, "limit": str(limit)})
        hits = await self._items(response, parse_search_hit, await self._raw_list(response))
        fetched_at = self._now()
        return _unique(to_paper(hit, fetched_at) for hit in hits)[:limit]

    async def hub_citations(self, paper_id: str) -> HubCitations:
        """The models, datasets and Spaces citing ``paper_id``: three paced, retried requests
        like every other, each the Hub's list filtered by the ``arxiv:<id>`` tag."""
        found = {}
        for kind, path in HUB_PATHS.items():
            response = await self._get(path, citing_query(paper_id, HUB_LIMIT))
            raw = await self._raw_list(response)
            found[kind] = hub_repos(kind, raw)
        return HubCitations(found["model"], found["dataset"], found["space"], HUB_LIMIT)

    # -- building blocks -----------------------------------------------------------------------

    async def _daily_page(
        self, params: dict[str, str], page: int
    ) -> tuple[list[DailyPaperItem], int]:
        """A page's usable items, and how many items it had (a short page is the last)."""
        query = {**params, "limit": str(PAGE_LIMIT), "p": str(page)}
        response = await self._get("/api/daily_papers", query)
        raw = await self._raw_list(response)
        return await self._items(response, DailyPaperItem.model_validate, raw), len(raw)

    async def _items(
        self, response: httpx.Response, parse: Callable[[Any], DailyPaperItem], raw: list[Any]
    ) -> list[DailyPaperItem]:
        """A list answer's usable items, parsed off the event loop (``bot.sources.hf.items``)."""
        where = response.request.url.path
        return await asyncio.to_thread(usable_items, raw, parse, where)

    async def _raw_list(self, response: httpx.Response) -> list[Any]:
        return await self._parse(response, lambda: _RAW_LIST.validate_json(response.content))

    async def listed_papers(
        self, params: dict[str, str], *, fallback_day: date | None = None
    ) -> list[Paper]:
        """Every paper ``/api/daily_papers`` lists for a filter: ``date``, ``week`` (``2026-W24``)
        or ``month`` (``2026-06``). Pages with ``p`` until a short page; stops too if a full page
        brings nothing new, so a server that ignores ``p`` cannot keep us looping."""
        papers: dict[str, Paper] = {}
        for page in range(MAX_PAGES):
            items, sent = await self._daily_page(params, page)
            fetched_at = self._now()
            before = len(papers)
            for item in items:
                if item.paper.id not in papers:
                    if fallback_day is not None and item.daily_date is None:
                        item = item.model_copy(update={"daily_date": fallback_day})
                    papers[item.paper.id] = to_paper(item, fetched_at)
            if sent < PAGE_LIMIT or len(papers) == before:
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
                response = await self._counted_get(path, params)
            except httpx.DecodingError as error:
                raise MalformedResponse(f"undecodable answer from {path}: {error}") from error
            except httpx.TooManyRedirects as error:
                raise UpstreamUnavailable(f"Hugging Face redirected too often: {error}") from error
            except httpx.TransportError as error:
                reason = f"{type(error).__name__}: {error}".rstrip(": ")
                connect = isinstance(error, httpx.ConnectError)
                if retry >= (self._connect_retries if connect else self._max_retries):
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

    async def _counted_get(self, path: str, params: dict[str, str]) -> httpx.Response:
        """``_capped_get``, counted by how it ended."""
        try:
            response = await self._capped_get(path, params)
        except BaseException as error:
            self._metrics.hf_request(failure_outcome(error))
            raise
        self._metrics.hf_request(status_outcome(response.status_code))
        return response

    async def _capped_get(self, path: str, params: dict[str, str]) -> httpx.Response:
        """GET, reading at most ``max_answer_bytes`` (after decompression) of the body.

        A larger answer is refused as it streams in, so a huge or endless answer costs neither
        the deadline nor the memory to hold it.
        """
        request = self._http.build_request("GET", path, params=params)
        response = await self._http.send(request, stream=True)
        try:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self._max_answer_bytes:
                raise _too_large(path, self._max_answer_bytes)
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > self._max_answer_bytes:
                    raise _too_large(path, self._max_answer_bytes)
        finally:
            await response.aclose()
        kept = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in _BODY_HEADERS
        ]
        return httpx.Response(
            response.status_code, headers=kept, content=bytes(body), request=request
        )

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
    async def _parse(response: httpx.Response, parse: Callable[[], T]) -> T:
        """Run ``parse`` in a worker thread: a large answer must not stall the event loop."""
        try:
            return await asyncio.to_thread(parse)
        except ValidationError as error:
            raise MalformedResponse(
                f"unexpected answer from {response.request.url.path}: {describe(error)}"
            ) from None


def _too_large(path: str, cap: int) -> MalformedResponse:
    return MalformedResponse(f"the answer from {path} is larger than {cap / 1_000_000:g} MB")


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
