"""Codebook usage of the visitor's own tokenizer (issue #33): code indices saved with `numpy.save` (.npy) are read
without unpickling anything, counted per code, and summarised the way the page summarises its three rules.

`read_codes` parses the .npy header itself (numpy's own header reader, `allow_pickle` never involved) and checks
that the data the header declares is exactly what follows before any array is made, so a header that promises
10¹² codes costs nothing. Object arrays are refused (they are pickles), and so is anything but integers.
`usage_report` counts: perplexity = exp(entropy of the usage), used = codes picked at least once, dead = the rest.
Codes outside [0, K) are not counted; they are reported in `.problems` (a padding value such as −1, or a K
smaller than the tokenizer's), so one changed number in a file shows up.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import numpy as np
from numpy.lib import format as npformat

from engine.artifacts import ArtifactError, MiB, check_size, guarded
from engine.messages import Message, define

NPY_LIMIT = 16 * MiB  # 2M int64 codes; a larger set is summarised as well by a sample of it
MAX_CODEBOOK = 1 << 20
WHAT = ".npy"

define({
    "vqvae.npy_object": "the .npy holds an object array ({dtype}), which is a pickle: refused",
    "vqvae.npy_dtype": "the .npy holds {dtype}; code indices are integers (int8–int64, uint8–uint64)",
    "vqvae.npy_length": "the .npy header declares {expected:,} bytes of data but {actual:,} follow",
    "vqvae.npy_version": "the .npy format version {version} is not one numpy writes for plain arrays",
    "vqvae.codebook_size": "the codebook size is 2–{max:,}, not {k}",
    "vqvae.no_codes": "none of the {n:,} codes lies in [0, {k}): is the codebook size right?",
    "vqvae.negative": "negative codes: {n:,} (first at {at}, value {value}), a padding value? Not counted",
    "vqvae.beyond": "codes ≥ the codebook size {k}: {n:,} (first at {at}, value {value}); not counted",
})


@dataclass(frozen=True)
class Usage:
    """How a codebook of `len(counts)` codes is used by a set of code indices."""

    counts: np.ndarray  # (K,) int64: how many positions chose each code
    perplexity: float  # exp(entropy): the number of equally used codes with the same entropy
    used: int  # codes chosen at least once
    dead: int  # codes never chosen
    tokens: int  # codes counted (those in [0, K))
    shape: tuple[int, ...]  # the array as saved, e.g. (images, rows, columns)
    problems: list[Message] = field(default_factory=list)

    @property
    def codebook_size(self) -> int:
        """K."""
        return len(self.counts)

    @property
    def entropy_bits(self) -> float:
        """log2(perplexity): the bits per code an ideal entropy coder would spend on these codes."""
        return math.log2(self.perplexity)


def read_codes(data: bytes, limit: int = NPY_LIMIT) -> np.ndarray:
    """The integer array in a .npy file, read as data only; ArtifactError for anything else."""
    check_size(data, limit, WHAT)
    if isinstance(data, str):
        raise ArtifactError("artifact.format", expected=WHAT)
    data = bytes(data)

    def read() -> np.ndarray:
        fp = io.BytesIO(data)
        try:
            version = npformat.read_magic(fp)
        except Exception:  # any failure to read six bytes and a version: "not a .npy"
            raise ArtifactError("artifact.format", expected=WHAT) from None
        readers = {(1, 0): npformat.read_array_header_1_0, (2, 0): npformat.read_array_header_2_0}
        if version not in readers:
            raise ArtifactError("vqvae.npy_version", version=".".join(map(str, version)))
        try:
            shape, fortran, dtype = readers[version](fp)
        except Exception:  # numpy's header parser (literal_eval, tokenize) raises many kinds on hostile text
            raise ArtifactError("artifact.format", expected=WHAT) from None  # many kinds: all mean "not a .npy"
        if dtype.hasobject:
            raise ArtifactError("vqvae.npy_object", dtype=str(dtype))
        if dtype.names is not None or dtype.subdtype is not None or dtype.kind not in "iu":
            raise ArtifactError("vqvae.npy_dtype", dtype=str(dtype))
        count = math.prod(int(s) for s in shape)  # Python ints: a hostile shape cannot overflow
        expected, actual = count * dtype.itemsize, len(data) - fp.tell()
        if expected != actual:
            raise ArtifactError("vqvae.npy_length", expected=expected, actual=actual)
        if count == 0:
            raise ArtifactError("artifact.empty", what=WHAT)
        flat = np.frombuffer(data, dtype=dtype, count=count, offset=fp.tell())
        return flat.reshape(shape, order="F" if fortran else "C")

    return guarded(read, WHAT)


def _where(flat_index: int, shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(map(str, np.unravel_index(flat_index, shape))) + "]" if shape else "[]"


def usage_report(indices: np.ndarray, codebook_size: int) -> Usage:
    """Counts, perplexity (exp of the entropy), used and dead codes of `indices` for a codebook of
    `codebook_size`; codes outside [0, K) are left out and named in `.problems`."""
    if isinstance(codebook_size, bool) or not isinstance(codebook_size, int | np.integer) \
            or not 2 <= codebook_size <= MAX_CODEBOOK:
        raise ArtifactError("vqvae.codebook_size", max=MAX_CODEBOOK, k=repr(codebook_size)[:20])
    k = int(codebook_size)
    arr = np.asarray(indices)
    if arr.dtype.kind not in "iu":
        raise ArtifactError("vqvae.npy_dtype", dtype=str(arr.dtype))
    shape = tuple(int(s) for s in arr.shape)
    flat = arr.reshape(-1)
    problems = []
    for code, bad in (("vqvae.negative", flat < 0), ("vqvae.beyond", flat >= k)):
        n = int(np.count_nonzero(bad))
        if n:
            first = int(np.argmax(bad))
            problems.append(Message(code, n=n, at=_where(first, shape), value=int(flat[first]), k=k))
    good = flat[(flat >= 0) & (flat < k)].astype(np.int64)
    if good.size == 0:
        raise ArtifactError("vqvae.no_codes", n=int(flat.size), k=k)
    counts = np.bincount(good, minlength=k)
    p = counts[counts > 0] / good.size
    used = int(np.count_nonzero(counts))
    return Usage(counts, float(np.exp(-(p * np.log(p)).sum())), used, k - used, int(good.size), shape, problems)
