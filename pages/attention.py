"""Tiled attention: FlashAttention's online softmax, exact against PyTorch, tile by tile, measured."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st
import torch

from engine import recorded
from engine.attention import count_tiles, run_case, sweep, sweep_flops, tiled_attention
from engine.attention import plots as P
from engine.attention.backward import saved_bytes
from engine.attention.compare import DEFAULT_SWEEP, growth, tile_sweep
from engine.attention.gpus import GPUS
from engine.attention.guard import ELEM, estimate, memory_budget
from engine.attention.hfconfig import example, examples, from_hf_config
from engine.attention.iomodel import block_for_sram
from engine.attention.memory import start_profiler
from ui import jobs, page
from ui.attention_backward import backward
from ui.attention_yours import TOKENS, yours
from ui.cache import shared_result
from ui.chrome import device_label, ensure_navigation
from ui.i18n import plot_labels, translator
from ui.state import bind_all, choice, int_in, number_in, publish, walkthrough
from ui.text.attention import TEXT

ensure_navigation()
T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)
DTYPES = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}
DEVICES = ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]
METHODS = ("naive", "tiled", "sdpa", "triton")
TILE_BLOCKS = [16, 32, 64, 128, 256, 512]
MAX_TILES = 4096
LIVE_ROUNDS = 3  # interleaved rounds per method in the live result (after one untimed call each)
LIVE_WAIT_S = 2.5  # the live result is the page's main view: wait this long before showing progress instead
PRESETS = {1: {}, 2: {"tn": 64, "tb": 16, "causal": False}, 3: {"causal": True},
           4: {"n": 1024, "heads": 4}, 5: {"n": 8192, "heads": 16, "d": 16, "bq": 256, "bk": 256},
           6: {"tn": 64, "tb": 16, "causal": True, "btile": 0},
           7: {"yours": True, "yex": "llama_style_gqa.config.json"}}
WALK_BASE = {"n": 1024, "d": 64, "heads": 4, "bq": 256, "bk": 256, "causal": False, "dtype": "fp32", "tn": 128,
             "tb": 32, "yours": False}  # every step starts from the defaults, the problem the sweep was recorded for
PARAMS = [("n", 1024, int_in(16, 8192)), ("d", 64, int_in(8, 256)), ("heads", 4, int_in(1, 16)),
          ("bq", 256, int_in(8, 512)), ("bk", 256, int_in(8, 512)), ("causal", False, lambda s: s == "True"),
          ("dtype", "fp32", choice(list(DTYPES))), ("dev", DEVICES[-1], choice(DEVICES)),
          ("tn", 128, int_in(16, 256)), ("tb", 32, int_in(8, 64)), ("sram", 100, int_in(16, 1024)),
          ("tile", 0, int_in(0, 4096)), ("btile", 0, int_in(0, 4096)), ("yours", False, lambda s: s == "True"),
          ("yex", examples()[-1], choice(examples())), ("ytok", 8192, number_in(TOKENS)),
          ("ybatch", 1, int_in(1, 256)), ("ygpu", "H100-SXM", choice(list(GPUS)))]
# one short line each, so that no formula is cut off on a phone
FORMULAS = (r"m' = \max(m,\ \mathrm{rowmax}(S_{ij}))", r"l' = e^{m-m'}\,l + \mathrm{rowsum}(e^{S_{ij}-m'})",
            r"O' = e^{m-m'}\,O + e^{S_{ij}-m'}\,V_j,\qquad \mathrm{out} = O/l")


@dataclass(frozen=True)
class Settings:
    """The problem the page runs, bound to the URL."""

    n: int
    d: int
    heads: int
    dtype: str
    bq: int
    bk: int
    causal: bool
    device: torch.device

    def estimate(self, n: int | None = None):
        """What each method would allocate for this problem (at another N if given)."""
        n = n or self.n
        return estimate(n, n, self.d, self.heads, DTYPES[self.dtype], self.bq, self.bk)


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(T, *FORMULAS)
    s = controls()
    live(s)
    step_through(s)
    backward(st.session_state["tn"], st.session_state["tb"], min(s.d, 64), s.causal, s.n, s.heads,
             ELEM[DTYPES[s.dtype]])
    measured(s)
    io_model(s)
    yours()
    st.header(T("walk"))
    walkthrough(walk_text(s), PRESETS, base=WALK_BASE)
    publish(*(p[0] for p in PARAMS))


def _range(lo: float, hi: float) -> str:
    """"1.14–1.57", or one number when both round alike."""
    a, b = f"{lo:.2f}", f"{hi:.2f}"
    return a if a == b else f"{a}–{b}"


def walk_text(s: Settings):
    """The translator, with the walkthrough's numbers filled in from what each step shows: the step-through's tile
    grid (step 3), the recorded sweep (step 4) and the memory guard on this device (step 5)."""
    base = WALK_BASE | PRESETS[5]
    computed, skipped = count_tiles(WALK_BASE["tn"], WALK_BASE["tn"], WALK_BASE["tb"], WALK_BASE["tb"], True)
    est = estimate(base["n"], base["n"], base["d"], base["heads"], DTYPES[base["dtype"]], base["bq"], base["bk"])
    budget = memory_budget(s.device)
    fmt = {"walk.3": {"skipped": skipped, "total": computed + skipped, "computed": computed},
           "walk.5": {"need": f"{est.naive / 2**30:.1f}", "budget": f"{budget / 2**30:.1f}",
                      "device": "GPU" if s.device.type == "cuda" else "CPU"}}
    rec = recorded.load("attention", "sweep")
    g = growth(rec.rows) if rec is not None else {}
    if {"naive", "tiled", "sdpa", "tiled_workspace_mib"} <= set(g):
        fmt["walk.4"] = {"naive": _range(**g["naive"]), "tiled": _range(**g["tiled"]), "sdpa": _range(**g["sdpa"]),
                         "work": _range(**g["tiled_workspace_mib"])}
    six, seven = WALK_BASE | PRESETS[6], PRESETS[7]
    keep = saved_bytes(six["tn"], six["tn"], 1, 8, 8)  # the step-through's one float64 head
    fmt["walk.6"] = {"n": six["tn"], "block": six["tb"], "p": f"{keep['p']:,}", "lse": f"{keep['lse']:,}"}
    shape = from_hf_config(example(seven["yex"]))
    fmt["walk.7"] = {"example": seven["yex"], "kv_heads": shape.kv_heads, "heads": shape.heads,
                     "saved": f"{shape.as_mha().kv_cache_bytes(1) / shape.kv_cache_bytes(1):g}"}
    keys = {"walk.5": "walk.5" if not est.fits("naive", budget) else "walk.5.fits",
            "walk.4": "walk.4" if "walk.4" in fmt else "walk.4.none"}

    def text(key: str, **kw: object) -> str:
        return T(keys.get(key, key), **(fmt.get(key, {}) | kw))

    return text


def controls() -> Settings:
    """The problem size, tiles, mask, dtype and device, bound to the URL."""
    bind_all(PARAMS)
    with st.container(border=True):
        st.subheader(T("controls"))
        c = st.columns(4)
        n = c[0].select_slider(T("n"), [16, 64, 128, 256, 512, 1024, 2048, 4096, 8192], key="n")
        d = c[1].select_slider(T("d"), [8, 16, 32, 64, 128, 256], key="d")
        heads = c[2].slider(T("heads"), 1, 16, key="heads")
        dtype = c[3].segmented_control(T("dtype"), list(DTYPES), key="dtype") or "fp32"
        c = st.columns(4)
        bq = c[0].select_slider(T("block_q"), [8, 16, 32, 64, 128, 256, 512], key="bq")
        bk = c[1].select_slider(T("block_k"), [8, 16, 32, 64, 128, 256, 512], key="bk")
        causal = c[2].toggle(T("causal"), key="causal")
        device = torch.device(c[3].segmented_control(T("device_pick"), DEVICES, key="dev") or "cpu")
    st.caption(T("device", device=device_label(device)))
    return Settings(n, d, heads, dtype, bq, bk, causal, device)


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


def step_through(s: Settings) -> None:
    """Part 4: one small head tile by tile, with the real running maxima, sums and output rows."""
    st.header(T("step"))
    st.markdown(T("step.intro"))
    c = st.columns(2)
    tn = c[0].select_slider(T("step.n"), [16, 32, 64, 128, 256], key="tn")
    tb = c[1].select_slider(T("step.block"), [8, 16, 32, 64], key="tb")
    d = min(s.d, 64)

    def make_trace():
        g = torch.Generator().manual_seed(tn)
        q, k, v = (torch.randn(1, tn, d, generator=g).to(DTYPES[s.dtype]) for _ in range(3))
        return tiled_attention(q, k, v, s.causal, block_q=tb, block_k=tb, return_trace=True)

    out, trace = shared_result(("trace", tn, tb, d, s.causal, s.dtype), make_trace)
    step = page.step_slider(T("step.slider"), len(trace.steps) - 1, "tile")
    cur = trace.steps[step]
    c = st.columns(3)
    c[0].plotly_chart(P.tile_grid(trace, step, PL), width="stretch")
    c[1].plotly_chart(P.tile_heatmap(trace, step, "s", PL), width="stretch")
    c[2].plotly_chart(P.tile_heatmap(trace, step, "p", PL), width="stretch")
    c = st.columns(2)
    c[0].plotly_chart(P.running_stats(trace, step, PL), width="stretch")
    final = out[0, cur.q_range[0]:cur.q_range[1]].double().numpy()
    c[1].plotly_chart(P.convergence(trace, step, final, PL), width="stretch")
    seen = torch.isfinite(cur.m_old)
    if seen.any():  # show the row whose maximum rose most: its rescale factor is furthest below 1
        r = int(torch.where(seen, cur.m_new - cur.m_old, torch.tensor(-1.0, dtype=cur.m_new.dtype)).argmax())
        st.info(T("step.row", row=cur.q_range[0] + r, m_old=_num(cur.m_old[r]), m_new=_num(cur.m_new[r]),
                  alpha=_num(cur.rescale[r]), l=_num(cur.l[r])))
    else:
        st.info(T("step.first", row=cur.q_range[0], m_new=_num(cur.m_new[0]), l=_num(cur.l[0])))


def _num(x) -> str:
    return f"{float(x):.4g}"


def measured(s: Settings) -> None:
    """Part 5: time and peak memory of the methods against N: the run recorded on this machine kind for the
    default problem at once, and a live measurement on request, in the background and shared."""
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
    c[0].plotly_chart(P.sweep_figure(full, "peak_mib", T("measured.memory"), "MiB", PL), width="stretch")
    c[1].plotly_chart(P.sweep_figure(full, "time_s", T("measured.time"), "s", PL), width="stretch")
    page.csv_download(T("measured.csv"), pd.json_normalize(rows), "attention_sweep.csv")
    tiles(s)


def tiles(s: Settings) -> None:
    """Why the tiled pass is slow on this CPU and what it buys on a GPU: measured time against tile size beside
    the IO model's HBM traffic for the same tiles."""
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
    c[0].plotly_chart(P.tile_time_figure(rows, PL), width="stretch")
    c[1].plotly_chart(P.tile_io_figure(rows, PL), width="stretch")
    fewest = min(rows, key=lambda r: r["time_s"])
    st.caption(T("tiles.caption", block=fewest["block"], tiles=f"{fewest['tiles']:,}",
                 most=f"{rows[0]['tiles']:,}", small=rows[0]["block"]))
    page.csv_download(T("tiles.csv"), rows, "attention_tiles.csv")


def io_model(s: Settings) -> None:
    """What the HBM↔SRAM traffic model predicts for a GPU with the chosen SRAM per block."""
    st.subheader(T("io"))
    sram = st.select_slider(T("io.sram"), [16, 32, 64, 100, 128, 192, 228, 256, 512, 1024], key="sram")
    st.plotly_chart(P.io_figure([256 * 2**i for i in range(8)], s.d, sram, s.causal, PL), width="stretch")
    st.caption(T("io.caption", block=block_for_sram(sram * 1024, s.d)))


main()
