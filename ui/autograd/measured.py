"""The autograd page's measured part (part 5): our scalar engine against torch on the visitor's program, interleaved."""

import streamlit as st
import torch

from engine.autograd import build, parse, parse_inputs, scalar_grads
from engine.timing import interleaved
from ui.autograd.settings import Settings
from ui.cache import shared_result
from ui.i18n import translator
from ui.text.autograd import TEXT

T = translator(TEXT)


def _build(s: Settings):
    return build(parse(s.src), parse_inputs(s.vals), set(s.grad), s.dtype, s.seed)


def measured(s: Settings, run) -> None:
    """Part 5: our scalar engine against torch on this program, interleaved, beside the input's size."""
    st.header(T("measured"))

    def torch_side() -> None:
        r = _build(s)
        if r.output.grad_fn is not None:
            r.output.backward(torch.ones_like(r.output))

    t = shared_result(("autograd-time", s), lambda: interleaved({"ours": lambda: scalar_grads(_build(s)),
                                                                 "torch": torch_side}, rounds=7))
    c = st.columns(3)
    c[0].metric(T("t.ours"), f"{t['ours'].median_s * 1e3:.2f} ms")
    c[1].metric(T("t.torch"), f"{t['torch'].median_s * 1e3:.2f} ms")
    c[2].metric(T("t.ratio"), f"{t['ours'].median_s / t['torch'].median_s:.2f}×")
    st.caption(T("t.note", lo=f"{t['ours'].lo_s * 1e3:.2f}", hi=f"{t['ours'].hi_s * 1e3:.2f}",
                 tlo=f"{t['torch'].lo_s * 1e3:.2f}", thi=f"{t['torch'].hi_s * 1e3:.2f}",
                 n=sum(x.numel() for x in run.inputs.values())))
