"""Compiled top-k for the lean search (no trace, no explanations, no snippets) on one segment without deletes:
match, BM25 and top k in one call over the segment's flat arrays, instead of a Python loop per candidate.

Why: a query touches a few dozen candidates, and in CPython each candidate costs a rank in a bitmap, an item read
and the arithmetic, about half a microsecond per term; the postings are already flat numpy arrays
(`Segment.post_docs`, `tf`, `post_off`, `occ_keys`, `occ_off`), so a compiled loop reads them directly.

Exactness: the scores are the BM25 of engine.search.scoring, with the same float64 operations in the same order
(`w·tf / (tf + norm)` per term, w = idf·(k1 + 1), summed in query order, left to right), so the same bits as the
Python and numpy scorers (no fast-math: LLVM keeps IEEE semantics). Ties at a score break by the rank of the
document's id, as everywhere in the engine. Tests compare every kind against the Python path and a brute force.

numba is optional: without it (or with GLASSBOX_SEARCH_JIT=0) `ENABLED` is False and the searcher keeps its
Python path, which is complete on its own. The kernels release the GIL (a shared server's other visitors run on)
and are cached on disk beside this file, so a process compiles them once per machine, not once per start.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

import numpy as np

try:  # an accelerator, never a requirement of correctness
    import numba
except ImportError:  # pragma: no cover - exercised where numba is absent
    numba = None

Arr = np.ndarray
ENABLED = numba is not None and os.environ.get("GLASSBOX_SEARCH_JIT", "1") != "0"


def run(fn: Callable[..., tuple[int, int]], *args: object) -> tuple[int, int]:
    """Call one of the compiled kernels below: a Python frame in this module around it, so a sampling profiler
    (engine.search.profile) charges the compiled time to its own phase rather than to the caller's."""
    return fn(*args)


def _jit(fn):
    """Compile `fn` without the GIL, cached on disk; where no cache location is writable (numba refuses at
    decoration), compiled once per process instead. Without numba, `fn` itself (never called: ENABLED is False)."""
    if numba is None:
        return fn
    try:
        return numba.njit(nogil=True, cache=True)(fn)
    except RuntimeError:  # "cannot cache function …: no locator available": a read-only install and home
        return numba.njit(nogil=True)(fn)


@_jit
def _first_at_least(a, lo, hi, x):  # pragma: no cover - compiled
    """The first index i in [lo, hi) with a[i] >= x (hi if none): gallop from lo, then bisect, so a cursor that
    moves forward through a long posting costs the log of the step, not of the posting."""
    if lo >= hi or a[lo] >= x:
        return lo
    step = 1
    prev = lo
    cur = lo + 1
    while cur < hi and a[cur] < x:
        prev = cur
        step *= 2
        cur = lo + step
    if cur > hi:
        cur = hi
    lo2, hi2 = prev + 1, cur
    while lo2 < hi2:
        mid = (lo2 + hi2) >> 1
        if a[mid] < x:
            lo2 = mid + 1
        else:
            hi2 = mid
    return lo2


@_jit
def _offer(score, doc, key, top_s, top_d, top_k, n):  # pragma: no cover - compiled
    """Insert (score, doc) into the top list (score descending, then tie key ascending) holding n of its
    len(top_s) rows; returns the new count. A candidate that cannot enter costs one comparison."""
    cap = len(top_s)
    if n == cap:
        last = n - 1
        if score < top_s[last] or (score == top_s[last] and key >= top_k[last]):
            return n
        i = last
    else:
        i = n
        n += 1
    while i > 0 and (top_s[i - 1] < score or (top_s[i - 1] == score and top_k[i - 1] > key)):
        top_s[i] = top_s[i - 1]
        top_d[i] = top_d[i - 1]
        top_k[i] = top_k[i - 1]
        i -= 1
    top_s[i] = score
    top_d[i] = doc
    top_k[i] = key
    return n


@_jit
def _tie_key(doc, ranks, use_ranks):  # pragma: no cover - compiled
    return ranks[doc] if use_ranks else doc


@_jit
def _bm25(ws, tf, at, nd):  # pragma: no cover - compiled
    """The score of a document holding every term j at posting at[j] (norm nd): each term's w·tf / (tf + norm),
    summed in query order, left to right, as the Python scorers do."""
    total = 0.0
    for j in range(len(ws)):
        f = np.float64(tf[at[j]])
        c = ws[j] * f / (f + nd)
        total = c if j == 0 else total + c
    return total


@_jit
def _spans(off, tids):  # pragma: no cover - compiled
    """Where each term's run starts and ends in a flat array indexed by `off` (a cursor per term, and its end)."""
    cur = np.empty(len(tids), np.int64)
    end = np.empty(len(tids), np.int64)
    for j in range(len(tids)):
        cur[j] = off[tids[j]]
        end[j] = off[tids[j] + 1]
    return cur, end


@_jit
def _weights(post_off, tids, n_live, k1p):  # pragma: no cover - compiled
    """idf(N, df)·(k1 + 1) of each term, df its posting length: engine.search.scoring.idf's operations in its
    order (math.log is the C library's log, as CPython's is), so the same bits."""
    ws = np.empty(len(tids))
    for j in range(len(tids)):
        df = post_off[tids[j] + 1] - post_off[tids[j]]
        ws[j] = math.log(1.0 + (n_live - df + 0.5) / (df + 0.5)) * k1p
    return ws


@_jit
def conjunction(post_docs: Arr, tf: Arr, post_off: Arr, norms: Arr, ranks: Arr, use_ranks: bool, tids: Arr, n_live: int,
                k1p: float, top_s: Arr, top_d: Arr) -> tuple[int, int]:  # pragma: no cover - compiled
    """Documents holding every term `tids` (distinct, in query order), scored with BM25 over `n_live`
    documents (`k1p`: k1 + 1); the best fill top_s/top_d. Returns (matched, kept). The shortest posting
    drives; the others gallop forward."""
    m = len(tids)
    ws = _weights(post_off, tids, n_live, k1p)
    order = np.argsort(post_off[tids + 1] - post_off[tids], kind="mergesort")
    cur, end = _spans(post_off, tids)
    top_key = np.empty(len(top_s), np.int64)
    drv = order[0]
    matched = 0
    kept = 0
    for p in range(cur[drv], end[drv]):
        d = post_docs[p]
        ok = True
        for oi in range(1, m):
            j = order[oi]
            c = _first_at_least(post_docs, cur[j], end[j], d)
            cur[j] = c
            if c == end[j]:
                return matched, kept  # a posting ran out: no later document holds every term
            if post_docs[c] != d:
                ok = False
                break
        if not ok:
            continue
        cur[drv] = p
        matched += 1
        total = _bm25(ws, tf, cur, norms[d])
        if len(top_s):
            kept = _offer(total, d, _tie_key(d, ranks, use_ranks), top_s, top_d, top_key, kept)
    return matched, kept


@_jit
def disjunction(post_docs: Arr, tf: Arr, post_off: Arr, norms: Arr, ranks: Arr, use_ranks: bool, tids: Arr, n_live: int,
                k1p: float, top_s: Arr, top_d: Arr) -> tuple[int, int]:  # pragma: no cover - compiled
    """Documents holding any of the terms `tids` (distinct, in query order), scored as the sum of the BM25 weights
    of the terms they hold; the best fill top_s/top_d. Returns (matched, kept). A merge of the postings."""
    m = len(tids)
    ws = _weights(post_off, tids, n_live, k1p)
    cur, end = _spans(post_off, tids)
    top_key = np.empty(len(top_s), np.int64)
    big = np.iinfo(np.int64).max
    matched = 0
    kept = 0
    while True:
        d = big
        for j in range(m):
            if cur[j] < end[j] and post_docs[cur[j]] < d:
                d = post_docs[cur[j]]
        if d == big:
            break
        matched += 1
        nd = norms[d]
        total = 0.0
        for j in range(m):
            if cur[j] < end[j] and post_docs[cur[j]] == d:
                f = np.float64(tf[cur[j]])
                c = ws[j] * f / (f + nd)
                cur[j] += 1
            else:
                c = 0.0  # the Python scorers add w·0/(0 + norm), which is 0.0: the same sum
            total = c if j == 0 else total + c
        if len(top_s):
            kept = _offer(total, d, _tie_key(d, ranks, use_ranks), top_s, top_d, top_key, kept)
    return matched, kept


@_jit
def phrase(post_docs: Arr, tf: Arr, post_off: Arr, occ_keys: Arr, occ_off: Arr, norms: Arr, ranks: Arr, use_ranks: bool,
           rel_tids: Arr, rel_offs: Arr, tids: Arr, n_live: int, k1p: float, top_s: Arr,
           top_d: Arr) -> tuple[int, int]:  # pragma: no cover - compiled
    """Documents holding term rel_tids[i] at offset rel_offs[i] from a common start, scored by the distinct
    terms `tids` (query order) over `n_live` documents; the best fill top_s/top_d. Returns (matched, kept).

    Occurrence keys are doc·2³² + position, sorted per term: every occurrence of the rarest term proposes a
    start, and each other term gallops to the key the start implies. A document counts once however many
    starts it holds."""
    m = len(rel_tids)
    order = np.argsort(occ_off[rel_tids + 1] - occ_off[rel_tids], kind="mergesort")
    cur, end = _spans(occ_off, rel_tids)
    nt = len(tids)
    ws = _weights(post_off, tids, n_live, k1p)
    pc, pe = _spans(post_off, tids)  # a cursor per scoring term into its doc postings
    top_key = np.empty(len(top_s), np.int64)
    drv = order[0]
    base = rel_offs[drv]
    matched = 0
    kept = 0
    last = -1
    for p in range(cur[drv], end[drv]):
        start = occ_keys[p] - base
        d = occ_keys[p] >> 32
        if d == last:
            continue  # this document already matched
        ok = True
        for oi in range(1, m):
            j = order[oi]
            want = start + rel_offs[j]
            c = _first_at_least(occ_keys, cur[j], end[j], want)
            cur[j] = c
            if c == end[j]:
                return matched, kept
            if occ_keys[c] != want:
                ok = False
                break
        if not ok:
            continue
        last = d
        matched += 1
        for j in range(nt):  # every term of the phrase is in d: its posting for d, read forward
            pc[j] = _first_at_least(post_docs, pc[j], pe[j], d)
        total = _bm25(ws, tf, pc, norms[d])
        if len(top_s):
            kept = _offer(total, d, _tie_key(d, ranks, use_ranks), top_s, top_d, top_key, kept)
    return matched, kept
