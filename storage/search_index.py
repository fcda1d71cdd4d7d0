"""The search index: a tantivy (BM25) index of the catalog, rebuilt from it and kept in step.

The database stays the source of truth. Every paper write through ``storage.papers`` stamps the
row with the next ``paper.search_seq`` (writers take a lock for it, so the numbers commit in
order); each process keeps its own index and, before it searches, indexes the rows stamped after
the last number it saw. Several processes and replicas on one database therefore each converge
on the same index without talking to each other. An index whose state file is missing, from
another catalog (``catalog_instance``), of another format, or ahead of the database, is rebuilt.
See docs/architecture.md, "Search".
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy
from sqlalchemy import text
from sqlmodel import Session

from storage.search_builds import build_turn, copy_index, read_state, write_state
from storage.search_slots import Slot, claim_slot
from storage.search_text import NAMES, SCHEMA, WORDS, Analysis, Texts, epoch, normalise

FORMAT = 6  # bump when storage.search_text or _document changes: other formats rebuild
_BATCH = 2_000
_WRITER_HEAP = 32_000_000
_REBUILD_HEAP = 200_000_000  # a rebuild's writer: holds one of its segments (see _rebuilding)
_MERGED_TOGETHER = 8  # segments of about one size that tantivy's merge policy merges into one
SETTLE_AFTER = 5_000  # papers indexed in one catch-up after which merges are waited for
ONE_SEGMENT = 25_000  # papers a rebuild's writer holds: up to this many, it commits once

log = logging.getLogger("paperbot.search")


@dataclass(frozen=True, slots=True)
class Hit:
    paper_id: str
    score: float
    upvotes: int
    address: tuple[int, int] = (0, 0)  # segment and document in this index's current searcher


_CATALOG_STATE = text(
    "SELECT (SELECT id FROM catalog_instance), (SELECT max(search_seq) FROM paper)"
)
_COUNT = text("SELECT count(*) FROM paper")
_BEHIND = text("SELECT count(*) FROM paper WHERE search_seq > :seq")
_CHANGED = text(
    "SELECT id, title, summary, authors, ai_keywords, published_at, upvotes, search_seq, "
    "organization, organization_name "
    "FROM paper WHERE search_seq > :seq OR (search_seq = :seq AND id > :id) "
    "ORDER BY search_seq, id LIMIT :n"
)


class SearchIndex:
    """One process's index of one catalog, in a slot under ``base`` (in memory when None).

    The slot is claimed at the first sync, so a process that never searches claims none.
    ``sync`` and writes are serialised by a lock; searches run on the last reloaded searcher.
    """

    def __init__(self, base: Path | None) -> None:
        self.base = base
        self.directory: Path | None = None
        self._slot: Slot | None = None
        self._lock = threading.Lock()
        self._index: tantivy.Index | None = None
        self._writer: tantivy.IndexWriter | None = None
        self._searcher: tantivy.Searcher | None = None
        self._catalog: str | None = None
        self._seq = -1

    # -- keeping in step --------------------------------------------------------------------

    def sync(self, session: Session) -> None:
        """Index every paper written since the last sync (all of them the first time)."""
        catalog, newest = session.execute(_CATALOG_STATE).one()
        newest = -1 if newest is None else int(newest)
        with self._lock:
            if self._index is None:
                self._open(catalog)
            if catalog != self._catalog or newest < self._seq:
                self._reset(catalog)
            if self._seq < 0 <= newest:
                self._build(session, catalog, newest)
            if newest > self._seq:
                self._catch_up(session)

    def behind(self, session: Session) -> int:
        """How many papers written to the catalog this index has not taken in yet (all of
        them before its first sync): its lag, for /metrics. Reads the last number seen without
        the lock, so a long catch-up does not hold up a scrape."""
        return int(session.execute(_BEHIND, {"seq": self._seq}).scalar_one())

    def _open(self, catalog: str) -> None:
        self._slot = claim_slot(self.base)
        self.directory = self._slot.directory
        self._load(catalog)

    def _load(self, catalog: str) -> None:
        """Open the slot's index: kept if its state says it is of this catalog and format."""
        state = {} if self.directory is None else read_state(self.directory)
        usable = _usable(state, catalog)
        if self.directory is not None:
            if not usable:
                shutil.rmtree(self.directory, ignore_errors=True)
            self.directory.mkdir(exist_ok=True)  # claim_slot made its parent
        path = str(self.directory) if self.directory is not None else None
        self._index = tantivy.Index(SCHEMA, path=path, reuse=usable)
        self._index.register_tokenizer("words", WORDS)
        self._index.register_tokenizer("names", NAMES)
        self._catalog, self._seq = catalog, int(state["seq"]) if usable else -1
        self._index.reload()
        self._searcher = self._index.searcher()

    def _build(self, session: Session, catalog: str, newest: int) -> None:
        """Index the catalog from scratch, once per machine (``storage.search_builds``): copy
        the shared build when it is of this catalog and not ahead of it, else build and share."""
        if self.base is None or self.directory is None:  # in memory: nothing to share with
            return
        started = time.perf_counter()
        with build_turn(self.base) as shared:
            state = read_state(shared)
            if _usable(state, catalog) and state["seq"] <= newest:
                self._writer = self._searcher = self._index = None
                copy_index(shared, self.directory)
                self._load(catalog)
                log.info("search index copied from the shared build: %d papers", self.size)
                return
            self._catch_up(session)
            self._settle()  # no merge may be writing while the copy is made
            copy_index(self.directory, shared)
        elapsed = time.perf_counter() - started
        log.info("search index built and shared: %d papers in %.1f s", self.size, elapsed)

    def _writing(self) -> tantivy.IndexWriter:
        """The index writer, opened when there is first something to write, then kept."""
        assert self._index is not None
        if self._writer is None:
            self._writer = self._index.writer(heap_size=_WRITER_HEAP, num_threads=1)
        return self._writer

    def _reset(self, catalog: str) -> None:
        self._writing().delete_all_documents()
        self._catalog, self._seq = catalog, -1
        self._commit()

    def _catch_up(self, session: Session) -> None:
        assert self._index is not None
        from_scratch = self._seq < 0 and self._empty()  # no paper in it to replace
        per_segment = self._rebuilding(session) if from_scratch else 0
        writer = self._writing()
        last_id, written, analysis = "", 0, Analysis()
        while True:
            params = {"seq": self._seq, "id": last_id, "n": _BATCH}
            rows = list(session.execute(_CHANGED, params))
            if not rows:
                break
            for row in rows:
                if not from_scratch:  # each delete is a term lookup in every segment at commit
                    writer.delete_documents_by_term("id", row.id)
                writer.add_document(_document(row, analysis))
                self._seq, last_id = int(row.search_seq), row.id
                written += 1
                if per_segment and written % per_segment == 0:
                    self._commit()
        self._commit()
        if written >= SETTLE_AFTER:  # a rebuild: let its segments merge before serving from it
            self._settle()
        self._index.reload()
        self._searcher = self._index.searcher()

    def _empty(self) -> bool:
        """Whether the index has no committed paper (its last searcher may be older)."""
        assert self._index is not None
        self._index.reload()
        return int(self._index.searcher().num_docs) == 0

    def _rebuilding(self, session: Session) -> int:
        """Before indexing a large catalog from scratch: how many papers to put in a segment.

        tantivy merges segments only when ``_MERGED_TOGETHER`` of one size are there, and each
        segment has its own term dictionary (the pairs make it large): written in the
        writer's small segments, 200,000 papers ended as one large segment and six small ones
        whose term dictionaries alone were 13 MB. So a rebuild writes exactly that many segments
        with a writer large enough to hold one, and they merge into one. A catalog that fits
        in one such segment (the sample) is committed once, so there is nothing to merge.
        """
        total = int(session.execute(_COUNT).scalar_one())
        if total < SETTLE_AFTER:
            return 0
        self._settle()
        assert self._index is not None
        self._writer = self._index.writer(heap_size=_REBUILD_HEAP, num_threads=1)
        if total <= ONE_SEGMENT:  # fits the writer: one segment already, nothing to merge
            return 0
        return -(-total // _MERGED_TOGETHER)

    def _settle(self) -> None:
        """Let the writer's merges finish, and close it (its next use opens a new one)."""
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None

    def _commit(self) -> None:
        self._writing().commit()  # segments merge in the writer's background threads
        if self.directory is not None:
            state = {"format": FORMAT, "catalog": self._catalog, "seq": self._seq}
            write_state(self.directory, state)

    # -- searching ---------------------------------------------------------------------------

    def search(self, query: tantivy.Query, limit: int, *, by_upvotes: bool = False) -> list[Hit]:
        """The best ``limit`` documents for ``query`` (by score, or by upvotes for filters)."""
        searcher = self._searcher
        if searcher is None or limit <= 0:
            return []
        order = "upvotes" if by_upvotes else None
        found = searcher.search(query, limit, count=False, order_by_field=order).hits
        hits = []
        for score, address in found:
            doc = searcher.doc(address)
            upvotes = int(doc.get_first("upvotes") or 0)
            relevance = 0.0 if by_upvotes else float(score)
            key = (address.segment_ord, address.doc)
            hits.append(Hit(str(doc.get_first("id")), relevance, upvotes, key))
        return hits

    def scores(self, query: tantivy.Query, hits: list[Hit]) -> list[float]:
        """The score of ``query`` for each of ``hits`` (0 where it does not match them)."""
        searcher = self._searcher
        if searcher is None or not hits:
            return [0.0 for _ in hits]
        found = searcher.search(query, len(hits), count=False).hits
        by_address = {(a.segment_ord, a.doc): float(s) for s, a in found}
        return [by_address.get(h.address, 0.0) for h in hits]

    def doc_freq(self, token: str) -> int:
        """How many papers have ``token`` (an analysed word) in their text."""
        searcher = self._searcher
        return 0 if searcher is None else int(searcher.doc_freq("text", token))

    @property
    def size(self) -> int:
        return 0 if self._searcher is None else int(self._searcher.num_docs)

    @property
    def segments(self) -> int:
        return 0 if self._searcher is None else int(self._searcher.num_segments)

    def close(self) -> None:
        with self._lock:
            self._writer = self._searcher = self._index = None
            if self._slot is not None:
                self._slot.release()
                self._slot = None


def _usable(state: dict[str, Any], catalog: str) -> bool:
    return (
        state.get("format") == FORMAT
        and state.get("catalog") == catalog
        and isinstance(state.get("seq"), int)
    )


def _document(row: Any, analysis: Analysis) -> tantivy.Document:
    names = json.loads(row.authors)
    texts = Texts.of(row.title, json.loads(row.ai_keywords), row.summary, names)
    doc = tantivy.Document()
    doc.add_text("id", row.id)
    doc.add_text("title", texts.title)
    doc.add_text("keywords", texts.keywords)
    for name in names:  # one value each: tantivy leaves a gap, so no phrase spans two names
        doc.add_text("authors", normalise(name))
    prose, pairs = analysis.words(texts.prose)  # analysed once, for the text and the pairs
    doc.add_text("text", prose + " " + analysis.words(texts.authors)[0])
    doc.add_text("pairs", pairs)
    for org in (row.organization, row.organization_name):  # handle and name: org: matches either
        if org:
            doc.add_text("org", normalise(org))
    doc.add_integer("published", epoch(row.published_at))
    doc.add_integer("upvotes", int(row.upvotes))
    return doc
