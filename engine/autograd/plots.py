"""Plotly figures for the autograd page (no streamlit)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import plotly.graph_objects as go
import torch

from engine.autograd.graph import Graph, Trace
from engine.plotting import label

LABELS = {"row": "∂ / ∂ (row)", "col": "∂ / ∂ (column)", "value": "∂²out / ∂θi ∂θj",
          "before": "before backward: nothing has fired", "fired": "backward {k} of {n}: {name}"}
_lab = partial(label, LABELS)


def hessian_figure(matrix: torch.Tensor, labels: list[str], names: Mapping[str, str] | None = None) -> go.Figure:
    """The Hessian as a heatmap, rows and columns named by input element, zero in white."""
    z = matrix.detach().double().tolist()
    top = float(matrix.abs().max()) if matrix.numel() else 1.0
    fig = go.Figure(go.Heatmap(z=z, x=labels, y=labels, colorscale="RdBu", zmid=0.0, zmin=-top or -1, zmax=top or 1,
                               colorbar=dict(title=_lab(names, "value")),
                               hovertemplate="%{y} · %{x}: %{z:.6g}<extra></extra>"))
    fig.update_layout(xaxis_title=_lab(names, "col"), yaxis=dict(title=_lab(names, "row"), autorange="reversed"),
                      height=min(560, 160 + 22 * len(labels)), margin=dict(l=10, r=10, t=30, b=40))
    return fig


# the node firing now, nodes already fired, functions and tensors not yet reached: the DOT view's hues (to_dot),
# stronger, since a GIF frame is seen small
CURRENT, DONE, FUNCTION, TENSOR = "#fb923c", "#4ade80", "#c7d2fe", "#fde68a"


def layers(graph: Graph) -> dict[str, int]:
    """Each node's layer: the longest path to it from a node with no inputs (edges run in forward order), so
    every edge climbs at least one layer and the output is on top, as the DOT view draws it (rankdir BT)."""
    into: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
    for a, b in graph.edges:
        into[b].append(a)
    layer: dict[str, int] = {}

    def depth(node: str) -> int:
        if node not in layer:
            layer[node] = -1  # on the path now; a graph from autograd has no cycle
            layer[node] = 1 + max((depth(a) for a in into[node]), default=-1)
        return layer[node]

    for n in graph.nodes:
        depth(n.id)
    return layer


def backward_figure(graph: Graph, trace: Trace, k: int, names: Mapping[str, str] | None = None) -> go.Figure:
    """The graph after the first `k` nodes of `trace` have fired (0: before backward), for the step-through's GIF:
    fired nodes green, the k-th orange, edges as arrows in forward order, each node named by its class or tensor."""
    layer = layers(graph)
    rows: dict[int, list[str]] = {}
    for n in graph.nodes:
        rows.setdefault(layer[n.id], []).append(n.id)
    pos = {node: ((i + 1) / (len(ids) + 1), y) for y, ids in rows.items() for i, node in enumerate(ids)}
    fired = [f.node for f in trace.fired[:k]]
    current, done = (fired[-1] if fired else None), set(fired)

    def colour(n) -> str:
        return CURRENT if n.id == current else DONE if n.id in done else FUNCTION if n.kind == "function" else TENSOR

    arrows = [dict(x=pos[b][0], y=pos[b][1], ax=pos[a][0], ay=pos[a][1], xref="x", yref="y", axref="x", ayref="y",
                   showarrow=True, arrowhead=2, arrowsize=1.2, standoff=18, startstandoff=18, arrowcolor="#64748b")
              for a, b in graph.edges]
    fig = go.Figure(go.Scatter(
        x=[pos[n.id][0] for n in graph.nodes], y=[pos[n.id][1] for n in graph.nodes], mode="markers+text",
        marker=dict(size=34, symbol=["square" if n.kind == "function" else "circle" for n in graph.nodes],
                    color=[colour(n) for n in graph.nodes], line=dict(color="#1e293b", width=1)),
        text=[n.name for n in graph.nodes], textposition="middle right", hoverinfo="skip", showlegend=False))
    title = _lab(names, "fired", k=k, n=len(trace.fired), name=trace.fired[k - 1].name) if k else \
        _lab(names, "before")
    top = max(rows, default=0)
    fig.update_layout(title=title, annotations=arrows, height=max(320, 110 * (top + 1)),
                      margin=dict(l=10, r=10, t=50, b=10), xaxis=dict(visible=False, range=[0, 1.25]),
                      yaxis=dict(visible=False, range=[-0.6, top + 0.6]))
    return fig
