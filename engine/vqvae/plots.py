"""Plotly figures for the VQ-VAE page: pure functions of engine results (no streamlit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import numpy as np
import plotly.colors as pcolors
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from engine.plotting import label
from engine.vqvae.quantizer_demo import FsqDemo, RotationDemo
from engine.vqvae.toy import ToyTrace, voronoi
from engine.vqvae.train import CodebookStats, History
from engine.vqvae.usage import Usage

LABELS = {  # English defaults; pages pass their translations ("plot.<key>" in the page's table)
    "original": "original", "reconstruction": "reconstruction", "code": "code", "uses": "grid cells using it",
    "step": "step", "perplexity": "perplexity (per batch)", "codes_used": "codes used (per batch)",
    "loss": "loss", "reconstruction_loss": "reconstruction", "codebook_loss": "codebook", "commitment_loss":
    "commitment", "grad_e": "∂L/∂z_e (to the encoder)", "grad_q": "∂L/∂z_q (from the decoder)", "cell": "grid cell",
    "dim": "code dimension", "points": "points", "codes": "codes", "dead": "dead codes", "bound": "bound: {n} codes",
    "image": "decoded",
    "share": "share of the codes", "yours": "yours", "rank": "codes, most used first (rank / K)",
    "by_code": "yours, by code", "by_rank": "beside the three rules",
    "bounded": "bounded, before rounding", "grid": "FSQ codes (size: uses)", "unused": "unused codes",
    "z_e": "z_e (encoder)", "z_q": "z_q (code)", "g": "∂L/∂z_q (decoder)", "straight": "to z_e: straight-through",
    "rotated": "to z_e: rotation trick", "gap": "‖z_q − z_e‖ (batch mean)",
    "epoch": "epoch", "bits": "bits per code", "fit_bits": "training (dropout on)", "val_bits": "validation",
    "kept": "kept: epoch {n}", "unigram_bits": "code frequencies",
    "k": "codebook size K", "all_k": "all K codes", "heldout_mse": "held-out MSE",
}
RULE_COLORS = {"loss": "#ef4444", "ema": "#f59e0b", "ema_restart": "#16a34a", "rotation": "#7c3aed",
               "fsq": "#0891b2"}
_lab = partial(label, LABELS)
_GREYS = [[0, "#ffffff"], [1, "#0f172a"]]


def digits(originals: np.ndarray, recons: np.ndarray, titles: Sequence[str],
           labels: Mapping[str, str] | None = None) -> go.Figure:
    """Originals above their reconstructions, one column per digit (pixels in [0, 1])."""
    n = len(originals)
    fig = make_subplots(rows=2, cols=n, subplot_titles=list(titles) + [""] * n, horizontal_spacing=0.01,
                        vertical_spacing=0.04, row_titles=[_lab(labels, "original"), _lab(labels, "reconstruction")])
    for j in range(n):
        for i, img in enumerate((originals[j], recons[j]), start=1):
            fig.add_trace(go.Heatmap(z=np.clip(img.reshape(8, 8), 0, 1), zmin=0, zmax=1, colorscale=_GREYS,
                                     showscale=False, hovertemplate="%{z:.2f}<extra></extra>"), row=i, col=j + 1)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(height=260, margin=dict(l=10, r=30, t=30, b=10))
    return fig


def image(img: np.ndarray, labels: Mapping[str, str] | None = None) -> go.Figure:
    """One 8×8 image (pixels in [0, 1])."""
    fig = go.Figure(go.Heatmap(z=np.clip(np.asarray(img).reshape(8, 8), 0, 1), zmin=0, zmax=1, colorscale=_GREYS,
                               showscale=False, hovertemplate="%{z:.2f}<extra></extra>", name=_lab(labels, "image")))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(height=220, margin=dict(l=10, r=10, t=10, b=10))
    return fig


def code_grid(indices: np.ndarray, selected: int | None = None, labels: Mapping[str, str] | None = None
              ) -> go.Figure:
    """One image's grid of code indices as labelled squares, point i being cell (i // w, i % w); a scatter, not a
    heatmap, because Streamlit reports clicks on scatter points only (streamlit/streamlit#8760)."""
    z = np.asarray(indices)
    h, w = z.shape
    rows, cols = np.divmod(np.arange(h * w), w)
    hit = [selected is not None and v == selected for v in z.ravel()]
    fig = go.Figure(go.Scatter(
        x=cols, y=rows, mode="markers+text", text=z.ravel().astype(str), textfont=dict(color="#0f172a", size=14),
        marker=dict(symbol="square", size=44, color=["#fecaca" if h_ else "#e0f2fe" for h_ in hit],
                    line=dict(color=["#ef4444" if h_ else "#94a3b8" for h_ in hit], width=2)),
        # a click selects a point, and plotly would fade the others: keep every cell as drawn
        selected=dict(marker=dict(opacity=1)), unselected=dict(marker=dict(opacity=1), textfont=dict(color="#0f172a")),
        hovertemplate=_lab(labels, "code") + " %{text}<extra></extra>"))
    fig.update_xaxes(visible=False, range=[-0.6, w - 0.4])
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", range=[h - 0.4, -0.6])
    fig.update_layout(height=240, margin=dict(l=10, r=10, t=10, b=10), showlegend=False, dragmode=False)
    return fig


def usage(stats: Mapping[str, CodebookStats], labels: Mapping[str, str] | None = None) -> go.Figure:
    """Each rule's code-usage histogram on the held-out digits, one above the other (collapse made visible)."""
    fig = make_subplots(rows=len(stats), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=[f"{u}: {s.codes_used}/{len(s.usage)}" for u, s in stats.items()])
    for i, (u, s) in enumerate(stats.items(), start=1):
        fig.add_trace(go.Bar(x=list(range(len(s.usage))), y=s.usage, marker_color=RULE_COLORS.get(u), name=u,
                             showlegend=False), row=i, col=1)
        fig.update_yaxes(title_text=_lab(labels, "uses"), row=i, col=1)
    fig.update_xaxes(title_text=_lab(labels, "code"), row=len(stats), col=1)
    fig.update_layout(height=170 * len(stats) + 60, margin=dict(l=10, r=10, t=30, b=40), bargap=0.1)
    return fig


def curves(histories: Mapping[str, History], key: str, labels: Mapping[str, str] | None = None) -> go.Figure:
    """A per-step quantity ("perplexity" or "codes_used") for every rule, with the batch bound drawn."""
    fig = go.Figure()
    for u, h in histories.items():
        y = np.asarray(getattr(h, key), dtype=float)
        fig.add_trace(go.Scatter(y=y, mode="lines", name=u, line_color=RULE_COLORS.get(u)))
    k = next(iter(histories.values())) if histories else None
    if k is not None and key == "perplexity":
        bound = min(k.batch_tokens, max(max(h.codes_used) for h in histories.values()))
        fig.add_hline(y=bound, line_dash="dot", annotation_text=_lab(labels, "bound", n=bound))
    fig.update_layout(xaxis_title=_lab(labels, "step"), yaxis_title=_lab(labels, key), height=320,
                      margin=dict(l=10, r=10, t=30, b=40))
    return fig


def loss_terms(h: History, labels: Mapping[str, str] | None = None) -> go.Figure:
    """The three loss terms of one run, per step (log scale)."""
    fig = go.Figure([go.Scatter(y=getattr(h, k), mode="lines", name=_lab(labels, f"{k}_loss"))
                     for k in ("reconstruction", "codebook", "commitment") if any(getattr(h, k))])
    fig.update_layout(xaxis_title=_lab(labels, "step"), yaxis_title=_lab(labels, "loss"), yaxis_type="log",
                      height=320, margin=dict(l=10, r=10, t=30, b=40))
    return fig


def gradients(grad_e: np.ndarray, grad_q: np.ndarray, labels: Mapping[str, str] | None = None) -> go.Figure:
    """The two gradients side by side as heatmaps (rows: grid cells, columns: code dimensions)."""
    lim = float(np.abs(grad_e).max()) or 1.0
    fig = make_subplots(rows=1, cols=2, subplot_titles=[_lab(labels, "grad_e"), _lab(labels, "grad_q")],
                        horizontal_spacing=0.08)
    for j, g in enumerate((grad_e, grad_q), start=1):
        fig.add_trace(go.Heatmap(z=g, zmid=0, zmin=-lim, zmax=lim, colorscale="RdBu", showscale=j == 2,
                                 hovertemplate="%{z:.3e}<extra></extra>"), row=1, col=j)
        fig.update_xaxes(title_text=_lab(labels, "dim"), row=1, col=j)
    fig.update_yaxes(title_text=_lab(labels, "cell"), autorange="reversed", row=1, col=1)
    fig.update_yaxes(autorange="reversed", row=1, col=2)
    fig.update_layout(height=360, margin=dict(l=10, r=10, t=40, b=40))
    return fig


def _cell_colours(k: int) -> list[list]:
    """A stepped colour scale giving each of k codes its own pastel colour (for z in 0..k−1)."""
    pal = pcolors.qualitative.Pastel + pcolors.qualitative.Set3
    return [c for i in range(k) for c in ([i / k, pal[i % len(pal)]], [(i + 1) / k, pal[i % len(pal)]])]


def toy(trace: ToyTrace, step: int, labels: Mapping[str, str] | None = None) -> go.Figure:
    """The plane at one step: Voronoi cells of the codebook, the points, the codes, dead codes marked."""
    s = trace.steps[step]
    pts, book = trace.points.numpy(), s.codebook.numpy()
    lo = float(min(pts.min(), book.min())) - 0.5
    hi = float(max(pts.max(), book.max())) + 0.5
    axis, cells = voronoi(s.codebook, lo, hi)
    k = len(book)
    scale = _cell_colours(k)
    fig = go.Figure(go.Heatmap(x=axis.numpy(), y=axis.numpy(), z=cells.numpy(), colorscale=scale, zmin=-0.5,
                               zmax=k - 0.5, showscale=False, hoverinfo="skip", opacity=0.6))
    fig.add_trace(go.Scatter(x=pts[:, 0], y=pts[:, 1], mode="markers", name=_lab(labels, "points"),
                             marker=dict(size=5, color=s.assign.numpy(), colorscale=scale, cmin=-0.5, cmax=k - 0.5,
                                         line=dict(width=0.5, color="#334155"))))
    live = [i for i in range(len(book)) if i not in s.dead]
    fig.add_trace(go.Scatter(x=book[live, 0], y=book[live, 1], mode="markers+text", text=[str(i) for i in live],
                             textposition="top center", name=_lab(labels, "codes"),
                             marker=dict(symbol="x", size=13, color="#0f172a")))
    if s.dead:
        fig.add_trace(go.Scatter(x=book[s.dead, 0], y=book[s.dead, 1], mode="markers+text", name=_lab(labels, "dead"),
                                 text=[str(i) for i in s.dead], textposition="bottom center",
                                 marker=dict(symbol="x-open", size=13, color="#ef4444")))
    fig.update_layout(height=460, margin=dict(l=10, r=10, t=30, b=10), xaxis=dict(range=[lo, hi]),
                      yaxis=dict(range=[lo, hi], scaleanchor="x"), legend=dict(orientation="h"))
    return fig


def usage_beside(yours: Usage, stats: Mapping[str, CodebookStats], labels: Mapping[str, str] | None = None
                 ) -> go.Figure:
    """The visitor's usage histogram (share of the codes per code) and, beside it, every codebook's codes sorted
    by use against rank / K: the visitor's and the three rules', comparable whatever each K is."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.1,
                        subplot_titles=[_lab(labels, "by_code"), _lab(labels, "by_rank")])
    share = yours.counts / max(yours.tokens, 1)
    fig.add_trace(go.Bar(x=np.arange(yours.codebook_size), y=share, marker_color="#2563eb",
                         name=_lab(labels, "yours"), showlegend=False), row=1, col=1)
    curves = {_lab(labels, "yours"): (np.asarray(yours.counts, dtype=float), "#2563eb")}
    curves |= {u: (np.asarray(s.usage, dtype=float), RULE_COLORS.get(u)) for u, s in stats.items()}
    for name, (counts, colour) in curves.items():
        ranked = np.sort(counts)[::-1] / max(counts.sum(), 1)
        fig.add_trace(go.Scatter(x=(np.arange(len(ranked)) + 1) / len(ranked), y=ranked, mode="lines",
                                 line=dict(color=colour, shape="hv"), name=name), row=1, col=2)
    fig.update_xaxes(title_text=_lab(labels, "code"), row=1, col=1)
    fig.update_xaxes(title_text=_lab(labels, "rank"), range=[0, 1], row=1, col=2)
    fig.update_yaxes(title_text=_lab(labels, "share"), row=1, col=1)
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=40, b=40), bargap=0.1, legend=dict(orientation="h"))
    return fig


def fsq_plane(demo: FsqDemo, labels: Mapping[str, str] | None = None) -> go.Figure:
    """FSQ in the plane: each point's bounded value before rounding, and the grid of codes it rounds to, each
    drawn as large as its use (unused codes as open crosses)."""
    counts = demo.usage.counts
    used = counts > 0
    fig = go.Figure(go.Scatter(x=demo.bounded[:, 0], y=demo.bounded[:, 1], mode="markers",
                               marker=dict(size=4, color="#94a3b8"), name=_lab(labels, "bounded")))
    book = demo.codebook
    fig.add_trace(go.Scatter(x=book[used, 0], y=book[used, 1], mode="markers", name=_lab(labels, "grid"),
                             marker=dict(size=6 + 30 * np.sqrt(counts[used] / max(counts.max(), 1)), color="#2563eb",
                                         opacity=0.7),
                             text=[f"#{k}: {c}" for k, c in zip(np.flatnonzero(used), counts[used], strict=True)],
                             hovertemplate="%{text}<extra></extra>"))
    if (~used).any():
        fig.add_trace(go.Scatter(x=book[~used, 0], y=book[~used, 1], mode="markers", name=_lab(labels, "unused"),
                                 marker=dict(symbol="x-open", size=9, color="#ef4444")))
    fig.update_layout(height=420, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h"),
                      xaxis=dict(range=[-1.15, 1.15]), yaxis=dict(range=[-1.15, 1.15], scaleanchor="x"))
    return fig


def rotation_plane(demo: RotationDemo, labels: Mapping[str, str] | None = None) -> go.Figure:
    """z_e and z_q from the origin; at z_q the decoder's gradient; at z_e what each estimator hands the encoder."""
    arrows = [((0, 0), demo.z_e, "#334155", "z_e"), ((0, 0), demo.z_q, "#2563eb", "z_q"),
              (demo.z_q, demo.z_q + demo.g, "#16a34a", "g"),
              (demo.z_e, demo.z_e + demo.straight, "#f59e0b", "straight"),
              (demo.z_e, demo.z_e + demo.rotated, "#dc2626", "rotated")]
    fig = go.Figure()
    for start, end, colour, key in arrows:
        fig.add_trace(go.Scatter(x=[start[0], end[0]], y=[start[1], end[1]], mode="lines", name=_lab(labels, key),
                                 line=dict(color=colour, width=3, dash="dot" if key == "straight" else "solid")))
        fig.add_annotation(x=end[0], y=end[1], ax=start[0], ay=start[1], xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=3, arrowwidth=2, arrowcolor=colour, text="")
    pts = np.array([p for a in arrows for p in (a[0], a[1])], dtype=float)
    lo, hi = float(pts.min()) - 0.3, float(pts.max()) + 0.3
    fig.update_layout(height=420, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h"),
                      xaxis=dict(range=[lo, hi], zeroline=True), yaxis=dict(range=[lo, hi], scaleanchor="x"))
    return fig


def gap_curves(rows: Sequence[Mapping], every: int, names: Mapping[str, str] | None = None,
               labels: Mapping[str, str] | None = None) -> go.Figure:
    """Each rule's straight-through gap ‖z_q − z_e‖ over training: the mean over seeds of the per-`every`-steps
    curves in `rows` (dicts with rule, seed, gap), the seeds' lowest and highest as a band."""
    fig = go.Figure()
    for rule in dict.fromkeys(r["rule"] for r in rows):
        curves = np.array([r["gap"] for r in rows if r["rule"] == rule], dtype=float)  # (seeds, points)
        x = np.arange(curves.shape[1]) * every
        colour = RULE_COLORS.get(rule, "#334155")
        name = (names or {}).get(rule, rule)
        if len(curves) > 1:
            fig.add_trace(go.Scatter(x=np.concatenate([x, x[::-1]]), y=np.concatenate([curves.max(0),
                                     curves.min(0)[::-1]]), fill="toself", fillcolor=colour, opacity=0.15,
                                     line=dict(width=0), hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(x=x, y=curves.mean(0), mode="lines", name=name, line=dict(color=colour)))
    fig.update_layout(xaxis_title=_lab(labels, "step"), yaxis_title=_lab(labels, "gap"), yaxis_type="log",
                      height=340, margin=dict(l=10, r=10, t=30, b=40), legend=dict(orientation="h"))
    return fig


def sample_grid(images: np.ndarray, cols: int = 8, labels: Mapping[str, str] | None = None) -> go.Figure:
    """Generated digits (n, 1, 8, 8) in a grid of `cols` columns, one small image each (pixels in [0, 1])."""
    n = len(images)
    rows = max(1, -(-n // cols))
    fig = make_subplots(rows=rows, cols=cols, horizontal_spacing=0.01, vertical_spacing=0.01)
    for i in range(n):
        fig.add_trace(go.Heatmap(z=np.clip(images[i].reshape(8, 8), 0, 1), zmin=0, zmax=1, colorscale=_GREYS,
                                 showscale=False, name=f"#{i}", hovertemplate="%{z:.2f}<extra></extra>"),
                      row=i // cols + 1, col=i % cols + 1)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(height=90 * rows + 20, margin=dict(l=10, r=10, t=10, b=10))
    return fig


def prior_log(train_bits: Sequence[float], validation_bits: Sequence[float], best_epoch: int, unigram_bits: float,
              labels: Mapping[str, str] | None = None) -> go.Figure:
    """The prior's training log: bits per code per epoch, training and validation, the epoch kept, and the
    code-frequency baseline as a line."""
    epochs = list(range(1, len(train_bits) + 1))
    fig = go.Figure([go.Scatter(x=epochs, y=list(train_bits), mode="lines", name=_lab(labels, "fit_bits")),
                     go.Scatter(x=epochs, y=list(validation_bits), mode="lines", name=_lab(labels, "val_bits"))])
    fig.add_vline(x=best_epoch, line_dash="dot", annotation_text=_lab(labels, "kept", n=best_epoch))
    fig.add_hline(y=unigram_bits, line_dash="dash", line_color="#94a3b8", annotation_text=_lab(labels, "unigram_bits"))
    fig.update_layout(xaxis_title=_lab(labels, "epoch"), yaxis_title=_lab(labels, "bits"), height=300,
                      margin=dict(l=10, r=10, t=30, b=40))
    return fig


def k_sweep(rows: Sequence[Mapping], names: Mapping[str, str] | None = None,
            labels: Mapping[str, str] | None = None) -> go.Figure:
    """The K sweep: codes used on the held-out digits against K (with the line where every code is used), and the
    held-out reconstruction MSE against K, one line per rule (`names`: each rule's label)."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                        subplot_titles=[_lab(labels, "codes_used"), _lab(labels, "heldout_mse")])
    ks = sorted({r["k"] for r in rows})
    fig.add_trace(go.Scatter(x=ks, y=ks, mode="lines", line_dash="dot", line_color="#94a3b8",
                             name=_lab(labels, "all_k")), row=1, col=1)
    for u in dict.fromkeys(r["rule"] for r in rows):
        mine = sorted((r for r in rows if r["rule"] == u), key=lambda r: r["k"])
        name = (names or {}).get(u, u)
        for col, key in ((1, "codes_used"), (2, "mse")):
            fig.add_trace(go.Scatter(x=[r["k"] for r in mine], y=[r[key] for r in mine], mode="lines+markers",
                                     name=name, legendgroup=u, showlegend=col == 1,
                                     line_color=RULE_COLORS.get(u)), row=1, col=col)
    fig.update_xaxes(type="log", tickvals=ks, title_text=_lab(labels, "k"))
    fig.update_yaxes(type="log", row=1, col=1)
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=40, b=40))
    return fig
