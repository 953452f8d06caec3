"""The autograd page's custom torch.autograd.Function (issue #34): the class as written, the language's softplus(x)
running it, and what was checked now: against F.softplus, gradcheck, and a wrong backward that gradcheck catches."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.autograd.custom import check_custom
from ui.cache import shared_result


def section(T) -> None:
    """The custom Function and its checks (cached: they never change)."""
    st.header(T("custom"))
    st.markdown(T("custom.intro"))
    c = shared_result(("autograd-custom",), check_custom)
    st.code(c.source, language="python")
    yes = lambda b: T("yes") if b else T("no")  # noqa: E731 - one expression, used for every cell
    st.dataframe(pd.DataFrame([
        {T("custom.col.what"): T("custom.row.node"), T("custom.col.result"): c.node},
        {T("custom.col.what"): T("custom.row.saved"), T("custom.col.result"): str(c.saved)},
        {T("custom.col.what"): T("custom.row.value", n=c.n), T("custom.col.result"): f"{c.max_diff_value:.1e}"},
        {T("custom.col.what"): T("custom.row.grad", n=c.n), T("custom.col.result"): f"{c.max_diff_grad:.1e}"},
        {T("custom.col.what"): T("custom.row.gradcheck"), T("custom.col.result"): yes(c.gradcheck)},
        {T("custom.col.what"): T("custom.row.wrong"), T("custom.col.result"): yes(c.wrong_gradcheck)},
        {T("custom.col.what"): T("custom.row.wrong_diff", n=c.n), T("custom.col.result"): f"{c.wrong_max_diff:.3g}"},
    ]), hide_index=True, width="stretch")
    ok = c.gradcheck and not c.wrong_gradcheck and c.max_diff_grad <= 1e-12
    (st.success if ok else st.warning)(T("custom.verdict" if ok else "custom.broken", node=c.node,
                                         diff=f"{c.max_diff_grad:.1e}", wrong=f"{c.wrong_max_diff:.3g}"))
