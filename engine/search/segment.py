"""An immutable segment: a sorted term dictionary and, per term, a roaring bitmap of doc numbers with
term frequencies and positions in flat numpy arrays (no Python objects per posting).

Layout, for term number t (terms sorted, so a prefix is a contiguous range found by bisection):
- `bitmaps[t]`: pyroaring.BitMap of the doc numbers containing t;
- `docs_of(t)`: the same doc numbers as a sorted int64 array (a view into one flat array);
- `tf[post_off[t]:post_off[t+1]]`: term frequency per doc, aligned with `docs_of(t)`;
- `positions[pos_off[p]:pos_off[p+1]]`: positions of posting p (p indexes the flat tf array);
- `occ_keys[occ_off[t]:occ_off[t+1]]`: every occurrence of t as a sorted key doc·2³² + position (in
  memory only, derived from the above), which phrase matching binary-searches.
Deletes never touch a segment: the index keeps a tombstone bitmap beside it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyroaring import BitMap

TermPositions = list[tuple[str, int]]  # (term, position) for one document, in token order


def flatten(tokenized: list[TermPositions]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Per-document (term, position) lists as flat columns: every term, every position, each list's length."""
    terms = [t for toks in tokenized for t, _ in toks]
    positions = np.fromiter((p for toks in tokenized for _, p in toks), dtype=np.int32, count=len(terms))
    lengths = np.fromiter((len(toks) for toks in tokenized), dtype=np.int64, count=len(tokenized))
    return terms, positions, lengths


def _order_by(tid: np.ndarray, dnum: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """The permutation sorting tokens by term, then doc, then position: one argsort of a packed key
    when the three fit in 63 bits (always, short of billions of tokens), else a three-pass lexsort."""
    if not len(tid):
        return np.zeros(0, dtype=np.int64)
    d = dnum - dnum.min()
    bits = [int(x.max()).bit_length() for x in (tid, d, pos)]
    if pos.min() < 0 or sum(bits) > 63:
        return np.lexsort((pos, dnum, tid))
    key = (tid << (bits[1] + bits[2])) | (d << bits[2]) | pos.astype(np.int64)
    return np.argsort(key)


@dataclass
class Segment:
    """Postings of a batch of documents; immutable once built."""

    name: str
    terms: list[str]
    bitmaps: list[BitMap]
    post_off: np.ndarray  # (T+1,) int64 offsets into tf
    tf: np.ndarray  # (P,) uint32
    pos_off: np.ndarray  # (P+1,) int64 offsets into positions
    positions: np.ndarray  # (sum tf,) int32
    docnums: BitMap  # every doc in the segment, live or not

    post_docs: np.ndarray | None = None  # (P,) int64 doc number of each posting; derived from the bitmaps if absent

    def __post_init__(self) -> None:
        self.term_ids = {t: i for i, t in enumerate(self.terms)}
        if self.post_docs is None:
            parts = [np.asarray(bm.to_array(), dtype=np.int64) for bm in self.bitmaps]
            self.post_docs = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        # (sum tf,) int64 doc·2³² + position of every occurrence, in memory only: the stored form stays the
        # compact position arrays
        self.occ_keys = (np.repeat(self.post_docs, self.tf) << 32) | self.positions.astype(np.int64)
        self.occ_off = self.pos_off[self.post_off]  # where each term's occurrences start in occ_keys

    def docs_of(self, t: int) -> np.ndarray:
        """Sorted doc numbers of term t (a view), aligned with `tf_of(t)`."""
        return self.post_docs[self.post_off[t]:self.post_off[t + 1]]

    @classmethod
    def build(cls, name: str, docs: list[tuple[int, TermPositions]]) -> Segment:
        """Invert (doc number, [(term, position), …]) pairs into a segment."""
        terms, positions, lengths = flatten([toks for _, toks in docs])
        return cls.build_flat(name, np.fromiter((d for d, _ in docs), dtype=np.int64, count=len(docs)), lengths,
                              terms, positions)

    @classmethod
    def build_flat(cls, name: str, docnums: np.ndarray, lengths: np.ndarray, terms: list[str],
                   positions: np.ndarray) -> Segment:
        """Invert flat columns (every token's term and position, and each document's token count) with numpy sorts."""
        # pandas' hash table numbers the terms in C, twice as fast as a dict in a generator
        term_ids, uniques = pd.factorize(np.array(terms, dtype=object)) if terms else (np.zeros(0, np.int64), [])
        order = sorted(range(len(uniques)), key=uniques.__getitem__)
        sorted_terms = [uniques[i] for i in order]
        rank = np.empty(len(uniques), dtype=np.int64)
        rank[order] = np.arange(len(order))
        tid = rank[term_ids]
        dnum = np.repeat(np.asarray(docnums, dtype=np.int64), np.asarray(lengths, dtype=np.int64))
        pos = np.asarray(positions, dtype=np.int32)
        order = _order_by(tid, dnum, pos)
        tid, dnum, pos = tid[order], dnum[order], pos[order]
        new_posting = np.ones(len(tid), dtype=bool)
        new_posting[1:] = (tid[1:] != tid[:-1]) | (dnum[1:] != dnum[:-1])
        starts = np.flatnonzero(new_posting)
        tf = np.diff(np.append(starts, len(tid))).astype(np.uint32)
        p_term, p_doc = tid[starts], dnum[starts]
        post_off = np.searchsorted(p_term, np.arange(len(sorted_terms) + 1)).astype(np.int64)
        offs = post_off.tolist()  # BitMap reads Python lists faster than numpy slices
        bitmaps = [BitMap(p_doc[offs[t]:offs[t + 1]].tolist()) for t in range(len(sorted_terms))]
        pos_off = np.zeros(len(tf) + 1, dtype=np.int64)
        np.cumsum(tf, out=pos_off[1:])
        return cls(name, sorted_terms, bitmaps, post_off, tf, pos_off, pos, BitMap(np.asarray(docnums, np.uint32)),
                   p_doc)

    def phrase_docs(self, rel: list[tuple[int, int]], candidates: BitMap | None) -> BitMap:
        """Documents holding term ids `rel[i][0]` at offsets `rel[i][1]` from a common start, among
        `candidates` (None: any document of this segment).

        Every occurrence of the rarest term (key doc·2³² + position) proposes a phrase; each other term keeps
        the proposals whose key shifted by the two terms' offset difference is one of its own occurrence keys,
        a binary search in its sorted keys. The work grows with the rarest term's occurrences, not with the
        candidate documents, and takes a fixed handful of numpy calls per term. A shifted key never crosses
        into another document's range: positions are below 2³¹, far from the 2³² boundary.
        """
        occ_off, occ_keys = self.occ_off, self.occ_keys
        spans = [(occ_off.item(t), occ_off.item(t + 1), off) for t, off in rel]
        if len(spans) > 2:
            spans.sort(key=lambda s: s[1] - s[0])
        elif len(spans) == 2 and spans[1][1] - spans[1][0] < spans[0][1] - spans[0][0]:
            spans.reverse()
        lo, hi, base = spans[0]
        starts = occ_keys[lo:hi]  # keys of the rarest term's occurrences; the phrase starts `base` before each
        for lo, hi, off in spans[1:]:
            keys = occ_keys[lo:hi]
            probe = starts + (off - base) if off != base else starts
            starts = starts[keys.take(keys.searchsorted(probe), mode="clip") == probe]  # clip: a probe past the end
            if not len(starts):
                return BitMap()
        # (a handful of starts: shifting in Python beats a numpy call; BitMap reads a list faster than an array)
        found = BitMap([k >> 32 for k in starts.tolist()] if len(starts) < 16 else (starts >> 32).tolist())
        return found if candidates is None else found & candidates

    def tf_in(self, t: int, d: int) -> int:
        """Occurrences of term t in document d (0 if absent)."""
        bm = self.bitmaps[t]
        return self.tf.item(self.post_off.item(t) + bm.rank(d) - 1) if d in bm else 0

    def term_id(self, term: str) -> int | None:
        """The term's number in this segment, or None."""
        return self.term_ids.get(term)

    def prefix_range(self, prefix: str) -> range:
        """Term numbers of every term starting with `prefix` (a contiguous range of the sorted dictionary)."""
        lo = bisect.bisect_left(self.terms, prefix)
        hi = bisect.bisect_left(self.terms, prefix + "\U0010ffff")
        return range(lo, hi)

    def tf_of(self, t: int) -> np.ndarray:
        """Term frequencies of term t, aligned with `docs[t]`."""
        return self.tf[self.post_off[t]:self.post_off[t + 1]]

    def positions_of(self, t: int, i: int) -> np.ndarray:
        """Positions of term t in its i-th document."""
        p = self.post_off[t] + i
        return self.positions[self.pos_off[p]:self.pos_off[p + 1]]

    def merged_with(self, name: str, others: list[Segment], dead: BitMap) -> Segment:
        """A new segment holding the live documents of self and `others` (tombstoned docs dropped)."""
        docs: dict[int, TermPositions] = defaultdict(list)
        for seg in (self, *others):
            for t, term in enumerate(seg.terms):
                for i, d in enumerate(seg.docs_of(t)):
                    if int(d) not in dead:
                        docs[int(d)].extend((term, int(p)) for p in seg.positions_of(t, i))
        return Segment.build(name, sorted(docs.items()))
