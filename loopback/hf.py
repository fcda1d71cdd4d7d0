"""A loopback fake of the Hugging Face papers API, serving the recorded fixtures over real TCP.

Standard library only: a ``ThreadingHTTPServer`` on 127.0.0.1, port 0, in a daemon thread, so the
real ``httpx`` client code runs unmodified against it. It answers like HF does (bare JSON arrays,
``p``/``limit`` paging, 400 with ``{"error": ...}`` for bad input, ``[]`` for empty days), records
every request, and can be scripted to answer the next requests with failures::

    with FakeHfServer(recorded_catalog()) as hf:
        hf.respond_next(429, headers={"Retry-After": "7"})
        hf.respond_next(500, times=3, path="/api/papers/")
        hf.disconnect_next()
        ... HuggingFaceClient(hf.base_url) ...
        assert hf.requests[0].query["date"] == "2026-06-12"
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from loopback.fixtures import HF_DAILY_2026_06_12, HUB_FIXTURES, hf_archive_files

Item = dict[str, Any]

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
SEARCH_MAX_LIMIT = 120
HUB_LISTS = frozenset({"/api/models", "/api/datasets", "/api/spaces"})
HUB_MAX_LIMIT = 1000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


# -- the data it serves -----------------------------------------------------------------------


def daily_date_of(item: Item) -> date:
    """HF's ``submittedOnDailyAt`` day, else the archive's ``_daily_date`` (the date asked for)."""
    submitted = item["paper"].get("submittedOnDailyAt")
    return date.fromisoformat(submitted[:10] if submitted else item["_daily_date"])


@dataclass(frozen=True)
class HfCatalog:
    """Daily-paper items by day (most upvoted first) and inner paper objects by id."""

    by_day: Mapping[date, list[Item]]
    papers: Mapping[str, Item]

    @classmethod
    def from_items(cls, items: Iterable[Item]) -> HfCatalog:
        """Index raw items by day; ``_daily_date`` is dropped after use (HF never sends it)."""
        by_day: dict[date, list[Item]] = {}
        papers: dict[str, Item] = {}
        for raw in items:
            day = daily_date_of(raw)
            item = {key: value for key, value in raw.items() if key != "_daily_date"}
            by_day.setdefault(day, []).append(item)
            papers[item["paper"]["id"]] = item["paper"]
        for day_items in by_day.values():
            day_items.sort(key=lambda item: -int(item["paper"].get("upvotes", 0)))
        return cls(by_day=by_day, papers=papers)

    @classmethod
    def empty(cls) -> HfCatalog:
        return cls(by_day={}, papers={})

    def days(self, first: date, last: date) -> list[Item]:
        """Items of every day in ``[first, last]``, most upvoted first."""
        found = [
            item for day, items in self.by_day.items() if first <= day <= last for item in items
        ]
        return sorted(found, key=lambda item: -int(item["paper"].get("upvotes", 0)))

    def latest_day(self) -> date | None:
        return max(self.by_day, default=None)

    def search(self, query: str) -> list[Item]:
        needle = " ".join(query.split()).casefold()
        hits = [
            item
            for items in self.by_day.values()
            for item in items
            if needle in " ".join(item["paper"]["title"].split()).casefold()
        ]
        return sorted(hits, key=lambda item: -int(item["paper"].get("upvotes", 0)))


def recorded_items() -> list[Item]:
    """The archive (8,506 items, 2024-05 to 2026-05) plus the 30 items of 2026-06-12."""
    return list(_recorded_items())


@functools.cache
def _recorded_items() -> tuple[Item, ...]:
    items: list[Item] = []
    for path in hf_archive_files():
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            items.extend(json.loads(line) for line in lines if line.strip())
    items.extend(json.loads(HF_DAILY_2026_06_12.read_text(encoding="utf-8")))
    return tuple(items)


@functools.cache
def recorded_catalog() -> HfCatalog:
    """The recorded fixtures, loaded once per test session."""
    return HfCatalog.from_items(_recorded_items())


# -- recording and scripting ------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake saw it; header names are lower-cased."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass(frozen=True)
class ScriptedResponse:
    """A canned answer for the next matching request (``path`` is a prefix; None matches all)."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    path: str | None = None
    disconnect: bool = False

    def matches(self, path: str) -> bool:
        return self.path is None or path.startswith(self.path)


def _json_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- the server -------------------------------------------------------------------------------


class FakeHfServer:
    """The fake HF API. Start it with ``with FakeHfServer(catalog) as hf:`` (or ``start()``)."""

    def __init__(self, catalog: HfCatalog | None = None) -> None:
        self.catalog = catalog if catalog is not None else HfCatalog.empty()
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._script: deque[ScriptedResponse] = deque()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    def start(self) -> Self:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake HF server is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # recording

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request so far, in arrival order (a copy)."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, path_prefix: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    # scripting

    def respond_next(
        self,
        status: int = 200,
        *,
        json: object = None,
        body: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        times: int = 1,
        path: str | None = None,
    ) -> None:
        """Answer the next ``times`` requests (to ``path``, a prefix) with this, in FIFO order.

        Give ``json`` (serialised) or ``body`` (sent as is: use it for malformed JSON); with
        neither, an error status gets ``{"error": "<reason>"}``.
        """
        if body is None:
            payload = _json_bytes(json if json is not None else self._default_body(status))
        else:
            payload = body.encode("utf-8") if isinstance(body, str) else body
        answer = ScriptedResponse(status, payload, dict(headers or {}), path)
        with self._lock:
            self._script.extend([answer] * times)

    def disconnect_next(self, *, times: int = 1, path: str | None = None) -> None:
        """Close the connection without answering (the client sees a transport error)."""
        with self._lock:
            self._script.extend([ScriptedResponse(path=path, disconnect=True)] * times)

    def pending_script(self) -> int:
        with self._lock:
            return len(self._script)

    @staticmethod
    def _default_body(status: int) -> object:
        return [] if status < 400 else {"error": f"scripted HTTP {status}"}

    # used by the handler

    def record(self, request: RecordedRequest) -> ScriptedResponse | None:
        """Log ``request``; return the scripted answer it consumes, if one matches."""
        with self._lock:
            self._requests.append(request)
            for index, answer in enumerate(self._script):
                if answer.matches(request.path):
                    del self._script[index]
                    return answer
        return None

    def route(self, path: str, query: Mapping[str, str]) -> tuple[int, object]:
        """The recorded-data answer: (status, JSON value)."""
        if path == "/api/daily_papers":
            return self._daily_papers(query)
        if path == "/api/papers/search":
            return self._search(query)
        if path in HUB_LISTS:
            return _hub_list(path, query)
        if path.startswith("/api/papers/") and path.count("/") == 3:
            paper = self.catalog.papers.get(unquote(path.removeprefix("/api/papers/")))
            return (200, paper) if paper is not None else (404, {"error": "Paper not found"})
        return 404, {"error": "Sorry, we can't find the page you are looking for."}

    def _daily_papers(self, query: Mapping[str, str]) -> tuple[int, object]:
        try:
            limit = _int_param(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
            page = _int_param(query, "p", 0, 0, 10_000)
            first, last = _window(query, self.catalog.latest_day())
        except ValueError as error:
            return 400, {"error": str(error)}
        items = self.catalog.days(first, last) if first is not None and last is not None else []
        return 200, items[page * limit : (page + 1) * limit]

    def _search(self, query: Mapping[str, str]) -> tuple[int, object]:
        text = query.get("q", "")
        try:
            limit = _int_param(query, "limit", DEFAULT_LIMIT, 1, SEARCH_MAX_LIMIT)
        except ValueError as error:
            return 400, {"error": str(error)}
        if not text.strip():
            return 400, {"error": '"q" is required'}
        return 200, self.catalog.search(text)[:limit]


def _hub_list(path: str, query: Mapping[str, str]) -> tuple[int, object]:
    """A Hub list filtered by ``arxiv:<id>``, from ``tests/fixtures/hub`` (``[]`` when there is
    no file for it), sorted by likes when asked and cut to ``limit``."""
    try:
        limit = _int_param(query, "limit", HUB_MAX_LIMIT, 1, HUB_MAX_LIMIT)
    except ValueError as error:
        return 400, {"error": str(error)}
    wanted = query.get("filter", "").replace(":", "_")
    file = HUB_FIXTURES / f"{path.removeprefix('/api/')}_{wanted}.json"
    items: list[Item] = json.loads(file.read_text()) if wanted and file.is_file() else []
    if query.get("sort") == "likes":
        items.sort(
            key=lambda item: int(item.get("likes") or 0), reverse=query.get("direction") == "-1"
        )
    return 200, items[:limit]


def _int_param(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f'"{name}" must be an integer') from None
    if not low <= value <= high:
        raise ValueError(f'"{name}" must be between {low} and {high}')
    return value


def _window(query: Mapping[str, str], latest: date | None) -> tuple[date | None, date | None]:
    """The days a ``date``, ``week`` (``2026-W24``) or ``month`` (``2026-06``) filter covers."""
    if "date" in query:
        raw = query["date"]
        try:
            if not _DATE.fullmatch(raw):
                raise ValueError
            day = date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"Invalid date: {raw!r}, expected YYYY-MM-DD") from None
        return day, day
    if "week" in query:
        match = _WEEK.fullmatch(query["week"])
        try:
            if match is None:
                raise ValueError
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise ValueError(f"Invalid week: {query['week']!r}, expected YYYY-Www") from None
        return monday, monday + timedelta(days=6)
    if "month" in query:
        match = _MONTH.fullmatch(query["month"])
        if match is None or not 1 <= int(match[2]) <= 12:
            raise ValueError(f"Invalid month: {query['month']!r}, expected YYYY-MM")
        year, month = int(match[1]), int(match[2])
        following = date(year + month // 12, month % 12 + 1, 1)
        return date(year, month, 1), following - timedelta(days=1)
    return latest, latest


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in one write, without Nagle: otherwise every answer waits ~40 ms
    # for the client's delayed ACK.
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024
    fake: FakeHfServer  # set on the subclass FakeHfServer.start creates

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        request = RecordedRequest(
            method="GET",
            path=url.path,
            query=dict(parse_qsl(url.query, keep_blank_values=True)),
            headers={name.lower(): value for name, value in self.headers.items()},
        )
        scripted = self.fake.record(request)
        if scripted is not None and scripted.disconnect:
            self.close_connection = True
            return
        if scripted is not None:
            self._send(scripted.status, scripted.body, scripted.headers)
            return
        status, value = self.fake.route(request.path, request.query)
        self._send(status, _json_bytes(value), {})

    def _send(self, status: int, body: bytes, headers: Mapping[str, str]) -> None:
        # send_response_only: a scripted Date header must not be doubled by the automatic one.
        self.send_response_only(status)
        given = {name.lower() for name in headers}
        if "date" not in given:
            self.send_header("Date", self.date_time_string())
        if "content-type" not in given:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests assert on recorded requests, not on stderr."""
