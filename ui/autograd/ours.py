"""The autograd page's own engine: our ScalarValue engine on the same program, gradient by gradient against torch's."""

import pandas as pd
import streamlit as st

from engine.autograd import compare_grads
from ui.autograd.step import nums
from ui.i18n import translator
from ui.text.autograd import TEXT

T = translator(TEXT)


def ours(run, trace) -> None:
    """Our ScalarValue engine on the same program and inputs, gradient by gradient against torch's."""
    st.header(T("ours"))
    st.markdown(T("ours.intro"))
    rows = compare_grads(run, trace.leaf_grads)
    if not rows or not trace.leaf_grads:
        st.caption(T("ours.none"))
        return
    table = []
    for r in rows:
        if r.max_abs_diff is None:  # torch left .grad at None: nothing to hold our numbers against
            diff = T("diff.none")
        elif r.mixed_precision:
            diff = T("diff.mixed", diff=f"{r.max_abs_diff:.1e}", dtype=r.torch_dtype)
        else:
            diff = f"{r.max_abs_diff:.1e}"
        table.append({T("col.input"): r.name, T("col.torch", dtype=r.torch_dtype):
                      nums(r.torch[:6]) if r.torch is not None else T("grad.none"),
                      T("col.ours"): nums(r.ours[:6]), T("col.diff"): diff})
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
