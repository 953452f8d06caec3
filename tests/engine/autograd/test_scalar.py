"""Our scalar reverse-mode engine against torch on programs hypothesis draws from the language, in float64;
torch.autograd.gradcheck on the torch side."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine.autograd import ScalarValue, build, parse, scalar_grads
from engine.autograd.build import Ops, evaluate

UNARY = ["sin", "cos", "tanh", "sigmoid", "exp", "relu", "abs"]
SAFE = {"log": "log(1 + {e} * {e})", "sqrt": "sqrt(1 + {e} * {e})", "div": "{e} / (2 + {e} * {e})"}


def _leaf() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(["a", "b", "c"]), st.sampled_from(["0.5", "2", "1.5", "3"]))


def _expr(depth: int = 3) -> st.SearchStrategy[str]:
    if depth == 0:
        return _leaf()
    sub = _expr(depth - 1)
    return st.one_of(
        _leaf(),
        st.builds(lambda f, e: f"{f}({e})", st.sampled_from(UNARY), sub),
        st.builds(lambda e: f"({e}).sin()", sub),
        st.builds(lambda k, e: SAFE[k].format(e=f"({e})"), st.sampled_from(list(SAFE)), sub),
        st.builds(lambda x, op, y: f"({x} {op} {y})", sub, st.sampled_from(["+", "-", "*"]), sub),
        st.builds(lambda e: f"({e}) ** 2", sub),
        st.builds(lambda e: f"-({e})", sub),
    )


@pytest.mark.slow
@settings(max_examples=120, deadline=None)
@given(body=_expr(), reduce=st.sampled_from(["sum", "mean"]), seed=st.integers(0, 1000))
def test_scalar_engine_equals_torch_to_1e_12(body, reduce, seed):
    src = f"y = {body}\nout = (y * a).{reduce}()"  # a always appears, so the output depends on an input
    inputs = {"a": "randn(3)", "b": "randn(3)", "c": "randn(2, 3)"}
    run = build(parse(src), inputs, {"a", "b", "c"}, dtype="float64", seed=seed)
    assume(torch.isfinite(run.output).all())
    run.output.backward(torch.ones_like(run.output))
    value, grads = scalar_grads(run)
    assert np.allclose(value, run.output.detach().numpy(), rtol=1e-12, atol=1e-12)
    for n, g in grads.items():
        want = run.inputs[n].grad
        want = np.zeros(run.inputs[n].shape) if want is None else want.numpy()
        assume(np.isfinite(want).all())
        np.testing.assert_allclose(g, want, rtol=1e-12, atol=1e-12, err_msg=f"{src} d/d{n}")


@pytest.mark.parametrize("src", ["y = (a * b + c.sin()).exp().sum()", "out = ((a - b) ** 2).mean()",
                                 "h = relu(c @ a + 0.1); out = (h.tanh() * h).sum()",
                                 "out = (a.sigmoid() / (1 + b * b)).sum()", "out = (a[0] * a[1:]).sum()"])
def test_gradcheck_passes_on_the_torch_side(src):
    expr = parse(src)
    run = build(expr, {"a": "randn(3)", "b": "randn(3)", "c": "randn(2, 3)"}, {"a", "b", "c"}, seed=3)
    names = [n for n in expr.inputs]
    leaves = [run.inputs[n].detach().clone().requires_grad_() for n in names]

    def f(*xs):
        return evaluate(expr, dict(zip(names, xs, strict=True)), Ops())[expr.output]

    assert torch.autograd.gradcheck(f, leaves, eps=1e-6, atol=1e-5)


def test_scalar_value_basics_against_formulas():
    x, y = ScalarValue(2.0), ScalarValue(-3.0)
    z = (x * y + x ** 3).unary("tanh")
    z.backward()
    t = math.tanh(2 * -3 + 8)
    assert x.grad == pytest.approx((1 - t * t) * (-3 + 12), rel=1e-15)
    assert y.grad == pytest.approx((1 - t * t) * 2, rel=1e-15)
    s = ScalarValue(0.0).unary("relu")
    s.backward()
    assert s.data == 0.0
    assert math.isnan(ScalarValue(-8.0).__pow__(0.5).data)  # like torch: no complex numbers
