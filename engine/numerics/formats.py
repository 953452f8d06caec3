"""Binary floating-point formats as data: field widths, bias, and the limits that follow from them.

Every limit is derived from (exponent bits, mantissa bits, variant), never typed in, so the table the
page shows and the rounding code read the same numbers. Two variants exist besides IEEE 754:
`fn` (FP8 E4M3 "finite"): no infinities, only the all-ones pattern is NaN, so the top binade gains
one value (max 448); `tf32`: FP32's range with FP16's 10-bit mantissa, stored in 19 bits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class FormatSpec:
    """A binary floating-point format: 1 sign bit, `exp_bits` exponent bits, `man_bits` mantissa bits."""

    name: str
    exp_bits: int
    man_bits: int
    finite_only: bool = False  # the `fn` variant: no inf, NaN only when every exponent and mantissa bit is 1
    torch_dtype: str | None = None  # the torch dtype that stores it, when torch has one
    note: str = ""

    @property
    def bits(self) -> int:
        """Total width in bits."""
        return 1 + self.exp_bits + self.man_bits

    @property
    def bias(self) -> int:
        """Exponent bias: stored exponent = true exponent + bias."""
        return 2 ** (self.exp_bits - 1) - 1

    @property
    def emin(self) -> int:
        """Smallest normal exponent."""
        return 1 - self.bias

    @property
    def emax(self) -> int:
        """Largest finite exponent (the all-ones exponent is special, except in `fn` formats)."""
        top = 2**self.exp_bits - 1
        return (top if self.finite_only else top - 1) - self.bias

    @property
    def max(self) -> float:
        """Largest finite value."""
        # In `fn` formats the all-ones mantissa of the top binade is NaN, so the top value loses one ulp.
        top_mantissa = 2**self.man_bits - (2 if self.finite_only else 1)
        return (1 + top_mantissa / 2**self.man_bits) * 2.0**self.emax

    @property
    def min_normal(self) -> float:
        """Smallest positive normal value."""
        return 2.0**self.emin

    @property
    def min_subnormal(self) -> float:
        """Smallest positive subnormal value (one ulp of the subnormal range)."""
        return 2.0 ** (self.emin - self.man_bits)

    @property
    def eps(self) -> float:
        """Machine epsilon: the gap between 1 and the next larger value."""
        return 2.0**-self.man_bits

    @property
    def decimal_digits(self) -> float:
        """Decimal digits of precision, log10(2^(man_bits+1))."""
        return (self.man_bits + 1) * math.log10(2)

    @property
    def has_inf(self) -> bool:
        """Whether the format encodes ±infinity."""
        return not self.finite_only

    @property
    def nan_bits(self) -> int:
        """The canonical quiet NaN this engine writes (top mantissa bit set; all ones for `fn`)."""
        exp_ones = (2**self.exp_bits - 1) << self.man_bits
        if self.finite_only:
            return exp_ones | (2**self.man_bits - 1)
        return exp_ones | (1 << (self.man_bits - 1))


FORMATS: dict[str, FormatSpec] = {
    f.name: f
    for f in [
        FormatSpec("fp64", 11, 52, torch_dtype="float64", note="IEEE 754 binary64"),
        FormatSpec("fp32", 8, 23, torch_dtype="float32", note="IEEE 754 binary32"),
        FormatSpec("tf32", 8, 10, note="NVIDIA TensorFloat-32: FP32 range, FP16 precision (tensor-core inputs)"),
        FormatSpec("fp16", 5, 10, torch_dtype="float16", note="IEEE 754 binary16"),
        FormatSpec("bf16", 8, 7, torch_dtype="bfloat16", note="bfloat16: FP32 range, 8 bits of precision"),
        FormatSpec("fp8_e4m3", 4, 3, finite_only=True, torch_dtype="float8_e4m3fn",
                   note="OCP FP8 E4M3 (e4m3fn): no infinities; torch saturates overflow to ±448"),
        FormatSpec("fp8_e5m2", 5, 2, torch_dtype="float8_e5m2", note="OCP FP8 E5M2: IEEE-like, overflow → inf"),
    ]
}


def get_format(fmt: str | FormatSpec) -> FormatSpec:
    """Resolve a format name (or pass a FormatSpec through); unknown names raise ValueError."""
    if isinstance(fmt, FormatSpec):
        return fmt
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
