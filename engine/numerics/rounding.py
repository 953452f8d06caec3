"""Round, encode and decode values in any format of `formats.FORMATS`, bit-exactly like torch's casts.

Rounding is round-to-nearest, ties-to-even, done in float64 with exact power-of-two scaling:
pick the value's binade (clamped at the subnormal binade), divide by that binade's quantum,
`np.rint` (which breaks ties to even), multiply back. Two conventions follow torch, not IEEE:
- A float64 input is first rounded to float32, as torch's casts from float64 do (double rounding);
  pass `via_fp32=False` for the single correctly rounded result.
- FP8 E4M3 (`fn`) saturates: overflow and ±inf become ±448, as torch's cast does; only NaN is NaN.
NaN payloads and the sign of a NaN are not specified by conversions (torch's own scalar and vector
paths disagree for bf16); this engine writes the canonical quiet NaN, keeping the sign.

The formats below FP8 follow `ml_dtypes` (the OCP Microscaling spec v1.0 leaves conversion details open):
- FP6 / FP4 ("none": no inf, no NaN) saturate: overflow and ±inf become ±max. NaN has no pattern at all;
  `round_array` keeps it NaN and `encode` reports it with no bits (ml_dtypes writes a zero there, whose
  sign depends on the NaN's bits: an artefact, not a rule). In an MX block a NaN travels in the scale.
- E8M0 rounds a positive value to the nearest power of two with ties (m = 1.5) going up, clamps below
  2^-127 up to 2^-127 (there is no zero), and makes 0, negatives, ±inf and values past 2^127 NaN. torch's
  own cast to `float8_e8m0fnu` differs: it drops the sign and maps 0 to 2^-127.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import torch

from engine.messages import Message, define
from engine.numerics.formats import FormatSpec, get_format
from engine.numerics.stochastic_core import check_mode, draws, round_stochastic

CLASSES = ("zero", "subnormal", "normal", "inf", "nan")


def _round_unbounded_t(mag: torch.Tensor, f: FormatSpec) -> torch.Tensor:
    """Round non-negative finite float64 magnitudes to `f`'s precision, ignoring the top of the range."""
    _, e2 = torch.frexp(mag)  # mag = m·2^e2 with m in [0.5, 1), so the binade exponent is e2 − 1
    quantum = torch.ldexp(torch.ones_like(mag), torch.clamp(e2 - 1, min=f.emin) - f.man_bits)
    return torch.round(mag / quantum) * quantum  # torch.round breaks ties to even


def _round_unbounded(mag: np.ndarray, f: FormatSpec) -> np.ndarray:
    """`_round_unbounded_t` for a NumPy array."""
    return _round_unbounded_t(torch.from_numpy(np.asarray(mag, dtype=np.float64)), f).numpy()


def _round_e8m0(a: torch.Tensor, f: FormatSpec) -> torch.Tensor:
    """E8M0: the nearest power of two (m ≥ 1.5 rounds up), at least 2^emin; NaN where no pattern fits."""
    ok = torch.isfinite(a) & (a > 0)
    m, e2 = torch.frexp(torch.where(ok, a, 1.0))  # a = m·2^e2, m in [0.5, 1): a ≥ 1.5·2^(e2-1) iff m ≥ 0.75
    e = torch.clamp(e2 - 1 + (m >= 0.75).int(), min=f.emin)
    return torch.where(ok & (e <= f.emax), torch.ldexp(torch.ones_like(a), e), torch.nan)


def round_tensor(a: torch.Tensor, fmt: str | FormatSpec) -> torch.Tensor:
    """Round every element of a float64 tensor to `fmt` (no float32 step first): the core of `round_array`."""
    f = get_format(fmt)
    if f.name == "fp64":
        return a
    if f.name == "fp32":
        return a.float().double()
    if f.specials == "e8m0":
        return _round_e8m0(a, f)
    mag = a.abs()
    finite = torch.isfinite(a)
    r = torch.where(finite, _round_unbounded_t(torch.where(finite, mag, 0.0), f), mag)
    r = torch.where(r > f.max, f.max if f.finite_only else torch.inf, r)
    return torch.copysign(r, a)


def _prepare(x: np.typing.ArrayLike, f: FormatSpec, via_fp32: bool) -> np.ndarray:
    with np.errstate(invalid="ignore"):  # signalling NaNs among float32 inputs are still NaN
        a = np.asarray(x, dtype=np.float64)
    if f.name == "fp32" or (via_fp32 and f.name != "fp64"):
        with np.errstate(over="ignore"):
            a = a.astype(np.float32).astype(np.float64)
    return a


def round_array(x: np.typing.ArrayLike, fmt: str | FormatSpec, via_fp32: bool = True, rounding: str = "nearest",
                seed: int | None = None) -> np.ndarray:
    """Vectorised `round_to`: every element rounded to `fmt`, returned as float64. `rounding="stochastic"` picks
    one of the two neighbours at random, unbiased (engine.numerics.stochastic), reading x exactly (no float32
    step); `seed` seeds its draws."""
    f = get_format(fmt)
    check_mode(rounding, f)
    if rounding == "stochastic":
        a = _prepare(x, f, via_fp32=False)
        return round_stochastic(torch.from_numpy(np.ascontiguousarray(a).reshape(a.shape)), f,
                                draws(a.shape, seed)).numpy()
    a = _prepare(x, f, via_fp32)
    return round_tensor(torch.from_numpy(np.ascontiguousarray(a).reshape(a.shape)), f).numpy()


def round_to(x: float, fmt: str | FormatSpec, via_fp32: bool = True) -> float:
    """The value `x` takes when stored in `fmt` (round to nearest, ties to even), as a Python float."""
    return float(round_array(np.float64(x), fmt, via_fp32))


def classify_array(r: np.ndarray, fmt: str | FormatSpec) -> np.ndarray:
    """Class index into CLASSES for already-rounded values `r`."""
    f = get_format(fmt)
    mag = np.abs(r)
    out = np.full(r.shape, 2, dtype=np.int8)
    out[mag < f.min_normal] = 1
    out[mag == 0] = 0
    out[np.isinf(r)] = 3
    out[np.isnan(r)] = 4
    return out


def _fields(v: float, f: FormatSpec) -> tuple[int, int, int]:
    """Sign, stored exponent and stored mantissa of a value already representable in `f`."""
    sign = 1 if math.copysign(1.0, v) < 0 else 0
    mag = abs(v)
    exp_ones = 2**f.exp_bits - 1
    if math.isnan(v):
        nan = f.nan_bits
        return sign * f.signed, nan >> f.man_bits, nan & (2**f.man_bits - 1)
    if math.isinf(v):
        return sign, exp_ones, 0
    if mag < f.min_normal:  # zero or subnormal: the value is an integer number of the smallest quanta
        return sign, 0, int(mag / f.min_subnormal)
    e = math.frexp(mag)[1] - 1
    return sign, e + f.bias, int((mag / 2.0**e - 1.0) * 2**f.man_bits)


@dataclass(frozen=True)
class Encoding:
    """How one input is stored in one format: fields, bits, class, stored value and error."""

    format: str
    input: float
    sign: int
    exponent: int
    mantissa: int
    bits: int | None  # None: the value has no pattern (NaN in FP6 / FP4)
    width: int
    exp_bits: int
    man_bits: int
    cls: str
    value: float
    exact: str
    error: float
    rel_error: float

    @property
    def error_kind(self) -> str:
        """Why `error` is or is not a number: "finite"; "overflow" (a finite input became ±inf); "no_value" (a
        finite input has no value in the format: NaN); "special" (the input itself was ±inf or NaN)."""
        if not math.isfinite(self.input):
            return "special"
        if math.isinf(self.value):
            return "overflow"
        return "no_value" if math.isnan(self.value) else "finite"

    @property
    def hex(self) -> str:
        """The bit pattern in hex, zero-padded to the format's width ("—" when there is none)."""
        return "—" if self.bits is None else f"0x{self.bits:0{(self.width + 3) // 4}X}"

    @property
    def bit_string(self) -> str:
        """Sign, exponent and mantissa bits separated by spaces (no sign group in an unsigned format)."""
        if self.bits is None:
            return "—"
        b = f"{self.bits:0{self.width}b}"
        s = self.width - self.exp_bits - self.man_bits
        return " ".join(g for g in (b[:s], b[s:s + self.exp_bits], b[s + self.exp_bits:]) if g)


def exact_decimal(v: float) -> str:
    """The exact decimal expansion of a float (every binary float has a finite one)."""
    if math.isnan(v) or math.isinf(v):
        return str(v)
    return format(Decimal(v), "f") if v != 0 or math.copysign(1, v) > 0 else "-0"


def _encoding(x: float, value: float, f: FormatSpec) -> Encoding:
    if math.isnan(value) and not f.has_nan:
        sign, exp, man, bits = int(math.copysign(1.0, value) < 0), 0, 0, None
    else:
        sign, exp, man = _fields(value, f)
        bits = (sign << (f.bits - 1)) | (exp << f.man_bits) | man
    cls = CLASSES[int(classify_array(np.array([value]), f)[0])]
    finite = math.isfinite(x) and math.isfinite(value)
    err = value - x if finite else math.nan
    rel = abs(err) / abs(x) if finite and x != 0 else (0.0 if finite else math.nan)
    return Encoding(f.name, x, sign, exp, man, bits, f.bits, f.exp_bits, f.man_bits, cls, value,
                    exact_decimal(value), err, rel)


def encode(x: float, fmt: str | FormatSpec, via_fp32: bool = True) -> Encoding:
    """Round `x` into `fmt` and describe the result: fields, bits, hex, class, exact stored value, error."""
    f = get_format(fmt)
    x = float(x)
    return _encoding(x, round_to(x, f, via_fp32), f)


def decode(bits: int, fmt: str | FormatSpec) -> float:
    """The value a bit pattern stands for in `fmt`; patterns wider than the format raise ValueError."""
    f = get_format(fmt)
    if not 0 <= int(bits) < 2**f.bits:
        raise ValueError(f"0x{int(bits):X} does not fit in {f.name}'s {f.bits} bits")
    bits = int(bits)
    sign = -1.0 if f.signed and bits >> (f.bits - 1) else 1.0
    exp = (bits >> f.man_bits) & (2**f.exp_bits - 1)
    man = bits & (2**f.man_bits - 1)
    exp_ones = 2**f.exp_bits - 1
    if f.specials in ("nan_only", "e8m0") and exp == exp_ones and man == 2**f.man_bits - 1:
        return math.nan
    if f.specials == "e8m0":
        return math.ldexp(1.0, exp - f.bias)
    if f.specials == "ieee" and exp == exp_ones:
        return sign * math.inf if man == 0 else math.nan
    if exp == 0:
        return sign * math.ldexp(man, f.emin - f.man_bits)
    return sign * math.ldexp(2**f.man_bits + man, exp - f.bias - f.man_bits)


def decode_encoding(bits: int, fmt: str | FormatSpec) -> Encoding:
    """`encode` of the value a bit pattern stands for, keeping the pattern's own NaN bits."""
    f = get_format(fmt)
    value = decode(bits, f)
    enc = _encoding(value, value, f)
    if math.isnan(value):  # keep the user's NaN payload rather than the canonical one
        return Encoding(**{**enc.__dict__, "bits": int(bits), "sign": int(bits) >> (f.bits - 1) if f.signed else 0,
                           "exponent": (int(bits) >> f.man_bits) & (2**f.exp_bits - 1),
                           "mantissa": int(bits) & (2**f.man_bits - 1)})
    return enc


def ulp(x: float, fmt: str | FormatSpec) -> float:
    """Unit in the last place at `x` in `fmt`: the gap from |x| (rounded) to the next larger value."""
    f = get_format(fmt)
    r = round_to(x, f)
    if not math.isfinite(r):
        return math.nan
    e = max(math.frexp(abs(r))[1] - 1, f.emin) if r != 0 else f.emin
    return math.ldexp(1.0, e - f.man_bits)


define({
    "numerics.round.exact": "{x} is exactly representable in {fmt}: nothing to round",
    "numerics.round.nearer_below": "{x} is nearer to {below} than to {above}: it rounds down",
    "numerics.round.nearer_above": "{x} is nearer to {above} than to {below}: it rounds up",
    "numerics.round.tie_even": "{x} lies exactly halfway between {below} and {above}: a tie goes to the neighbour "
                               "whose last mantissa bit is 0, {chosen}",
    "numerics.round.overflow": "{x} rounds past {fmt}'s largest finite value {max}: it becomes {chosen}",
    "numerics.round.saturate": "{x} is beyond {fmt}'s largest value {max}; this format has no infinity, so the "
                               "cast saturates to {chosen}",
    "numerics.round.via_fp32": "the float64 input was first rounded to float32 ({x32}), as torch's casts do, and "
                               "that value was rounded to {fmt}",
    "numerics.round.special": "{x} is not a finite number: it is stored as {chosen}",
    "numerics.round.is_float64": "{x} is the float64 nearest to what was typed (reading a decimal already rounds "
                                 "it); fp64 keeps it as it is",
    "numerics.round.no_nan": "{fmt} has no NaN: every one of its patterns is a number, so NaN cannot be stored "
                             "(in an MX block, the block's E8M0 scale carries it)",
    "numerics.round.e8m0_nan": "{fmt} holds only positive powers of two: {x} has no pattern and becomes NaN",
    "numerics.round.e8m0_floor": "{x} is below {fmt}'s smallest value {min}; there is no zero, so it becomes {chosen}",
    "numerics.round.tie_up": "{x} lies exactly halfway between {below} and {above}; {fmt} breaks the tie upwards, "
                             "as ml_dtypes does: {chosen}",
})


@dataclass(frozen=True)
class RoundingDecision:
    """How one value is rounded into a format: the two representable neighbours around it, the spacing
    between them (the ulp there), the one chosen, and why (a Message); `via` says when the input was first
    rounded to float32."""

    input: float
    rounded_from: float
    below: float
    above: float
    ulp: float
    chosen: float
    reason: Message
    via: Message | None


def _shown(v: float) -> str:
    """A value for a sentence: its exact decimal when that is short, else the shortest repr that round-trips."""
    text = exact_decimal(v)
    return text if len(text) <= 32 else repr(v)


def rounding_decision(x: float, fmt: str | FormatSpec, via_fp32: bool = True) -> RoundingDecision:
    """The neighbours of `x` in `fmt`, the spacing between them and the rule (nearest, ties to even, overflow)
    that picks the stored value; the stored value is `round_to`'s, so the two never disagree."""
    f = get_format(fmt)
    x = float(x)
    # a cast to fp16, bf16 or fp8 first rounds a float64 to float32 (torch's double rounding); fp32 is the target
    a = x if f.name in ("fp32", "fp64") else float(_prepare(np.float64(x), f, via_fp32))
    chosen = round_to(x, f, via_fp32)
    via = (Message("numerics.round.via_fp32", x32=_shown(a), fmt=f.name) if a != x and math.isfinite(x) else None)
    if math.isnan(a) and not f.has_nan:
        return RoundingDecision(x, a, a, a, math.nan, chosen, Message("numerics.round.no_nan", fmt=f.name), via)
    if f.specials == "e8m0" and not (math.isfinite(a) and a > 0):
        return RoundingDecision(x, a, a, a, math.nan, chosen, Message("numerics.round.e8m0_nan", fmt=f.name,
                                                                      x=_shown(a)), via)
    if math.isfinite(x) and not math.isfinite(a):  # the float32 step itself overflowed
        edge = math.copysign(f.max, a)
        return RoundingDecision(x, a, min(edge, a), max(edge, a), math.nan, chosen, Message(
            "numerics.round.overflow", x=_shown(x), fmt=f.name, max=_shown(f.max), chosen=_shown(chosen)), via)
    if not math.isfinite(a) or f.name == "fp64":
        code = "numerics.round.is_float64" if math.isfinite(a) else "numerics.round.special"
        gap = ulp(a, f) if math.isfinite(a) else math.nan
        return RoundingDecision(x, a, a, a, gap, chosen, Message(code, x=_shown(x), fmt=f.name, chosen=_shown(chosen)),
                                via)
    mag = abs(a)
    e = max(math.frexp(mag)[1] - 1, f.emin) if mag else f.emin
    q = math.ldexp(1.0, e - f.man_bits)
    lo = math.floor(mag / q) * q
    hi = lo if lo == mag else lo + q
    sign = -1.0 if math.copysign(1.0, a) < 0 else 1.0
    below, above = (lo, hi) if sign > 0 else (-hi, -lo)
    p = {"x": _shown(a), "fmt": f.name, "below": _shown(below), "above": _shown(above), "chosen": _shown(chosen),
         "max": _shown(f.max)}
    p["min"] = _shown(f.min_normal)
    with np.errstate(over="ignore"):
        past_top = (math.isnan(chosen) if f.specials == "e8m0" else float(_round_unbounded(np.float64(mag), f)) > f.max)
    if past_top:  # the nearest value is past the top of the range
        code = "numerics.round.saturate" if f.specials in ("nan_only", "none") else "numerics.round.overflow"
    elif lo == mag:
        code = "numerics.round.exact"
    elif not f.has_zero and mag < f.min_normal:
        code = "numerics.round.e8m0_floor"
    elif mag - lo == hi - mag:
        code = "numerics.round.tie_up" if f.specials == "e8m0" else "numerics.round.tie_even"
    elif abs(chosen) == lo:
        code = "numerics.round.nearer_below" if sign > 0 else "numerics.round.nearer_above"
    else:
        code = "numerics.round.nearer_above" if sign > 0 else "numerics.round.nearer_below"
    return RoundingDecision(x, a, below, above, q, chosen, Message(code, **p), via)
