"""The toy view: points, a small codebook and its Voronoi cells in the plane, stepped through an update."""

from __future__ import annotations

import streamlit as st

from engine.vqvae import plots as P
from engine.vqvae.toy import TOY_RULES, toy_run
from ui import export, page
from ui.cache import shared_result
from ui.chrome import device_label
from ui.state import publish
from ui.vqvae.runs import T, labels


def view() -> None:
    """Points, a small codebook and its Voronoi cells in the plane, stepped through a k-means or EMA update."""
    st.markdown(T("toy.intro"))
    c1, c2 = st.columns(2)
    rule = c1.segmented_control(T("toy.rule"), list(TOY_RULES), key="trule",
                                format_func=page.formatter(T, "toy", TOY_RULES)) or "kmeans"
    k = c2.slider(T("toy.k"), 2, 16, key="tk")
    trace = shared_result(("vq-toy", rule, k), lambda: toy_run(rule, steps=40, k=k))
    step = page.step_slider(T("toy.step"), len(trace.steps) - 1, "tstep")
    lb = labels()  # in this run's language: the GIF's frames are drawn outside the page's run
    export.animate(("vq-toy", rule, k), len(trace.steps), lambda i: P.toy(trace, i, labels=lb))  # the view's GIF
    publish("trule", "tk", "tstep")
    s = trace.steps[step]
    c = st.columns(3)
    c[0].metric(T("toy.distortion"), f"{s.distortion:.3f}")
    c[1].metric(T("toy.dead"), len(s.dead))
    c[2].metric(T("toy.restarted"), len(s.restarted))
    st.plotly_chart(P.toy(trace, step, labels=labels()), width="stretch")
    st.caption(T("toy.caption"))
    st.caption(T("source.toy", device=device_label(trace.points.device)))
