"""The modules page's per-sample gradients (issue #34): vmap(grad(functional_call)) beside a loop of one backward
per example, computed and timed in the background (torch.func's first vmap costs seconds to set up)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.modules import plots as P
from engine.modules.persample import CLASSES, FEATURES, HIDDEN, per_sample_demo, per_sample_timing
from ui import jobs, page
from ui.i18n import plot_labels
from ui.text.modules import TEXT

SIZES = [8, 32, 128]  # batch sizes a visitor can pick
ROUNDS = 5


def _work(n: int, tick) -> dict:
    r = per_sample_demo(n)
    tick(1, "vmap = loop")
    t = per_sample_timing(n, ROUNDS, progress=lambda done, calls: tick(1 + done / calls, f"{done}/{calls}"))
    return {"r": r, "t": t}


def section(T, n: int) -> None:
    """Per-sample gradients of the page's classifier on a batch of `n`, against the loop, and timed."""
    st.header(T("ps"))
    st.markdown(T("ps.intro", features=FEATURES, hidden=HIDDEN, classes=CLASSES))
    # two short lines, not one long one: a phone shows each whole
    st.latex(r"g_i = \nabla_\theta\, \ell\big(f(\theta, x_i), y_i\big)")
    st.latex(r"g = \mathrm{vmap}\big(\mathrm{grad}(\ell \circ f)\big)(\theta, x, y)")
    st.select_slider(T("ps.n"), SIZES, key="psn")
    out = jobs.background(("modules-persample", n), lambda tick: _work(n, tick), total=2, auto=True,
                          slot="modules-persample")
    if out is None:
        return
    r, t = out["r"], out["t"]
    vm, lp = t["vmap"], t["loop"]
    c = st.columns(4)
    c[0].metric(T("ps.diff"), f"{r.max_diff:.1e}")
    c[1].metric(T("ps.mean"), f"{r.mean_vs_batch:.1e}")
    c[2].metric(T("ps.vmap_ms"), f"{vm.median_s * 1e3:.2f}")
    c[3].metric(T("ps.loop_ms"), f"{lp.median_s * 1e3:.2f}")
    (st.success if r.max_diff <= 1e-12 else st.warning)(T("ps.verdict", n=r.n, numbers=r.numbers,
                                                         diff=f"{r.max_diff:.1e}", mean=f"{r.mean_vs_batch:.1e}"))
    st.caption(T("ps.timing", n=r.n, vmap=f"{vm.median_s * 1e3:.2f}", loop=f"{lp.median_s * 1e3:.2f}",
                 ratio=f"{lp.median_s / vm.median_s:.1f}", lo=f"{lp.lo_s / vm.hi_s:.1f}",
                 hi=f"{lp.hi_s / vm.lo_s:.1f}", rounds=vm.rounds))
    if vm.busy or lp.busy:
        st.caption(T("overhead.busy"))
    st.plotly_chart(P.persample_figure(r.norms, r.losses, plot_labels(TEXT, P.LABELS)), width="stretch")
    top = max(range(r.n), key=r.norms.__getitem__)
    st.caption(T("ps.top", i=top, norm=f"{r.norms[top]:.3g}", loss=f"{r.losses[top]:.3g}",
                 median=f"{sorted(r.norms)[r.n // 2]:.3g}"))
    st.dataframe(pd.DataFrame([{T("ps.col.param"): k, T("ps.col.shape"): "×".join(map(str, v))}
                               for k, v in r.shapes.items()]), hide_index=True, width="stretch")
    page.csv_download(T("ps.csv"), [{"example": i, "grad_norm": g, "loss": lo}
                                    for i, (g, lo) in enumerate(zip(r.norms, r.losses, strict=True))],
                      "per_sample_gradients.csv")
