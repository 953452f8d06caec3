"""Plotly figures for block scaling: a real tensor, its block scales and its error as heatmaps, every scheme's
SQNR against its bits per value, and the outlier comparison (pure functions of engine results, no streamlit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from engine.numerics.blocks import BlockQuant
from engine.numerics.blockstudy import OutlierStudy, StudyRow
from engine.plotting import label

LABELS = {  # English defaults; pages pass their translations ("plot.<key>" in the page's table)
    "values": "values", "log2_scale": "log2(block scale)", "dequantized": "dequantised",
    "error": "dequantised − original",
    "column": "column (feature)", "row": "row", "bits": "bits per value", "sqnr": "SQNR (dB)",
    "clean": "without the outlier", "spiked": "beside the outlier", "scheme": "scheme",
}
_lab = partial(label, LABELS)


def _crop(t, rows: int) -> np.ndarray:
    return np.asarray(t)[:rows]


def block_heatmaps(q: BlockQuant, rows: int = 64, labels: Mapping[str, str] | None = None) -> go.Figure:
    """The first `rows` rows of the tensor, each value's block scale (log2), the dequantised values and the
    error, one above the other (values and dequantised values share one colour scale)."""
    x = _crop(q.original, rows)
    scale = _crop(np.log2(q.per_value(q.scales).numpy()), rows)
    deq = _crop(q.dequantized.numpy(), rows)
    err = _crop(q.error.numpy(), rows)
    titles = [_lab(labels, k) for k in ("values", "log2_scale", "dequantized", "error")]
    fig = make_subplots(rows=4, cols=1, shared_xaxes=True, vertical_spacing=0.05, subplot_titles=titles)
    lim = float(np.abs(x).max()) or 1.0
    elim = float(np.abs(err[np.isfinite(err)]).max(initial=0)) or 1.0
    same = dict(colorscale="RdBu", zmid=0, zmin=-lim, zmax=lim)
    for i, (z, kw) in enumerate([(x, same), (scale, dict(colorscale="Viridis")), (deq, same),
                                 (err, dict(colorscale="RdBu", zmid=0, zmin=-elim, zmax=elim))], start=1):
        fig.add_trace(go.Heatmap(z=z, colorbar=dict(len=0.22, y=1 - (i - 0.5) / 4), **kw), row=i, col=1)
        fig.update_yaxes(title_text=_lab(labels, "row"), autorange="reversed", row=i, col=1)
    fig.update_xaxes(title_text=_lab(labels, "column"), row=4, col=1)
    fig.update_layout(height=900, margin=dict(l=10, r=10, t=40, b=40))
    return fig


def sqnr_by_bits(rows: Sequence[StudyRow], highlight: str | None = None,
                 labels: Mapping[str, str] | None = None) -> go.Figure:
    """Each scheme's SQNR against its stored bits per value: up and to the left is better."""
    fig = go.Figure(go.Scatter(
        x=[r.bits_per_value for r in rows], y=[r.sqnr_db for r in rows], mode="markers+text",
        text=[r.scheme for r in rows], textposition="top center",
        marker=dict(size=[16 if r.scheme == highlight else 10 for r in rows],
                    color=["#ef4444" if r.scheme == highlight else "#2563eb" for r in rows])))
    fig.update_layout(xaxis_title=_lab(labels, "bits"), yaxis_title=_lab(labels, "sqnr"), height=380,
                      margin=dict(l=10, r=10, t=30, b=40), showlegend=False)
    return fig


def outlier_bars(study: OutlierStudy, labels: Mapping[str, str] | None = None) -> go.Figure:
    """SQNR of every value but the outlier, quantised without it and beside it, per scheme."""
    names = [c.scheme for c in study.cases]
    fig = go.Figure([go.Bar(x=names, y=[c.sqnr_clean_db for c in study.cases], name=_lab(labels, "clean"),
                            marker_color="#94a3b8"),
                     go.Bar(x=names, y=[c.sqnr_spiked_db for c in study.cases], name=_lab(labels, "spiked"),
                            marker_color="#ef4444")])
    fig.update_layout(barmode="group", xaxis_title=_lab(labels, "scheme"), yaxis_title=_lab(labels, "sqnr"),
                      height=360, margin=dict(l=10, r=10, t=30, b=40))
    return fig
