"""The reconstruction view: chosen held-out digits and their reconstructions, each one's code grid (click a
cell to pick its code), and what one code decodes to when it fills the whole grid."""

from __future__ import annotations

import streamlit as st
import torch

from engine.vqvae import load_digits
from engine.vqvae import plots as P
from ui.state import publish
from ui.vqvae.runs import T, labels, none_yet, rule, source

HELD = [str(i) for i in range(48)]  # the first held-out digits offered for display


def view(runs, settings) -> None:
    """Chosen held-out digits and their reconstructions, each one's code grid, and what one code decodes to."""
    if runs is None:
        return none_yet()
    PL = labels()
    picked = rule()
    m, _ = runs[picked]
    source(runs, settings, picked)
    x = load_digits()
    chosen = st.multiselect(T("recon.digits"), HELD, key="digits", format_func=lambda i: T(
        "recon.digit", i=i, label=int(x.labels[x.heldout_idx[int(i)]]))) or HELD[:1]
    publish("digits")
    idx = x.heldout_idx[[int(i) for i in chosen]]
    with torch.no_grad():
        out = m(x.images[idx])
    st.plotly_chart(P.digits(x.images[idx].numpy(), out.recon.numpy(), [f"#{i}" for i in chosen], labels=PL),
                    width="stretch")
    st.caption(T("recon.mse", mse=f"{float(out.reconstruction):.4f}", n=len(chosen)))
    c1, c2 = st.columns(2)
    which = c1.selectbox(T("recon.which"), list(range(len(chosen))), format_func=lambda j: f"#{chosen[j]}")
    grid = out.indices[which].numpy()
    if st.session_state["code"] >= m.codebook_size:
        st.session_state["code"] = int(grid[0, 0])
    event = c1.plotly_chart(P.code_grid(grid, st.session_state["code"], labels=PL), on_select="rerun",
                            selection_mode="points", key=f"grid_{which}")
    points = getattr(getattr(event, "selection", None), "points", None) or []
    clicked = tuple(int(grid.ravel()[p["point_index"]]) for p in points if "point_index" in p)
    if clicked and clicked != st.session_state.get("code_clicked"):  # a new click, not the old selection again
        st.session_state["code"] = clicked[0]
    st.session_state["code_clicked"] = clicked
    code = c2.number_input(T("recon.code"), 0, m.codebook_size - 1, key="code")
    publish("code")
    with torch.no_grad():
        alone = m.decode_indices(torch.full((1, *m.grid), int(code)))
    c2.plotly_chart(P.image(alone[0].numpy(), labels=PL), width="stretch")
    c2.caption(T("recon.alone_caption", code=code, cells=m.grid[0] * m.grid[1]))
