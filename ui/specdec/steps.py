"""Part 4 of the speculative-decoding page: every draft-and-verify step of the run, and Medusa's tree step by step."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from engine.specdec import Models
from engine.specdec import plots as P
from engine.specdec.stats import Decoded
from ui import export, page


def step_through(T: Callable[..., str], PL: Mapping[str, str], d: Decoded, models: Models) -> None:
    """The step table with q, p, draws and fates of every drafted token; Medusa's tree and mask at a chosen step."""
    g, s = d.generation, d.settings
    if g.trace:  # the steps as the view's GIF: one frame per draft-and-verify step
        export.animate(("specdec-rounds", s), len(g.trace), lambda i: P.rounds_fig(g, i + 1, PL))
    with st.expander(T("steps"), expanded=False, key="steps_box"):
        rows = [{T("col.step"): i, T("col.drafted"): P.text_of(st_.drafted),
                 T("col.q"): " ".join(f"{x:.2f}" for x in st_.q), T("col.p"): " ".join(f"{x:.2f}" for x in st_.p),
                 T("col.u"): " ".join(f"{x:.2f}" for x in st_.uniforms),
                 T("col.fates"): " ".join(PL[f] for f in st_.fates),
                 T("col.emitted"): P.text_of(st_.emitted),
                 T("col.draft_ms"): round(st_.draft_ms, 2), T("col.target_ms"): round(st_.target_ms, 2)}
                for i, st_ in enumerate(g.trace, start=1)]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        page.csv_download(T("steps.csv"), rows, "specdec_steps.csv")
    st.header(T("medusa"))
    st.markdown(T("medusa.intro", heads=models.medusa.n, nodes=len(models.tree)))
    trees = [(i, t.tree) for i, t in enumerate(g.trace, start=1) if t.tree is not None]
    if s.method != "medusa":
        st.info(T("medusa.pick"))
    elif trees:
        # the slider's values are the step numbers themselves, so the caption and the step table agree
        numbers = [i for i, _ in trees]
        if st.session_state.get("mstep") not in numbers:
            st.session_state["mstep"] = numbers[0]
        i = st.select_slider(T("medusa.step"), numbers, key="mstep") if len(numbers) > 1 else numbers[0]
        tree = dict(trees)[i]
        c = st.columns(2)
        c[0].plotly_chart(P.tree_fig(tree, PL), width="stretch")
        c[1].plotly_chart(P.tree_mask_fig(tree, PL), width="stretch")
        st.caption(T("medusa.caption", step=i, accepted=len(tree.accepted),
                     emitted=page.md(P.text_of(g.trace[i - 1].emitted))))
