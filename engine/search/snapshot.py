"""The ground floor of the search engine: a document, and the immutable Snapshot every reader works on.

A Snapshot holds everything a search, an explanation, an inspector or a save needs: segments with their
tombstones, live docs, keyword postings, stored documents, token counts, BM25's k1 and b, the analyzer,
and (derived on first use) length norms and id order. Readers are functions of a Snapshot; the writer
(`engine.search.index.Index`) builds new snapshots and publishes them. Nothing here imports the writer.

Sharing: stored documents and ids live in chained tables (`DocTable`, `IdMap`). A writer forked from a
snapshot (`Index.from_snapshot`) reads the snapshot's documents through the chain and writes only its
own additions and deletions, so many sessions can share one base corpus, as Lucene readers share
segments; segments themselves are immutable and are shared by reference.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from pyroaring import BitMap, FrozenBitMap

from engine.search.analyzer import Analyzer
from engine.search.scoring import length_norm
from engine.search.segment import Segment

EMPTY = FrozenBitMap()


@dataclass(frozen=True, slots=True)
class Doc:
    """A document: a unique id, the searchable text, a title, and keyword fields such as region."""

    id: str
    text: str
    title: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)


def keyword(value: str) -> str:
    """Keyword fields match case- and width-insensitively."""
    return unicodedata.normalize("NFKC", str(value)).strip().lower()


class DocTable:
    """Stored documents by doc number: a frozen base (shared, never written here) plus this writer's own
    additions, append-only. Doc numbers below `n_base` read the base; the rest read `own`."""

    __slots__ = ("_base", "_n_base", "_own")

    def __init__(self, base: DocTable | None = None, n_base: int = 0, own: list[Doc | None] | None = None) -> None:
        self._base, self._n_base, self._own = base, n_base, own if own is not None else []

    def __getitem__(self, n: int) -> Doc | None:
        return self._own[n - self._n_base] if n >= self._n_base else self._base[n]

    def __len__(self) -> int:
        return self._n_base + len(self._own)

    def append(self, doc: Doc | None) -> None:
        """Store the next doc number's document (None for a number that was never live)."""
        self._own.append(doc)

    def own_count(self) -> int:
        """Documents stored by this table itself (not by the shared base)."""
        return len(self._own)


class IdMap:
    """Document id -> doc number: this writer's own entries over a shared base. An own entry of None hides
    the base's (the document was deleted here)."""

    __slots__ = ("_base", "_own", "sealed")

    def __init__(self, base: IdMap | None = None, own: dict[str, int | None] | None = None) -> None:
        self._base, self._own = base, own if own is not None else {}
        self.sealed = False  # a fork reads through this map: its writer must not change it any more

    def get(self, doc_id: str) -> int | None:
        """The doc number last given to this id, or None."""
        own = self._own
        if doc_id in own:
            return own[doc_id]
        return self._base.get(doc_id) if self._base is not None else None

    def set(self, doc_id: str, n: int | None) -> None:
        """Map `doc_id` to `n` (None: no longer here)."""
        if self.sealed:
            raise RuntimeError("this id map is shared by a fork; write to a new IdMap over it")
        self._own[doc_id] = n

    def copy(self) -> IdMap:
        """A writable copy of this map's own entries over the same base (no longer chain: look-ups stay flat)."""
        return IdMap(self._base, dict(self._own))

    def own_count(self) -> int:
        """Entries held by this map itself (not by the shared base)."""
        return len(self._own)


class IdOrder:
    """Doc numbers sorted by id, so score ties break by id without reading Doc objects (each a cache miss
    on a large index). A number's id never changes, so the order is extended and re-sorted only when
    documents were added: the old order plus the new numbers is almost sorted, which Python's sort
    finishes in about one pass. Shared by a writer's snapshots and handed to forks; safe under threads
    (the cached pair is replaced whole)."""

    __slots__ = ("_lock", "_pair")

    def __init__(self, pair: tuple[list[int], np.ndarray] | None = None) -> None:
        self._pair = pair or ([], np.zeros(0, dtype=np.int64))
        self._lock = threading.Lock()

    def ranks(self, docs: DocTable, n: int) -> np.ndarray:
        """For each doc number below n, the rank of its id in sorted order."""
        order, ranks = self._pair
        if len(ranks) < n:
            with self._lock:
                order, ranks = self._pair
                if len(ranks) < n:
                    ids = [d.id if (d := docs[i]) is not None else "" for i in range(n)]
                    order = [*order, *range(len(order), n)]
                    order.sort(key=ids.__getitem__)
                    ranks = np.empty(n, dtype=np.int64)
                    ranks[order] = np.arange(n)
                    self._pair = (order, ranks)
        return ranks

    def fork(self) -> IdOrder:
        """A new order starting from this one's current state (its arrays are shared until it re-sorts)."""
        return IdOrder(self._pair)


@dataclass(frozen=True)
class Snapshot:
    """What one reader sees: an immutable view of the whole index at one generation."""

    segments: tuple[Segment, ...]
    tombstones: tuple[FrozenBitMap, ...]
    live: FrozenBitMap
    keywords: Mapping[tuple[str, str], FrozenBitMap]
    sum_dl: int
    generation: int
    docs: DocTable  # by doc number; numbers below next_docnum never change
    ids: IdMap  # the writer's map at publish time; a reader checks `live` before trusting it
    dl: np.ndarray  # token count by doc number (at least next_docnum entries; never rewritten below it)
    next_docnum: int
    analyzer: Analyzer
    k1: float = 1.2
    b: float = 0.75
    id_order: IdOrder = field(default_factory=IdOrder, compare=False, repr=False)
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # per-snapshot derived arrays
    # derived once here rather than per search: each asks the C extension again, microseconds on a cold cache
    n_live: int = field(init=False)  # live (not deleted) documents
    avgdl: float = field(init=False)  # mean token count of live documents
    has_deletes: bool = field(init=False)  # some segment has a tombstone
    single: bool = field(init=False)  # one segment and no deletes: the fast paths apply

    def __post_init__(self) -> None:
        n = len(self.live)
        object.__setattr__(self, "n_live", n)
        object.__setattr__(self, "avgdl", self.sum_dl / n if n else 0.0)
        object.__setattr__(self, "has_deletes", any(self.tombstones))
        object.__setattr__(self, "single", len(self.segments) == 1 and not self.has_deletes)

    def doc(self, n: int) -> Doc:
        """The stored document with this internal number."""
        return self.docs[n]

    def live_docnum(self, doc_id: str) -> int | None:
        """The doc number of the live document with this id, or None."""
        n = self.ids.get(doc_id)
        return n if n is not None and n < self.next_docnum and n in self.live else None

    def get(self, doc_id: str) -> Doc | None:
        """The live document with this id, or None."""
        n = self.live_docnum(doc_id)
        return None if n is None else self.docs[n]

    def norms(self) -> np.ndarray:
        """BM25's length factor k1·(1 − b + b·dl/avgdl) for every doc number, computed once per snapshot."""
        norms = self.memo.get("norms")
        if norms is None:
            dl = self.dl[: self.next_docnum].astype(np.float64)
            norms = self.memo["norms"] = length_norm(dl, self.avgdl, self.k1, self.b) if self.avgdl else dl
        return norms

    def id_ranks(self) -> np.ndarray:
        """For each doc number, the rank of its id in sorted order (see IdOrder)."""
        return self.id_order.ranks(self.docs, self.next_docnum)

    def ids_in_docnum_order(self) -> bool:
        """Whether sorting by doc number sorts by id too (documents added in id order, as a bulk load of a
        numbered corpus is): then a stable sort of candidates in doc-number order breaks score ties by id
        without looking ids up. Computed once per snapshot."""
        got = self.memo.get("ids_in_order")
        if got is None:
            ranks = self.id_ranks()
            got = self.memo["ids_in_order"] = bool(len(ranks) < 2 or (np.diff(ranks) > 0).all())
        return got

    def postings(self, term: str) -> BitMap:
        """Live docs holding `term`, across segments, tombstones removed: the one union every reader uses.
        May return a segment's own bitmap: callers never modify results in place."""
        return self.term_postings(term)[0]

    def term_postings(self, term: str) -> tuple[BitMap, int | None]:
        """`postings(term)`, and the term's number when the snapshot is one segment without deletes (the
        search fast path reuses it; a lookup in a large dictionary misses the cache), else None."""
        segs = self.segments
        if self.single:
            t = segs[0].term_ids.get(term)
            return (segs[0].bitmaps[t] if t is not None else BitMap()), t
        out = BitMap()
        for seg, tomb in zip(segs, self.tombstones, strict=True):
            t = seg.term_ids.get(term)
            if t is not None:
                out |= seg.bitmaps[t] - tomb if tomb else seg.bitmaps[t]
        return out, None

    def field_names(self) -> list[str]:
        """Keyword field names present in live documents."""
        return sorted({name for name, _ in self.keywords})


def reader(source: object) -> Snapshot:
    """The snapshot to read: `source` itself, or the current snapshot of a writer (anything with `.snapshot`)."""
    return source if isinstance(source, Snapshot) else source.snapshot


def empty_snapshot(analyzer: Analyzer, k1: float, b: float) -> Snapshot:
    """The snapshot of an index with no documents."""
    return Snapshot((), (), EMPTY, {}, 0, 0, DocTable(), IdMap(), np.zeros(1024, dtype=np.int32), 0, analyzer, k1, b)
