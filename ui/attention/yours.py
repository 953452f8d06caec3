"""The attention page's "yours" view (issue #33): a model's own config.json, read by engine.attention.hfconfig, then
its K/V cache and one layer's attention at the visitor's N on a chosen GPU, through the page's formulas.

Nothing is computed unless the view is open; the URL holds the view and its settings, never the file.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.attention import plots as P
from engine.attention.gpus import GPUS
from engine.attention.hfconfig import AttentionShape, example, examples, from_hf_config
from ui import page
from ui.artifacts import bring, read_or_explain, source_caption
from ui.i18n import plot_labels, say, translator
from ui.text.attention import TEXT

T = translator(TEXT)
TOKENS = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072]


def _gib(b: float) -> str:
    return f"{b / 2**30:,.2f}"


def _mib(b: float) -> str:
    return f"{b / 2**20:,.1f}"


def _ms(s: float) -> str:
    return f"{s * 1e3:,.3f}"


def yours() -> None:
    """Part 8: the visitor's config.json (or a bundled example), shown only when the toggle is on."""
    st.header(T("yours"))
    if not st.toggle(T("yours.toggle"), key="yours"):
        st.caption(T("yours.off"))
        return
    names = examples()
    ex = st.segmented_control(T("yours.example"), names, key="yex") or names[-1]
    brought = bring("attention.config", example(ex), ex, ["json"])
    source_caption(brought)
    shape = read_or_explain(T, from_hf_config, brought)
    if shape is None:
        return
    c = st.columns(3)
    tokens = c[0].select_slider(T("yours.tokens"), TOKENS, key="ytok")
    batch = c[1].number_input(T("yours.batch"), 1, 256, key="ybatch")
    gpu = GPUS[c[2].selectbox(T("yours.gpu"), list(GPUS), key="ygpu")]
    _shape_table(shape)
    for m in shape.problems:
        st.warning(T("yours.problem", msg=say(m)))
    page.notes(shape.notes)
    if not shape.problems:
        st.success(T("yours.consistent"))
    kv, mha = shape.kv_cache_bytes(tokens, batch), shape.as_mha().kv_cache_bytes(tokens, batch)
    st.markdown(T("yours.kv", kind=shape.kind, tokens=f"{tokens:,}", batch=batch, kv=_gib(kv),
                  per_token=f"{shape.kv_cache_bytes(1) / 1024:,.0f}", mha=_gib(mha), saved=f"{mha / kv:,.0f}"))
    cost = shape.cost(tokens, gpu)
    rows = [(T("yours.row.memory"), _mib(cost.naive_bytes), _mib(cost.tiled_bytes)),
            (T("yours.row.hbm"), _mib(cost.standard.hbm_bytes), _mib(cost.tiled.hbm_bytes)),
            (T("yours.row.hbm_time"), _ms(cost.hbm_seconds(cost.standard)), _ms(cost.hbm_seconds(cost.tiled))),
            (T("yours.row.keep"), _mib(cost.keep_p_bytes), _mib(cost.lse_bytes))]
    st.dataframe(pd.DataFrame(rows, columns=[T("yours.col.what"), T("method.naive"), T("method.tiled")]),
                 hide_index=True, width="stretch")
    intensity = cost.flops / cost.tiled.hbm_bytes
    st.caption(T("yours.cost", n=f"{tokens:,}", gflop=f"{cost.flops / 1e9:,.1f}", compute=_ms(cost.compute_seconds),
                 gpu=gpu.name, sram=gpu.sram_kib, block=cost.tiled.block, bw=f"{gpu.hbm_gbps:,.0f}",
                 tflops=f"{gpu.tflops:,.0f}", intensity=f"{intensity:,.0f}", ridge=f"{gpu.ridge:,.0f}",
                 bound=T("yours.bound.compute" if intensity > gpu.ridge else "yours.bound.memory"),
                 layers=shape.layers, total=_ms(shape.layers * max(cost.compute_seconds,
                                                                   cost.hbm_seconds(cost.tiled)))))
    st.plotly_chart(P.io_figure([t for t in TOKENS if t <= max(tokens, 4096)], shape.head_dim, gpu.sram_kib, True,
                                plot_labels(TEXT, P.LABELS)), width="stretch")


def _shape_table(shape: AttentionShape) -> None:
    """What was read, and from which key."""
    values = {"layers": shape.layers, "heads": shape.heads, "kv_heads": shape.kv_heads, "head_dim": shape.head_dim,
              "dtype": shape.dtype}
    st.dataframe(pd.DataFrame({T("yours.col.field"): [T(f"yours.field.{k}") for k in values],
                               T("yours.col.value"): [str(v) for v in values.values()],
                               T("yours.col.key"): [shape.sources[k] for k in values]}),
                 hide_index=True, width="stretch")
