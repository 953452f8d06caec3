"""Tiled attention: FlashAttention's online softmax, exact against PyTorch, tile by tile, measured."""

import streamlit as st
import torch

from engine import recorded
from engine.attention import count_tiles
from engine.attention.backward import saved_bytes
from engine.attention.compare import growth
from engine.attention.gpus import GPUS
from engine.attention.guard import ELEM, estimate, memory_budget
from engine.attention.hfconfig import example, examples, from_hf_config
from ui import page
from ui.attention.backward import backward
from ui.attention.io import io_model
from ui.attention.live import live
from ui.attention.measured import measured
from ui.attention.settings import DTYPES, Settings
from ui.attention.step import step_through
from ui.attention.yours import TOKENS, yours
from ui.chrome import device_label, ensure_navigation
from ui.i18n import translator
from ui.state import bind_all, choice, int_in, number_in, publish, walkthrough
from ui.text.attention import TEXT

ensure_navigation()
T = translator(TEXT)
DEVICES = ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]
PRESETS = {1: {}, 2: {"tn": 64, "tb": 16, "causal": False}, 3: {"causal": True},
           4: {"n": 1024, "heads": 4}, 5: {"n": 8192, "heads": 16, "d": 16, "bq": 256, "bk": 256},
           6: {"tn": 64, "tb": 16, "causal": True, "bwd": True, "btile": 0},
           7: {"yours": True, "yex": "llama_style_gqa.config.json"}}
WALK_BASE = {"n": 1024, "d": 64, "heads": 4, "bq": 256, "bk": 256, "causal": False, "dtype": "fp32", "tn": 128,
             "tb": 32, "yours": False, "bwd": False}  # every step starts from the defaults, the sweep's problem
PARAMS = [("n", 1024, int_in(16, 8192)), ("d", 64, int_in(8, 256)), ("heads", 4, int_in(1, 16)),
          ("bq", 256, int_in(8, 512)), ("bk", 256, int_in(8, 512)), ("causal", False, lambda s: s == "True"),
          ("dtype", "fp32", choice(list(DTYPES))), ("dev", DEVICES[-1], choice(DEVICES)),
          ("tn", 128, int_in(16, 256)), ("tb", 32, int_in(8, 64)), ("sram", 100, int_in(16, 1024)),
          ("tile", 0, int_in(0, 4096)), ("bwd", False, lambda s: s == "True"), ("btile", 0, int_in(0, 4096)),
          ("yours", False, lambda s: s == "True"),
          ("yex", examples()[-1], choice(examples())), ("ytok", 8192, number_in(TOKENS)),
          ("ybatch", 1, int_in(1, 256)), ("ygpu", "H100-SXM", choice(list(GPUS)))]
# one short line each, so that no formula is cut off on a phone
FORMULAS = (r"m' = \max(m,\ \mathrm{rowmax}(S_{ij}))", r"l' = e^{m-m'}\,l + \mathrm{rowsum}(e^{S_{ij}-m'})",
            r"O' = e^{m-m'}\,O + e^{S_{ij}-m'}\,V_j,\qquad \mathrm{out} = O/l")


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
    with page.controls_box(T):
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


main()
