"""Plotly figures for the autograd page (no streamlit)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import plotly.graph_objects as go
import torch

from engine.plotting import label

LABELS = {"row": "∂ / ∂ (row)", "col": "∂ / ∂ (column)", "value": "∂²out / ∂θi ∂θj"}
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
