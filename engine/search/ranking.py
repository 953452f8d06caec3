"""BM25 over the documents a query matched, then the top k, ties broken by doc id.

Two scorers compute the same float64 operations in the same order, so the same bits: plain Python for a
few dozen candidates (where a numpy call, a microsecond or more, costs more than the loop) and numpy for
more. Both sum the terms in query order, left to right, as an explanation shows them; an explanation
recomputes its few terms' weights with the scorers' own expression, so its details add up to the score.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from operator import itemgetter

import numpy as np
from pyroaring import BitMap

from engine.search.highlight import highlight
from engine.search.pruning import BLOCK, pruned
from engine.search.results import Hit, TraceStep
from engine.search.scoring import Explanation, explain, idf, term_scores
from engine.search.snapshot import Snapshot

DEFAULT_SMALL = 24  # up to this many candidates, plain-Python scoring beats numpy's per-call overhead (measured)
# From this many matches on, the engine prunes by default. Measured on the 54,607-document corpus: on 100 term and 100
# OR queries of terms in 300-20,000 documents, pruning skipped 8% and 40% of the matches but ran 4-5x slower than
# scoring them all in numpy (a dozen numpy calls of fixed cost against one vectorised pass); on the bench's own
# queries (`pruning` in its JSON) it skips under 2% and runs 1.1-1.2x slower. So by default it is off; the search
# page turns it on to show what it skips (prune_from=0), with exact results either way.
PRUNE_FROM = 1 << 62


def _score_numpy(snap: Snapshot, matched: BitMap, cand: np.ndarray, scoring: dict[str, int],
                 n_live: int, tids: dict[str, int | None] | None = None,
                 conjunctive: bool = False) -> tuple[dict, np.ndarray]:
    """The tf array of each term and the BM25 scores (float64, aligned with `cand`), summed over the terms
    in query order, left to right, as the explanation shows them. `tids`: term numbers the evaluation already
    looked up in a single segment (a lookup in a large dictionary misses the cache); `conjunctive`: every
    candidate holds every scoring term."""
    norm = snap.norms()[cand]
    segs = snap.segments
    one = len(segs) == 1
    tfs, total = {}, None
    for term, df in scoring.items():
        tf = None  # made only where some candidate may lack the term
        for seg in segs:
            t = tids[term] if one and tids and term in tids else seg.term_ids.get(term)
            if t is None:
                continue
            lo, hi, bm = seg.post_off.item(t), seg.post_off.item(t + 1), seg.bitmaps[t]
            docs, seg_tf = seg.post_docs[lo:hi], seg.tf[lo:hi]
            if one and (conjunctive or matched.issubset(bm)):
                # every candidate holds the term (a term, AND or phrase query): positions need no checking
                tf = seg_tf if hi - lo == len(cand) else seg_tf.take(docs.searchsorted(cand))
                break
            if tf is None:
                tf = np.zeros(len(cand), dtype=np.uint32)
            if bm.issubset(matched):  # every document of the term is a candidate (each side of an OR)
                tf[cand.searchsorted(docs)] = seg_tf
                continue
            idx = np.searchsorted(docs, cand)
            idx[idx == len(docs)] = 0
            hit = docs[idx] == cand
            tf[hit] = seg_tf[idx[hit]]
        if tf is None:
            tf = np.zeros(len(cand), dtype=np.uint32)
        tfs[term] = tf
        c = term_scores(tf, norm, idf(n_live, df), snap.k1)
        total = c if total is None else total + c
    return tfs, np.zeros(len(cand)) if total is None else total


def _docs_of(snap: Snapshot, matched: BitMap, scoring: dict[str, int],
             tids: dict[str, int | None] | None) -> np.ndarray:
    """The matched doc numbers as a sorted int64 array: for a one-term query on a single segment, a view of the term's
    own doc array (no copy out of the bitmap); else the bitmap's contents."""
    if snap.single and tids and len(scoring) == 1 and (t := tids.get(next(iter(scoring)))) is not None:
        seg = snap.segments[0]
        if matched is seg.bitmaps[t]:  # the term's own bitmap, unchanged: its postings are the matches
            return seg.post_docs[seg.post_off.item(t):seg.post_off.item(t + 1)]
    return np.asarray(matched.to_array(), dtype=np.int64)


def _tf_small(seg, t: int, cand: list[int], matched: BitMap, holds: bool = False) -> list[int]:
    """Term t's frequency in each candidate of one segment (0 where absent), with as few calls as the case
    allows: postings no longer than a few times the candidates are read whole (a one-term query, each side
    of an OR, most ANDs); else a rank per candidate where every candidate holds the term, or a membership
    test first. Reading a posting whole costs tens of nanoseconds per entry, a rank a few hundred. `holds`: every
    candidate is known to hold the term (no subset test, which reads both bitmaps' containers)."""
    bm, base = seg.bitmaps[t], seg.post_off.item(t)
    n = len(bm)
    if n <= 4 * len(cand):
        tf = seg.tf[base:base + n].tolist()
        if n == len(cand) and (holds or matched.issubset(bm)):
            return tf
        of = dict(zip(seg.post_docs[base:base + n].tolist(), tf, strict=True))
        return [of.get(d, 0) for d in cand]
    if holds or matched.issubset(bm):
        tf = seg.tf
        return [tf.item(base + bm.rank(d) - 1) for d in cand]
    return [seg.tf_in(t, d) for d in cand]


def _score_small(snap: Snapshot, matched: BitMap, cand: list[int], scoring: dict[str, int], n_live: int,
                 tids: dict[str, int] | None = None, conjunctive: bool = False) -> tuple[dict, list[float]]:
    """_score for a few candidates in plain Python (same float64 operations in the same order, so the
    same bits): numpy's per-call overhead dominates below a few dozen documents. `tids`: term numbers the
    evaluation already looked up in a single segment (a lookup in a large dictionary misses the cache);
    `conjunctive`: every candidate holds every scoring term."""
    item = snap.norms().item  # read inside the sums below: a separate list of norms costs one more comprehension
    k1p = snap.k1 + 1.0
    segs = snap.segments
    tfs = {}
    total: list[float] | None = None
    for term, df in scoring.items():
        if len(segs) == 1:
            t = tids.get(term) if tids and term in tids else segs[0].term_ids.get(term)
            tf = [0] * len(cand) if t is None else _tf_small(segs[0], t, cand, matched, conjunctive)
        else:  # a doc lives in one segment: fill in what each segment holds
            tf = [0] * len(cand)
            for seg in segs:
                t = seg.term_ids.get(term)
                if t is not None:
                    for i, d in enumerate(cand):
                        if not tf[i]:
                            tf[i] = seg.tf_in(t, d)
        w = idf(n_live, df) * k1p
        tfs[term] = tf
        # weight(w, f, norm) written out (a call per candidate costs more than the arithmetic): the same operations
        if total is None:
            total = [w * f / (f + item(d)) for f, d in zip(tf, cand, strict=True)]
        else:
            total = [a + w * f / (f + item(d)) for a, f, d in zip(total, tf, cand, strict=True)]
    return tfs, total or [0.0] * len(cand)


def _top(pool: list[tuple[float, int, int]], k: int, id_ranks: Callable[[], np.ndarray],
         in_order: Callable[[], bool] | None = None) -> list[tuple[float, int, int]]:
    """The k best (score, docnum, index) rows, ties broken by doc id (`id_ranks`: Snapshot.id_ranks, asked only
    when a tie reaches the top k: after a write it re-sorts every id). Ties are common (short documents of
    one length); only rows of a tied score that reaches the top k are ordered. `in_order`:
    Snapshot.ids_in_docnum_order, for a pool in doc-number order: when it holds, Python's stable sort (stable
    under reverse=True too) already leaves tied rows in id order."""
    pool.sort(key=itemgetter(0), reverse=True)
    if in_order is not None and in_order():
        return pool[:k]
    out: list[tuple[float, int, int]] = []
    i, n = 0, len(pool)
    while len(out) < k and i < n:
        j = i + 1
        while j < n and pool[j][0] == pool[i][0]:
            j += 1
        if j - i == 1:
            out.append(pool[i])
        else:
            ranks = id_ranks()
            out.extend(sorted(pool[i:j], key=lambda r: ranks.item(r[1]))[:k - len(out)])
        i = j
    return out


def _dressed(snap: Snapshot, ranked: list[tuple[float, int, int]], scoring: dict[str, int], tfs: dict,
             explain_hits: bool, highlight_hits: bool, marked: set[str]) -> list[Hit]:
    """Hits with their explanation trees and snippets highlighting `marked` (scoring and prefix-expanded terms)."""
    n_live, docs, hits, k1 = snap.n_live, snap.docs, [], snap.k1
    if explain_hits:
        idfs = {t: idf(n_live, df) for t, df in scoring.items()}
        norms, avgdl = snap.norms(), snap.avgdl
    for score, num, i in ranked:
        d = docs[num]
        expl = None
        if explain_hits:
            dl, norm = snap.dl.item(num), norms.item(num)
            # each term's weight by the scorers' own expression, so the details add up to the score bit for bit
            # (both scorers sum them in query order)
            details = [explain(t, term_scores(tf, norm, idfs[t], k1), tf, dl, idfs[t], df, n_live, avgdl, k1, snap.b)
                       for t, df in scoring.items() if (tf := int(tfs[t][i])) > 0]
            expl = Explanation(score, "expl.score", {}, details)
        snippet = highlight(d.text, snap.analyzer.tokens(d.text), marked) if highlight_hits else ""
        hits.append(Hit(num, score, docs, expl, snippet))
    return hits


def rank(snap: Snapshot, matched: BitMap, scoring: dict[str, int], k: int, explain_hits: bool,
         highlight_hits: bool, trace: list[TraceStep] | None, tids: dict[str, int | None] | None = None,
         small: int = DEFAULT_SMALL, expanded: set[str] | None = None, disjunction: bool = False,
         prune_from: int = PRUNE_FROM, block: int = BLOCK, conjunctive: bool = False) -> tuple[list[Hit], int, int]:
    """BM25 over the matched live documents, then the top k (ties by doc id), explained and highlighted.

    `scoring`: each scoring term's live df, in query order (df > 0); `tids`: their numbers in a single
    segment, as evaluating the query found them; `small`: up to this many candidates, score in plain Python;
    `expanded`: terms a prefix matched, highlighted beside the scoring terms; `disjunction`: the matches are
    exactly the union of the scoring terms' postings (a term or an OR of terms), so from `prune_from` matches
    on, block-max MaxScore (engine.search.pruning, blocks of `block` postings) skips those that cannot reach
    the top k; `conjunctive`: every match holds every scoring term (a term, an AND of terms, a phrase), so
    reading a term's frequencies needs no subset test.
    Returns the hits, how many documents matched and how many were scored (the rest were skipped); the
    "score" and "top-k" steps go to `trace` when there is one."""
    n_live = snap.n_live
    t0 = time.perf_counter() if trace is not None else 0.0
    if snap.has_deletes and not matched.issubset(snap.live):
        matched = matched & snap.live  # never in place: `matched` may be a segment's own bitmap
    k = max(0, int(k))
    n_matched = len(matched)
    few = n_matched <= small
    got = None
    if disjunction and n_matched >= max(prune_from, small + 1) and k > 0:
        got = pruned(snap, scoring, tids, k, block)
    if got is not None:
        (cand, tfs, total), few = got, False
    elif few:
        cand = list(matched)
        tfs, scores = _score_small(snap, matched, cand, scoring, n_live, tids, conjunctive)
    else:
        cand = _docs_of(snap, matched, scoring, tids)
        tfs, total = _score_numpy(snap, matched, cand, scoring, n_live, tids, conjunctive)
    if trace is not None:
        trace.append(TraceStep("score", ", ".join(scoring), len(cand), (time.perf_counter() - t0) * 1e3,
                               {"terms": len(scoring), "matched": n_matched, "skipped": n_matched - len(cand)}))
    t0 = time.perf_counter() if trace is not None else 0.0
    ranked = hits = None
    if few and snap.ids_in_docnum_order():
        # a few dozen candidates in doc-number order, so in id order: Python's stable sort by score alone (stable
        # under reverse=True too) leaves tied candidates in id order, with no (score, docnum, index) row per candidate
        order = sorted(range(len(cand)), key=scores.__getitem__, reverse=True)[:k]
        if explain_hits or highlight_hits:
            ranked = [(scores[i], cand[i], i) for i in order]
        else:  # the lean top k: hits straight from the order
            docs = snap.docs
            hits = [Hit(cand[i], scores[i], docs) for i in order]
    elif few:  # sort them all
        pool = list(zip(scores, cand, range(len(cand)), strict=True))
    else:
        if len(cand) > k > 0:
            kth = np.partition(total, len(total) - k)[len(total) - k]
            keep = np.flatnonzero(total >= kth)  # everything tied with the k-th too, so ties break by id
        else:
            keep = np.arange(len(cand)) if k > 0 else np.arange(0)
        if len(keep) > 2 * k:  # a big tie at the k-th score (short documents of one length): rank ids in numpy
            keep = keep[np.lexsort((snap.id_ranks()[cand[keep]], -total[keep]))[:k]]
        pool = list(zip(total[keep].tolist(), cand[keep].tolist(), keep.tolist(), strict=True))
    if hits is None:
        if ranked is None:  # (score, docnum, candidate index); the pool is in doc-number order unless a big tie was
            ranked = _top(pool, k, snap.id_ranks, snap.ids_in_docnum_order)  # ranked by id above
        if explain_hits or highlight_hits:
            hits = _dressed(snap, ranked, scoring, tfs, explain_hits, highlight_hits,
                            set(scoring) | (expanded or set()))
        else:
            docs = snap.docs
            hits = [Hit(num, score, docs) for score, num, _ in ranked]
    if trace is not None:
        trace.append(TraceStep("top-k", f"k={k}", len(hits), (time.perf_counter() - t0) * 1e3, {"k": k}))
    return hits, n_matched, len(cand)
