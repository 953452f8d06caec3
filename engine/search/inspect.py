"""Looking inside an index: the term dictionary, a posting list's roaring containers, the forward view,
and a measured race between scanning every document and looking a term up in the inverted index."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pyroaring import BitMap

from engine.search.analyzer import Analyzer
from engine.search.index import Index
from engine.search.snapshot import Doc, Snapshot, reader
from engine.timing import interleaved


def term_table(snap: Snapshot | Index, limit: int | None = None, prefix: str = "") -> list[dict]:
    """One row per term (live df, total tf, bytes in roaring + tf + positions), largest df first."""
    snap = reader(snap)
    rows: dict[str, dict] = {}
    for seg in snap.segments:
        terms = seg.prefix_range(prefix) if prefix else range(len(seg.terms))
        for t in terms:
            term = seg.terms[t]
            tf = seg.tf_of(t)
            row = rows.setdefault(term, {"term": term, "df": 0, "total_tf": 0, "bytes": 0})
            row["total_tf"] += int(tf.sum())
            row["bytes"] += len(seg.bitmaps[t].serialize()) + tf.nbytes + 4 * int(tf.sum())
    for term, row in rows.items():
        row["df"] = len(snap.postings(term))
    out = sorted((r for r in rows.values() if r["df"] > 0), key=lambda r: (-r["df"], r["term"]))
    return out[:limit] if limit else out


@dataclass(frozen=True)
class PostingStats:
    """A posting list's roaring containers against a plain int32 array."""

    term: str
    cardinality: int
    array_containers: int
    bitmap_containers: int
    run_containers: int
    roaring_bytes: int
    int32_bytes: int


def live_postings(snap: Snapshot | Index, term: str) -> BitMap:
    """The live documents (internal numbers) holding `term`: a copy of Snapshot.postings, free to modify."""
    return BitMap(reader(snap).postings(term))


def posting_stats(snap: Snapshot | Index, term: str) -> PostingStats | None:
    """Container breakdown of a term's live posting list (None if the term is absent)."""
    bm = live_postings(snap, term)  # a copy: run_optimize works in place
    if not bm:
        return None
    bm.run_optimize()
    s = bm.get_statistics()
    return PostingStats(term, len(bm), s["n_array_containers"], s["n_bitset_containers"], s["n_run_containers"],
                        len(bm.serialize()), 4 * len(bm))


def forward_view(snap: Snapshot | Index, doc_ids: list[str]) -> list[dict]:
    """The forward index of a few documents: id and its terms in order."""
    snap, out = reader(snap), []
    for i in doc_ids:
        d = snap.get(i)
        if d is not None:
            out.append({"id": d.id, "title": d.title, "terms": [t.text for t in snap.analyzer.tokens(d.text)]})
    return out


def inverted_view(snap: Snapshot | Index, doc_ids: list[str]) -> dict[str, list[str]]:
    """The inverted index restricted to a few documents: term -> ids of those documents containing it."""
    inv: dict[str, list[str]] = {}
    for row in forward_view(snap, doc_ids):
        for term in dict.fromkeys(row["terms"]):
            inv.setdefault(term, []).append(row["id"])
    return dict(sorted(inv.items()))


RACE_SIZES = [205, 1_000, 4_000, 16_000, 64_000]  # the search page's race, recorded by the search bench
RACE_ROUNDS = 5  # interleaved rounds per size: the median and the range of the rounds are shown


def race(docs: list[Doc], analyzer: Analyzer, sizes: list[int], n_queries: int = 30, seed: int = 0,
         progress: Callable[[int, int], None] | None = None, rounds: int = RACE_ROUNDS) -> list[dict]:
    """Time per one-term query: scanning every document's terms (forward index) vs the inverted lookup.

    Past the corpus's own size the collection grows with filler documents: copies of the corpus whose terms
    are renamed (`词#2`), so each has a real document's length and term mix but shares no term with the
    queries. The queried terms' document frequencies therefore stay what they are in the corpus while N
    grows: the scan still reads every document, the lookup only the term's posting list, which is the
    difference the race shows. Both sides return the same documents; that is checked on every query first.

    Timing (engine.timing.interleaved): a round runs every query once by scanning and once by the lookup, each
    method's queries as one block (timed straight after a scan, a single lookup would meet caches the scan's
    megabytes of Python sets had just flushed, and measure that instead of its own work), the two blocks taking
    turns at going first; after the untimed round that checked the answers, `rounds` rounds. A row gives the
    median round's time per query with the fastest and slowest round, and the counts load cannot change:
    documents the scan reads and postings the lookup reads (summed over the queries). `progress(sizes done,
    sizes)` follows each size.
    """
    rng = random.Random(seed)
    tokens = [[t.text for t in analyzer.tokens(d.text)] for d in docs]
    vocab = sorted({t for toks in tokens for t in toks})
    queries = rng.sample(vocab, min(n_queries, len(vocab)))

    def terms_of(i: int) -> list[str]:
        base, copy = tokens[i % len(docs)], i // len(docs)
        return base if copy == 0 else [f"{t}#{copy}" for t in base]

    rows = []
    for done, n in enumerate(sizes, start=1):
        lists = [terms_of(i) for i in range(n)]
        forward = [set(terms) for terms in lists]
        ix = Index(analyzer)
        ix.add_many([Doc(f"{i}", docs[i % len(docs)].text) for i in range(n)],
                    tokens=[[(t, p) for p, t in enumerate(terms)] for terms in lists])

        def scan_all(forward=forward) -> list[list[int]]:
            return [[i for i, terms in enumerate(forward) if term in terms] for term in queries]

        def lookup_all(ix=ix, n=n) -> list[list[int]]:
            return [sorted(h.docnum for h in ix.search_terms("term", [term], k=n).hits) for term in queries]

        scanned = scan_all()
        if lookup_all() != scanned:
            raise AssertionError(f"scan and index disagree at {n} documents")
        dfs = [len(found) for found in scanned]
        row: dict = {"docs": n}
        for name, tm in interleaved({"scan": scan_all, "inverted": lookup_all}, rounds, warmup=False).items():
            row[f"{name}_ms"], row[f"{name}_lo_ms"], row[f"{name}_hi_ms"] = (
                s / len(queries) * 1e3 for s in (tm.median_s, tm.lo_s, tm.hi_s))
            row["busy"] = row.get("busy", False) or tm.busy
        rows.append(row | {"rounds": rounds, "median_df": float(np.median(dfs)), "queries": len(queries),
                           "scan_docs_read": n * len(queries), "postings_read": sum(dfs)})
        if progress:
            progress(done, len(sizes))
    return rows
