"""The DDP page's step-through (part 4): the logged transfers of an all-reduce replayed step by step, either the
seeded buffer of the live section or a real gradient bucket DDP handed to engine.ddp.ring_hook (issue #34)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from engine.ddp import plots as P
from engine.ddp.allreduce import AllReduceResult, contributors
from ui import export, page

REPLAYS = ["buffer", "ddp"]
SHOWN = 12  # values per rank in the table: a bucket holds hundreds


def step_through(T: Callable[..., str], PL: Mapping[str, str], r: AllReduceResult, eq: Callable[[], object]) -> None:
    """Replay `r` (the seeded buffer) or, when chosen, the buckets of DDP's last step in `eq()` (an Equivalence run
    with allreduce="ring"): who sent which chunk, and whose inputs each rank's chunk now sums."""
    st.header(T("replay"))
    src = st.segmented_control(T("replay.source"), REPLAYS, format_func=page.formatter(T, "replay", REPLAYS),
                               key="replay") or "buffer"
    if src == "ddp":
        run = eq()
        if run is None:
            return
        if not run.buckets:
            st.info(T("replay.needs_ring"))
            return
        k = 0
        if len(run.buckets) > 1:
            k = st.select_slider(T("replay.bucket_pick"), list(range(len(run.buckets))), key="ddp_bucket")
        b = run.buckets[k]
        r = b.allreduce
        st.caption(T("replay.bucket", i=b.index, p=b.parameters, e=r.size, b=r.buffer_bytes,
                     eq=T("yes") if r.result_equal_to_gloo else T("no"),
                     same=T("yes") if r.replicas_identical else T("no"), k=min(SHOWN, r.size)))
    whose = contributors(r, rtol=1e-5 if src == "ddp" else 1e-4)
    last = len(whose) - 1
    state = page.step_slider(T("state"), last, key="state")
    export.animate(("ddp", src, r.method, r.world_size, r.size, repr(whose)), last + 1,  # the view's GIF: the ring
                   lambda i: P.ring_figure(r, whose, i, PL))
    st.plotly_chart(P.ring_figure(r, whose, state, PL), width="stretch")
    step = [e for e in r.events if e.step == state - 1]
    if state == 0:
        st.caption(T("state.inputs"))
    else:
        st.caption(T(f"phase.{step[0].phase}", step=state, n=len(step), b=sum(e.bytes for e in step)))
    bufs = r.inputs if state == 0 else r.snapshots[state - 1]
    st.dataframe(pd.DataFrame([[round(float(v), 3 if src == "buffer" else 6) for v in b[:SHOWN]] for b in bufs],
                              index=[T("rank", r=k) for k in range(r.world_size)]), width="stretch")
    page.csv_download(T("csv.events"), [e.__dict__ for e in r.events], f"{r.method}_transfers.csv")
