"""The attention page's measured part (part 5): time and peak memory against N, and time against tile size."""

import pandas as pd
import streamlit as st

from engine import recorded
from engine.attention import plots as P
from engine.attention import sweep, sweep_flops
from engine.attention.compare import DEFAULT_SWEEP, tile_sweep
from engine.attention.guard import memory_budget
from ui import jobs, page
from ui.attention.settings import DTYPES, LIVE_ROUNDS, Settings
from ui.i18n import plot_labels, translator
from ui.text.attention import TEXT

T = translator(TEXT)
TILE_BLOCKS = [16, 32, 64, 128, 256, 512]
MAX_TILES = 4096


def measured(s: Settings) -> None:
    """Part 5: time and peak memory of the methods against N: the run recorded on this machine kind for the
    default problem at once, and a live measurement on request, in the background and shared."""
    pl = plot_labels(TEXT, P.LABELS)  # in the language of this run, not of the first import
    st.header(T("measured"))
    st.markdown(T("measured.intro"))
    cfg = DEFAULT_SWEEP | {"d": s.d, "heads": s.heads, "dtype": s.dtype, "causal": s.causal, "block_q": s.bq,
                           "block_k": s.bk, "device": s.device.type}
    rec = recorded.load("attention", "sweep")
    flops = sweep_flops(cfg["ns"], s.d, s.heads, s.causal)
    unit_s = rec.seconds / sweep_flops(rec.settings["ns"], rec.settings["d"], rec.settings["heads"],
                                       rec.settings["causal"]) if rec else None
    go = st.button(T("measured.run"), type="primary")
    jobs.estimate_caption(unit_s and unit_s * flops)
    budget = memory_budget(s.device)
    rows = jobs.live_or_recorded(("sweep", s), lambda tick: sweep(
        cfg["ns"], s.d, s.heads, DTYPES[s.dtype], s.causal, cfg["rounds"], s.bq, s.bk, s.device, budget, tick),
        total=flops, start_now=go, unit_s=unit_s, rec=rec if rec is not None and rec.settings == cfg else None)
    if rows is None:
        return
    if any("naive" not in r for r in rows):
        st.caption(T("measured.skipped"))
    full = [r for r in rows if "naive" in r]
    c = st.columns(2)
    c[0].plotly_chart(P.sweep_figure(full, "peak_mib", T("measured.memory"), "MiB", pl), width="stretch")
    c[1].plotly_chart(P.sweep_figure(full, "time_s", T("measured.time"), "s", pl), width="stretch")
    page.csv_download(T("measured.csv"), pd.json_normalize(rows), "attention_sweep.csv")
    tiles(s)


def tiles(s: Settings) -> None:
    """Why the tiled pass is slow on this CPU and what it buys on a GPU: measured time against tile size beside
    the IO model's HBM traffic for the same tiles."""
    pl = plot_labels(TEXT, P.LABELS)  # in the language of this run, not of the first import
    st.subheader(T("tiles.title"))
    st.markdown(T("tiles.intro"))
    est, budget = s.estimate(), memory_budget(s.device)
    if not (est.fits("tiled", budget) and est.fits("sdpa", budget)):  # the same guard as the live run
        st.info(T("tiles.refused", budget=f"{budget / 2**20:,.0f}"))
        return
    # tiles sizes whose Python loop would pass 4,096 steps per head are left out: minutes on 2 cores at large N
    blocks = [b for b in TILE_BLOCKS if b <= s.n and (s.n // b) ** 2 <= MAX_TILES]
    rows = jobs.background(("tiles", s), lambda tick: tile_sweep(
        s.n, s.d, s.heads, DTYPES[s.dtype], s.causal, blocks, LIVE_ROUNDS, s.device,
        lambda d, n: tick(d / n, f"{d}/{n}")), total=1.0, auto=True, wait_s=0.0, delay_s=1.0, slot="attention-tiles")
    if rows is None:
        return
    c = st.columns(2)
    c[0].plotly_chart(P.tile_time_figure(rows, pl), width="stretch")
    c[1].plotly_chart(P.tile_io_figure(rows, pl), width="stretch")
    fewest = min(rows, key=lambda r: r["time_s"])
    st.caption(T("tiles.caption", block=fewest["block"], tiles=f"{fewest['tiles']:,}",
                 most=f"{rows[0]['tiles']:,}", small=rows[0]["block"]))
    page.csv_download(T("tiles.csv"), rows, "attention_tiles.csv")
