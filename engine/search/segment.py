"""An immutable segment: a sorted term dictionary and, per term, a roaring bitmap of doc numbers with
term frequencies and positions in flat numpy arrays (no Python objects per posting).

Layout, for term number t (terms sorted, so a prefix is a contiguous range found by bisection):
- `bitmaps[t]`: pyroaring.BitMap of the doc numbers containing t;
- `docs[t]`: the same doc numbers as a sorted int64 array (for vectorised look-ups);
- `tf[post_off[t]:post_off[t+1]]`: term frequency per doc, aligned with `docs[t]`;
- `positions[pos_off[p]:pos_off[p+1]]`: positions of posting p (p indexes the flat tf array).
Deletes never touch a segment: the index keeps a tombstone bitmap beside it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from pyroaring import BitMap

TermPositions = list[tuple[str, int]]  # (term, position) for one document, in token order


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

    def __post_init__(self) -> None:
        self.term_ids = {t: i for i, t in enumerate(self.terms)}
        self.docs = [np.asarray(bm.to_array(), dtype=np.int64) for bm in self.bitmaps]

    @classmethod
    def build(cls, name: str, docs: list[tuple[int, TermPositions]]) -> Segment:
        """Invert (doc number, [(term, position), …]) pairs into a segment."""
        inverted: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for docnum, tokens in docs:
            for term, pos in tokens:
                inverted[term][docnum].append(pos)
        terms = sorted(inverted)
        bitmaps, tf, pos_chunks, post_off = [], [], [], [0]
        for term in terms:
            per_doc = inverted[term]
            nums = sorted(per_doc)
            bitmaps.append(BitMap(nums))
            for d in nums:
                ps = sorted(per_doc[d])
                tf.append(len(ps))
                pos_chunks.append(ps)
            post_off.append(len(tf))
        tf_arr = np.asarray(tf, dtype=np.uint32)
        pos_off = np.zeros(len(tf) + 1, dtype=np.int64)
        np.cumsum(tf_arr, out=pos_off[1:])
        flat = np.fromiter((p for chunk in pos_chunks for p in chunk), dtype=np.int32, count=int(pos_off[-1]))
        return cls(name, terms, bitmaps, np.asarray(post_off, dtype=np.int64), tf_arr, pos_off, flat,
                   BitMap(d for d, _ in docs))

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
                for i, d in enumerate(seg.docs[t]):
                    if int(d) not in dead:
                        docs[int(d)].extend((term, int(p)) for p in seg.positions_of(t, i))
        return Segment.build(name, sorted(docs.items()))

    def nbytes(self) -> int:
        """Bytes of the postings as stored (roaring's portable format plus the numpy arrays)."""
        return (sum(len(bm.serialize()) for bm in self.bitmaps) + self.tf.nbytes + self.pos_off.nbytes
                + self.positions.nbytes + self.post_off.nbytes + sum(len(t.encode()) + 1 for t in self.terms))
