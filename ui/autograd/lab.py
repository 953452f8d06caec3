"""The autograd page's lab: accumulation, retain_graph, detach, in-place changes and the ways to switch autograd off,
each run now."""

import pandas as pd
import streamlit as st

from engine.autograd import accumulation, detach_demo, explain_torch, inplace_on_saved, modes_table, second_backward
from ui.autograd.live import torch_said
from ui.autograd.step import nums
from ui.cache import shared_result
from ui.i18n import say, translator
from ui.text.autograd import TEXT

T = translator(TEXT)


def lab(run) -> None:
    """Accumulation, retain_graph, detach, in-place changes and the four ways to switch things off, each run."""
    st.header(T("lab"))
    calls = st.slider(T("lab.calls"), 1, 6, key="calls")
    acc = accumulation(run, calls)
    if acc.calls:
        st.markdown(T("lab.acc", leaf=acc.leaf, k=calls, first=nums(acc.grads[0][:4]), last=nums(acc.grads[-1][:4]),
                      err=f"{acc.worst_ratio_error:.1e}", zero=nums(acc.after_zero[:4])))
    twice = second_backward(run)
    if twice.raised:
        st.markdown(T("lab.twice", n=twice.saved_tensors))
        st.info(say(explain_torch(twice.message)))
        torch_said(twice.message)
    else:
        st.markdown(T("lab.twice_ok", n=twice.saved_tensors))
    d = detach_demo()
    st.markdown(T("lab.detach", same=T("yes") if d.same_storage else T("no"), v0=d.version_before, v1=d.version_after,
                  x=nums(d.source_after_edit)))
    ip = inplace_on_saved()
    st.markdown(T("lab.inplace", v0=ip.version_saved, v1=ip.version_now))
    st.info(say(explain_torch(ip.message)))
    torch_said(ip.message)
    rows = shared_result(("autograd-modes",), modes_table)
    yes = lambda b: T("yes") if b else T("no")  # noqa: E731 - one expression, used for every cell
    st.dataframe(pd.DataFrame([{T("col.mode"): T(f"mode.{m.mode}"), T("col.records"): yes(m.requires_grad),
                                T("col.saved"): f"{m.saved_bytes} B", T("col.inference"): yes(m.inference_tensor),
                                T("col.dropout"): yes(m.dropout_active), T("col.later"): yes(m.usable_later)}
                               for m in rows]), hide_index=True, width="stretch")
    st.caption(T("lab.modes"))
