"""The usage reader (issue #33): a tokenizer's .npy codes read as data, counted against a brute-force loop and
perplexity from its definition; hostile files refused fast; a tampered code named in .problems."""

from __future__ import annotations

import io
import math
import time
from collections import Counter

import numpy as np
import pytest

from engine.artifacts import ArtifactError
from engine.vqvae.examples.make_codes import EXAMPLE
from engine.vqvae.usage import read_codes, usage_report


def _npy(arr: np.ndarray, **kw) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, **kw)
    return buf.getvalue()


def _reference(codes: list[int], k: int) -> tuple[list[int], float]:
    """Counts by a plain loop, and exp(−Σ p ln p) written out term by term."""
    c = Counter(codes)
    counts = [c.get(i, 0) for i in range(k)]
    n = sum(counts)
    h = 0.0
    for x in counts:
        if x:
            h -= x / n * math.log(x / n)
    return counts, math.exp(h)


def test_the_example_is_numpy_save_output_and_matches_a_loop() -> None:
    data = EXAMPLE.read_bytes()
    assert data[:6] == b"\x93NUMPY"
    codes = read_codes(data)
    assert np.array_equal(codes, np.load(io.BytesIO(data), allow_pickle=False))  # numpy's own reader agrees
    u = usage_report(codes, 64)
    counts, ppl = _reference(codes.ravel().tolist(), 64)
    assert u.counts.tolist() == counts and u.perplexity == pytest.approx(ppl, rel=1e-12)
    assert u.used == sum(c > 0 for c in counts) and u.dead == 64 - u.used and u.tokens == codes.size
    assert u.shape == codes.shape and not u.problems
    assert u.entropy_bits == pytest.approx(math.log2(ppl))


@pytest.mark.parametrize("dtype", ["<i2", ">i4", "<u1", "<i8"])
def test_any_integer_dtype_and_byte_order_and_fortran_order(dtype: str) -> None:
    arr = np.asfortranarray(np.arange(24).reshape(2, 3, 4) % 7).astype(dtype)
    got = read_codes(_npy(arr))
    assert np.array_equal(got, arr)
    assert usage_report(got, 8).counts.tolist() == _reference(arr.ravel().tolist(), 8)[0]


def test_uniform_usage_has_perplexity_k_and_collapse_has_one() -> None:
    assert usage_report(np.arange(32) % 16, 16).perplexity == pytest.approx(16)
    one = usage_report(np.full(100, 3), 16)
    assert one.perplexity == pytest.approx(1) and one.used == 1 and one.dead == 15


def test_a_tampered_code_is_named_in_problems() -> None:
    codes = read_codes(EXAMPLE.read_bytes()).copy()
    assert not usage_report(codes, 64).problems
    codes[7, 2, 1] = 70  # one number changed
    u = usage_report(read_codes(_npy(codes)), 64)
    assert [p.code for p in u.problems] == ["vqvae.beyond"]
    assert u.problems[0].params["at"] == "[7, 2, 1]" and u.problems[0].params["value"] == 70
    assert u.tokens == codes.size - 1
    codes[0, 0, 0] = -1
    assert [p.code for p in usage_report(codes, 64).problems] == ["vqvae.negative", "vqvae.beyond"]


def _hostile() -> dict[str, bytes]:
    good = _npy(np.arange(10))
    huge = good.replace(b"(10,)", b"(10000000000000,)")
    return {
        "empty": b"",
        "garbage": np.random.default_rng(0).integers(0, 256, 5 << 20, dtype=np.uint8).tobytes(),
        "truncated": good[:-3],
        "header only": good[:20],
        "huge shape": huge,
        "object": _npy(np.array([{"a": 1}, None], dtype=object), allow_pickle=True),
        "float": _npy(np.ones(4)),
        "structured": _npy(np.zeros(3, dtype=[("a", "<i4")])),
        "json": b'{"codes": [1, 2, 3]}',
        "npz": (lambda b: (np.savez(b, a=np.arange(3)), b.getvalue())[1])(io.BytesIO()),
        "too big": b"\x93NUMPY" + b"\0" * (16 << 20),
        "text": "\x93NUMPY",
        "unbalanced header": b"\x93NUMPY\x01\x00" + (9000).to_bytes(2, "little") + b"(" * 8999 + b"\n",
        "version 3": good.replace(b"\x01\x00", b"\x03\x00", 1),
        "code in the header": good.replace(b"'<i8'", b"__import__('os')"),
        "negative shape": good.replace(b"(10,)", b"(-10,)"),
    }


@pytest.mark.parametrize("name", list(_hostile()))
def test_hostile_files_raise_artifact_error_fast(name: str) -> None:
    data = _hostile()[name]
    t = time.perf_counter()
    with pytest.raises(ArtifactError) as e:
        usage_report(read_codes(data), 64)
    assert time.perf_counter() - t < 1
    if name == "object":
        assert e.value.code == "vqvae.npy_object"
    if name == "huge shape":
        assert e.value.code == "vqvae.npy_length"


@pytest.mark.parametrize("k", [0, 1, -5, 2**21, 2.5, True, "64"])
def test_codebook_size_out_of_range(k) -> None:
    with pytest.raises(ArtifactError):
        usage_report(np.arange(4), k)


def test_no_code_in_range() -> None:
    with pytest.raises(ArtifactError) as e:
        usage_report(np.full(5, 99), 64)
    assert e.value.code == "vqvae.no_codes"
