"""PyTorch's own backward graph of a run, read from `grad_fn` / `next_functions`, and backward replayed node by node.

`graph_of` walks the real graph from the output's `grad_fn`: one node per backward function (its class, e.g.
`MulBackward0`, the source text that created it, and what it saved for backward from its `_saved_*`
attributes), one per leaf tensor behind an `AccumulateGrad`, and one for the output tensor, with edges in
the direction data flowed forward: the same nodes and edges `torchviz.make_dot` draws. `backward_trace`
registers a hook on every node, runs backward, and records the order in which the nodes fired and the
gradient each sent along every edge.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import torch

from engine.autograd.build import Run
from engine.messages import Message, define

define({
    "autograd.no_graph": "the output does not require a gradient: no input that reaches it has requires_grad=True "
                         "(or a detach() cut it off), so PyTorch recorded no graph",
    "autograd.seeded": "the output has {n} elements: backward was seeded with ones, as out.sum().backward() would",
})


@dataclass(frozen=True)
class SavedTensor:
    """Something a backward function kept from the forward pass."""

    attr: str  # e.g. _saved_self
    shape: tuple[int, ...]
    bytes: int  # 0 for a saved number, not a tensor


@dataclass(frozen=True)
class Node:
    """A node of the graph: a backward function, a leaf tensor, or the output tensor."""

    id: str  # str(id(...)), as torchviz names its nodes
    kind: str  # "function", "leaf" (a tensor an AccumulateGrad writes to), "output"
    name: str  # class of the backward function (AccumulateGrad included), or the tensor's name
    made_by: str  # the source text that created it ("" for AccumulateGrad)
    saved: tuple[SavedTensor, ...]
    shape: tuple[int, ...]  # of the tensor it produced (functions: their forward output)
    value: tuple[float, ...]  # the first few forward values


@dataclass(frozen=True)
class Graph:
    """Nodes and edges (src -> dst in forward order) of PyTorch's graph for a run, and the notes."""

    nodes: list[Node]
    edges: list[tuple[str, str]]
    notes: list[Message]

    def node(self, node_id: str) -> Node:
        """The node with `node_id`."""
        return next(n for n in self.nodes if n.id == node_id)


def _head(t: torch.Tensor, k: int = 6) -> tuple[float, ...]:
    return tuple(float(v) for v in t.detach().flatten()[:k])


def _saved(fn: object) -> tuple[SavedTensor, ...]:
    out = []
    if hasattr(fn, "saved_tensors"):  # a custom autograd.Function's node: what its ctx.save_for_backward kept
        with contextlib.suppress(RuntimeError):  # freed by a backward without retain_graph
            out += [SavedTensor(f"saved_tensors[{i}]", tuple(t.shape), t.numel() * t.element_size())
                    for i, t in enumerate(fn.saved_tensors)]
    for attr in sorted(a for a in dir(fn) if a.startswith("_saved_")):
        try:
            v = getattr(fn, attr)
        except RuntimeError:  # freed by a backward without retain_graph
            continue
        if isinstance(v, torch.Tensor):
            out.append(SavedTensor(attr, tuple(v.shape), v.numel() * v.element_size()))
        elif isinstance(v, int | float | bool | tuple | list) or v is None:
            out.append(SavedTensor(attr, (), 0))
    return tuple(out)


def graph_of(output: torch.Tensor | Run) -> Graph:
    """PyTorch's graph behind a tensor (read it before a backward that frees the saved tensors). For the
    output of `build` (or its Run) the nodes also carry the program's names and source text."""
    run = output if isinstance(output, Run) else getattr(output, "_glassbox_run", lambda: None)()
    out = run.output if run is not None else output
    names = {id(t): n for n, t in run.inputs.items()} if run else {}
    produced = run.produced | {id(v.grad_fn): v for v in run.values.values() if v.grad_fn is not None} if run else {}
    made_by = run.made_by if run else {}
    if out.grad_fn is None:
        return Graph([], [], [Message("autograd.no_graph")])
    nodes: dict[str, Node] = {}
    edges: list[tuple[str, str]] = []
    out_id = str(id(out))
    nodes[out_id] = Node(out_id, "output", run.expr.output if run else "output", "", (), tuple(out.shape), _head(out))
    edges.append((str(id(out.grad_fn)), out_id))
    stack = [out.grad_fn]
    while stack:
        fn = stack.pop()
        fid = str(id(fn))
        if fid in nodes:
            continue
        tensor = produced.get(id(fn))
        nodes[fid] = Node(fid, "function", type(fn).__name__, made_by.get(id(fn), ""), _saved(fn),
                          tuple(tensor.shape) if tensor is not None else (),
                          _head(tensor) if tensor is not None else ())
        var = getattr(fn, "variable", None)
        if var is not None:
            vid = str(id(var))
            nodes[vid] = Node(vid, "leaf", names.get(id(var), "leaf"), "", (), tuple(var.shape), _head(var))
            edges.append((vid, fid))
        for nxt, _ in fn.next_functions:
            if nxt is not None:
                edges.append((str(id(nxt)), fid))
                stack.append(nxt)
    notes = [Message("autograd.seeded", n=out.numel())] if out.numel() > 1 else []
    return Graph(list(nodes.values()), list(dict.fromkeys(edges)), notes)


@dataclass(frozen=True)
class Fired:
    """One node's turn in backward: its place in the order, the gradient it received (w.r.t. its output) and
    the gradient it sent along each edge to the nodes before it."""

    order: int
    node: str
    name: str
    grad_in: tuple[float, ...]  # d out / d (this node's forward output), first values
    sent: tuple[tuple[str, tuple[float, ...]], ...]  # (next node id, gradient along that edge)


@dataclass(frozen=True)
class Trace:
    """backward, node by node, and the gradients it left in the leaves."""

    fired: list[Fired]
    leaf_grads: dict[str, tuple[float, ...]]


def backward_trace(run: Run) -> Trace:
    """Run backward from `run.output` with a hook on every node of its graph, recording the order they fired
    in and the gradients on every edge. The graph is retained (graph_of still reads it) and the leaves'
    .grad are reset first, so a second trace gives the same gradients."""
    out = run.output
    if out.grad_fn is None:
        return Trace([], {})
    for t in run.inputs.values():
        t.grad = None
    fired: list[Fired] = []
    handles = []
    seen: set[int] = set()
    stack = [out.grad_fn]
    while stack:
        fn = stack.pop()
        if id(fn) in seen:
            continue
        seen.add(id(fn))

        def hook(grad_inputs, grad_outputs, fn=fn):
            sent = tuple((str(id(nxt)), _head(g) if g is not None else ())
                         for (nxt, _), g in zip(fn.next_functions, grad_inputs, strict=False) if nxt is not None)
            g_out = grad_outputs[0] if grad_outputs and grad_outputs[0] is not None else None
            fired.append(Fired(len(fired), str(id(fn)), type(fn).__name__, _head(g_out) if g_out is not None else (),
                               sent))

        handles.append(fn.register_hook(hook))
        stack += [nxt for nxt, _ in fn.next_functions if nxt is not None]
    try:
        out.backward(torch.ones_like(out), retain_graph=True)
    finally:
        for h in handles:
            h.remove()
    grads = {n: _head(t.grad, 64) for n, t in run.inputs.items() if t.grad is not None}
    return Trace(fired, grads)


def to_dot(graph: Graph, labels: dict[str, str] | None = None, done: set[str] | None = None,
           current: str | None = None, grads: dict[str, tuple[float, ...]] | None = None) -> str:
    """Graphviz DOT for `graph`: functions as boxes (what made them and what they saved), leaves and the output
    as ellipses with their values; nodes in `done` are green, `current` orange; `grads` (node id -> gradient)
    is written under a node once backward has reached it."""
    lab = {"saved": "saved", "grad": "grad"} | (labels or {})
    done, grads = done or set(), grads or {}

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace('"', '\\"')

    def nums(v: tuple[float, ...]) -> str:
        return "[" + ", ".join(f"{x:.4g}" for x in v[:4]) + (", …" if len(v) > 4 else "") + "]"

    lines = ["digraph G {", '  rankdir="BT"; node [fontname="Helvetica", fontsize=11];']
    for n in graph.nodes:
        text = [n.name] + ([n.made_by] if n.made_by else [])
        if n.kind != "function" or n.value:
            text.append(("×".join(map(str, n.shape)) or "()") + " " + nums(n.value) if n.value else "")
        tensors = [s for s in n.saved if s.bytes]
        if tensors:
            text.append(f"{lab['saved']}: {sum(s.bytes for s in tensors)} B")
        if n.id in grads:
            text.append(f"{lab['grad']} {nums(grads[n.id])}")
        fill = "#fed7aa" if n.id == current else "#bbf7d0" if n.id in done else \
            "#e0e7ff" if n.kind == "function" else "#fef9c3"
        shape = "box" if n.kind == "function" else "ellipse"
        body = "\\n".join(esc(t) for t in text if t)
        lines.append(f'  "{n.id}" [label="{body}", shape={shape}, style=filled, fillcolor="{fill}"];')
    lines += [f'  "{a}" -> "{b}";' for a, b in graph.edges]
    lines.append("}")
    return "\n".join(lines)
