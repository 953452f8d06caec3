"""The numerics page's view of two parts of the published FP4 training recipes (issue #35): stochastic rounding
against round-to-nearest (one value drawn many times, and a running sum of small steps), and the random
Hadamard transform spreading an outlier over its block before quantisation. Every number drawn or written here
was returned by engine.numerics.stochastic / hadamard / blockstudy."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st
import torch

from engine.numerics import roundplots as RP
from engine.numerics.blocks import random_hadamard
from engine.numerics.blockstudy import RotationRow, hadamard_study
from engine.numerics.examples.make_weights import weights
from engine.numerics.stochastic import Accumulation, Bias, accumulate, rounding_bias
from ui import page
from ui.cache import shared_result
from ui.i18n import plot_labels
from ui.numerics.blocks import T
from ui.state import choice, int_in, number_in, publish
from ui.text.numerics import TEXT

FORMATS = ["fp4_e2m1", "fp6_e2m3", "fp8_e4m3", "fp8_e5m2", "bf16", "fp16"]
STEPS = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2]
DRAWS = 10_000
TERMS = 1000  # additions in the running sum
RUNS = 8  # stochastic runs of it
HBLOCKS = [16, 32, 64]
ROTATED = ("fp4_tensor", "mxfp4", "nvfp4", "fp8_tensor")
X_MAX = 1000.0
WALK_SUM = ("bf16", 1e-3)  # walkthrough step 16's format and step


def _x(raw: str) -> float:
    """`parse` for the value: a finite number within ±X_MAX."""
    v = float(raw)
    if not (math.isfinite(v) and abs(v) <= X_MAX):
        raise ValueError(raw)
    return v


PARAMS = [("srfmt", "fp4_e2m1", choice(FORMATS)), ("srx", 0.3, _x), ("srstep", 1e-3, number_in(STEPS)),
          ("hblock", 16, number_in(HBLOCKS)), ("hseed", 0, int_in(0, 99))]


def bias_of(fmt: str, x: float) -> Bias:
    """`rounding_bias` of the view (seed 0, DRAWS draws), cached for every visitor."""
    return shared_result(("sr-bias", fmt, x), lambda: rounding_bias(x, fmt, DRAWS, seed=0))


def sum_of(fmt: str, step: float) -> Accumulation:
    """`accumulate` of the view (start 1, TERMS steps, RUNS stochastic runs), cached for every visitor."""
    return shared_result(("sr-sum", fmt, step), lambda: accumulate(fmt, 1.0, step, TERMS, RUNS, seed=0))


def example_weight() -> torch.Tensor:
    """The "yours" view's bundled example weight (64×64, two outlier input columns), float64."""
    return weights()["proj.weight"].double()


def rotation_of(block: int, seed: int) -> list[RotationRow]:
    """`hadamard_study` of the example weight, cached for every visitor."""
    return shared_result(("rht", block, seed), lambda: hadamard_study(example_weight(), ROTATED, "weight", block,
                                                                      seed))


def sum_sentence(acc: Accumulation) -> str:
    """What the running sum shows, worded from it."""
    finals = acc.stochastic_runs[:, -1]
    stall = acc.stalled_at
    nearest = (T("sr.sum.stalled", step=stall, value=f"{acc.nearest[stall]:.6g}") if stall is not None
               else T("sr.sum.moving", value=f"{acc.nearest[-1]:.6g}"))
    return T("sr.sum.sentence", start=f"{acc.exact[0]:g}", n=f"{len(acc.exact) - 1:,}", step=f"{acc.step:g}",
             fmt=acc.fmt, exact=f"{acc.exact[-1]:.6g}",
             nearest=nearest, mean=f"{finals.mean():.6g}", lo=f"{finals.min():.6g}", hi=f"{finals.max():.6g}",
             runs=len(finals))


def rotation_sentence(rows: list[RotationRow]) -> str:
    """Which schemes the rotation helped and which it hurt on the example, with the change in dB."""
    def listed(keep) -> str:
        picked = [f"{r.scheme} ({r.sqnr_plain_db:.2f} → {r.sqnr_rotated_db:.2f} dB)" for r in rows if keep(r)]
        return T("rht.sep").join(picked) or T("lowbit.none")

    r0 = rows[0]
    return T("rht.sentence", peak=f"{r0.amax_over_rms_plain:.1f}", peak_rot=f"{r0.amax_over_rms_rotated:.1f}",
             helped=listed(lambda r: r.sqnr_rotated_db > r.sqnr_plain_db + 0.1),
             hurt=listed(lambda r: r.sqnr_rotated_db < r.sqnr_plain_db - 0.1),
             same=listed(lambda r: abs(r.sqnr_rotated_db - r.sqnr_plain_db) <= 0.1))


def view() -> None:
    """Stochastic against nearest rounding, then the Hadamard rotation on an outlier."""
    labels = plot_labels(TEXT, RP.LABELS)
    st.markdown(T("sr.intro"))
    st.latex(r"P(\text{" + T("sr.up") + r"}) = \frac{x - x_\downarrow}{x_\uparrow - x_\downarrow}"
             r"\quad\Rightarrow\quad \mathbb{E}[\mathrm{SR}(x)] = x")
    c1, c2 = st.columns(2)
    fmt = c1.selectbox(T("sr.format"), FORMATS, key="srfmt")
    x = c2.number_input(T("sr.x"), -X_MAX, X_MAX, step=0.01, format="%g", key="srx")
    publish("srfmt", "srx")
    b = bias_of(fmt, float(x))
    c = st.columns(4)
    c[0].metric(T("sr.neighbours"), f"{b.below:.6g} · {b.above:.6g}")
    c[1].metric(T("sr.nearest"), f"{b.nearest:.6g}", T("sr.bias", bias=f"{b.nearest_bias:+.3g}"), delta_color="off")
    c[2].metric(T("sr.mean", n=f"{b.n:,}"), f"{b.mean:.6g}", T("sr.bias_se", bias=f"{b.stochastic_bias:+.3g}",
                                                                 se=f"{b.std_error:.2g}"), delta_color="off")
    c[3].metric(T("sr.p_up"), f"{b.up_fraction:.2%}", T("sr.p_expected", p=f"{b.p_up:.2%}"), delta_color="off")
    st.plotly_chart(RP.draws(b, labels=labels), width="stretch")
    st.caption(T("sr.draws_caption", n=f"{b.n:,}", fmt=fmt))
    st.subheader(T("sr.sum"))
    step = st.select_slider(T("sr.step"), STEPS, key="srstep", format_func=lambda s: f"{s:g}")
    publish("srstep")
    acc = sum_of(fmt, float(step))
    st.plotly_chart(RP.accumulation(acc, labels=labels), width="stretch")
    st.markdown(sum_sentence(acc))
    page.csv_download(T("sr.csv"), pd.DataFrame({"exact": acc.exact, "nearest": acc.nearest} | {
        f"stochastic_run{i}": r for i, r in enumerate(acc.stochastic_runs)}).rename_axis("step").reset_index(),
        "stochastic_rounding_sum.csv", key="sr_csv")
    hadamard(labels)


def hadamard(labels: dict[str, str]) -> None:
    """One block with an outlier before and after the rotation, then every scheme on the example weight."""
    st.subheader(T("rht.title"))
    st.markdown(T("rht.intro"))
    c1, c2 = st.columns(2)
    block = c1.select_slider(T("rht.block"), HBLOCKS, key="hblock")
    seed = c2.number_input(T("rht.seed"), 0, 99, key="hseed")
    publish("hblock", "hseed")
    w = example_weight()
    row = w[0, :block]
    y, inverse = random_hadamard(row, block, int(seed))
    st.plotly_chart(RP.spread(row.tolist(), y.tolist(), labels=labels), width="stretch")
    st.caption(T("rht.spread_caption", block=block, before=f"{float(row.abs().max()):.4f}",
                 after=f"{float(y.abs().max()):.4f}", norm=f"{float(row.norm()):.4f}", norm_y=f"{float(y.norm()):.4f}",
                 back=f"{float((inverse(y) - row).abs().max()):.1e}"))
    rows = rotation_of(block, int(seed))
    st.plotly_chart(RP.rotation_bars(rows, labels=labels), width="stretch")
    st.dataframe(pd.DataFrame({
        T("col.scheme"): [r.scheme for r in rows], T("rht.col.plain"): [round(r.sqnr_plain_db, 2) for r in rows],
        T("rht.col.rotated"): [round(r.sqnr_rotated_db, 2) for r in rows],
        T("rht.col.flushed_plain"): [r.flushed_plain for r in rows],
        T("rht.col.flushed_rotated"): [r.flushed_rotated for r in rows]}), hide_index=True, width="stretch")
    st.markdown(rotation_sentence(rows))
    st.caption(T("rht.caption"))


def walk_facts(n: int) -> dict[str, str]:
    """The numbers walkthrough step `n` quotes, from the same cached results its preset draws."""
    if n == 16:
        acc = sum_of(*WALK_SUM)
        finals = acc.stochastic_runs[:, -1]
        return {"start": f"{acc.exact[0]:g}", "step": f"{acc.step:g}", "nearest": f"{acc.nearest[-1]:.6g}",
                "mean": f"{finals.mean():.4g}", "exact": f"{acc.exact[-1]:.6g}",
                "n": f"{len(acc.exact) - 1:,}"}
    rows = {r.scheme: r for r in rotation_of(HBLOCKS[0], 0)}
    mx, nv = rows["mxfp4"], rows["nvfp4"]
    return {"block": str(HBLOCKS[0]), "mx": f"{mx.sqnr_plain_db:.2f}", "mx_rot": f"{mx.sqnr_rotated_db:.2f}",
            "nv": f"{nv.sqnr_plain_db:.2f}",
            "nv_rot": f"{nv.sqnr_rotated_db:.2f}", "peak": f"{mx.amax_over_rms_plain:.1f}",
            "peak_rot": f"{mx.amax_over_rms_rotated:.1f}",
            "nv_verdict": T("walk.rht_helps" if nv.sqnr_rotated_db > nv.sqnr_plain_db else "walk.rht_hurts")}
