"""Rounding, encoding and decoding against torch's casts (and an independent bit-level TF32 reference)."""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.numerics import FORMATS, decode, encode, round_to, ulp
from engine.numerics.rounding import classify_array, round_array

TORCH_FORMATS = [n for n, f in FORMATS.items() if f.torch_dtype]
NARROW = [n for n in TORCH_FORMATS if n not in ("fp64", "fp32")]
UINT = {1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}


def torch_cast(x: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Values (as float64) and bit patterns of torch's cast of float64 `x` to format `name`."""
    dtype = getattr(torch, FORMATS[name].torch_dtype)
    t = torch.from_numpy(np.asarray(x, dtype=np.float64)).to(dtype)
    raw = t.view(UINT[t.element_size()]).numpy()
    bits = raw.view(f"u{t.element_size()}").astype(np.uint64)
    return t.to(torch.float64).numpy(), bits


def assert_same(ours: np.ndarray, theirs: np.ndarray) -> None:
    nan = np.isnan(theirs)
    assert np.array_equal(np.isnan(ours), nan)
    assert np.array_equal(ours[~nan], theirs[~nan])
    assert np.array_equal(np.signbit(ours[~nan]), np.signbit(theirs[~nan])), "sign of zero differs"


def f32_from_bits(b: int) -> float:
    return struct.unpack("<f", struct.pack("<I", b))[0]


# Hand-picked edge cases: ties at every scale, subnormals, overflow thresholds, specials.
EDGES = np.array([
    0.0, -0.0, 1.0, -1.0, 1 + 2**-11, 1 + 3 * 2**-11, 1 + 2**-8, 1 + 3 * 2**-8, 1 + 2**-4, 1 + 3 * 2**-4,
    65504, 65519.99, 65520, 65536, 57344, 59392, 61440, 61441, 448, 464, 465, 480, 500,
    2**-24, 2**-25, 2**-25 * 1.0000001, 3 * 2**-25, 2**-14, 2**-14 - 2**-25, 2**-133, 2**-134, 2**-9, 2**-10,
    2**-17, 2**-16, 1e-40, 1e-45, 3.4e38, 3.4028235e38, 1e39, 1e300, 5e-324,
    math.inf, -math.inf, math.nan, 0.1, 1 / 3, math.pi, -2.5e-5,
])


@pytest.mark.parametrize("name", TORCH_FORMATS)
def test_edge_cases_match_torch(name: str) -> None:
    values, _ = torch_cast(EDGES, name)
    assert_same(round_array(EDGES, name), values)


@pytest.mark.parametrize("name", TORCH_FORMATS)
def test_every_float32_bit_pattern_sample_matches_torch(name: str) -> None:
    rng = np.random.default_rng(0)
    with np.errstate(invalid="ignore"):  # signalling-NaN patterns warn when widened
        x = rng.integers(0, 2**32, size=200_000, dtype=np.uint64).astype(np.uint32).view(np.float32).astype(float)
    values, bits = torch_cast(x, name)
    assert_same(round_array(x, name), values)
    # Bits too, except NaN payloads (unspecified; torch's own scalar and vector paths differ).
    sample = np.flatnonzero(~np.isnan(values))[:3000]
    assert [encode(v, name).bits for v in x[sample]] == [int(b) for b in bits[sample]]


@pytest.mark.parametrize("name", NARROW)
def test_all_bit_patterns_of_fp16_and_fp8_round_trip(name: str) -> None:
    """Every 8- and 16-bit pattern: decode, re-encode, and compare with torch's reinterpretation."""
    f = FORMATS[name]
    if f.bits > 16:
        pytest.skip("exhaustive only for narrow formats")
    patterns = np.arange(2**f.bits, dtype=np.int64)
    dtype = getattr(torch, f.torch_dtype)
    raw = torch.from_numpy(patterns.astype(np.uint16 if f.bits == 16 else np.uint8).view(
        np.int16 if f.bits == 16 else np.uint8)).view(dtype).to(torch.float64).numpy()
    ours = np.array([decode(int(p), name) for p in patterns])
    assert_same(ours, raw)
    for p, v in zip(patterns, ours, strict=True):
        if not math.isnan(v):
            assert encode(v, name).bits == p


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_hypothesis_float32_patterns(pattern: int) -> None:
    x = np.array([f32_from_bits(pattern)])
    for name in TORCH_FORMATS:
        assert_same(round_array(x, name), torch_cast(x, name)[0])


@settings(max_examples=400, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True, width=64))
def test_hypothesis_doubles(x: float) -> None:
    for name in TORCH_FORMATS:
        assert_same(np.array([round_to(x, name)]), torch_cast(np.array([x]), name)[0])


@settings(max_examples=300, deadline=None)
@given(st.integers(-(2**11), 2**11), st.integers(-30, 30), st.sampled_from([1, -1]))
def test_hypothesis_exact_ties(m: int, e: int, sign: int) -> None:
    """Values exactly halfway between two fp16/bf16 neighbours go to the even one, as torch does."""
    for name, man in (("fp16", 10), ("bf16", 7)):
        x = sign * (2 * m + 1) * 2.0 ** (e - man - 1)
        assert_same(np.array([round_to(x, name)]), torch_cast(np.array([x]), name)[0])


def tf32_reference(x: float) -> float:
    """Independent TF32 rounding on float32 bits: round the 13 dropped mantissa bits to nearest even."""
    b = struct.unpack("<I", struct.pack("<f", x))[0]
    if (b >> 23) & 0xFF == 0xFF:
        return x
    lsb = (b >> 13) & 1
    b = (b + 0xFFF + lsb) & 0xFFFFE000  # carries into the exponent, and to inf, exactly as IEEE wants
    return f32_from_bits(b)


@settings(max_examples=600, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_tf32_against_bit_reference(pattern: int) -> None:
    x = f32_from_bits(pattern)
    ref = tf32_reference(x)
    got = round_to(x, "tf32")
    assert (math.isnan(ref) and math.isnan(got)) or (got == ref and math.copysign(1, got) == math.copysign(1, ref))


def test_double_rounding_follows_torch_and_can_be_turned_off() -> None:
    x = 1 + 2**-11 + 2**-40  # just above an fp16 tie, but float32 rounds it onto the tie
    assert round_to(x, "fp16") == 1.0 == torch_cast(np.array([x]), "fp16")[0][0]
    assert round_to(x, "fp16", via_fp32=False) == 1 + 2**-10


@pytest.mark.parametrize("name,np_dtype", [("fp16", np.float16), ("fp32", np.float32), ("fp64", np.float64)])
def test_ulp_matches_numpy_spacing(name: str, np_dtype) -> None:
    rng = np.random.default_rng(1)
    f = FORMATS[name]
    xs = np.concatenate([rng.uniform(-1, 1, 300) * 10.0 ** rng.integers(-8, 5, 300), [0.0, f.min_subnormal,
                         f.min_normal, 1.0, 2.0, -4.0, f.max / 2]])
    for x in xs:
        v = np_dtype(x)
        # Our ulp is the gap above |x|; numpy's spacing of a negative float16 looks toward zero instead.
        assert ulp(float(v), name) == float(np.spacing(abs(v))), (name, x)


def test_decode_known_values_and_rejects_wide_patterns() -> None:
    assert decode(0x3C00, "fp16") == 1.0
    assert decode(0x7BFF, "fp16") == 65504.0
    assert decode(0x0001, "fp16") == 2**-24
    assert math.isinf(decode(0x7C00, "fp16")) and math.isnan(decode(0x7E00, "fp16"))
    assert decode(0x7E, "fp8_e4m3") == 448.0 and math.isnan(decode(0x7F, "fp8_e4m3"))
    assert decode(0x7B, "fp8_e5m2") == 57344.0 and math.isinf(decode(0x7C, "fp8_e5m2"))
    assert decode(0x3F80, "bf16") == 1.0
    with pytest.raises(ValueError, match="does not fit"):
        decode(0x1_0000, "fp16")
    with pytest.raises(ValueError, match="unknown format"):
        encode(1.0, "fp12")


def test_encoding_fields_and_exact_value() -> None:
    e = encode(0.1, "fp16")
    assert (e.sign, e.exponent, e.mantissa, e.hex, e.cls) == (0, 11, 614, "0x2E66", "normal")
    assert e.exact == "0.0999755859375" and e.bit_string == "0 01011 1001100110"
    assert encode(2**-20, "fp16").cls == "subnormal"
    assert encode(-0.0, "fp16").hex == "0x8000" and encode(-0.0, "fp16").cls == "zero"
    assert encode(1e6, "fp16").cls == "inf" and encode(1e6, "fp8_e4m3").value == 448.0
    assert encode(math.nan, "bf16").cls == "nan"
    assert encode(1 / 3, "fp64").exact.startswith("0.333333333333333314829616256247390992939472198486328125")


def test_classify() -> None:
    r = round_array(np.array([0.0, 1e-6, 1.0, 1e6, math.nan]), "fp16")
    assert classify_array(r, "fp16").tolist() == [0, 1, 2, 3, 4]


@settings(max_examples=300, deadline=None)
@given(x=st.floats(allow_nan=False, allow_infinity=False, width=64), fmt=st.sampled_from([*NARROW, "fp32"]))
def test_rounding_decision_agrees_with_torchs_cast(x: float, fmt: str) -> None:
    """The stored value is torch's; it is one of the two neighbours (unless the range ends), the neighbours are
    one ulp apart and bracket the value, and a tie keeps the neighbour with an even last mantissa bit."""
    from engine.numerics.rounding import rounding_decision

    d = rounding_decision(x, fmt)
    value, _ = torch_cast(np.array([x]), fmt)
    assert d.chosen == value[0] or (math.isnan(d.chosen) and math.isnan(value[0]))
    a = d.rounded_from
    assert d.below <= a <= d.above
    code = d.reason.code
    if code.endswith(("overflow", "saturate")):
        assert abs(d.chosen) >= FORMATS[fmt].max
        return
    assert d.above - d.below in (0.0, d.ulp)
    assert d.chosen in (d.below, d.above)
    assert (code == "numerics.round.exact") == (d.below == d.above)
    if code.endswith("tie_even"):
        assert a - d.below == d.above - a
        assert encode(d.chosen, fmt).mantissa % 2 == 0 or d.chosen == 0
    if code.endswith(("nearer_below", "nearer_above")):
        assert abs(d.chosen - a) < d.ulp / 2


@pytest.mark.parametrize(("x", "fmt", "code", "chosen"), [
    (0.1, "fp16", "nearer_below", 0.0999755859375), (1e-7, "fp16", "nearer_above", 2.0**-23),
    (65520.0, "fp16", "overflow", math.inf), (65519.0, "fp16", "nearer_below", 65504.0),
    (1000.0, "fp8_e4m3", "saturate", 448.0), (2.5, "fp8_e4m3", "exact", 2.5),
    (1 + 2.0**-11, "fp16", "tie_even", 1.0), (1 + 3 * 2.0**-11, "fp16", "tie_even", 1 + 2.0**-9),
])
def test_rounding_decision_names_the_rule(x: float, fmt: str, code: str, chosen: float) -> None:
    from engine.numerics.rounding import rounding_decision

    d = rounding_decision(x, fmt)
    assert d.reason.code == f"numerics.round.{code}" and d.chosen == chosen


@pytest.mark.parametrize(("x", "fmt", "kind"), [
    (65520.0, "fp16", "overflow"), (-1e6, "fp16", "overflow"), (1e39, "bf16", "overflow"), (65519.0, "fp16", "finite"),
    (1e6, "fp8_e4m3", "finite"), (0.0, "e8m0", "no_value"), (-2.0, "e8m0", "no_value"), (math.inf, "fp16", "special"),
    (math.nan, "fp4_e2m1", "special"), (0.1, "fp16", "finite"),
])
def test_error_kind_says_why_an_error_is_not_a_number(x: float, fmt: str, kind: str) -> None:
    """65520 in fp16 rounds to inf (torch agrees): its error is an overflow, not an undefined NaN."""
    e = encode(x, fmt)
    assert e.error_kind == kind
    assert math.isfinite(e.error) == (kind == "finite")
    if kind == "overflow":
        assert math.isinf(torch_cast(np.array([x]), fmt)[0][0])
