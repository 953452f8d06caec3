"""Top-k pruning for term and OR queries: block-max MaxScore, as Lucene and tantivy skip documents that
cannot reach the top k, with BM25 left exact.

Each term's postings are cut into blocks of `BLOCK` postings (tantivy's and Lucene's 128). A block keeps, for
tf = 1, 2, 3 and for larger tf, its shortest document (smallest dl), computed once per segment: BM25 grows with
tf and shrinks with dl, so the best of w·tf / (tf + norm(min dl)) over those four pairs (the largest tf for the
last) bounds every posting of the block, whatever N, df and avgdl are now (Lucene keeps a block's
competitive (tf, norm) pairs for the same purpose). A search then:

1. scores exactly the documents of each term's best blocks (enough to hold k postings): the k-th best of
   those scores is a threshold θ that the final k-th score can only exceed;
2. MaxScore: the terms whose largest bounds, summed from the smallest, stay under θ are non-essential, and
   a document holding only those is skipped unread; block-max: a document of term t's block j is bounded by
   that block's bound plus every other term's largest bound, and a document under θ in any of its terms'
   blocks cannot reach the top k (nor tie with it), so it is skipped;
3. scores the rest exactly, with the same float64 operations as the exhaustive scorer.

Bounds carry a relative slack of 1e-9 (far above float64 rounding), so rounding never prunes a document
that belongs in the top k. Only documents strictly below θ are skipped: ties at the k-th score are still
ranked by id. Works on one segment without deletes (`Snapshot.single`); other snapshots score every match.
"""

from __future__ import annotations

import threading

import numpy as np

from engine.search.scoring import idf, length_norm, weight
from engine.search.segment import Segment
from engine.search.snapshot import Snapshot

BLOCK = 128
SLACK = 1.0 + 1e-9
_LOCK = threading.Lock()


LEVELS = (1, 2, 3)  # a block's shortest document with exactly this tf; above the last, its largest tf


class Blocks:
    """Per-term blocks of one segment: where each term's blocks are (`off`), each block's first posting
    (`start`, into the segment's flat arrays), size, largest tf and smallest dl, and for each tf of `LEVELS`
    the smallest dl among the block's documents with that tf (`level_dl`, one row per level; a huge
    number where there is none), the last row for the documents with a larger tf.

    Pairing the largest tf with the shortest document overestimates badly where short documents abound (most
    hold a term once); Lucene keeps every competitive (tf, norm) pair of a block for that reason. These
    four pairs are a fixed-size version of that list: a bound is the best of (1, dl₁), (2, dl₂), (3, dl₃)
    and (max tf, dl₄₊)."""

    __slots__ = ("level_dl", "maxtf", "mindl", "off", "size", "start")

    def __init__(self, seg: Segment, dl: np.ndarray, block: int) -> None:
        n_t = np.diff(seg.post_off)
        nb = (n_t + block - 1) // block
        self.off = np.zeros(len(nb) + 1, dtype=np.int64)
        np.cumsum(nb, out=self.off[1:])
        first = np.repeat(self.off[:-1], nb)
        self.start = np.repeat(seg.post_off[:-1], nb) + block * (np.arange(len(first)) - first)
        end = np.minimum(self.start + block, np.repeat(seg.post_off[1:], nb))
        self.size = end - self.start
        big = np.iinfo(np.int64).max // 4
        if len(self.start):
            self.maxtf = np.maximum.reduceat(seg.tf, self.start)
            dls = dl[seg.post_docs].astype(np.int64)
            self.mindl = np.minimum.reduceat(dls, self.start)
            rows = [np.where(seg.tf == lv, dls, big) for lv in LEVELS] + [np.where(seg.tf > LEVELS[-1], dls, big)]
            self.level_dl = np.stack([np.minimum.reduceat(r, self.start) for r in rows])
        else:
            self.maxtf = np.zeros(0, np.uint32)
            self.mindl = np.zeros(0, np.int64)
            self.level_dl = np.zeros((len(LEVELS) + 1, 0), np.int64)


def blocks(seg: Segment, dl: np.ndarray, block: int = BLOCK) -> Blocks:
    """The segment's blocks of `block` postings, built on first use and kept with the segment (a doc
    number's dl never changes, so they hold for every snapshot that shares the segment)."""
    memo = seg.__dict__.setdefault("_blocks", {})
    got = memo.get(block)
    if got is None:
        with _LOCK:
            got = memo.get(block)
            if got is None:
                got = memo[block] = Blocks(seg, dl, block)
    return got


def _ranges(start: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Every index of the ranges [start, start + size), concatenated."""
    total = int(size.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(start - (np.cumsum(size) - size), size)
    return shift + np.arange(total)


def _tf(seg: Segment, t: int, cand: np.ndarray) -> np.ndarray:
    """Term t's frequency in each of the sorted candidates (0 where absent)."""
    lo, hi = seg.post_off.item(t), seg.post_off.item(t + 1)
    docs = seg.post_docs[lo:hi]
    idx = docs.searchsorted(cand)
    idx[idx == len(docs)] = 0
    hit = docs[idx] == cand
    tf = np.zeros(len(cand), dtype=np.uint32)
    tf[hit] = seg.tf[lo:hi][idx[hit]]
    return tf


def score(snap: Snapshot, tids: list[int], weights: list[float], cand: np.ndarray) -> tuple[list, np.ndarray]:
    """Each term's tf in the candidates and their BM25 scores, summed in query order (the exhaustive
    scorer's operations, so the same bits)."""
    seg, norm = snap.segments[0], snap.norms()[cand]
    tfs, total = [], None
    for t, w in zip(tids, weights, strict=True):
        tf = _tf(seg, t, cand)
        tfs.append(tf)
        c = weight(w, tf, norm)
        total = c if total is None else total + c
    return tfs, total if total is not None else np.zeros(len(cand))


def pruned(snap: Snapshot, scoring: dict[str, int], tids: dict[str, int | None] | None, k: int,
           block: int = BLOCK) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray] | None:
    """The candidates of a term or OR query that can still reach the top k (sorted doc numbers), each term's
    tf in them and their exact scores; None when this snapshot cannot be pruned (several segments,
    deletes, no length statistics) or no term is found."""
    if not snap.single or not snap.avgdl or k <= 0 or not scoring:
        return None
    seg = snap.segments[0]
    blk = blocks(seg, snap.dl, block)
    n_live, k1, b, avgdl = snap.n_live, snap.k1, snap.b, snap.avgdl
    terms = list(scoring)
    ids = [(tids or {}).get(term, seg.term_ids.get(term)) for term in terms]
    if any(t is None for t in ids):
        return None
    weights = [idf(n_live, df) * (k1 + 1.0) for df in scoring.values()]
    bounds, parts = [], []
    for t, w in zip(ids, weights, strict=True):
        lo, hi = blk.off.item(t), blk.off.item(t + 1)
        tfs = [*LEVELS, blk.maxtf[lo:hi]]
        ub = np.max([weight(w, tf, length_norm(blk.level_dl[i, lo:hi].astype(np.float64), avgdl, k1, b))
                     for i, tf in enumerate(tfs)], axis=0)  # a level without documents: dl huge, bound ~0
        bounds.append(ub * SLACK)
        parts.append((lo, hi))
    # 1. the best blocks of each term, enough to hold k postings: their documents, scored exactly, give θ
    seed = []
    for ub, (lo, _) in zip(bounds, parts, strict=True):
        order = np.argsort(-ub, kind="stable")
        sizes = blk.size[lo + order]
        r = int(np.searchsorted(np.cumsum(sizes), k)) + 1
        top = order[:r] + lo
        seed.append(seg.post_docs[_ranges(blk.start[top], blk.size[top])])
    first = np.unique(np.concatenate(seed))
    _, s = score(snap, ids, weights, first)
    theta = np.partition(s, len(s) - k)[len(s) - k] if len(s) >= k else -np.inf
    # 2. a document is skipped when, in some term holding it, its block's bound plus the others' best is under θ
    best = [float(ub.max()) if len(ub) else 0.0 for ub in bounds]
    everything = sum(best)
    # MaxScore: the terms whose bests, added from the smallest, stay under θ are "non-essential": a document
    # holding none but them cannot reach θ, so only the other terms' postings propose candidates
    essential, low = [True] * len(best), 0.0
    for i in sorted(range(len(best)), key=best.__getitem__):
        low += best[i]
        if low * SLACK >= theta:
            break
        essential[i] = False
    alive = np.zeros(snap.next_docnum, dtype=bool)
    dead = []
    for ub, (lo, _), top, ess in zip(bounds, parts, best, essential, strict=True):
        keep = ub + (everything - top) * SLACK >= theta
        if ess:
            idx = lo + np.flatnonzero(keep)
            alive[seg.post_docs[_ranges(blk.start[idx], blk.size[idx])]] = True
        if not keep.all():
            idx = lo + np.flatnonzero(~keep)
            dead.append(seg.post_docs[_ranges(blk.start[idx], blk.size[idx])])
    for d in dead:
        alive[d] = False
    alive[first] = True  # already scored: kept, so the count of documents scored counts them
    cand = np.flatnonzero(alive)
    # 3. the survivors, scored exactly
    tfs, total = score(snap, ids, weights, cand)
    return cand, dict(zip(terms, tfs, strict=True)), total
