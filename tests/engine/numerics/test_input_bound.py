"""#30: the bit explorer's box is bounded before parsing, and its message never echoes a long input back."""

import time
import tracemalloc

import pytest

from engine.numerics.parse import MAX_INPUT_CHARS, ParseError, parse_input


@pytest.mark.parametrize("text", ["1" + "0" * 400, "-" * 20_000, "9" * 5_000_000, "0x" + "F" * 100_000])
def test_a_hostile_input_is_refused_at_once_without_echoing_it(text: str) -> None:
    tracemalloc.start()
    t = time.perf_counter()
    with pytest.raises(ParseError) as e:
        parse_input(text, "fp16")
    took = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert e.value.code == "numerics.too_long" and took < 1.0 and peak < 200 * 2**20
    assert text not in str(e.value)


def test_the_longest_pattern_a_person_types_still_fits() -> None:
    spaced = "0b" + " ".join("0011110000000000")  # fp16's 1.0, a space between every bit
    assert len(spaced) <= MAX_INPUT_CHARS and parse_input(spaced, "fp16").bits == 0x3C00
