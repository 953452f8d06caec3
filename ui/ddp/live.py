"""The DDP page's live result (part 3): the chosen all-reduce on every process, beside the other two."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from ui.ddp.settings import TASKS, Settings
from ui.ddp.world import World, cores_note
from ui.i18n import translator
from ui.text.ddp import TEXT

T = translator(TEXT)


def live(s: Settings, w: World):
    """Part 3: the chosen all-reduce on every process, beside the other two, with bytes, exactness and time."""
    st.header(T("live"))
    st.caption(T("where", n=s.n))
    cores_note(s.n, os.cpu_count())
    results = {m: w.run(("allreduce", m, s.size), TASKS[m], size=s.size) for m in TASKS}
    if any(r is None for r in results.values()):
        return None
    r = results[s.method]
    c = st.columns(4)
    c[0].metric(T("sent"), f"{max(r.bytes_sent_per_rank)} B")
    c[1].metric(T("equal"), T("yes") if r.result_equal_to_gloo else T("no"))
    c[2].metric(T("err64"), f"{r.max_abs_err_vs_float64:.1e}")
    c[3].metric(T("same"), T("yes") if r.replicas_identical else T("no"))
    st.caption(T("against", v=f"{r.ideal_bytes_per_rank:g}", g=f"{r.gloo_err_vs_float64:.1e}"))
    table = [{T("col.method"): T(f"m.{m}"), T("col.sent"): " / ".join(map(str, x.bytes_sent_per_rank)),
              T("col.formula"): f"{x.ideal_bytes_per_rank:g}", T("col.messages"): len(x.events),
              T("col.equal"): T("yes") if x.result_equal_to_gloo else T("no"),
              T("col.same"): T("yes") if x.replicas_identical else T("no")}
             for m, x in results.items()]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    st.caption(T("live.note", n=s.n, s=r.buffer_bytes))
    return r
