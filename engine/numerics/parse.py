"""Parse what a user types into the bit explorer: a decimal number or a hex/binary bit pattern."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from engine.numerics.formats import FormatSpec, get_format

_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^[+-]?(inf|infinity|nan)$", re.IGNORECASE)


@dataclass(frozen=True)
class Parsed:
    """Either a decimal value (`bits` is None) or a bit pattern for the format (`value` is None)."""

    value: float | None
    bits: int | None
    note: str = ""


def parse_input(text: str, fmt: str | FormatSpec) -> Parsed:
    """Read `text` as a decimal (`0.1`, `-1e-5`, `inf`, `nan`) or a pattern (`0x3C00`, `0b0011110000000000`).

    A pattern must fit the format's width; anything else raises ValueError with a message for the user.
    """
    f = get_format(fmt)
    s = text.strip().replace("_", "").replace(" ", "")
    if not s:
        raise ValueError("type a number such as 0.1, 1e-7 or -65504, or a bit pattern such as 0x3C00")
    low = s.lower()
    if low.startswith(("0x", "0b")):
        base, digits = (16, 4) if low[1] == "x" else (2, 1)
        body = s[2:]
        try:
            bits = int(body, base)
        except ValueError:
            raise ValueError(f"{text.strip()!r} is not a valid {'hex' if base == 16 else 'binary'} pattern") from None
        if bits >= 2**f.bits or len(body) * digits > ((f.bits + digits - 1) // digits) * digits:
            want = (f.bits + 3) // 4 if base == 16 else f.bits
            raise ValueError(f"{f.name} has {f.bits} bits: a {'hex' if base == 16 else 'binary'} pattern "
                             f"needs at most {want} digits, and {text.strip()!r} has {len(body)}")
        return Parsed(None, bits)
    if not _DECIMAL.match(s):
        raise ValueError(f"{text.strip()!r} is not a number: use digits, a decimal point and an optional exponent")
    value = float(s)
    note = ""
    if math.isinf(value) and "inf" not in low:
        note = f"{text.strip()} is beyond even fp64's range (max ≈ 1.8e308), so it was read as {value}"
    elif value == 0 and any(c in "123456789" for c in s.split("e")[0].split("E")[0]):
        note = f"{text.strip()} is below fp64's smallest subnormal (≈ 4.9e-324), so it was read as 0"
    return Parsed(value, None, note)
