"""The attention page's live result (part 3): every method on this problem now, refusing what would not fit."""

import pandas as pd
import streamlit as st

from engine.attention import count_tiles, run_case
from engine.attention.guard import memory_budget
from engine.attention.memory import start_profiler
from ui import jobs
from ui.attention.settings import DTYPES, LIVE_ROUNDS, Settings
from ui.i18n import translator
from ui.text.attention import TEXT

T = translator(TEXT)
METHODS = ("naive", "tiled", "sdpa", "triton")
LIVE_WAIT_S = 2.5  # the live result is the page's main view: wait this long before showing progress instead


def live(s: Settings) -> None:
    """Part 3: every method on this problem now (time, peak memory, error), refusing what would not fit."""
    st.header(T("live"))
    est, budget = s.estimate(), memory_budget(s.device)
    skip = tuple(m for m in ("naive", "tiled", "sdpa") if not est.fits(m, budget))
    for m in skip:
        st.warning(T("refused", method=T(f"method.{m}"), need=f"{getattr(est, m) / 2**20:,.0f}",
                     budget=f"{budget / 2**20:,.0f}"))
    if len(skip) == 3:
        return
    if s.device.type == "cpu":
        start_profiler()  # once per server process, so the forked job below does not start it again
    # a large N (or fp16, which the CPU emulates) takes minutes: it runs in the background with its progress
    row = jobs.background(("live", s, skip), lambda tick: run_case(
        s.n, s.d, s.heads, DTYPES[s.dtype], s.causal, LIVE_ROUNDS, s.bq, s.bk, s.device, skip,
        lambda share: tick(share, f"N={s.n}")), total=1.0, auto=True, wait_s=LIVE_WAIT_S, slot="attention-live")
    if row is None:
        return
    methods = [m for m in METHODS if m in row]
    st.dataframe(pd.DataFrame({
        T("col.method"): [T(f"method.{m}") for m in methods],
        T("col.time"): [round(row[m]["time_s"] * 1e3, 2) for m in methods],
        T("col.time_range"): [f"{row[m]['time_lo_s'] * 1e3:.2f} – {row[m]['time_hi_s'] * 1e3:.2f}" for m in methods],
        T("col.peak"): [round(row[m]["peak_mib"], 2) for m in methods],
        T("col.max_err"): [f"{row[m]['max_abs_err']:.2e}" for m in methods],
        T("col.rel_err"): [f"{row[m]['rel_err']:.2e}" for m in methods],
    }), hide_index=True, width="stretch")
    computed, skipped = count_tiles(s.n, s.n, s.bq, s.bk, s.causal)
    if any(row[m]["busy"] for m in methods):
        st.warning(T("busy", rounds=LIVE_ROUNDS))
    st.caption(T("tiles", computed=f"{computed:,}", skipped=f"{skipped:,}") + " · "
               + T("flops", gflop=f"{row['flops'] / 1e9:,.2f}") + " · " + T("err_note"))
    if row.get("max_diff"):  # one method alone (the others refused) has nothing to compare with
        pairs = [(*pair.split("_vs_"), d) for pair, d in row.get("max_diff", {}).items()]
        st.caption(T("diff", pairs=" · ".join(f"max |{T(f'method.{a}')} − {T(f'method.{b}')}| = {d:.1e}"
                                              for a, b, d in pairs)))
    if {"naive", "tiled", "sdpa"} <= set(methods):
        peak = {m: row[m]["peak_mib"] for m in ("naive", "tiled", "sdpa")}
        st.caption(T("memory_note", tiled=f"{peak['tiled']:,.2f}", naive=f"{peak['naive']:,.2f}",
                     sdpa=f"{peak['sdpa']:,.2f}", vs_naive=f"{peak['tiled'] / peak['naive']:.2g}",
                     vs_sdpa=f"{peak['tiled'] / peak['sdpa']:.2f}"))
    if s.device.type == "cpu":
        st.caption(T("cpu_times"))
