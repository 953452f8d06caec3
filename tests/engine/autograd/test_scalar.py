"""Our scalar reverse-mode engine against torch on programs hypothesis draws from the language, in float64;
torch.autograd.gradcheck on the torch side."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine.autograd import ExprError, ScalarValue, backward_trace, build, compare_grads, parse, scalar_grads
from engine.autograd.build import Ops, evaluate
from engine.autograd.examples import GRAD, INPUTS, PROGRAMS

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
    try:
        expr = parse(src)
    except ExprError as err:  # the safe forms repeat their argument, so three levels can pass the size bound
        assume(err.code != "autograd.too_big")
        raise
    run = build(expr, inputs, {"a", "b", "c"}, dtype="float64", seed=seed)
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


LANGUAGE = {"@": "@", "indexing": "[", "detach": "detach()", "tensor exponent": "2 ** x", "division by an input": "/ (",
            "mean": "mean()", "sum": "sum()", "transpose": ".T", "reshape": "reshape(", "sum over a dim": "sum(dim=",
            "mean over a dim": "mean(0, keepdim=True)", "softmax": "softmax(", "max": "max()",
            "max over a dim": "max(dim=", "where": "where(", "a comparison": " < ",
            "a custom autograd.Function": "softplus(", "in place": "mul_("}


def test_the_bench_programs_cover_the_whole_language():
    for what, text in LANGUAGE.items():
        assert any(text in p for p in PROGRAMS), what
    assert len(PROGRAMS) == 46


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("src", PROGRAMS)
def test_every_bench_program_against_torch_autograd_grad(src, seed):
    """All 46 programs (matmul, indexing, detach, a tensor exponent, division by an input, mean and sum inside, .T,
    reshape, reductions along a dim, softmax, max and where),
    several seeds: our float64 gradients against torch.autograd.grad on a separate build."""
    run = build(src, INPUTS, GRAD, seed=seed)
    value, ours = scalar_grads(run)
    ref = build(src, INPUTS, GRAD, seed=seed)
    names = [n for n in ref.expr.inputs if n in GRAD]
    want = torch.autograd.grad(ref.output, [ref.inputs[n] for n in names], torch.ones_like(ref.output),
                               allow_unused=True)
    np.testing.assert_allclose(value, ref.output.detach().numpy(), rtol=1e-12, atol=1e-12)
    for n, w in zip(names, want, strict=True):
        w = np.zeros(ref.inputs[n].shape) if w is None else w.numpy()
        np.testing.assert_allclose(ours[n], w, rtol=1e-12, atol=1e-12, err_msg=f"{src} d/d{n}")


def test_compare_grads_reports_the_difference_it_sees_and_catches_a_wrong_gradient():
    run = build("out = (x * x).sum()", {"x": "randn(3)"}, {"x"}, seed=0)
    right = {"x": tuple((2 * run.inputs["x"].detach()).tolist())}
    [row] = compare_grads(run, right)
    assert row.max_abs_diff == 0.0 and not row.mixed_precision
    wrong = {"x": tuple(v + 1e-3 * (i == 1) for i, v in enumerate(right["x"]))}  # a negative control
    assert compare_grads(run, wrong)[0].max_abs_diff == pytest.approx(1e-3)


def test_a_leaf_torch_gives_no_grad_is_not_compared():
    run = build("d = a.detach(); out = (d * x).sum()", {"a": "randn(3)", "x": "randn(3)"}, {"a", "x"})
    rows = {r.name: r for r in compare_grads(run, backward_trace(run).leaf_grads)}
    assert run.inputs["a"].grad is None and rows["a"].torch is None and rows["a"].max_abs_diff is None
    assert rows["a"].ours == (0.0, 0.0, 0.0)  # ours says 0 where torch says None: not the same claim
    assert rows["x"].max_abs_diff == 0.0


def test_float32_runs_are_labelled_as_mixed_precision():
    run = build("out = (x.exp() * x).sum()", {"x": "randn(8)"}, {"x"}, dtype="float32", seed=0)
    [row] = compare_grads(run, backward_trace(run).leaf_grads)
    assert row.mixed_precision and row.torch_dtype == "float32"
    assert 0 < row.max_abs_diff < 1e-5  # float32's rounding: not zero, and small
