"""The writer of the inverted index: segments of roaring postings, tombstones for deletes, snapshots for readers.

Writers (add, add_many, delete, update, merge) hold one lock and publish a new immutable Snapshot
(`engine.search.snapshot`) when done; a search reads whichever snapshot was current when it started, so
it always sees a consistent index while another thread writes. Searching, ranking, explaining,
inspecting and saving are functions of a Snapshot; this class only writes. Doc numbers are internal,
increasing and never reused; the user's string ids map onto them.

`Index.from_snapshot(snap)` starts a writer on top of an existing snapshot, copy-on-write: the snapshot's
segments and stored documents are shared, and this writer's additions, deletions and merges of its own
small segments never touch them (how many sessions share one bundled corpus).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from pyroaring import BitMap, FrozenBitMap

from engine.search import searcher, store
from engine.search.analyzer import Analyzer
from engine.search.results import SearchResult
from engine.search.segment import Segment, TermPositions, flatten
from engine.search.snapshot import Doc, DocTable, IdMap, IdOrder, Snapshot, empty_snapshot, keyword

AUTO_MERGE_SEGMENTS = 16  # more of this writer's own segments than this are folded into one

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
        self._docs = DocTable()  # by doc number, so ranking reads ids without hashing
        self._ids = IdMap()
        self._id_order = IdOrder()
        self._dl = np.zeros(1024, dtype=np.int32)
        self._next = 0
        self._seg_counter = 0
        self._shared: frozenset[str] = frozenset()  # names of segments this writer shares with others
        self._snap = empty_snapshot(self.analyzer, self.k1, self.b)
        # readers see `_visible`; the writer builds on `_snap`, which `update` moves twice before publishing once
        self._visible, self._staging = self._snap, False

    @classmethod
    def from_snapshot(cls, snap: Snapshot) -> Index:
        """A writer that starts at `snap` and shares its segments and stored documents (copy-on-write): this
        writer's edits go to its own segments, tombstones and tables, so `snap` and every other writer
        started from it never see them. Costs one copy of the token counts (4 bytes a document)."""
        ix = cls.__new__(cls)
        ix.analyzer, ix.k1, ix.b = snap.analyzer, snap.k1, snap.b
        ix._lock = threading.RLock()
        ix._docs = DocTable(snap.docs, snap.next_docnum)
        snap.ids.sealed = True  # whoever wrote it must start a new map before writing again
        ix._ids = IdMap(snap.ids)
        ix._id_order = snap.id_order.fork()
        ix._dl = snap.dl[: max(snap.next_docnum, 1024)].copy()
        ix._next = snap.next_docnum
        ix._seg_counter = 1 + max((int(s.name.removeprefix("seg")) for s in snap.segments
                                   if s.name.removeprefix("seg").isdigit()), default=-1)
        ix._shared = frozenset(s.name for s in snap.segments)
        ix._snap = ix._visible = snap  # the very same object: its derived norms and id order are reused
        ix._staging = False
        return ix

    # -- reading --------------------------------------------------------------------------------
    @property
    def snapshot(self) -> Snapshot:
        """The current snapshot (immutable)."""
        return self._visible

    def __len__(self) -> int:
        return self._visible.n_live

    def get(self, doc_id: str) -> Doc | None:
        """The live document with this id, or None."""
        return self._visible.get(doc_id)

    def doc(self, docnum: int) -> Doc:
        """The stored document with this internal number."""
        return self._docs[docnum]

    @property
    def next_docnum(self) -> int:
        """The doc number the next added document will get."""
        return self._next

    def save(self, path: str | os.PathLike) -> None:
        """Write the current snapshot to a directory atomically (see engine.search.store)."""
        store.save(self._visible, path)

    @staticmethod
    def load(path: str | os.PathLike) -> Index:
        """Read an index saved by `save`; raises IndexFormatError for anything else."""
        return Index.from_snapshot(store.load_snapshot(path))

    def search_terms(self, kind: str, terms: list[str], k: int = 10, **prune) -> SearchResult:
        """Top `k` for pre-analysed terms: kind is "term", "and", "or" or "phrase" (no parsing, no analysis).
        `prune`: `prune_from` and `block` of searcher.search_terms."""
        return searcher.search_terms(self._visible, kind, terms, k, **prune)

    def search(self, query: str, k: int = 10, explain: bool = True, highlight: bool = True,
               trace: bool = True, **prune) -> SearchResult:
        """Run `query` and return the top `k` hits with explanations, highlights and a trace (each optional).
        `prune`: `prune_from` and `block` of searcher.search (when top-k pruning starts, its block size)."""
        return searcher.search(self._visible, query, k, explain, highlight, trace, **prune)

    # -- writing --------------------------------------------------------------------------------
    def _check(self, doc: Doc) -> None:
        if not isinstance(doc, Doc):
            raise TypeError(f"expected a Doc, got {type(doc).__name__}")
        if not isinstance(doc.id, str) or not doc.id:
            raise ValueError("a document needs a non-empty string id")
        if not isinstance(doc.text, str):
            raise ValueError(f"document {doc.id!r}: text must be a string")

    def _writable_ids(self) -> IdMap:
        # a published snapshot (or a fork) reads the current map: write to a copy, so what it reads never moves
        # (an update re-points the id at a new doc number, which an older snapshot does not hold)
        if self._ids.sealed:
            self._ids = self._ids.copy()
        return self._ids

    def _store(self, doc: Doc, n_tokens: int) -> int:
        n = self._next
        self._next += 1
        if n >= len(self._dl):
            self._dl = np.concatenate([self._dl, np.zeros(len(self._dl), dtype=np.int32)])
        self._dl[n] = n_tokens
        self._docs.append(doc)  # n == len(self._docs): doc numbers are handed out in order
        self._writable_ids().set(doc.id, n)
        return n

    def _publish(self, segments, tombstones, live, keywords, sum_dl) -> None:
        self._snap = Snapshot(tuple(segments), tuple(tombstones), FrozenBitMap(live), keywords, int(sum_dl),
                              self._snap.generation + 1, self._docs, self._ids, self._dl, self._next,
                              self.analyzer, self.k1, self.b, self._id_order)
        self._ids.sealed = True  # the new snapshot reads this map
        if not self._staging:
            self._visible = self._snap

    def _add_segment_flat(self, docs: list[Doc], lengths: np.ndarray, terms: list[str], positions: np.ndarray) -> None:
        if not docs:
            return
        with self._lock:
            for d in docs:
                self._check(d)
                if self._snap.get(d.id) is not None:
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
            own = [s for s in self._snap.segments if s.name not in self._shared]
            if len(own) > AUTO_MERGE_SEGMENTS:  # keep look-ups cheap: fold this writer's small segments into one
                self._merge(own)

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
            snap = self._snap
            n = snap.live_docnum(doc_id)
            if n is None:
                return False
            self._writable_ids().set(doc_id, None)
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
        """Replace the document with the same id (delete + add), or add it if new, published as one snapshot: a
        reader never sees the document missing in between."""
        self._check(doc)
        terms, positions, lengths = _columns(self.analyzer, [doc.text])  # outside the lock: jieba is slow
        with self._lock:
            self._staging = True
            try:
                self.delete(doc.id)
                self._add_segment_flat([doc], lengths, terms, positions)
            finally:
                self._staging = False
                self._visible = self._snap

    def merge(self) -> None:
        """Merge all segments into one, dropping deleted documents' postings (as Lucene and tantivy do). In a
        writer started from a shared snapshot this copies the shared segments too: it stops sharing them."""
        with self._lock:
            snap = self._snap
            if not snap.segments or (len(snap.segments) == 1 and not snap.has_deletes):
                return
            self._merge(list(snap.segments))

    def _merge(self, chosen: list[Segment]) -> None:
        """Replace the `chosen` segments by one holding their live documents (the others stay as they are)."""
        snap = self._snap
        names = {s.name for s in chosen}
        dead = BitMap()
        for seg, tomb in zip(snap.segments, snap.tombstones, strict=True):
            if seg.name in names:
                dead |= tomb
        first, *rest = chosen
        merged = first.merged_with(f"seg{self._seg_counter:06d}", rest, dead)
        self._seg_counter += 1
        kept = [(s, t) for s, t in zip(snap.segments, snap.tombstones, strict=True) if s.name not in names]
        self._shared = frozenset(s.name for s, _ in kept) & self._shared
        self._publish([*(s for s, _ in kept), merged], [*(t for _, t in kept), FrozenBitMap()], snap.live,
                      snap.keywords, snap.sum_dl)
