"""The attention page's backward part (issue #34): FlashAttention-2's backward replayed tile by tile on the
step-through's small head, checked against autograd, and what keeping the LSE instead of P saves.

It runs in float64 so that "equal to autograd" can be read to the last digits; the engine computes everything
(engine.attention.backward), this module only draws it.
"""

from __future__ import annotations

import streamlit as st
import torch

from engine.attention import plots as P
from engine.attention import tiled_attention
from engine.attention.backward import check_backward, p_row, saved_bytes, tiled_attention_backward
from ui import page
from ui.cache import shared_result
from ui.i18n import plot_labels, translator
from ui.text.attention import TEXT

T = translator(TEXT)
FORMULAS = (  # one short line each: a phone shows every one whole
    r"D_i = \textstyle\sum_c dO_{ic}\,O_{ic},\quad P_{ij} = e^{S_{ij} - \mathrm{lse}_i}",
    r"dV_j \mathrel{+}= P_{ij}^{\top} dO_i,\quad dP_{ij} = dO_i V_j^{\top}",
    r"dS_{ij} = P_{ij} \circ (dP_{ij} - D_i)",
    r"dQ_i \mathrel{+}= dS_{ij} K_j \cdot \mathrm{scale}",
    r"dK_j \mathrel{+}= dS_{ij}^{\top} Q_i \cdot \mathrm{scale}")


def run_backward(n: int, block: int, d: int, causal: bool) -> dict:
    """Forward with the LSE, the traced backward, and its checks, on one float64 head of N tokens."""
    g = torch.Generator().manual_seed(n + 7)
    q, k, v, dout = (torch.randn(1, n, d, generator=g, dtype=torch.float64) for _ in range(4))
    out, lse = tiled_attention(q, k, v, causal, block_q=block, block_k=block, return_lse=True)
    dq, dk, dv, trace = tiled_attention_backward(q, k, v, out, lse, dout, causal, block, block, return_trace=True)
    s = (q @ k.transpose(-2, -1)) * d ** -0.5
    if causal:
        s = s.masked_fill(torch.ones(n, n, dtype=torch.bool).triu(1), float("-inf"))
    p_full = torch.softmax(s, -1)  # the N×N matrix the backward never builds, here only to check p_row against
    rows = torch.stack([p_row(q, k, lse, i, causal) for i in range(n)], -2)
    return {"trace": trace, "err": check_backward(q, k, v, dout, (dq, dk, dv), causal),
            "p_row_err": float((rows - p_full).abs().max()), "p_bytes": p_full.nbytes, "lse_bytes": lse.nbytes,
            "n": n}


def backward(tn: int, tb: int, d: int, causal: bool, n: int, heads: int, elem_bytes: int) -> None:
    """Part 4b: the backward step-through beside the forward's, its check and the memory it saves."""
    st.subheader(T("bwd"))
    st.markdown(T("bwd.intro"))
    for f in FORMULAS:
        st.latex(f)
    r = shared_result(("backward", tn, tb, d, causal), lambda: run_backward(tn, tb, d, causal))
    # its four charts wait for the switch: with them, the page's default view drew 14 charts, the slowest of all
    # pages in the browser (2.3–3.1 s against the 3 s budget); walkthrough step 6 turns it on
    if st.toggle(T("bwd.show"), key="bwd"):
        _steps(r["trace"])
    err = r["err"]
    st.caption(T("bwd.check", dq=f"{err['dq']:.1e}", dk=f"{err['dk']:.1e}", dv=f"{err['dv']:.1e}",
                 prow=f"{r['p_row_err']:.1e}", n=r["n"]))
    big = saved_bytes(n, n, heads, elem_bytes)
    st.caption(T("bwd.memory", p=f"{r['p_bytes'] / 1024:,.1f}", lse=f"{r['lse_bytes'] / 1024:,.2f}",
                 ratio=f"{r['p_bytes'] / r['lse_bytes']:,.0f}", n=n, heads=heads,
                 p_big=f"{big['p'] / 2**20:,.1f}", lse_big=f"{big['lse'] / 1024:,.1f}"))


def _steps(trace) -> None:
    """The backward's tiles, one step at a time: the grid, P and dS of the tile, and dQ, dK, dV converging."""
    step = page.step_slider(T("bwd.slider"), len(trace.steps) - 1, "btile")
    cur = trace.steps[step]
    pl = plot_labels(TEXT, P.LABELS)
    c = st.columns(3)
    c[0].plotly_chart(P.tile_grid(trace, step, pl), width="stretch", key="bwd_grid")
    c[1].plotly_chart(P.backward_tile(trace, step, "p", pl), width="stretch", key="bwd_p")
    c[2].plotly_chart(P.backward_tile(trace, step, "ds", pl), width="stretch", key="bwd_ds")
    c = st.columns([2, 1])
    c[0].plotly_chart(P.backward_convergence(trace, step, pl), width="stretch", key="bwd_conv")
    last = max(s.q_block for s in trace.steps if s.k_block == cur.k_block)
    c[1].info(T("bwd.step", j=cur.k_block, i=cur.q_block, k0=cur.k_range[0], k1=cur.k_range[1] - 1,
                q0=cur.q_range[0], q1=cur.q_range[1] - 1, rest=last - cur.q_block,
                ds=f"{float(cur.ds.abs().max()):.3g}"))
