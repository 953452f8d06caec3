"""The DDP page's measurements (part 5): all-reduce time against buffer size with the α–β fit, the bytes on the
wire, and step time with and without no_sync; shipped recordings first, measured again on request."""

from __future__ import annotations

import os

import streamlit as st

from engine import recorded
from engine.ddp import fit, ring_terms, warm_cluster
from engine.ddp import plots as P
from engine.ddp.buckets import WIDTHS
from engine.ddp.measure import measure_steps, measure_sweep, steps_settings, sweep_settings
from ui import jobs, page
from ui.ddp import wire
from ui.ddp.settings import Settings
from ui.ddp.world import cores_note
from ui.i18n import plot_labels, translator
from ui.text.ddp import TEXT

T = translator(TEXT)


def measured(s: Settings) -> None:
    """Part 5: all-reduce time against buffer size for the four methods with the α–β fit, and step time with and
    without no_sync; shipped recordings first, measured again on request, in the background."""
    st.header(T("measured"))
    st.markdown(T("measured.intro"))
    go = st.button(T("measure", n=s.n), key="measure")
    wire.section(T, s.n, go)
    rec = recorded.matching("ddp", [f"allreduce_n{s.n}"], sweep_settings(s.n))
    rows = jobs.live_or_recorded(("ddp-sweep", s.n), lambda tick: measure_sweep(warm_cluster(s.n), _ticks(tick)),
                                 total=7, start_now=go, rec=rec, isolate=False)  # the server's warm world
    labels = plot_labels(TEXT, P.LABELS)
    if rows:
        cores_note(s.n, rec.machine.get("cores") if rec is not None and rows is rec.rows else os.cpu_count())
        fits = {m: fit(rows, m) for m in ("ring", "gloo", "naive_ring", "parameter_server")}
        st.plotly_chart(P.times_figure(rows, fits, labels), width="stretch")
        per_step, per_wire = ring_terms(fits["ring"], s.n)
        st.caption(T("fit", a=f"{per_step:.3f}", b=f"{per_wire:.3f}",
                     err=", ".join(f"{T(f'm.{m}')} {f.worst_held_out:.0%}" for m, f in fits.items())))
        if any(r["busy"] for r in rows):
            st.caption(T("busy"))
        page.csv_download(T("csv.times"), rows, f"allreduce_times_n{s.n}.csv")
    st.subheader(T("steps"))
    steps = jobs.live_or_recorded(("ddp-steps", s.n), lambda tick: measure_steps(warm_cluster(s.n), _ticks(tick)),
                                  total=len(WIDTHS), start_now=go, isolate=False,
                                  rec=recorded.matching("ddp", [f"steps_n{s.n}"], steps_settings(s.n)))
    if steps:
        st.plotly_chart(P.steps_figure(steps, labels), width="stretch")
        page.csv_download(T("csv.steps"), steps, f"no_sync_steps_n{s.n}.csv")


def _ticks(tick):
    return lambda done, total: tick(done, f"{done}/{total}")
