"""The attention page's IO model: the HBM↔SRAM traffic it predicts for a GPU's SRAM per block."""

import streamlit as st

from engine.attention import plots as P
from engine.attention.iomodel import block_for_sram
from ui.attention.settings import Settings
from ui.i18n import plot_labels, translator
from ui.text.attention import TEXT

T = translator(TEXT)


def io_model(s: Settings) -> None:
    """What the HBM↔SRAM traffic model predicts for a GPU with the chosen SRAM per block."""
    pl = plot_labels(TEXT, P.LABELS)  # in the language of this run, not of the first import
    st.subheader(T("io"))
    sram = st.select_slider(T("io.sram"), [16, 32, 64, 100, 128, 192, 228, 256, 512, 1024], key="sram")
    st.plotly_chart(P.io_figure([256 * 2**i for i in range(8)], s.d, sram, s.causal, pl), width="stretch")
    st.caption(T("io.caption", block=block_for_sram(sram * 1024, s.d)))
