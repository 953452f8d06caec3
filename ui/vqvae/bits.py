"""The bits view: what a digit costs, raw pixels against a grid of code indices, and each rule's entropy."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from engine.vqvae.ledger import bits_ledger
from engine.vqvae.train import RunSettings
from ui.vqvae.runs import T, source, stats


def view(runs, settings: RunSettings) -> None:
    """What a digit costs: raw pixels against a grid of code indices, and the usage's entropy per rule."""
    st.markdown(T("bits.intro"))
    rows = bits_ledger(settings.grid, settings.codebook_size)
    if runs is not None:
        source(runs, settings)
        rows += [dataclasses.replace(bits_ledger(settings.grid, settings.codebook_size, s.usage)[-1],
                                     what=f"entropy_{u}") for u, s in stats(runs, settings).items()]
    st.dataframe(pd.DataFrame({
        T("bits.col.what"): [T(f"bits.{r.what}") for r in rows], T("bits.col.cells"): [r.cells for r in rows],
        T("bits.col.each"): [round(r.bits_each, 2) for r in rows], T("bits.col.bits"): [round(r.bits, 1) for r in rows],
        T("bits.col.ratio"): [f"{r.ratio:.1f}×" for r in rows],
    }), hide_index=True, width="stretch")
    st.caption(T("bits.caption"))
