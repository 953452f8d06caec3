"""The language: valid programs parse, everything else is an ExprError with a position, quickly, never a crash."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.autograd import ExprError, parse
from engine.autograd.parse import MAX_CHARS

ALPHABET = "abcxyz0123456789 +-*/@().,;=[]:_\n\t'\"#!%&^~<>{}?\\|`$e" + "λ中"
TOKENS = ["x", "y", "out", "=", "+", "-", "*", "/", "**", "@", "(", ")", "[", "]", ":", ",", ";", ".", "sin",
          "exp", "sum", "detach", "1", "2.5", "1e9", "import", "lambda", "__import__", "os", "if", "else", "\n",
          "'s'", "[1,2]", "x.sin()", "pow(x, 2)", " "]


def _random_strings(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if i % 2:
            out.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60))))
        else:
            out.append("".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 25))))
    return out


def test_five_thousand_random_strings_give_only_expr_errors_each_fast():
    slowest = 0.0
    refused = 0
    for s in _random_strings(5000):
        t = time.perf_counter()
        try:
            parse(s)
        except ExprError as e:
            refused += 1
            line, col = e.position
            assert line >= 1 and col >= 1 and e.message
        slowest = max(slowest, time.perf_counter() - t)
    assert slowest < 0.05, f"slowest parse took {slowest * 1e3:.1f} ms"
    assert refused > 4000  # random text is almost never a program


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=MAX_CHARS + 20))
def test_any_text_is_a_program_or_an_expr_error(s):
    try:
        e = parse(s)
        assert e.statements and e.output
    except ExprError as err:
        assert err.code.startswith("autograd.")


@pytest.mark.parametrize("src,inputs,out", [
    ("y = x + 2; z = y*y*3; out = z.mean()", ["x"], "out"),
    ("y = (a * b + c.sin()).exp().sum()", ["a", "b", "c"], "y"),
    ("h = relu(w @ x)\nloss = (h - t).pow(2).mean()", ["w", "x", "t"], "loss"),
    ("y = x[0] * x[1:].sum() - -x[0, :2].mean()", ["x"], "y"),
    ("d = x.detach(); y = (d * x).sum()", ["x"], "y"),
    ("y = (w.T @ w).reshape(-1).softmax(dim=0).max()", ["w"], "y"),
    ("y = where(x >= t, x.sum(dim=-1, keepdim=True), 0.5).mean(0)", ["x", "t"], "y"),
])
def test_valid_programs(src, inputs, out):
    e = parse(src)
    assert e.inputs == inputs and e.output == out


@pytest.mark.parametrize("src,code,position", [
    ("", "autograd.empty", (1, 1)),
    ("y = x +", "autograd.syntax", (1, 8)),
    ("y = (x + 1", "autograd.syntax_unclosed", (1, 5)),
    ("y = x + 1)", "autograd.syntax_unmatched", (1, 10)),
    ("import os", "autograd.not_assignment", (1, 1)),
    ("y = __import__('os')", "autograd.unknown_call", (1, 5)),
    ("y = x.__class__", "autograd.attribute", (1, 5)),
    ("y = x[a]", "autograd.index", (1, 7)),
    ("y = 'text'", "autograd.unsupported", (1, 5)),
    ("y = x\nz = w.foo()", "autograd.unknown_call", (2, 5)),
    ("y = x.sin(0)", "autograd.arity", (1, 5)),
    ("y = detach(x)", "autograd.method_only", (1, 5)),
    ("x.a = 1", "autograd.target", (1, 1)),
    ("y = x * 1e300", "autograd.number", (1, 9)),
    ("y = x if x else x", "autograd.unsupported", (1, 5)),
    ("y = sum(x, start=1)", "autograd.keyword_only", (1, 12)),
    ("y = x.sin(dim=0)", "autograd.keyword", (1, 5)),
    ("y = x.sum(dim=3)", "autograd.dim", (1, 15)),
    ("y = x.sum(dim=i)", "autograd.dim", (1, 15)),
    ("y = x.mean(0, dim=1)", "autograd.twice", (1, 5)),
    ("y = x.sum(0, 1)", "autograd.arity", (1, 5)),
    ("y = x.softmax()", "autograd.needs_dim", (1, 5)),
    ("y = x.sum(keepdim=True)", "autograd.needs_dim", (1, 5)),
    ("y = x.max(dim=0, keepdim=1)", "autograd.keepdim", (1, 26)),
    ("y = x.reshape()", "autograd.shape", (1, 5)),
    ("y = x.reshape(2, 0)", "autograd.shape", (1, 18)),
    ("y = x.reshape(1, 1, 1, 3)", "autograd.shape", (1, 5)),
    ("y = x.reshape(n)", "autograd.shape", (1, 15)),
    ("y = reshape(x, 3)", "autograd.method_only", (1, 5)),
    ("y = where(x, x, 0)", "autograd.where", (1, 11)),
    ("y = where(0 < x < 1, x, 0)", "autograd.where", (1, 11)),
    ("y = where(x is x, x, 0)", "autograd.where", (1, 11)),
    ("y = (x > 0) * x", "autograd.compare", (1, 6)),
    ("y = x.data", "autograd.attribute", (1, 5)),
    ("y = x.T.__class__", "autograd.attribute", (1, 5)),
    ("y = " + "(" * 300 + "x" + ")" * 300, "autograd.too_long", (1, MAX_CHARS)),
])
def test_refusals_say_where(src, code, position):
    with pytest.raises(ExprError) as e:
        parse(src)
    assert e.value.code == code and e.value.position == position
