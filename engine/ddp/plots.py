"""Plotly figures for the DDP page (no streamlit): the ring replay, the gradient gaps, the bucket timeline, the
measured all-reduce times with their α–β fits, and step times with and without no_sync."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import partial

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from engine.ddp.allreduce import AllReduceResult
from engine.ddp.buckets import Timeline
from engine.ddp.cost import AlphaBeta
from engine.ddp.equivalence import Equivalence
from engine.ddp.nccltests import NcclRun
from engine.plotting import label, log_axis, range_bars

LABELS = {"rank": "rank {r}", "chunk": "chunk {c}", "state": "step", "start": "inputs", "whose": "whose values",
          "grad_gap": "max |g_ddp − g_single|", "step": "training step", "rounding": "rounding level",
          "bound": "bound: {k}× rounding level", "ms": "ms from backward's start", "backward": "backward compute",
          "returned": "backward() returned", "bucket": "bucket {i} · {mb} MB", "bytes": "buffer (bytes)",
          "time": "time per all-reduce (ms)", "fit": "α–β fit", "held": "held out", "median": "median round",
          "params": "parameters", "step_ms": "ms per optimizer step", "m.ring": "our ring", "m.gloo": "gloo all_reduce",
          "m.naive_ring": "naive ring", "m.parameter_server": "parameter server", "mode.every_step": "sync every step",
          "mode.no_sync": "no_sync, one sync", "allreduces": "{n} all-reduces", "time_us": "time per call (µs)",
          "busbw": "busbw (GB/s)", "yours.out_of_place": "yours, out-of-place", "yours.in_place": "yours, in-place",
          "yours.fit": "your fit: α {a} µs, busbw {b} GB/s", "ours": "{m} here, N = {n}"}
COLORS = {"ring": "#2563eb", "gloo": "#16a34a", "naive_ring": "#f97316", "parameter_server": "#a855f7",
          "every_step": "#f97316", "no_sync": "#2563eb"}
_lab = partial(label, LABELS)
_MARGIN = dict(l=10, r=10, t=30, b=40)


def _positions(n: int) -> list[tuple[float, float]]:
    """Ranks clockwise round a circle, rank 0 at the top."""
    return [(math.sin(2 * math.pi * r / n), math.cos(2 * math.pi * r / n)) for r in range(n)]


def _arrows(result: AllReduceResult, step: int, labels: Mapping[str, str] | None) -> list[dict]:
    """The transfers of `step` as arrows between rank markers, each with its chunk and bytes written beside the
    arrow's middle, pushed away from the ring's centre so that no label sits on a rank."""
    pos = _positions(result.world_size)
    out = []
    for e in result.events:
        if e.step != step:
            continue
        (x0, y0), (x1, y1) = pos[e.src], pos[e.dst]
        colour = COLORS.get(result.method, "#2563eb")
        out.append(dict(x=x0 + 0.75 * (x1 - x0), y=y0 + 0.75 * (y1 - y0), ax=x0 + 0.25 * (x1 - x0),
                        ay=y0 + 0.25 * (y1 - y0), xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                        arrowhead=3, arrowwidth=2, arrowcolor=colour, text=""))
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        norm = math.hypot(mx, my) or 1.0  # the parameter server's arrows cross the centre: push them sideways
        ox, oy = (mx / norm, my / norm) if math.hypot(mx, my) > 0.2 else (-(y1 - y0), x1 - x0)
        what = _lab(labels, "chunk", c=e.chunk) if e.chunk >= 0 else "S"
        out.append(dict(x=mx + 0.28 * ox, y=my + 0.28 * oy, xref="x", yref="y", showarrow=False,
                        text=f"{what}<br>{e.bytes} B", font=dict(size=11, color=colour)))
    return out


def _grid(result: AllReduceResult, whose: list[list[tuple[int, ...]]]) -> tuple[list[list[int]], list[list[str]]]:
    z = [[len(c) for c in row] for row in whose]
    text = [["+".join(map(str, c)) if c else "?" for c in row] for row in whose]
    return z, text


def ring_figure(result: AllReduceResult, whose: list, state: int = 0,
                labels: Mapping[str, str] | None = None) -> go.Figure:
    """Left: the ranks round the ring and the messages of one step. Right: whose inputs each rank's chunk sums
    (colour: how many ranks). Plotly's own play button and slider replay every logged step; `state` 0 is the
    inputs, state k follows step k−1."""
    n = result.world_size
    pos = _positions(n)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5], horizontal_spacing=0.06)
    fig.add_trace(go.Scatter(x=[p[0] for p in pos], y=[p[1] for p in pos], mode="markers+text",
                             marker=dict(size=52, color="#e0e7ff", line=dict(color="#1e3a8a", width=2)),
                             text=[_lab(labels, "rank", r=r) for r in range(n)], textposition="middle center",
                             hoverinfo="skip", showlegend=False), row=1, col=1)
    z, text = _grid(result, whose[state])
    cols = [_lab(labels, "chunk", c=c) for c in range(len(result.chunk_bounds))]
    rows = [_lab(labels, "rank", r=r) for r in range(n)]
    fig.add_trace(go.Heatmap(z=z, x=cols, y=rows, text=text, texttemplate="%{text}", zmin=1, zmax=n,
                             colorscale="Blues", colorbar=dict(title=_lab(labels, "whose"), len=0.8, dtick=1),
                             hovertemplate="%{y} · %{x}: %{text}<extra></extra>"), row=1, col=2)
    names = [_lab(labels, "start")] + [str(k + 1) for k in range(len(whose) - 1)]
    grids = [_grid(result, w) for w in whose]
    fig.frames = [go.Frame(name=names[s], data=[go.Heatmap(z=grids[s][0], text=grids[s][1])], traces=[1],
                           layout=go.Layout(annotations=_arrows(result, s - 1, labels) if s else []))
                  for s in range(len(whose))]
    fig.update_layout(annotations=_arrows(result, state - 1, labels) if state else [], height=420, margin=_MARGIN,
                      xaxis=dict(visible=False, range=[-1.6, 1.6]),
                      yaxis=dict(visible=False, range=[-1.4, 1.4], scaleanchor="x"),
                      yaxis2=dict(autorange="reversed"),
                      # the slider starts right of the ▶ button: at x=0 its value label ran under the button
                      sliders=[dict(active=state, currentvalue=dict(prefix=_lab(labels, "state") + ": "),
                                    x=0.07, len=0.93, pad=dict(t=30), steps=[dict(method="animate", label=nm,
                                                                args=[[nm], dict(mode="immediate",
                                                                                 frame=dict(duration=0, redraw=True))])
                                                           for nm in names])],
                      updatemenus=[dict(type="buttons", showactive=False, x=0, y=-0.12, xanchor="left",
                                        buttons=[dict(label="▶", method="animate",
                                                      args=[None, dict(frame=dict(duration=900, redraw=True),
                                                                       fromcurrent=True)])])])
    return fig


def gap_figure(eq: Equivalence, labels: Mapping[str, str] | None = None) -> go.Figure:
    """Per step, the largest gradient gap between DDP and one process on a log axis, against the rounding
    level of the dtype (ε·max|g|) and the bound the check uses, a multiple of it (an exact 0 is drawn at the axis
    floor)."""
    steps = list(range(1, eq.steps + 1))
    floor = min([v for v in eq.rounding if v > 0] or [1e-18]) / 100
    bad = not eq.equal
    fig = go.Figure([
        go.Scatter(x=steps, y=[max(d, floor) for d in eq.per_step_grad_diff], mode="lines+markers",
                   name=_lab(labels, "grad_gap"), line_color="#dc2626" if bad else "#16a34a"),
        go.Scatter(x=steps, y=eq.rounding, mode="lines", name=_lab(labels, "rounding"),
                   line=dict(color="#94a3b8", dash="dot")),
        go.Scatter(x=steps, y=eq.bounds, mode="lines", name=_lab(labels, "bound", k=f"{eq.tolerance:g}"),
                   line=dict(color="#f59e0b", dash="dash"))])
    fig.update_layout(xaxis_title=_lab(labels, "step"), yaxis=log_axis(_lab(labels, "grad_gap")), height=320,
                      margin=_MARGIN, legend=dict(orientation="h", y=-0.25))
    return fig


def timeline_figure(tl: Timeline, labels: Mapping[str, str] | None = None) -> go.Figure:
    """A Gantt chart: backward's compute on top, each bucket's all-reduce from launch to completion below it,
    and the moment backward() returned."""
    rows = [_lab(labels, "backward")] + [_lab(labels, "bucket", i=b.index, mb=f"{b.bytes / 2**20:.1f}")
                                         for b in tl.buckets]
    starts = [0.0] + [b.launch_ms for b in tl.buckets]
    ends = [tl.last_grad_ms] + [b.done_ms for b in tl.buckets]
    fig = go.Figure(go.Bar(y=rows, x=[e - s for s, e in zip(starts, ends, strict=True)], base=starts,
                           orientation="h", marker_color=["#94a3b8"] + ["#2563eb"] * len(tl.buckets),
                           hovertemplate="%{y}: %{base:.1f} → %{x:.1f} ms<extra></extra>"))
    fig.add_vline(x=tl.backward_ms, line=dict(color="#dc2626", dash="dash"), annotation_text=_lab(labels, "returned"))
    fig.update_layout(xaxis_title=_lab(labels, "ms"), yaxis=dict(autorange="reversed"),
                      height=120 + 28 * len(rows), margin=_MARGIN, showlegend=False)
    return fig


def times_figure(rows: list[dict], fits: Mapping[str, AlphaBeta], labels: Mapping[str, str] | None = None
                 ) -> go.Figure:
    """Time per all-reduce against buffer size (log–log). A method with a fit is drawn at the time it was fitted
    to (the fastest round: markers with a bar up to the slowest round, the median as a dash), so its dashed α–β
    line runs through the points it was fitted on; the sizes the fit never saw are ringed. A method without a fit
    is drawn at its median, with bars from the fastest to the slowest round."""
    fig = go.Figure()
    for m in dict.fromkeys(r["method"] for r in rows):
        mine = sorted((r for r in rows if r["method"] == m), key=lambda r: r["bytes"])
        x = [r["bytes"] for r in mine]
        ab = fits.get(m)
        lo, hi = [r["lo_ms"] for r in mine], [r["hi_ms"] for r in mine]
        y = [r[ab.column] for r in mine] if ab else [r["median_ms"] for r in mine]
        fig.add_trace(go.Scatter(x=x, y=y, mode="markers", name=_lab(labels, f"m.{m}"), marker_color=COLORS[m],
                                 error_y=range_bars(y, lo, hi)))
        if ab is None:
            continue
        fig.add_trace(go.Scatter(x=x, y=[r["median_ms"] for r in mine], mode="markers", showlegend=False,
                                 name=_lab(labels, "median"), marker=dict(symbol="line-ew-open", size=12,
                                                                         color=COLORS[m])))
        fig.add_trace(go.Scatter(x=x, y=[ab.predict_ms(b) for b in x], mode="lines", showlegend=False,
                                 name=_lab(labels, "fit"), line=dict(color=COLORS[m], dash="dash"), hoverinfo="skip"))
        held = ab.held_out
        fig.add_trace(go.Scatter(x=[h["bytes"] for h in held], y=[h["measured_ms"] for h in held],
                                 mode="markers", showlegend=False, hoverinfo="skip", name=_lab(labels, "held"),
                                 marker=dict(symbol="circle-open", size=14, color=COLORS[m])))
    fig.update_layout(xaxis=log_axis(_lab(labels, "bytes")), yaxis=log_axis(_lab(labels, "time")), height=380,
                      margin=_MARGIN, legend=dict(orientation="h", y=-0.25))
    return fig


def steps_figure(rows: list[dict], labels: Mapping[str, str] | None = None) -> go.Figure:
    """Milliseconds per optimizer step of K micro-batches, synchronising each time against under no_sync, per
    model size, with the bucket all-reduces each made."""
    fig = go.Figure()
    for mode in ("every_step", "no_sync"):
        mine = [r for r in rows if r["mode"] == mode]
        y = [r["median_ms"] for r in mine]
        fig.add_trace(go.Bar(x=[f"{r['parameters'] / 1e6:.2g} M" for r in mine], y=y,
                             name=_lab(labels, f"mode.{mode}"), marker_color=COLORS[mode],
                             text=[_lab(labels, "allreduces", n=r["allreduces"]) for r in mine],
                             error_y=range_bars(y, [r["lo_ms"] for r in mine], [r["hi_ms"] for r in mine])))
    fig.update_layout(barmode="group", xaxis_title=_lab(labels, "params"),
                      yaxis=log_axis(_lab(labels, "step_ms")), height=340, margin=_MARGIN,
                      legend=dict(orientation="h", y=-0.25))
    return fig


def nccl_figure(run: NcclRun, ours: list[dict], world: int, labels: Mapping[str, str] | None = None) -> go.Figure:
    """A visitor's nccl-tests run beside our all-reduces on this machine, on the same axes (log–log): left, time per
    call against the buffer's size with the visitor's α–β fit; right, busbw as nccl-tests defines it
    (size/time × 2(N−1)/N for an all-reduce), ours computed the same way from each size's median."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1)
    for place, symbol in (("out_of_place", "circle"), ("in_place", "diamond-open")):
        pts = [(r.size, m) for r in run.rows if (m := getattr(r, place)) is not None]
        if not pts:
            continue
        name = _lab(labels, f"yours.{place}")
        common = dict(mode="markers", marker=dict(symbol=symbol, color="#dc2626", size=7), legendgroup=place)
        fig.add_trace(go.Scatter(x=[s for s, _ in pts], y=[m.time_us for _, m in pts], name=name, **common),
                      row=1, col=1)
        fig.add_trace(go.Scatter(x=[s for s, _ in pts], y=[m.busbw for _, m in pts], name=name, showlegend=False,
                                 **common), row=1, col=2)
    try:
        alpha, bus = run.fit()
    except ValueError:  # an ArtifactError: fewer than two sizes
        alpha = bus = None
    if alpha is not None and math.isfinite(bus):
        xs = sorted({r.size for r in run.rows if r.size > 0})
        fig.add_trace(go.Scatter(x=xs, y=[alpha + s * run.factor / (bus * 1e3) for s in xs], mode="lines",
                                 line=dict(color="#dc2626", dash="dash"), hoverinfo="skip",
                                 name=_lab(labels, "yours.fit", a=f"{alpha:.3g}", b=f"{bus:.3g}")), row=1, col=1)
    factor = 2 * (world - 1) / world
    for m in ("ring", "gloo"):
        mine = sorted((r for r in ours if r["method"] == m), key=lambda r: r["bytes"])
        if not mine:
            continue
        x = [r["bytes"] for r in mine]
        name = _lab(labels, "ours", m=_lab(labels, f"m.{m}"), n=world)
        line = dict(mode="lines+markers", line_color=COLORS[m], legendgroup=m)
        fig.add_trace(go.Scatter(x=x, y=[r["median_ms"] * 1e3 for r in mine], name=name, **line), row=1, col=1)
        fig.add_trace(go.Scatter(x=x, y=[r["bytes"] / (r["median_ms"] * 1e6) * factor for r in mine], name=name,
                                 showlegend=False, **line), row=1, col=2)
    fig.update_layout(xaxis=log_axis(_lab(labels, "bytes")), yaxis=log_axis(_lab(labels, "time_us")),
                      xaxis2=log_axis(_lab(labels, "bytes")), yaxis2=log_axis(_lab(labels, "busbw")), height=400,
                      margin=_MARGIN, legend=dict(orientation="h", y=-0.25))
    return fig
