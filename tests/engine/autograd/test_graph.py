"""PyTorch's graph as graph_of reads it: the same nodes and edges as torchviz.make_dot, for 30+ programs; backward
replayed node by node in a valid order with the same gradients as torch.autograd.grad."""

from __future__ import annotations

import re

import pytest
import torch

from engine.autograd import ExprError, backward_trace, build, graph_of, to_dot
from engine.autograd.examples import EXAMPLES, GRAD, INPUTS, PROGRAMS
from ui.text.autograd import TEXT

torchviz = pytest.importorskip("torchviz")
pytestmark = pytest.mark.filterwarnings("ignore:distutils Version classes:DeprecationWarning")

X3, GRAD3 = INPUTS, GRAD


def _torchviz_graph(t: torch.Tensor) -> tuple[set[str], set[tuple[str, str]]]:
    """torchviz's nodes and edges, without the tensors a custom autograd.Function saved (torchviz draws those as
    fresh Python objects each call, so their ids cannot match; test_custom_function_saved_tensors counts them)."""
    nodes, edges, saved = _torchviz_saved(t)
    wired = {end for e in edges - saved for end in e}  # a saved leaf (x.softplus() keeps x) is x's own node
    return nodes - ({s for s, _ in saved} - wired), edges - saved


def _torchviz_saved(t: torch.Tensor) -> tuple[set[str], set[tuple[str, str]], set[tuple[str, str]]]:
    dot = torchviz.make_dot(t)
    nodes = {m.group(1) for line in dot.body if (m := re.match(r"\s*(\d+) \[", line))}
    edges = {(m.group(1), m.group(2)) for line in dot.body if (m := re.match(r"\s*(\d+) -> (\d+)", line))}
    saved = {(m.group(1), m.group(2)) for line in dot.body
             if (m := re.match(r"\s*(\d+) -> (\d+) \[dir=none\]", line))}
    return nodes, edges, saved


def test_custom_function_saved_tensors_as_torchviz_counts_them() -> None:
    run = build("out = softplus(w @ x).sum() + x.softplus().mean()", X3, GRAD3, seed=1)
    g = graph_of(run.output)
    _, _, saved = _torchviz_saved(run.output)
    custom = [n for n in g.nodes if n.name == "SoftplusBackward"]
    assert len(custom) == 2 and all(len(n.saved) == 1 and n.saved[0].bytes > 0 for n in custom)
    per_fn = {fn for _, fn in saved}
    assert per_fn == {n.id for n in custom} and len(saved) == 2


@pytest.mark.parametrize("src", PROGRAMS)
def test_same_nodes_and_edges_as_torchviz(src):
    run = build(src, X3, GRAD3, seed=1)
    g = graph_of(run.output)
    nodes, edges = _torchviz_graph(run.output)
    assert {n.id for n in g.nodes} == nodes
    assert set(g.edges) == edges
    assert {n.name for n in g.nodes if n.kind == "leaf"} <= GRAD3
    assert to_dot(g).startswith("digraph")


def test_thirty_programs_at_least():
    assert len(PROGRAMS) >= 30


@pytest.mark.parametrize("src", PROGRAMS)
def test_backward_fires_every_node_once_in_dependency_order(src):
    run = build(src, X3, GRAD3, seed=2)
    g = graph_of(run)
    trace = backward_trace(run)
    functions = {n.id for n in g.nodes if n.kind == "function"}
    order = {f.node: f.order for f in trace.fired}
    assert set(order) == functions and len(trace.fired) == len(functions)
    for src_id, dst_id in g.edges:  # forward a -> b: backward reaches b before a
        if src_id in order and dst_id in order:
            assert order[dst_id] < order[src_id]
    leaves = [n for n, t in run.inputs.items() if t.requires_grad]
    again = build(src, X3, GRAD3, seed=2)
    want = torch.autograd.grad(again.output, [again.inputs[n] for n in leaves], torch.ones_like(again.output),
                               allow_unused=True)
    for n, w in zip(leaves, want, strict=True):
        if w is not None:
            assert trace.leaf_grads[n] == pytest.approx(w.flatten().tolist(), rel=1e-12, abs=1e-12)


def test_saved_tensors_are_what_backward_needs():
    run = build("y = x + 2; z = y*y*3; out = z.mean()", {"x": "ones(2, 2)"}, {"x"})
    g = graph_of(run)
    mul = next(n for n in g.nodes if n.made_by == "y*y")
    assert {s.attr for s in mul.saved if s.bytes} == {"_saved_self", "_saved_other"}
    assert all(s.shape == (2, 2) and s.bytes == 32 for s in mul.saved if s.bytes)
    assert run.saved_count == 2 and run.saved_bytes == 64  # the hooks see y saved twice
    add = next(n for n in g.nodes if n.name == "AddBackward0")
    assert not [s for s in add.saved if s.bytes]  # x + 2 needs nothing from the forward pass


def test_no_graph_without_requires_grad_and_detach_cuts():
    assert graph_of(build("out = (x * 2).sum()", {"x": "randn(3)"}, set())).notes[0].code == "autograd.no_graph"
    assert not graph_of(build("out = x.detach().sum()", {"x": "randn(3)"}, {"x"})).nodes


def test_bad_inputs_and_torch_refusals_are_expr_errors():
    for spec in ("randn(100)", "[[1, 2], [3]]", "__import__('os')", "randn(2, 2, 2)", "'abc'", "[]"):
        with pytest.raises(ExprError):
            build("out = x.sum()", {"x": spec}, {"x"})
    with pytest.raises(ExprError) as e:
        build("y = x\nout = (a @ x).sum()", {"x": "randn(3)", "a": "randn(4)"}, {"x"})
    assert e.value.code == "autograd.torch" and e.value.position == (2, 7)
    with pytest.raises(ExprError) as e:  # an outer product of two 64-element inputs is refused, not computed
        build("big = a @ b", {"a": "randn(64, 1)", "b": "randn(1, 64)"}, set())
    assert e.value.code == "autograd.value_size" and e.value.position == (1, 7)
    with pytest.raises(ExprError) as e:
        build("out = x.sum()", {}, set())
    assert e.value.code == "autograd.missing_input"


def _mv_node(requires_grad: set[str]):
    src, vals, _ = EXAMPLES["neuron"]
    run = build(src, vals, requires_grad)
    fn = next(f for f in run.made_by if run.made_by[f] == "w @ x")
    return run, next(n for n in graph_of(run).nodes if n.name == "MvBackward0"), run.produced[fn].grad_fn


def test_walkthrough_step_3_mv_saved_only_x_because_only_w_needs_a_gradient():
    """The sentence of walk.3, held to the preset: MvBackward0 keeps x (for ∂/∂w) and not w (x needs no gradient)."""
    run, node, fn = _mv_node(set(EXAMPLES["neuron"][2]))
    assert {s.attr for s in node.saved if s.bytes} == {"_saved_vec"}
    assert fn._saved_self is None and torch.equal(fn._saved_vec, run.inputs["x"])
    assert "saved only x" in TEXT["walk.3"][0] and "只保存了 x" in TEXT["walk.3"][1]
    # the control: when x too requires a gradient, w is saved as well, and the sentence would be false
    run, node, fn = _mv_node({"w", "b", "x"})
    assert {s.attr for s in node.saved if s.bytes} == {"_saved_self", "_saved_vec"}
    assert torch.equal(fn._saved_self, run.inputs["w"])
