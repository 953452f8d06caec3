"""The attention page's step-through (part 4): one small head tile by tile, with the real running maxima."""

import streamlit as st
import torch

from engine.attention import plots as P
from engine.attention import tiled_attention
from ui import export, page
from ui.attention.settings import DTYPES, Settings
from ui.cache import shared_result
from ui.i18n import plot_labels, translator
from ui.text.attention import TEXT

T = translator(TEXT)


def step_through(s: Settings) -> None:
    """Part 4: one small head tile by tile, with the real running maxima, sums and output rows."""
    pl = plot_labels(TEXT, P.LABELS)  # in the language of this run, not of the first import
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
    export.animate(("attention", tn, tb, d, s.causal, s.dtype), len(trace.steps),  # the view's GIF: the tile grid
                   lambda i: P.tile_grid(trace, i, pl))
    cur = trace.steps[step]
    c = st.columns(3)
    c[0].plotly_chart(P.tile_grid(trace, step, pl), width="stretch")
    c[1].plotly_chart(P.tile_heatmap(trace, step, "s", pl), width="stretch")
    c[2].plotly_chart(P.tile_heatmap(trace, step, "p", pl), width="stretch")
    c = st.columns(2)
    c[0].plotly_chart(P.running_stats(trace, step, pl), width="stretch")
    final = out[0, cur.q_range[0]:cur.q_range[1]].double().numpy()
    c[1].plotly_chart(P.convergence(trace, step, final, pl), width="stretch")
    seen = torch.isfinite(cur.m_old)
    if seen.any():  # show the row whose maximum rose most: its rescale factor is furthest below 1
        r = int(torch.where(seen, cur.m_new - cur.m_old, torch.tensor(-1.0, dtype=cur.m_new.dtype)).argmax())
        st.info(T("step.row", row=cur.q_range[0] + r, m_old=_num(cur.m_old[r]), m_new=_num(cur.m_new[r]),
                  alpha=_num(cur.rescale[r]), l=_num(cur.l[r])))
    else:
        st.info(T("step.first", row=cur.q_range[0], m_new=_num(cur.m_new[0]), l=_num(cur.l[0])))


def _num(x) -> str:
    return f"{float(x):.4g}"
