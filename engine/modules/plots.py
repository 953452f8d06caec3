"""Plotly figures for the modules page (no streamlit)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import plotly.graph_objects as go

from engine.plotting import label, log_axis, range_bars

LABELS = {"elements": "input elements", "ratio": "module time / function time", "even": "equal time",
          "example": "example", "norm": "‖per-sample gradient‖", "loss": "its loss"}
_lab = partial(label, LABELS)


def overhead_figure(rows: list[dict], labels: Mapping[str, str] | None = None) -> go.Figure:
    """Module time over function time against input size, with the range of the interleaved rounds."""
    x = [r["elements"] for r in rows]
    y = [r["ratio"] for r in rows]
    bars = range_bars(y, [r["ratio_lo"] for r in rows], [r["ratio_hi"] for r in rows])
    fig = go.Figure(go.Scatter(x=x, y=y, error_y=bars, mode="lines+markers", line_color="#2563eb",
                               name=rows[0]["twin"] if rows else ""))
    fig.add_hline(y=1.0, line=dict(color="#94a3b8", dash="dash"), annotation_text=_lab(labels, "even"))
    fig.update_layout(xaxis=log_axis(_lab(labels, "elements")), yaxis_title=_lab(labels, "ratio"), height=320,
                      margin=dict(l=10, r=10, t=30, b=40))
    return fig


def persample_figure(norms: list[float], losses: list[float], labels: Mapping[str, str] | None = None) -> go.Figure:
    """Each example's gradient norm (bars) and its loss (dots): the examples that pull hardest on the weights."""
    x = list(range(len(norms)))
    fig = go.Figure(go.Bar(x=x, y=norms, marker_color="#2563eb", name=_lab(labels, "norm")))
    fig.add_trace(go.Scatter(x=x, y=losses, mode="markers", marker=dict(color="#f97316", size=7),
                             name=_lab(labels, "loss"), yaxis="y2"))
    fig.update_layout(xaxis_title=_lab(labels, "example"), yaxis_title=_lab(labels, "norm"),
                      yaxis2=dict(title=_lab(labels, "loss"), overlaying="y", side="right", showgrid=False),
                      height=320, margin=dict(l=10, r=10, t=30, b=40), legend=dict(orientation="h", y=1.12))
    return fig
