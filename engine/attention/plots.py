"""Plotly figures for the attention page, drawn from traces and bench rows (no streamlit)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from engine.attention.iomodel import standard_io, tiled_io
from engine.attention.tiled import AttentionTrace

METHOD_COLORS = {"naive": "#ef4444", "tiled": "#2563eb", "sdpa": "#16a34a", "triton": "#9333ea"}
_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=40))


def tile_grid(trace: AttentionTrace, step: int) -> go.Figure:
    """The query-block × key-block grid: done, current, pending and skipped (masked) tiles."""
    nq, nk = trace.grid
    state = np.full((nq, nk), 1.0)  # pending
    for i, j in trace.skipped:
        state[i, j] = 0.0
    for s in trace.steps[:step]:
        state[s.q_block, s.k_block] = 2.0
    cur = trace.steps[step]
    state[cur.q_block, cur.k_block] = 3.0
    scale = [[0.0, "#cbd5e1"], [0.25, "#cbd5e1"], [0.25, "#f8fafc"], [0.5, "#f8fafc"], [0.5, "#93c5fd"],
             [0.75, "#93c5fd"], [0.75, "#f59e0b"], [1.0, "#f59e0b"]]
    labels = np.array(["skipped (masked)", "pending", "done", "current"])[state.astype(int)]
    hover = "Q block %{y}, K block %{x}: %{customdata}<extra></extra>"
    fig = go.Figure(go.Heatmap(z=state, zmin=0, zmax=3, colorscale=scale, showscale=False, xgap=2, ygap=2,
                               customdata=labels, hovertemplate=hover))
    fig.update_layout(title="tile grid", height=320,
                      xaxis_title="key block j", yaxis=dict(title="query block i", autorange="reversed"), **_LAYOUT)
    return fig


def tile_heatmaps(trace: AttentionTrace, step: int) -> go.Figure:
    """The current tile's scores S and weights P = exp(S − m_new)."""
    s = trace.steps[step]
    fig = make_subplots(1, 2, subplot_titles=("S = Q_i K_jᵀ · scale", "P = exp(S − m_new)"), horizontal_spacing=0.12)
    sv = s.s.double().numpy()
    fig.add_trace(go.Heatmap(z=np.where(np.isfinite(sv), sv, np.nan), colorscale="RdBu", zmid=0,
                             colorbar=dict(x=0.44, len=0.9)), 1, 1)
    fig.add_trace(go.Heatmap(z=s.p.double().numpy(), colorscale="Viridis", zmin=0, zmax=1), 1, 2)
    x0, y0 = s.k_range[0], s.q_range[0]
    for col in (1, 2):
        fig.update_xaxes(title_text=f"key (from {x0})", row=1, col=col)
        fig.update_yaxes(title_text=f"query (from {y0})", autorange="reversed", row=1, col=col)
    fig.update_layout(height=340, **_LAYOUT)
    return fig


def running_stats(trace: AttentionTrace, step: int) -> go.Figure:
    """Running max m (before/after) and denominator l over the current query block's rows."""
    s = trace.steps[step]
    rows = np.arange(*s.q_range)
    fig = make_subplots(1, 2, subplot_titles=("running max m", "running denominator l"))
    fig.add_trace(go.Scatter(x=rows, y=s.m_old.double().numpy(), name="m before", mode="markers",
                             marker_color="#94a3b8"), 1, 1)
    fig.add_trace(go.Scatter(x=rows, y=s.m_new.double().numpy(), name="m after", mode="markers",
                             marker_color="#f59e0b"), 1, 1)
    fig.add_trace(go.Scatter(x=rows, y=s.l.double().numpy(), name="l", mode="lines+markers",
                             line_color="#2563eb"), 1, 2)
    fig.update_xaxes(title_text="query row")
    fig.update_layout(height=300, **_LAYOUT)
    return fig


def convergence(trace: AttentionTrace, step: int, final_rows: np.ndarray) -> go.Figure:
    """For the current query block: max |O_partial − O_final| after each of its tiles so far."""
    cur = trace.steps[step]
    same = [s for s in trace.steps[: step + 1] if s.q_block == cur.q_block]
    err = [float(np.abs(s.o.double().numpy() - final_rows).max()) for s in same]
    fig = go.Figure(go.Scatter(x=[s.k_block for s in same], y=err, mode="lines+markers", line_color="#2563eb"))
    fig.update_layout(title="output rows converging", xaxis_title="key block processed",
                      yaxis=dict(title="max |O_partial − O_final|", type="log"), height=300, **_LAYOUT)
    return fig


def sweep_figure(rows: list[dict], key: str, title: str, unit: str) -> go.Figure:
    """A log-log plot of `key` ("time_s" or "peak_mib") against N for each method in bench rows."""
    fig = go.Figure()
    methods = [m for m in METHOD_COLORS if rows and m in rows[0]]
    for m in methods:
        pts = [(r["n"], r[m][key]) for r in rows if r[m][key] > 0]
        fig.add_trace(go.Scatter(x=[p[0] for p in pts], y=[p[1] for p in pts], name=m, mode="lines+markers",
                                 line_color=METHOD_COLORS[m]))
    fig.update_layout(title=title, xaxis=dict(title="N (sequence length)", type="log"),
                      yaxis=dict(title=unit, type="log"), height=360, **_LAYOUT)
    return fig


def io_figure(ns: list[int], d: int, sram_kib: int, causal: bool) -> go.Figure:
    """Modelled HBM traffic of standard vs tiled attention against N, for an SRAM of `sram_kib` KiB."""
    std = [standard_io(n, n, d, causal=causal).hbm_bytes / 2**20 for n in ns]
    til = [tiled_io(n, n, d, sram_kib * 1024, causal=causal).hbm_bytes / 2**20 for n in ns]
    fig = go.Figure([go.Scatter(x=ns, y=std, name="standard Θ(Nd + N²)", line_color=METHOD_COLORS["naive"]),
                     go.Scatter(x=ns, y=til, name="tiled Θ(N²d²/M)", line_color=METHOD_COLORS["tiled"])])
    fig.update_layout(title=f"HBM traffic per head (model), SRAM = {sram_kib} KiB", height=360,
                      xaxis=dict(title="N", type="log"), yaxis=dict(title="MiB moved", type="log"), **_LAYOUT)
    return fig
