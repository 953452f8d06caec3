"""Plotly figures for the attention page, drawn from traces and bench rows (no streamlit)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from engine.attention.backward import BackwardTrace
from engine.attention.iomodel import standard_io, tiled_io
from engine.attention.tiled import AttentionTrace
from engine.plotting import label, log_axis, range_bars

LABELS = {  # English defaults; pages pass their translations (keys: "plot.<key>" in the page's table)
    "skipped": "skipped (masked)", "pending": "pending", "done": "done", "current": "current",
    "grid_title": "tile grid", "key_block": "key block j", "query_block": "query block i",
    "s_title": "S = Q_i K_jᵀ · scale", "p_title": "P = exp(S − m_new)", "key_from": "key (from {start})",
    "query_from": "query (from {start})", "m_title": "running max m", "l_title": "running denominator l",
    "m_before": "m before", "m_after": "m after", "query_row": "query row", "conv_title": "output rows converging",
    "conv_x": "key block processed", "conv_y": "max |O_partial − O_final|", "n_axis": "N (sequence length)",
    "io_standard": "standard Θ(Nd + N²)", "io_tiled": "tiled Θ(N²d²/M)",
    "io_title": "HBM traffic per head (model), SRAM = {sram} KiB", "io_y": "MiB moved",
    "tile_axis": "tile size (rows = columns)", "cpu_time_title": "measured here: time of one pass",
    "gpu_io_title": "IO model: what a GPU would move through HBM", "ms": "ms", "mib": "MiB",
    "tiles_hover": "{tiles} tiles",
    "bp_title": "P = exp(S − lse), rebuilt", "ds_title": "dS = P∘(dP − D)", "bconv_title": "dK_j and dV_j converging",
    "bconv_x": "query block processed", "bconv_y": "max |partial − final|",
    **{f"method_{m}": m for m in ("naive", "tiled", "sdpa", "triton")},
}
METHOD_COLORS = {"naive": "#ef4444", "tiled": "#2563eb", "sdpa": "#16a34a", "triton": "#9333ea"}
_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=40))
Labels = Mapping[str, str] | None


_lab = partial(label, LABELS)  # _lab(labels, key, **fmt): the page's label or the English default


def tile_grid(trace: AttentionTrace, step: int, labels: Labels = None) -> go.Figure:
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
    states = np.array([_lab(labels, k) for k in ("skipped", "pending", "done", "current")])[state.astype(int)]
    hover = "Q %{y}, K %{x}: %{customdata}<extra></extra>"
    fig = go.Figure(go.Heatmap(z=state, zmin=0, zmax=3, colorscale=scale, showscale=False, xgap=2, ygap=2,
                               customdata=states, hovertemplate=hover))
    fig.update_layout(title=_lab(labels, "grid_title"), height=320, xaxis_title=_lab(labels, "key_block"),
                      yaxis=dict(title=_lab(labels, "query_block"), autorange="reversed"), **_LAYOUT)
    return fig


def tile_heatmap(trace: AttentionTrace, step: int, which: str, labels: Labels = None) -> go.Figure:
    """The current tile's scores S (`which` = "s") or weights P = exp(S − m_new) ("p"), one figure each so
    that each keeps its own colour bar clear of the other's axis, and so they stack on a phone."""
    s = trace.steps[step]
    if which == "s":
        sv = s.s.double().numpy()
        heat = go.Heatmap(z=np.where(np.isfinite(sv), sv, np.nan), colorscale="RdBu", zmid=0)
    else:
        heat = go.Heatmap(z=s.p.double().numpy(), colorscale="Viridis", zmin=0, zmax=1)
    fig = go.Figure(heat)
    fig.update_layout(title=_lab(labels, f"{which}_title"), height=320,
                      xaxis_title=_lab(labels, "key_from", start=s.k_range[0]),
                      yaxis=dict(title=_lab(labels, "query_from", start=s.q_range[0]), autorange="reversed"),
                      **_LAYOUT)
    return fig


def running_stats(trace: AttentionTrace, step: int, labels: Labels = None) -> go.Figure:
    """Running max m (before/after) and denominator l over the current query block's rows."""
    s = trace.steps[step]
    rows = np.arange(*s.q_range)
    fig = make_subplots(1, 2, subplot_titles=(_lab(labels, "m_title"), _lab(labels, "l_title")))
    fig.add_trace(go.Scatter(x=rows, y=s.m_old.double().numpy(), name=_lab(labels, "m_before"), mode="markers",
                             marker_color="#94a3b8"), 1, 1)
    fig.add_trace(go.Scatter(x=rows, y=s.m_new.double().numpy(), name=_lab(labels, "m_after"), mode="markers",
                             marker_color="#f59e0b"), 1, 1)
    fig.add_trace(go.Scatter(x=rows, y=s.l.double().numpy(), name="l", mode="lines+markers",
                             line_color="#2563eb"), 1, 2)
    fig.update_xaxes(title_text=_lab(labels, "query_row"))
    fig.update_layout(height=300, **_LAYOUT)
    return fig


def convergence(trace: AttentionTrace, step: int, final_rows: np.ndarray, labels: Labels = None) -> go.Figure:
    """For the current query block: max |O_partial − O_final| after each of its tiles so far."""
    cur = trace.steps[step]
    same = [s for s in trace.steps[: step + 1] if s.q_block == cur.q_block]
    err = [float(np.abs(s.o.double().numpy() - final_rows).max()) for s in same]
    fig = go.Figure(go.Scatter(x=[s.k_block for s in same], y=err, mode="lines+markers", line_color="#2563eb"))
    fig.update_layout(title=_lab(labels, "conv_title"), xaxis_title=_lab(labels, "conv_x"),
                      yaxis=log_axis(_lab(labels, "conv_y")), height=300, **_LAYOUT)
    return fig


def sweep_figure(rows: list[dict], key: str, title: str, unit: str, labels: Labels = None) -> go.Figure:
    """A log-log plot of `key` ("time_s" or "peak_mib") against N for each method in bench rows."""
    fig = go.Figure()
    methods = [m for m in METHOD_COLORS if rows and m in rows[0]]
    for m in methods:
        pts = [(r["n"], r[m][key]) for r in rows if r[m][key] > 0]
        fig.add_trace(go.Scatter(x=[p[0] for p in pts], y=[p[1] for p in pts], name=_lab(labels, f"method_{m}"),
                                 mode="lines+markers",
                                 line_color=METHOD_COLORS[m]))
    fig.update_layout(title=title, xaxis=log_axis(_lab(labels, "n_axis")),
                      yaxis=log_axis(unit), height=360, **_LAYOUT)
    return fig


def io_figure(ns: list[int], d: int, sram_kib: int, causal: bool, labels: Labels = None) -> go.Figure:
    """Modelled HBM traffic of standard vs tiled attention against N, for an SRAM of `sram_kib` KiB."""
    std = [standard_io(n, n, d, causal=causal).hbm_bytes / 2**20 for n in ns]
    til = [tiled_io(n, n, d, sram_kib * 1024, causal=causal).hbm_bytes / 2**20 for n in ns]
    fig = go.Figure([go.Scatter(x=ns, y=std, name=_lab(labels, "io_standard"), line_color=METHOD_COLORS["naive"]),
                     go.Scatter(x=ns, y=til, name=_lab(labels, "io_tiled"), line_color=METHOD_COLORS["tiled"])])
    fig.update_layout(title=_lab(labels, "io_title", sram=sram_kib), height=360, xaxis=log_axis("N"),
                      yaxis=log_axis(_lab(labels, "io_y")), **_LAYOUT)
    return fig


def tile_time_figure(rows: list[dict], labels: Labels = None) -> go.Figure:
    """Measured time of the tiled pass against its tile size (median, bars from fastest to slowest round), SDPA
    as a line, and each point's tile count on hover: on a CPU the time tracks the number of Python steps."""
    x = [r["block"] for r in rows]
    ms = [r["time_s"] * 1e3 for r in rows]
    bars = range_bars(ms, [r["time_lo_s"] * 1e3 for r in rows], [r["time_hi_s"] * 1e3 for r in rows])
    tips = [_lab(labels, "tiles_hover", tiles=f"{r['tiles']:,}") for r in rows]
    fig = go.Figure([go.Scatter(x=x, y=ms, error_y=bars, mode="lines+markers", name=_lab(labels, "method_tiled"),
                                line_color=METHOD_COLORS["tiled"], hovertext=tips),
                     go.Scatter(x=x, y=[r["sdpa_time_s"] * 1e3 for r in rows], mode="lines",
                                name=_lab(labels, "method_sdpa"), line=dict(color=METHOD_COLORS["sdpa"], dash="dash"))])
    fig.update_layout(title=_lab(labels, "cpu_time_title"), xaxis=log_axis(_lab(labels, "tile_axis"), dtick=None,
                                                                           tickvals=x),
                      yaxis=log_axis(_lab(labels, "ms")), height=340, legend=dict(orientation="h", y=-0.3),
                      **_LAYOUT)
    return fig


def tile_io_figure(rows: list[dict], labels: Labels = None) -> go.Figure:
    """The IO model's HBM traffic of the tiled pass at each tile size, against the textbook method's."""
    x = [r["block"] for r in rows]
    fig = go.Figure([go.Scatter(x=x, y=[r["hbm_bytes"] / 2**20 for r in rows], mode="lines+markers",
                                name=_lab(labels, "io_tiled"), line_color=METHOD_COLORS["tiled"]),
                     go.Scatter(x=x, y=[r["standard_hbm_bytes"] / 2**20 for r in rows], mode="lines",
                                name=_lab(labels, "io_standard"),
                                line=dict(color=METHOD_COLORS["naive"], dash="dash"))])
    fig.update_layout(title=_lab(labels, "gpu_io_title"), xaxis=log_axis(_lab(labels, "tile_axis"), dtick=None,
                                                                          tickvals=x),
                      yaxis=log_axis(_lab(labels, "mib")), height=340, legend=dict(orientation="h", y=-0.3),
                      **_LAYOUT)
    return fig


def backward_tile(trace: BackwardTrace, step: int, which: str, labels: Labels = None) -> go.Figure:
    """The current backward tile: P rebuilt from the LSE (`which` = "p", in [0, 1]) or dS = P∘(dP − D) ("ds")."""
    s = trace.steps[step]
    if which == "p":
        heat = go.Heatmap(z=s.p.double().numpy(), colorscale="Viridis", zmin=0, zmax=1)
    else:
        heat = go.Heatmap(z=s.ds.double().numpy(), colorscale="RdBu", zmid=0)
    fig = go.Figure(heat)
    fig.update_layout(title=_lab(labels, "bp_title" if which == "p" else "ds_title"), height=320,
                      xaxis_title=_lab(labels, "key_from", start=s.k_range[0]),
                      yaxis=dict(title=_lab(labels, "query_from", start=s.q_range[0]), autorange="reversed"),
                      **_LAYOUT)
    return fig


def backward_convergence(trace: BackwardTrace, step: int, labels: Labels = None) -> go.Figure:
    """For the current key block: max |dK_j − final| and |dV_j − final| after each of its query tiles so far (the
    last tile of the block reaches zero: dK_j and dV_j are done and written once)."""
    cur = trace.steps[step]
    block = [s for s in trace.steps if s.k_block == cur.k_block]
    done = [s for s in trace.steps[: step + 1] if s.k_block == cur.k_block]
    fig = go.Figure()
    for name, color in (("dk", "#2563eb"), ("dv", "#16a34a")):
        final = getattr(block[-1], name).double().numpy()
        err = [float(np.abs(getattr(s, name).double().numpy() - final).max()) for s in done]
        fig.add_trace(go.Scatter(x=[s.q_block for s in done], y=[max(e, 1e-17) for e in err],  # 0 is off a log axis
                                 name=f"d{name[1].upper()}_j", mode="lines+markers", line_color=color))
    fig.update_layout(title=_lab(labels, "bconv_title"), xaxis_title=_lab(labels, "bconv_x"),
                      yaxis=log_axis(_lab(labels, "bconv_y")), height=320, **_LAYOUT)
    return fig
