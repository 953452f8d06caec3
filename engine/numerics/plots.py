"""Plotly figures for the numerics page: pure functions of engine results (no streamlit)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import numpy as np
import plotly.graph_objects as go

from engine.numerics.formats import FORMATS, FormatSpec, get_format
from engine.numerics.gradients import LossFractions
from engine.numerics.scaler import ScaleEvent
from engine.numerics.training import RunResult
from engine.plotting import label, log_axis

LABELS = {  # English defaults; pages pass their translations (keys: "plot.<key>" in the page's table)
    "underflow": "underflow", "subnormal": "subnormal", "normal": "normal", "overflow": "overflow",
    "log2_abs": "log2 |x|", "rel_spacing": "log2 (ulp(x) / |x|)", "grad_x": "log2(|g| · {scale})", "count": "count",
    "scale_x": "log2(loss scale)", "fraction_y": "fraction of nonzero gradients", "step": "step",
    "ce_y": "cross-entropy (nats/byte)", "skipped": "{mode} skipped", "scale_trace": "log2(scale)",
    "inf_trace": "inf/NaN: step skipped", "g_scaled": "|g|·scale",
}
ZONE_COLORS = {"underflow": "#94a3b8", "subnormal": "#f59e0b", "normal": "#22c55e", "overflow": "#ef4444"}
MODE_COLORS = {"fp32": "#0f172a", "fp16": "#ef4444", "fp16_scaled": "#2563eb", "bf16": "#16a34a"}


_lab = partial(label, LABELS)  # _lab(labels, key, **fmt): the page's label or the English default


def zones(f: FormatSpec) -> dict[str, tuple[float, float]]:
    """log2 boundaries of each zone: values below min_subnormal/2 round to zero, above max overflow."""
    if not f.has_zero:  # E8M0: below 2^emin a value is clamped up, never lost
        return {"normal": (-np.inf, np.log2(f.max)), "overflow": (np.log2(f.max), np.inf)}
    lo_sub = np.log2(f.min_subnormal) - 1
    return {"underflow": (-np.inf, lo_sub), "subnormal": (lo_sub, f.emin),
            "normal": (f.emin, np.log2(f.max)), "overflow": (np.log2(f.max), np.inf)}


FORMAT_COLUMNS = ("format", "bits", "exponent", "mantissa", "bias", "max", "min normal", "min subnormal", "epsilon",
                  "decimal digits", "inf", "note", "reference")


def format_table() -> list[dict[str, object]]:
    """One row per format (keys FORMAT_COLUMNS): widths, bias, limits, epsilon, decimal digits, the format's
    English note (a page shows its own translation, keyed by the format's name) and what the tests check its
    rounding against (empty: an independent bit-level reference)."""
    return [{"format": f.name, "bits": f.bits, "exponent": f.exp_bits, "mantissa": f.man_bits, "bias": f.bias,
             "max": f.max, "min normal": f.min_normal, "min subnormal": f.min_subnormal, "epsilon": f.eps,
             "decimal digits": round(f.decimal_digits, 2), "inf": f.has_inf, "note": f.note,
             "reference": " · ".join(f.references)}
            for f in FORMATS.values()]


def number_line(names: list[str], lo: float = -160, hi: float = 140, labels: Mapping[str, str] | None = None
                ) -> go.Figure:
    """Horizontal bars on a log2 axis: each format's underflow, subnormal, normal and overflow zones."""
    fig = go.Figure()
    for name in names:
        for zone, (a, b) in zones(get_format(name)).items():
            a, b = max(a, lo), min(b, hi)
            if b <= a:
                continue
            zl = _lab(labels, zone)
            fig.add_trace(go.Bar(y=[name], x=[b - a], base=[a], orientation="h", name=zl,
                                 marker_color=ZONE_COLORS[zone], legendgroup=zone, showlegend=name == names[0],
                                 hovertemplate=f"{name} {zl}: 2^{a:.0f} … 2^{b:.0f}<extra></extra>"))
    fig.update_layout(barmode="overlay", height=60 + 45 * len(names), margin=dict(l=10, r=10, t=30, b=40),
                      xaxis_title=_lab(labels, "log2_abs"), yaxis=dict(autorange="reversed"))
    return fig


def ulp_curves(names: list[str], labels: Mapping[str, str] | None = None) -> go.Figure:
    """Relative spacing ulp(x)/x against |x| (log-log): flat in the normal range, rising among subnormals."""
    fig = go.Figure()
    for name in names:
        f = get_format(name)
        e = np.arange(f.emin - f.man_bits, np.floor(np.log2(f.max)) + 1)
        ulp = 2.0 ** (np.maximum(e, f.emin) - f.man_bits)
        fig.add_trace(go.Scatter(x=e, y=np.log2(ulp) - e, mode="lines", name=name, line_shape="hv"))
    fig.update_layout(xaxis_title=_lab(labels, "log2_abs"), yaxis_title=_lab(labels, "rel_spacing"), height=380,
                      margin=dict(l=10, r=10, t=30, b=40))
    return fig


def gradient_histogram(values: np.ndarray, fmt: str, scale: float, bins: int = 120,
                       labels: Mapping[str, str] | None = None) -> go.Figure:
    """Histogram of log2(|g|·scale) with the format's zones shaded behind it."""
    mag = np.abs(values[values != 0]).astype(np.float64) * scale
    x = np.log2(mag[np.isfinite(mag)])
    f = get_format(fmt)
    lo, hi = min(x.min(initial=0), np.log2(f.min_subnormal) - 4), max(x.max(initial=0), np.log2(f.max) + 4)
    counts, edges = np.histogram(x, bins=bins, range=(lo, hi))
    fig = go.Figure(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=edges[1] - edges[0],
                           marker_color="#1e293b", name=_lab(labels, "g_scaled")))
    for zone, (a, b) in zones(f).items():
        fig.add_vrect(x0=max(a, lo), x1=min(b, hi), fillcolor=ZONE_COLORS[zone], opacity=0.18, line_width=0,
                      annotation_text=_lab(labels, zone), annotation_position="top left")
    fig.update_layout(xaxis_title=_lab(labels, "grad_x", scale=f"{scale:g}"), yaxis_title=_lab(labels, "count"),
                      height=380, bargap=0,
                      margin=dict(l=10, r=10, t=30, b=40), showlegend=False)
    return fig


def fractions_by_scale(values: np.ndarray, fmt: str, log2_scales: np.ndarray,
                       fractions: list[LossFractions], labels: Mapping[str, str] | None = None) -> go.Figure:
    """Overflow / underflow / subnormal fractions as the loss scale sweeps."""
    fig = go.Figure()
    for key in ("underflow", "subnormal", "overflow"):
        fig.add_trace(go.Scatter(x=log2_scales, y=[getattr(fr, key) for fr in fractions], name=_lab(labels, key),
                                 line_color=ZONE_COLORS[key], mode="lines+markers"))
    fig.update_layout(xaxis_title=_lab(labels, "scale_x"), yaxis_title=_lab(labels, "fraction_y"), height=320,
                      yaxis=log_axis(), margin=dict(l=10, r=10, t=30, b=40))
    return fig


def loss_curves(results: dict[str, RunResult], labels: Mapping[str, str] | None = None) -> go.Figure:
    """Training loss per step for each precision mode, skipped steps marked."""
    fig = go.Figure()
    for mode, r in results.items():
        fig.add_trace(go.Scatter(y=r.losses, name=mode, mode="lines", line_color=MODE_COLORS.get(mode)))
        if r.skipped:
            fig.add_trace(go.Scatter(x=r.skipped, y=[r.losses[s] for s in r.skipped], mode="markers",
                                     marker_symbol="x", marker_color=MODE_COLORS.get(mode),
                                     name=_lab(labels, "skipped", mode=mode)))
    fig.update_layout(xaxis_title=_lab(labels, "step"), yaxis_title=_lab(labels, "ce_y"), height=380,
                      margin=dict(l=10, r=10, t=30, b=40))
    return fig


def scale_timeline(history: list[ScaleEvent], labels: Mapping[str, str] | None = None) -> go.Figure:
    """The dynamic loss scale per step (log2), with overflow (skipped) steps marked."""
    steps = [e.step for e in history]
    fig = go.Figure(go.Scatter(x=steps, y=[np.log2(e.scale) for e in history], mode="lines", line_shape="hv",
                               name=_lab(labels, "scale_trace"), line_color="#2563eb"))
    bad = [e for e in history if e.found_inf]
    if bad:
        fig.add_trace(go.Scatter(x=[e.step for e in bad], y=[np.log2(e.scale) for e in bad], mode="markers",
                                 marker=dict(symbol="x", size=10, color="#ef4444"), name=_lab(labels, "inf_trace")))
    fig.update_layout(xaxis_title=_lab(labels, "step"), yaxis_title=_lab(labels, "scale_x"), height=320,
                      margin=dict(l=10, r=10, t=30, b=40))
    return fig
