"""The inverted index: segments of roaring postings, tombstones for deletes, snapshots for readers.

Writers (add, add_many, delete, update, merge) hold one lock and publish a new immutable Snapshot
when done; a search reads whichever snapshot was current when it started, so it always sees a
consistent index while another thread writes. Doc numbers are internal, increasing and never
reused; the user's string ids map onto them.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np
from pyroaring import BitMap, FrozenBitMap

from engine.search.analyzer import Analyzer
from engine.search.segment import Segment, TermPositions, flatten


@dataclass(frozen=True, slots=True)
class Doc:
    """A document: a unique id, the searchable text, a title, and keyword fields such as region."""

    id: str
    text: str
    title: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Snapshot:
    """What one search sees: segments with their tombstones, live docs, keyword postings, statistics."""

    segments: tuple[Segment, ...]
    tombstones: tuple[FrozenBitMap, ...]
    live: FrozenBitMap
    keywords: Mapping[tuple[str, str], FrozenBitMap]
    sum_dl: int
    generation: int
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # per-snapshot derived arrays
    # derived once here rather than per search: each asks the C extension again, microseconds on a cold cache
    n_live: int = field(init=False)  # live (not deleted) documents
    avgdl: float = field(init=False)  # mean token count of live documents
    has_deletes: bool = field(init=False)  # some segment has a tombstone

    def __post_init__(self) -> None:
        n = len(self.live)
        object.__setattr__(self, "n_live", n)
        object.__setattr__(self, "avgdl", self.sum_dl / n if n else 0.0)
        object.__setattr__(self, "has_deletes", any(self.tombstones))


def keyword(value: str) -> str:
    """Keyword fields match case- and width-insensitively."""
    return unicodedata.normalize("NFKC", str(value)).strip().lower()


_WORKER_ANALYZER: dict[str, Analyzer] = {}


def _columns(an: Analyzer, texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Tokenise texts into flat columns: every term, every position, and each text's token count."""
    terms: list[str] = []
    positions: list[int] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        toks = an.tokens(text)
        if toks:
            words, _, _, pos = zip(*toks, strict=True)  # Token is a tuple: transpose in C
            terms.extend(words)
            positions.extend(pos)
            lengths[i] = len(toks)
    return terms, np.asarray(positions, dtype=np.int32), lengths


def _analyze(cfg: dict, texts: list[str]) -> tuple[str, np.ndarray, np.ndarray]:
    """Worker-side _columns for add_many, with the terms joined by \x1f (cheap to send between processes)."""
    key = repr(sorted(cfg.items()))
    an = _WORKER_ANALYZER.get(key) or _WORKER_ANALYZER.setdefault(key, Analyzer.from_config(cfg))
    terms, positions, lengths = _columns(an, texts)
    return "\x1f".join(terms), positions, lengths


class Index:
    """A small search engine over Docs: BM25 on `text`, keyword filters on `fields`."""

    def __init__(self, analyzer: Analyzer | None = None, k1: float = 1.2, b: float = 0.75) -> None:
        if k1 < 0 or not 0 <= b <= 1:
            raise ValueError("BM25 needs k1 >= 0 and 0 <= b <= 1")
        self.analyzer = analyzer or Analyzer()
        self.k1, self.b = float(k1), float(b)
        self._lock = threading.RLock()
        self._docs: list[Doc | None] = []  # by doc number: a list, so ranking reads ids without hashing
        self._id_order: tuple[list[int], np.ndarray] = ([], np.zeros(0, dtype=np.int64))  # see id_ranks
        self._ids: dict[str, int] = {}
        self._dl = np.zeros(1024, dtype=np.int32)
        self._next = 0
        self._seg_counter = 0
        self._snap = Snapshot((), (), FrozenBitMap(), {}, 0, 0)

    # -- reading --------------------------------------------------------------------------------
    @property
    def snapshot(self) -> Snapshot:
        """The current snapshot (immutable)."""
        return self._snap

    def __len__(self) -> int:
        return self._snap.n_live

    def get(self, doc_id: str) -> Doc | None:
        """The live document with this id, or None."""
        n = self._ids.get(doc_id)
        return self._docs[n] if n is not None else None

    def doc(self, docnum: int) -> Doc:
        """The stored document with this internal number."""
        return self._docs[docnum]

    def id_ranks(self) -> np.ndarray:
        """For each doc number, the rank of its id in sorted order, so score ties break by id without
        reading Doc objects (each a cache miss on a large index). A doc number's id never changes, so the
        order is kept and re-sorted only when documents were added: the old order plus the new numbers is
        almost sorted, which Python's sort finishes in about one pass. Safe to call from several threads
        (the cache is replaced whole)."""
        n = len(self._docs)
        order, ranks = self._id_order
        if len(ranks) != n:
            ids = [d.id if d is not None else "" for d in self._docs[:n]]
            order = [*order, *range(len(order), n)]
            order.sort(key=ids.__getitem__)
            ranks = np.empty(n, dtype=np.int64)
            ranks[order] = np.arange(n)
            self._id_order = (order, ranks)
        return ranks

    @property
    def next_docnum(self) -> int:
        """The doc number the next added document will get."""
        return self._next

    def length_norms(self, snap: Snapshot) -> np.ndarray:
        """k1·(1 − b + b·dl/avgdl) for every doc number, computed once per snapshot (BM25's length factor)."""
        key = ("norm", self.k1, self.b)
        norms = snap.memo.get(key)
        if norms is None or len(norms) < self._next:
            dl = self._dl[: self._next].astype(np.float64)
            norms = self.k1 * (1.0 - self.b + self.b * dl / snap.avgdl) if snap.avgdl else dl
            snap.memo[key] = norms
        return norms

    def dl(self, docnums: np.ndarray) -> np.ndarray:
        """Token counts of documents by internal number."""
        return self._dl[docnums]

    def fields(self) -> list[str]:
        """Keyword field names present in live documents."""
        return sorted({name for name, _ in self._snap.keywords})

    def save(self, path) -> None:
        """Write the index to a directory atomically (see engine.search.store)."""
        from engine.search.store import save

        save(self, path)

    @staticmethod
    def load(path) -> Index:
        """Read an index saved by `save`; raises IndexFormatError for anything else."""
        from engine.search.store import load

        return load(path)

    def search_terms(self, kind: str, terms: list[str], k: int = 10):
        """Top `k` for pre-analysed terms: kind is "term", "and", "or" or "phrase" (no parsing, no analysis)."""
        return searcher.search_terms(self, kind, terms, k)

    def search(self, query: str, k: int = 10, explain: bool = True, highlight: bool = True, trace: bool = True):
        """Run `query` and return the top `k` hits with explanations, highlights and a trace (each optional)."""
        return searcher.search(self, query, k, explain, highlight, trace)

    # -- writing --------------------------------------------------------------------------------
    def _check(self, doc: Doc) -> None:
        if not isinstance(doc, Doc):
            raise TypeError(f"expected a Doc, got {type(doc).__name__}")
        if not isinstance(doc.id, str) or not doc.id:
            raise ValueError("a document needs a non-empty string id")
        if not isinstance(doc.text, str):
            raise ValueError(f"document {doc.id!r}: text must be a string")

    def _store(self, doc: Doc, n_tokens: int) -> int:
        n = self._next
        self._next += 1
        if n >= len(self._dl):
            self._dl = np.concatenate([self._dl, np.zeros(len(self._dl), dtype=np.int32)])
        self._dl[n] = n_tokens
        self._docs.append(doc)  # n == len(self._docs): doc numbers are handed out in order
        self._ids[doc.id] = n
        return n

    def _publish(self, segments, tombstones, live, keywords, sum_dl) -> None:
        self._snap = Snapshot(tuple(segments), tuple(tombstones), FrozenBitMap(live), keywords, int(sum_dl),
                              self._snap.generation + 1)

    def _add_segment_flat(self, docs: list[Doc], lengths: np.ndarray, terms: list[str], positions: np.ndarray) -> None:
        if not docs:
            return
        with self._lock:
            for d in docs:
                self._check(d)
                if d.id in self._ids:
                    raise ValueError(f"a document with id {d.id!r} exists; use update() to replace it")
            if len({d.id for d in docs}) != len(docs):
                raise ValueError("the batch repeats a document id")
            nums = [self._store(d, int(n)) for d, n in zip(docs, lengths, strict=True)]
            seg = Segment.build_flat(f"seg{self._seg_counter:06d}", np.asarray(nums, dtype=np.int64), lengths, terms,
                                     positions)
            self._seg_counter += 1
            snap = self._snap
            keywords = dict(snap.keywords)
            touched: dict[tuple[str, str], BitMap] = {}
            for n, d in zip(nums, docs, strict=True):
                for name, value in d.fields.items():
                    touched.setdefault((name, keyword(value)), BitMap(keywords.get((name, keyword(value)), ()))).add(n)
            keywords.update({kv: FrozenBitMap(bm) for kv, bm in touched.items()})
            live = BitMap(snap.live)
            live.update(nums)
            self._publish((*snap.segments, seg), (*snap.tombstones, FrozenBitMap()), live, keywords,
                          snap.sum_dl + int(np.sum(lengths)))
            if len(self._snap.segments) > 16:  # keep look-ups cheap: fold many small segments into one
                self.merge()

    def add(self, doc: Doc) -> None:
        """Index one document (its own small segment; many small segments are merged automatically)."""
        self._check(doc)
        terms, positions, lengths = _columns(self.analyzer, [doc.text])
        self._add_segment_flat([doc], lengths, terms, positions)

    def add_many(self, docs: Iterable[Doc], workers: int | None = None,
                 tokens: list[TermPositions] | None = None) -> None:
        """Index a batch as one segment; tokenises in `workers` parallel processes when workers > 1.

        `tokens` (each document's [(term, position), …] from this analyzer) skips tokenising, for
        benchmarks that time building alone.
        """
        docs = list(docs)
        for d in docs:
            self._check(d)
        texts = [d.text for d in docs]
        if tokens is not None:
            if len(tokens) != len(docs):
                raise ValueError("tokens must hold one list per document")
            terms, positions, lengths = flatten(tokens)
            self._add_segment_flat(docs, lengths, terms, positions)
        elif workers and workers > 1 and len(docs) > 1:
            chunk = -(-len(texts) // (workers * 4))
            parts = [texts[i:i + chunk] for i in range(0, len(texts), chunk)]
            with ProcessPoolExecutor(workers) as pool:
                cols = list(pool.map(_analyze, [self.analyzer.config()] * len(parts), parts))
            terms = [t for joined, _, lengths in cols if lengths.sum() for t in joined.split("\x1f")]
            self._add_segment_flat(docs, np.concatenate([c[2] for c in cols]), terms,
                                   np.concatenate([c[1] for c in cols]))
        else:
            terms, positions, lengths = _columns(self.analyzer, texts)
            self._add_segment_flat(docs, lengths, terms, positions)

    def delete(self, doc_id: str) -> bool:
        """Delete a document by id (a tombstone; postings go at the next merge). Returns whether it existed."""
        with self._lock:
            n = self._ids.pop(doc_id, None)
            if n is None:
                return False
            snap = self._snap
            tombs = list(snap.tombstones)
            for i, seg in enumerate(snap.segments):
                if n in seg.docnums:
                    tombs[i] = FrozenBitMap(BitMap(tombs[i]) | BitMap([n]))
            keywords = dict(snap.keywords)
            for name, value in self._docs[n].fields.items():
                kv = (name, keyword(value))
                rest = BitMap(keywords[kv])
                rest.discard(n)
                if rest:
                    keywords[kv] = FrozenBitMap(rest)
                else:
                    del keywords[kv]
            live = BitMap(snap.live)
            live.discard(n)
            self._publish(snap.segments, tombs, live, keywords, snap.sum_dl - int(self._dl[n]))
            return True

    def update(self, doc: Doc) -> None:
        """Replace the document with the same id (delete + add), or add it if new."""
        self._check(doc)
        with self._lock:
            self.delete(doc.id)
            self.add(doc)

    def merge(self) -> None:
        """Merge all segments into one, dropping deleted documents' postings (as Lucene and tantivy do)."""
        with self._lock:
            snap = self._snap
            if not snap.segments or (len(snap.segments) == 1 and not any(snap.tombstones)):
                return
            dead = BitMap()
            for t in snap.tombstones:
                dead |= t
            first, *rest = snap.segments
            seg = first.merged_with(f"seg{self._seg_counter:06d}", rest, dead)
            self._seg_counter += 1
            self._snap = replace(snap, segments=(seg,), tombstones=(FrozenBitMap(),), generation=snap.generation + 1,
                                 memo={})


# Last, because the searcher imports this module's classes; a function-level import would cost a
# sys.modules lookup on every search, a measurable share of a 40 µs query.
from engine.search import searcher  # noqa: E402
