"""The autograd page's hooks (issue #34): retain_grad() and a tensor hook on a non-leaf of the visitor's own
program, the gradients with and without the hook side by side."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.autograd.hooks import hook_demo, non_leaves

SCALES = [0.0, 0.5, 2.0, 10.0]


def _nums(v) -> str:
    return "[" + ", ".join(f"{x:.6g}" for x in v[:6]) + (", …" if len(v) > 6 else "") + "]"


def section(T, run) -> None:
    """Pick a non-leaf and a factor; backward runs twice, plain and hooked."""
    st.header(T("hooks"))
    st.markdown(T("hooks.intro"))
    names = non_leaves(run)
    if not names or not run.requires_grad:
        st.caption(T("hooks.none"))
        return
    if st.session_state.get("hook") not in names:
        st.session_state["hook"] = names[0]
    c = st.columns(2)
    name = c[0].selectbox(T("hooks.pick"), names, key="hook")
    scale = c[1].select_slider(T("hooks.scale"), SCALES, key="hscale")
    h = hook_demo(run, name, float(scale))
    st.code(f"{name}.retain_grad()\n{name}.register_hook(lambda g: g * {scale:g})\n"
            f"{run.expr.output}.backward(torch.ones_like({run.expr.output}))", language="python")
    st.markdown(T("hooks.retained", name=name, none=T("yes") if h.without_retain else T("no"),
                  saw=_nums(h.hook_saw), kept=_nums(h.retained), k=f"{scale:g}"))
    st.dataframe(pd.DataFrame([{T("col.input"): n, T("hooks.col.plain"): _nums(h.plain[n]),
                                T("hooks.col.hooked", k=f"{scale:g}"): _nums(h.hooked[n])} for n in h.plain]),
                 hide_index=True, width="stretch")
    st.caption(T("hooks.paths", name=name, k=f"{scale:g}"))
