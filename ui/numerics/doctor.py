"""The numerics page's loss-scale doctor (issue #35), under the loss-scaling view: one fp16 step of the tiny GPT at
a chosen loss scale, the first operation that produced inf or NaN, and the largest scale that would have been
safe. Every number drawn here was returned by engine.numerics.doctor."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import torch

from engine.numerics.doctor import Diagnosis, diagnose_step
from engine.numerics.tinylm import Batches, TinyGPT, TinyGPTConfig, training_text
from ui.cache import shared_result
from ui.numerics.blocks import T
from ui.state import int_in, publish

PARAMS = [("dscale", 30, int_in(0, 60))]
BATCH = 16


def diagnosis(log2_scale: int) -> Diagnosis:
    """The doctor on the tiny GPT's first step (seed 0, fresh weights, first batch) at 2^log2_scale, cached."""
    def run() -> Diagnosis:
        torch.manual_seed(0)
        cfg = TinyGPTConfig()
        model = TinyGPT(cfg)
        x, y = Batches(training_text(), cfg.context, BATCH, 0, torch.device("cpu")).next()
        return diagnose_step(model, x, y, 2.0**log2_scale)

    return shared_result(("loss-doctor", log2_scale), run)


def view() -> None:
    """The scale slider, the verdict and every non-finite event in order."""
    st.subheader(T("doc.title"))
    st.markdown(T("doc.intro"))
    k = st.slider(T("doc.scale"), 0, 60, key="dscale", format="2^%d")
    publish("dscale")
    d = diagnosis(int(k))
    if not d.overflowed:
        st.success(T("doc.clean", scale=f"2^{k}", loss=f"{d.loss:.4f}"))
        return
    f = d.first
    where = T("doc.first", phase=T(f"doc.phase.{f.phase}"), module=f.module, op=f.op, infs=f"{f.infs:,}",
              nans=f"{f.nans:,}")
    fix = (T("doc.fix", safe=f"2^{k - d.halvings}", halvings=d.halvings) if d.fixed_by_smaller_scale
           else T("doc.no_fix"))
    st.warning(T("doc.verdict", scale=f"2^{k}", where=where, fix=fix))
    st.dataframe(pd.DataFrame({
        T("doc.col.order"): list(range(1, len(d.events) + 1)),
        T("doc.col.phase"): [T(f"doc.phase.{e.phase}") for e in d.events],
        T("doc.col.module"): [e.module for e in d.events], T("doc.col.op"): [e.op for e in d.events],
        T("doc.col.infs"): [e.infs for e in d.events], T("doc.col.nans"): [e.nans for e in d.events],
    }), hide_index=True, width="stretch")
    st.caption(T("doc.caption"))
