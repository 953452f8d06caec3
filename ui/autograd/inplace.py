"""The autograd page when backward refuses the visitor's own program (issue #34): an in-place change to a tensor
backward saved, caught by autograd's version counter; PyTorch's message, what it means, and every version."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.autograd import explain_torch, graph_of, to_dot
from engine.autograd.lab import backward_refusal
from ui.i18n import say


def refused(T, run) -> bool:
    """Say so and return True when backward refuses `run` (the sections that run backward are then skipped)."""
    r = backward_refusal(run)
    if r is None:
        return False
    st.header(T("inplace"))
    st.warning(T("inplace.refused"))
    st.graphviz_chart(to_dot(graph_of(run), {"saved": T("dot.saved"), "grad": T("dot.grad")}), width="content")
    st.info(say(explain_torch(r.message)))
    st.caption(T("torch_said"))
    st.code(r.message, language=None)
    st.dataframe(pd.DataFrame([{T("inplace.col.name"): n, T("inplace.col.version"): v}
                               for n, v in r.versions.items()]), hide_index=True, width="stretch")
    st.caption(T("inplace.fix"))
    return True
