"""Plotly figures for stochastic rounding and the random Hadamard transform (pure functions of engine results,
no streamlit): a running sum kept in a low format with each rounding, the draws of one value, and one block of
values before and after the rotation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import numpy as np
import plotly.graph_objects as go

from engine.numerics.blockstudy import RotationRow
from engine.numerics.stochastic import Accumulation, Bias
from engine.plotting import label

LABELS = {  # English defaults; pages pass their translations ("plot.<key>" in the page's table)
    "step": "step", "sum": "running sum", "exact": "exact", "nearest": "round to nearest",
    "stochastic": "stochastic (mean of runs)", "runs": "stochastic (each run)", "value": "value",
    "draws": "draws", "x": "x", "position": "position in the block", "before": "before", "after": "after rotation",
    "scheme": "scheme", "sqnr": "SQNR (dB)", "plain": "quantised as it is",
    "rotated": "rotated, quantised, rotated back",
}
_lab = partial(label, LABELS)


def accumulation(acc: Accumulation, labels: Mapping[str, str] | None = None) -> go.Figure:
    """The running sum: exact, nearest rounding, each stochastic run (thin) and their mean."""
    k = np.arange(len(acc.exact))
    fig = go.Figure()
    for i, run in enumerate(acc.stochastic_runs):
        fig.add_trace(go.Scatter(x=k, y=run, mode="lines", line=dict(width=0.8, color="#93c5fd"),
                                 name=_lab(labels, "runs"), showlegend=i == 0, legendgroup="runs"))
    for key, y, color, dash in [("exact", acc.exact, "#0f172a", "dot"), ("nearest", acc.nearest, "#ef4444", None),
                                ("stochastic", acc.stochastic, "#2563eb", None)]:
        fig.add_trace(go.Scatter(x=k, y=y, mode="lines", name=_lab(labels, key), line=dict(color=color, dash=dash)))
    fig.update_layout(xaxis_title=_lab(labels, "step"), yaxis_title=_lab(labels, "sum"), height=380,
                      margin=dict(l=10, r=10, t=30, b=40))
    return fig


def draws(b: Bias, labels: Mapping[str, str] | None = None) -> go.Figure:
    """How often each neighbour was drawn, with x, the mean of the draws and the nearest neighbour marked."""
    up = round(b.up_fraction * b.n)
    fig = go.Figure(go.Bar(x=[b.below, b.above], y=[b.n - up, up], marker_color=["#94a3b8", "#2563eb"],
                           name=_lab(labels, "draws"), width=(b.above - b.below) * 0.15 or 0.1))
    for v, key, color in [(b.x, "x", "#0f172a"), (b.nearest, "nearest", "#ef4444"), (b.mean, "stochastic", "#2563eb")]:
        fig.add_vline(x=v, line=dict(color=color, dash="dot"), annotation_text=_lab(labels, key))
    fig.update_layout(xaxis_title=_lab(labels, "value"), yaxis_title=_lab(labels, "draws"), height=300,
                      margin=dict(l=10, r=10, t=40, b=40), showlegend=False)
    return fig


def spread(before: Sequence[float], after: Sequence[float], labels: Mapping[str, str] | None = None) -> go.Figure:
    """One block of values before and after the rotation."""
    pos = list(range(len(before)))
    fig = go.Figure([go.Bar(x=pos, y=list(before), name=_lab(labels, "before"), marker_color="#94a3b8"),
                     go.Bar(x=pos, y=list(after), name=_lab(labels, "after"), marker_color="#2563eb")])
    fig.update_layout(barmode="group", xaxis_title=_lab(labels, "position"), yaxis_title=_lab(labels, "value"),
                      height=320, margin=dict(l=10, r=10, t=30, b=40))
    return fig


def rotation_bars(rows: Sequence[RotationRow], labels: Mapping[str, str] | None = None) -> go.Figure:
    """Each scheme's SQNR without and with the rotation."""
    names = [r.scheme for r in rows]
    fig = go.Figure([go.Bar(x=names, y=[r.sqnr_plain_db for r in rows], name=_lab(labels, "plain"),
                            marker_color="#94a3b8"),
                     go.Bar(x=names, y=[r.sqnr_rotated_db for r in rows], name=_lab(labels, "rotated"),
                            marker_color="#2563eb")])
    fig.update_layout(barmode="group", xaxis_title=_lab(labels, "scheme"), yaxis_title=_lab(labels, "sqnr"),
                      height=340, margin=dict(l=10, r=10, t=30, b=40))
    return fig
