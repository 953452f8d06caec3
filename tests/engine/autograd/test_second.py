"""The Hessian of the user's program (issue #34) against torch.autograd.functional.hessian and closed forms, with the
inputs flattened in the order they are listed."""

from __future__ import annotations

import pytest
import torch

from engine.autograd import build
from engine.autograd.examples import EXAMPLES, GRAD, INPUTS, PROGRAMS
from engine.autograd.second import MAX_HESSIAN, hessian, hessian_of, max_difference, torch_hessian


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_program_equals_torch_functional_hessian(program: str) -> None:
    run = build(program, INPUTS, GRAD)
    h, ref = hessian(run), torch_hessian(run)
    assert h.shape == ref.shape and max_difference(h, ref) <= 1e-10


@pytest.mark.parametrize("name", [n for n in EXAMPLES if n != "inplace"])  # backward refuses that one (its test)
def test_the_page_examples_equal_torch_and_are_symmetric(name: str) -> None:
    src, vals, grad = EXAMPLES[name]
    r = hessian_of(build(src, vals, set(grad)))
    assert max_difference(r.matrix, torch_hessian(build(src, vals, set(grad)))) <= 1e-10
    assert r.asymmetry <= 1e-12 and len(r.labels) == r.matrix.shape[0]


def test_closed_form_cubic_and_quadratic_form() -> None:
    r = build("out = (x ** 3).sum()", {"x": "[1.0, -2.0, 0.5]"}, {"x"})
    assert torch.allclose(hessian(r), torch.diag(6 * torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)),
                          atol=1e-12)
    m = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64)
    r = build("out = x @ m @ x", {"x": "[0.3, -0.7]", "m": "[[1, 2], [3, 4]]"}, {"x"})
    assert torch.allclose(hessian(r), m + m.T, atol=1e-12)  # d²(xᵀMx)/dx² = M + Mᵀ


def test_inputs_are_flattened_in_the_order_they_are_listed() -> None:
    # out = a·b² summed: ∂²/∂a∂b = 2b, ∂²/∂b² = 2a, ∂²/∂a² = 0; listed b first, then a
    r = hessian_of(build("out = (a * b * b).sum()", {"b": "[2.0]", "a": "[5.0]"}, {"a", "b"}))
    assert r.inputs == ["b", "a"] and r.labels == ["b[0]", "a[0]"]
    assert r.matrix.tolist() == [[10.0, 4.0], [4.0, 0.0]]
    r = hessian_of(build("out = (w * w).sum()", {"w": "ones(2, 2)"}, {"w"}))
    assert r.labels == ["w[0, 0]", "w[0, 1]", "w[1, 0]", "w[1, 1]"]


def test_a_tampered_matrix_fails_the_check_and_a_vector_output_is_summed() -> None:
    run = build("out = x.exp() * x", {"x": "randn(3)"}, {"x"})
    r = hessian_of(run)
    assert r.summed and max_difference(r.matrix, torch_hessian(run)) <= 1e-10
    bad = r.matrix.clone()
    bad[1, 2] += 1e-6  # one number changed
    assert max_difference(bad, torch_hessian(run)) > 1e-7
    assert max_difference(r.matrix[:2], torch_hessian(run)) == float("inf")


def test_no_graph_gives_zeros_and_a_detached_gradient_has_no_second_graph() -> None:
    r = hessian_of(build("out = (x * 2).sum()", {"x": "randn(3)"}, set()))
    assert r.matrix.shape == (0, 0)
    r = hessian_of(build(*EXAMPLES["detach"][:2], set(EXAMPLES["detach"][2])))
    assert torch.equal(r.matrix, torch.zeros(3, 3, dtype=torch.float64)) and r.second_graph_nodes == 0
    assert hessian_of(build(*EXAMPLES["reuse"][:2], set(EXAMPLES["reuse"][2]))).second_graph_nodes > 0


def test_the_size_is_bounded() -> None:
    specs = {f"x{i}": "randn(8, 8)" for i in range(MAX_HESSIAN // 64 + 1)}
    src = "out = " + " + ".join(f"x{i}.sum()" for i in range(len(specs)))
    with pytest.raises(ValueError):
        hessian(build(src, specs, set(specs)))


def test_the_gradient_graph_is_the_one_the_second_backward_runs_through() -> None:
    from engine.autograd.second import gradient_graph

    src, vals, grad = EXAMPLES["second"]
    run = build(src, vals, set(grad))
    g = gradient_graph(run)
    assert sum(n.kind == "function" for n in g.nodes) == hessian_of(run).second_graph_nodes
    assert {n.name for n in g.nodes if n.kind == "leaf"} == {"x", "y"}
    names = {n.name for n in g.nodes if n.kind == "function"}
    assert {"CatBackward0", "CosBackward0", "AccumulateGrad"} <= names  # d sin/dx = cos: backward of backward
    assert gradient_graph(build("out = (x * 2).sum()", {"x": "randn(3)"}, {"x"})).nodes == []  # constant gradient


def test_the_custom_function_matches_f_softplus_and_gradcheck_catches_the_wrong_twin() -> None:
    import torch.nn.functional as F

    from engine.autograd.custom import check_custom, softplus

    c = check_custom()
    assert c.node == "SoftplusBackward" and c.saved == 1 and c.gradcheck and not c.wrong_gradcheck
    assert c.max_diff_value <= 1e-12 and c.max_diff_grad <= 1e-12 and c.wrong_max_diff > 1.0
    x = torch.linspace(-30, 30, 13, dtype=torch.float64)  # stable far out, where ln(1 + eˣ) would overflow
    assert torch.allclose(softplus(x), F.softplus(x, threshold=1000), atol=1e-12)
    run = build("out = softplus(x).sum()", {"x": "randn(4)"}, {"x"})
    s = torch.sigmoid(run.inputs["x"].detach())
    assert max_difference(hessian(run), torch.diag(s * (1 - s))) <= 1e-12  # second order through its backward


def test_a_hook_scales_only_the_paths_through_its_value_and_retain_grad_keeps_it() -> None:
    from engine.autograd.hooks import hook_demo, non_leaves

    x = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64)
    run = build("y = x * 2\nout = (y * x).sum()", {"x": "[1.0, -2.0, 3.0]"}, {"x"})
    assert non_leaves(run) == ["y", "out"]
    for k in (0.0, 0.5, 10.0):
        h = hook_demo(run, "y", k)
        # out = Σ y·x with y = 2x: through y, ∂out/∂y·∂y/∂x = x·2, scaled by k; directly, ∂out/∂x = y = 2x
        assert h.plain["x"] == tuple((4 * x).tolist()) and h.hooked["x"] == tuple((2 * x * k + 2 * x).tolist())
        assert h.without_retain and h.hook_saw == tuple(x.tolist()) and h.retained == tuple((k * x).tolist())
    ref = build("y = x * 2\nout = (y * x).sum()", {"x": "[1.0, -2.0, 3.0]"}, {"x"})
    (g,) = torch.autograd.grad(ref.output, ref.values["y"])  # the gradient at y, taken independently
    assert hook_demo(run, "y", 1.0).retained == tuple(g.tolist())
    with pytest.raises(ValueError):
        hook_demo(run, "x", 2.0)  # a leaf: not a value with a grad_fn


IN_PLACE = [  # (program, inputs, requires grad): each runs forward; backward goes through or refuses as torch does
    ("y = x * 2\nz = y.mul_(3)\nout = (z * x).sum()", {"x": "randn(3)"}, {"x"}),
    ("v = c[0:2]\nw = v.mul_(10)\nout = (c * x).sum()", {"c": "randn(3)", "x": "randn(3)"}, {"x"}),
    ("v = c[1]\nw = v.add_(5)\nout = (c * x).sum()", {"c": "randn(3)", "x": "randn(3)"}, {"x"}),
    ("s = c.sum(); t = s; u = t.mul_(3); out = s * x.sum()", {"c": "randn(3)", "x": "randn(3)"}, {"x"}),
    ("y = x * 1\nz = y.sigmoid_()\nout = (z * x).sum()", {"x": "randn(3)"}, {"x"}),
    ("y = x.exp()\nz = y.add_(1)\nout = z.sum()", {"x": "randn(3)"}, {"x"}),
    ("y = x.sigmoid()\ny = y.exp_()\nout = y.sum()", {"x": "randn(3)"}, {"x"}),
]


def _plain_torch(src: str, vals: dict, grad: set):
    """The same program written out by hand in torch (an independent reference), or its RuntimeError."""
    from engine.autograd.build import make_inputs
    from engine.autograd.parse import parse

    env = make_inputs(parse(src), vals, grad, "float64", 0)
    x, c = env.get("x"), env.get("c")
    try:
        if src.startswith("y = x * 2"):
            y = x * 2
            z = y.mul_(3)
            out = (z * x).sum()
        elif src.startswith("v = c[0:2]"):
            c[0:2].mul_(10)
            out = (c * x).sum()
        elif src.startswith("v = c[1]"):
            c[1].add_(5)
            out = (c * x).sum()
        elif src.startswith("s = c.sum()"):
            s = c.sum()
            s.mul_(3)
            out = s * x.sum()
        elif src.startswith("y = x * 1"):
            z = (x * 1).sigmoid_()
            out = (z * x).sum()
        elif src.startswith("y = x.exp()"):
            out = x.exp().add_(1).sum()
        else:
            out = x.sigmoid().exp_().sum()
        (g,) = torch.autograd.grad(out, x)
        return g
    except RuntimeError as e:
        return e


@pytest.mark.parametrize(("src", "vals", "grad"), IN_PLACE)
def test_in_place_programs_match_torch_written_by_hand(src: str, vals: dict, grad: set) -> None:
    from engine.autograd import backward_trace, compare_grads
    from engine.autograd.lab import backward_refusal

    run = build(src, vals, grad)
    ref = _plain_torch(src, vals, grad)
    refusal = backward_refusal(run)
    if isinstance(ref, RuntimeError):  # the version counter fired on the user's code, as on the hand-written one
        assert refusal is not None and "modified by an inplace operation" in refusal.message
        assert max(refusal.versions.values()) >= 1
        return
    assert refusal is None
    trace = backward_trace(run)
    assert torch.allclose(torch.tensor(trace.leaf_grads["x"], dtype=torch.float64), ref, atol=1e-12)
    assert all(r.max_abs_diff <= 1e-12 for r in compare_grads(run, trace.leaf_grads))  # our scalar engine too


def test_in_place_on_a_leaf_that_requires_grad_is_refused_with_its_explanation() -> None:
    from engine.autograd import ExprError, explained

    with pytest.raises(ExprError) as e:
        build("y = x.add_(1); out = y.sum()", {"x": "randn(3)"}, {"x"})
    assert explained(e.value).code == "autograd.why.leaf_inplace"
    from engine.autograd import parse

    with pytest.raises(ExprError) as e:
        parse("y = (x * 2).add_(1)")
    assert e.value.code == "autograd.inplace_target"
