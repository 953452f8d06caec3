"""The numerics page's gradients view: the live gradient histogram with the chosen format's zones, a loss-scale
slider and sweep, and the weight updates each format loses. Every number drawn was returned by
engine.numerics.gradients."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from engine.numerics import plots as P
from engine.numerics.gradients import GradientCapture, loss_fractions, lost_update_fraction
from ui import page
from ui.i18n import translator
from ui.numerics.blocks import _pl, capture
from ui.numerics.formats import ELEMENTS
from ui.state import choice, int_in, publish
from ui.text.numerics import TEXT

T = translator(TEXT)
PARAMS = [("layer", "activation", str), ("gfmt", "fp16", choice(ELEMENTS)), ("scale", 0, int_in(0, 40))]


def view() -> None:
    """The live gradient histogram with the chosen format's zones and a loss-scale slider."""
    cap: GradientCapture = capture()
    pl = _pl()
    n_params = sum(v.size for v in cap.weights.values())
    st.markdown(T("grad.intro", params=f"{n_params:,}", steps=cap.step))
    layer_names = ["activation", "weight"] + [g.name for g in cap.layers]
    if st.session_state.get("layer") not in layer_names:
        st.session_state["layer"] = "activation"
    c1, c2, c3 = st.columns([2, 1, 2])
    labels = {"activation": T("grad.all_act"), "weight": T("grad.all_weight")}
    labels |= {g.name: f"{g.name} ({T(f'kind.{g.kind}')})" for g in cap.layers}
    layer = c1.selectbox(T("grad.layer"), layer_names, key="layer", format_func=labels.__getitem__)
    fmt = c2.selectbox(T("grad.format"), ELEMENTS, key="gfmt")
    log2_scale = c3.slider(T("grad.scale"), 0, 40, key="scale")
    values = cap.values(kind=layer) if layer in ("activation", "weight") else cap.values(name=layer)
    fr = loss_fractions(values, fmt, 2.0**log2_scale)
    cols = st.columns(4)
    for col, key in zip(cols, ["overflow", "underflow", "subnormal", "normal"], strict=True):
        col.metric(T(f"grad.{key}"), f"{getattr(fr, key):.4%}")
    st.caption(T("grad.count", count=f"{fr.count:,}", zeros=f"{fr.exact_zeros:,}", loss=cap.loss))
    st.plotly_chart(P.gradient_histogram(values, fmt, 2.0**log2_scale, labels=pl), width="stretch")
    st.subheader(T("grad.sweep"))
    sweep = np.arange(0, 41, 2)
    fractions = [loss_fractions(values, fmt, 2.0**s) for s in sweep]
    st.plotly_chart(P.fractions_by_scale(values, fmt, sweep, fractions, labels=pl), width="stretch")
    page.csv_download(T("grad.csv"), [{"log2_scale": s, **f.__dict__} for s, f in zip(sweep, fractions, strict=True)],
                      "lost_fractions.csv")
    st.subheader(T("grad.update"))
    st.markdown(T("grad.update_body"))
    lr = st.select_slider(T("grad.lr"), [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1], value=1e-2, key="lr")
    w = np.concatenate([cap.weights[g.name] for g in cap.layers if g.kind == "weight"])
    g = cap.values(kind="weight")
    st.dataframe(pd.DataFrame({T("col.format"): ELEMENTS, T("grad.lost_updates"):
                               [f"{lost_update_fraction(w, -lr * g, n):.2%}" for n in ELEMENTS]}), hide_index=True)
    publish("layer", "gfmt", "scale")
