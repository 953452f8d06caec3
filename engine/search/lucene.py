"""Lucene's BM25 arithmetic as Elasticsearch prints it in an explanation: the one-byte length norm a field's
length is stored as (SmallFloat.intToByte4 / byte4ToInt), idf and tf exactly, the score as Lucene's float32 steps
compute it, and the tolerance a printed number is held to. engine.search.es reads an explanation and checks it
with these."""

from __future__ import annotations

import math

import numpy as np

REL_TOL = 1e-4  # Lucene computes in float32: a claim within this of the exact formula (or of Lucene's steps) passes


# -- Lucene's one-byte length norm (SmallFloat.intToByte4 / byte4ToInt) -----------------------------------------
def _long_to_int4(i: int) -> int:
    bits = i.bit_length()
    if bits < 4:
        return i
    shift = bits - 4
    return ((i >> shift) & 0x07) | ((shift + 1) << 3)


def _int4_to_long(i: int) -> int:
    bits, shift = i & 0x07, (i >> 3) - 1
    return bits if shift == -1 else (bits | 0x08) << shift


_FREE = 255 - _long_to_int4(2**31 - 1)  # 24 small lengths are stored exactly


def length_to_byte(length: int) -> int:
    """The norm byte Lucene stores for a field of `length` tokens."""
    return length if length < _FREE else _FREE + _long_to_int4(length - _FREE)


def byte_to_length(b: int) -> int:
    """The length Lucene reads back from norm byte `b` (what explain prints as dl)."""
    return b if b < _FREE else _FREE + _int4_to_long(b - _FREE)


LENGTH_TABLE = tuple(byte_to_length(b) for b in range(256))


def lucene_dl_range(dl: float) -> tuple[int, int] | None:
    """The true field lengths that Lucene stores as the same norm byte as `dl` and prints as `dl`, or None if no
    byte decodes to `dl` (so Lucene cannot have printed it)."""
    if not float(dl).is_integer() or not 0 <= dl <= LENGTH_TABLE[-1]:
        return None
    b = length_to_byte(int(dl))
    if LENGTH_TABLE[b] != dl:
        return None
    return int(dl), (LENGTH_TABLE[b + 1] - 1 if b < 255 else 2**31 - 1)


# -- the formulas, exactly and as Lucene's float32 steps --------------------------------------------------------
def idf(n: float, N: float) -> float:
    """ln(1 + (N − n + 0.5)/(n + 0.5))."""
    return math.log(1.0 + (N - n + 0.5) / (n + 0.5))


def tf(freq: float, k1: float, b: float, dl: float, avgdl: float) -> float:
    """freq / (freq + k1·(1 − b + b·dl/avgdl))."""
    return freq / (freq + k1 * (1.0 - b + b * dl / avgdl))


def f32_score(boost: float, idf_v: float, freq: float, k1: float, b: float, dl: float, avgdl: float) -> float:
    """BM25Scorer.score as Lucene computes it in float32: weight − weight / (1 + freq · normInverse)."""
    f = np.float32
    with np.errstate(all="ignore"):
        weight = f(boost) * f(idf_v)
        norm_inverse = f(1) / (f(k1) * ((f(1) - f(b)) + f(b) * f(dl) / f(avgdl)))
        return float(weight - weight / (f(1) + f(freq) * norm_inverse))


def close(claimed: float, *recomputed: float) -> bool:
    """Whether `claimed` is within REL_TOL relative of any of the recomputed values."""
    return any(abs(claimed - r) <= REL_TOL * max(abs(claimed), abs(r)) + 1e-12 for r in recomputed)
