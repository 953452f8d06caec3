"""The bit explorer's input parser: decimals, patterns, and clear errors for everything else."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.numerics.parse import ParseError, parse_input


def test_decimals_and_specials() -> None:
    assert parse_input(" 0.1 ", "fp16").value == 0.1
    assert parse_input("-1e-5", "fp16").value == -1e-5
    assert math.isnan(parse_input("nan", "fp16").value)
    assert parse_input("-inf", "bf16").value == -math.inf
    p = parse_input("1e999", "fp16")
    assert p.value == math.inf and "beyond" in p.note.text
    assert parse_input("1e-999", "fp16").note


def test_patterns() -> None:
    assert parse_input("0x3C00", "fp16").bits == 0x3C00
    assert parse_input("0b0011_1100_0000_0000", "fp16").bits == 0x3C00
    assert parse_input("0x7E", "fp8_e4m3").bits == 0x7E
    assert parse_input("0x4", "fp16").bits == 4


@pytest.mark.parametrize("text,fmt,match", [
    ("", "fp16", "type a number"), ("abc", "fp16", "not a number"), ("0x3C000", "fp16", "at most 4"),
    ("0x1FF", "fp8_e4m3", "at most 2"), ("0xZZ", "fp16", "not a valid hex"), ("1..2", "fp16", "not a number"),
    ("0b1" * 5, "fp16", "not a valid binary"),
])
def test_errors(text: str, fmt: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        parse_input(text, fmt)


@given(st.text(max_size=30), st.sampled_from(["fp16", "bf16", "fp8_e4m3", "fp32", "fp64", "tf32"]))
def test_anything_parses_or_raises_value_error(text: str, fmt: str) -> None:
    try:
        p = parse_input(text, fmt)
    except ValueError as e:
        assert str(e)  # a message for the user, never an empty error
    else:
        assert (p.value is None) != (p.bits is None)


@pytest.mark.parametrize("text", ["0x-1", "0b-1", "0x+3", "١٢٣", "0x٣", "0b1２"])
def test_patterns_have_no_sign_and_digits_are_ascii(text: str) -> None:
    with pytest.raises(ParseError):
        parse_input(text, "fp16")


def test_underscores_and_spaces_group_digits() -> None:
    assert parse_input("0x3C_00", "fp16").bits == 0x3C00 and parse_input("1_000", "fp16").value == 1000.0
    assert parse_input("0b0 01111 0000000000", "fp16").bits == 0x3C00
