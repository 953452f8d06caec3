"""Part 2 of the speculative-decoding page: the prompt, the method and its knobs, read into one DecodeSettings."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from engine.specdec import METHODS, DecodeSettings, Models
from engine.specdec.generate import encode
from ui import page
from ui.chrome import device_label

DRAFTERS = ["draft", "draft_text_only"]


def controls(T: Callable[..., str], models: Models) -> DecodeSettings | None:
    """The page's controls (their keys bound to the URL by the page) as one settings value; None (with a message)
    for a prompt it cannot run."""
    max_prompt = models.target.config.context - 16  # bytes: leave the context room to generate
    with page.controls_box(T):
        prompt = st.text_area(T("prompt"), key="prompt", height=80, max_chars=max_prompt)
        method = st.segmented_control(T("method"), list(METHODS), key="method",
                                      format_func=lambda m: T(f"method.{m}")) or "speculative"
        c = st.columns(3)
        gamma = c[0].slider(T("gamma"), 1, 8, key="gamma", disabled=method in ("autoregressive", "medusa"))
        temp = c[1].slider(T("temperature"), 0, 150, key="temp", format="%d%%", help=T("temperature.help")) / 100
        new = c[2].slider(T("new_tokens"), 10, 200, key="new")
        with st.expander(T("advanced"), key="advanced"):
            c = st.columns(4)
            seed = c[0].number_input(T("seed"), 0, 9999, key="seed")
            top_k = c[1].number_input(T("top_k"), 0, 256, key="topk", help=T("top_k.help")) or None
            top_p = c[2].slider(T("top_p"), 1, 100, key="topp", format="%d%%") / 100
            drafter = c[3].segmented_control(T("drafter"), DRAFTERS, key="drafter",
                                             format_func=lambda d: T(f"drafter.{d}")) or "draft"
    st.caption(T("device", device=device_label(), target=f"{models.target.n_params() / 1e6:.1f}",
                 draft=f"{models.draft.n_params() / 1e6:.2f}"))
    if method == "mtp" and gamma > models.mtp.depth:
        st.caption(T("mtp_depth", depth=models.mtp.depth))
    if not prompt.strip():
        st.warning(T("empty_prompt"))
        return None
    if len(encode(prompt)) > max_prompt:
        st.warning(T("long_prompt", n=len(encode(prompt)), limit=max_prompt))
        return None
    return DecodeSettings(prompt, method, new, temp, gamma, int(seed), top_k, None if top_p >= 1 else top_p,
                          drafter=drafter)
