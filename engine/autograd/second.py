"""Second order: the Hessian of the user's program, by differentiating backward itself.

`torch.autograd.grad(out, leaves, create_graph=True)` records the backward pass as a graph of its own, so each
component of the gradient is again a function of the inputs that autograd can differentiate: one more backward
per component gives one row of the Hessian, H[i, j] = ∂²out / ∂θi ∂θj. The inputs that require grad are
flattened in the order the Inputs list them (x[0], x[1], …, then the next input). An output with more than one
element is summed first, as backward seeded with ones does. The reference the tests hold it against is
torch.autograd.functional.hessian, which builds the same thing its own way (a vmap or a loop over vjp's).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch

from engine.autograd.build import Ops, Run, build, evaluate, make_inputs
from engine.autograd.graph import Graph, graph_of

MAX_HESSIAN = 256  # flattened inputs: a 256×256 Hessian is 256 extra backward passes over a small graph


@dataclass(frozen=True)
class Hessian:
    """The Hessian of a run's output over its requires-grad inputs, with what it was computed from."""

    matrix: torch.Tensor  # (n, n)
    labels: list[str]  # "x[0]", "w[1, 2]", … one per flattened input element, in order
    inputs: list[str]  # the requires-grad inputs, in the order the Inputs list them
    gradient: torch.Tensor  # (n,): the first derivative, from the same create_graph backward
    summed: bool  # the output had more than one element: this is the Hessian of out.sum()
    asymmetry: float  # max |H − Hᵀ| (0 up to rounding: second derivatives commute)
    second_graph_nodes: int  # backward functions in the graph that create_graph=True recorded for the gradient


def grad_inputs(run: Run) -> list[str]:
    """The inputs that require grad and that the program uses, in the order the Inputs list them."""
    return [n for n in run.specs if n in run.requires_grad and n in run.expr.inputs]


def _labels(name: str, shape: tuple[int, ...]) -> list[str]:
    if not shape:
        return [name]
    idx = torch.arange(int(torch.tensor(shape).prod())).reshape(shape)
    return [f"{name}[{', '.join(map(str, torch.nonzero(idx == k)[0].tolist()))}]" for k in range(idx.numel())]


def _graph_size(t: torch.Tensor) -> int:
    seen, todo = set(), [t.grad_fn]
    while todo:
        fn = todo.pop()
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        todo += [nxt for nxt, _ in fn.next_functions]
    return len(seen)


def hessian_of(run: Run) -> Hessian:
    """The Hessian of `run`'s program (on a fresh copy of its graph), with its labels and checks."""
    fresh = build(run.expr, run.specs, run.requires_grad, run.dtype, run.seed)
    names = grad_inputs(fresh)
    leaves = [fresh.inputs[n] for n in names]
    n = sum(x.numel() for x in leaves)
    if n > MAX_HESSIAN:
        raise ValueError(f"the Hessian would be {n}×{n}; at most {MAX_HESSIAN} inputs here")
    labels = [lab for name, x in zip(names, leaves, strict=True) for lab in _labels(name, tuple(x.shape))]
    dtype = fresh.output.dtype
    out = fresh.output.sum() if fresh.output.numel() > 1 else fresh.output.reshape(())
    if not leaves or out.grad_fn is None:
        z = torch.zeros(n, n, dtype=dtype)
        return Hessian(z, labels, names, torch.zeros(n, dtype=dtype), fresh.output.numel() > 1, 0.0, 0)
    first = torch.autograd.grad(out, leaves, create_graph=True, allow_unused=True)
    g = torch.cat([(gi if gi is not None else torch.zeros_like(x)).reshape(-1) for gi, x in zip(first, leaves,
                                                                                               strict=True)])
    rows = []
    for i in range(n):
        if not g[i].requires_grad:  # this gradient component is constant: its row is zero
            rows.append(torch.zeros(n, dtype=dtype))
            continue
        second = torch.autograd.grad(g[i], leaves, retain_graph=True, allow_unused=True)
        rows.append(torch.cat([(s if s is not None else torch.zeros_like(x)).reshape(-1)
                               for s, x in zip(second, leaves, strict=True)]))
    h = torch.stack(rows).detach()
    return Hessian(h, labels, names, g.detach(), fresh.output.numel() > 1, float((h - h.T).abs().max()),
                   _graph_size(g) if g.requires_grad else 0)


def gradient_graph(run: Run) -> Graph:
    """The graph backward itself recorded with create_graph=True: the gradient (the requires-grad inputs'
    gradients flattened and joined, in the listed order) as a function of the inputs, read from its grad_fn
    like any other graph; the leaves carry the program's input names. Empty when the gradient is constant."""
    fresh = build(run.expr, run.specs, run.requires_grad, run.dtype, run.seed)
    names = grad_inputs(fresh)
    leaves = [fresh.inputs[n] for n in names]
    out = fresh.output.sum() if fresh.output.numel() > 1 else fresh.output
    if not leaves or out.grad_fn is None:
        return graph_of(torch.zeros(()))
    first = torch.autograd.grad(out, leaves, create_graph=True, allow_unused=True)
    parts = [gi.reshape(-1) for gi in first if gi is not None]
    if not parts or not any(p.requires_grad for p in parts):
        return graph_of(torch.zeros(()))
    g = torch.cat(parts)
    by_id = {str(id(t)): n for n, t in fresh.inputs.items()}
    graph = graph_of(g)
    nodes = [replace(n, name=by_id.get(n.id, n.name)) if n.kind == "leaf" else
             replace(n, name="grad") if n.kind == "output" else n for n in graph.nodes]
    return Graph(nodes, graph.edges, [])


def hessian(run: Run) -> torch.Tensor:
    """(n, n): ∂²out/∂θi∂θj over the requires-grad inputs flattened in the order they are listed."""
    return hessian_of(run).matrix


def torch_hessian(run: Run) -> torch.Tensor:
    """The same matrix from torch.autograd.functional.hessian, calling the program as a function of the
    requires-grad inputs (the others held fixed), its blocks laid out in the same order."""
    names = grad_inputs(run)
    fixed = make_inputs(run.expr, run.specs, frozenset(), run.dtype, run.seed)  # the same values, no grad
    ops = Ops(run.output.dtype)

    def f(*xs: torch.Tensor) -> torch.Tensor:
        env = fixed | dict(zip(names, xs, strict=True))
        out = evaluate(run.expr, env, ops)[run.expr.output]
        out = out if isinstance(out, torch.Tensor) else torch.tensor(out, dtype=run.output.dtype)
        return out.sum()

    if not names:
        return torch.zeros(0, 0, dtype=run.output.dtype)
    xs = tuple(fixed[n].clone() for n in names)
    blocks = torch.autograd.functional.hessian(f, xs)
    sizes = [x.numel() for x in xs]
    return torch.cat([torch.cat([blocks[i][j].reshape(sizes[i], sizes[j]) for j in range(len(xs))], dim=1)
                      for i in range(len(xs))], dim=0)


def max_difference(a: torch.Tensor, b: torch.Tensor) -> float:
    """max |a − b| (inf when the shapes differ): the page's check of our Hessian against torch's."""
    if a.shape != b.shape:
        return float("inf")
    return float((a - b).abs().max()) if a.numel() else 0.0
