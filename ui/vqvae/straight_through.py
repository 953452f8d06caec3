"""The straight-through view: the estimator on real tensors, what the encoder and the quantised vectors receive."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import torch

from engine.vqvae import plots as P
from engine.vqvae import straight_through_check
from ui import page
from ui.vqvae.runs import T, labels, none_yet, rule, source


def view(runs, settings, x: torch.Tensor) -> None:
    """The straight-through estimator on the images `x`: what the encoder and the quantised vectors receive."""
    if runs is None:
        return none_yet()
    st.markdown(T("st.intro"))
    picked = rule()
    m, _ = runs[picked]
    source(runs, settings, picked)
    chk = straight_through_check(m, x)
    c = st.columns(4)
    c[0].metric(T("st.identical"), T("yes") if chk.identical else T("no"))
    c[1].metric(T("st.max_diff"), f"{float((chk.grad_z_e - chk.grad_z_q).abs().max()):.1e}")
    c[2].metric(T("st.codebook"), f"{int(torch.count_nonzero(chk.codebook_grad_from_reconstruction))} / "
                f"{chk.codebook_grad_from_reconstruction.numel()}")
    c[3].metric(T("st.commit"), f"{chk.commitment_grad_encoder:.2e}",
                T("st.commit_delta", dec=f"{chk.commitment_grad_decoder:g}", cb=f"{chk.commitment_grad_codebook:g}"),
                delta_color="off")
    cells = m.grid[0] * m.grid[1]
    st.plotly_chart(P.gradients(chk.grad_z_e[:cells].numpy(), chk.grad_z_q[:cells].numpy(), labels=labels()),
                    width="stretch")
    st.caption(T("st.caption", n=len(x), cells=cells))
    page.csv_download(T("st.csv"), pd.DataFrame(chk.grad_z_e.numpy()).assign(
        cell=range(len(chk.grad_z_e)), code=chk.indices.reshape(-1).numpy()), "straight_through_grad.csv")
