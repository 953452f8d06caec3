"""The autograd page's live result (part 3): the program run now, and the graph PyTorch recorded while running it."""

import streamlit as st

from engine.autograd import ExprError, build, explained, graph_of, parse, parse_inputs
from ui import page
from ui.autograd.settings import Settings
from ui.i18n import translator
from ui.text.autograd import TEXT

T = translator(TEXT)
WINDOW = 40  # characters quoted either side of an error's position: never the whole input


def live(s: Settings):
    """Part 3: run the program now, read PyTorch's graph from grad_fn and next_functions, and draw it."""
    st.header(T("live"))
    try:
        specs = parse_inputs(s.vals)
    except ExprError as e:
        page.error_at(T, "bad_inputs", e, s.vals, window=WINDOW)
        return None
    try:
        run = build(parse(s.src), specs, set(s.grad), s.dtype, s.seed)
    except ExprError as e:
        if e.code == "autograd.missing_input":
            page.error_at(T, "bad_inputs", e, s.vals, window=WINDOW)
        else:  # a torch refusal is told in the page's language, PyTorch's own words quoted below
            page.error_at(T, "bad", explained(e), s.src, window=WINDOW)
            if e.code == "autograd.torch":
                torch_said(e.params["error"])
        return None
    g = graph_of(run)
    page.notes(g.notes)
    c = st.columns(4)
    c[0].metric(T("nodes"), sum(n.kind == "function" for n in g.nodes))
    c[1].metric(T("leaves"), sum(n.kind == "leaf" for n in g.nodes))
    c[2].metric(T("saved"), run.saved_count)
    c[3].metric(T("saved_bytes"), f"{run.saved_bytes} B")
    st.caption(T("output", name=run.expr.output, shape="×".join(map(str, run.output.shape)) or "()",
                 value=", ".join(f"{v:.6g}" for v in run.output.detach().flatten()[:6].tolist())))
    return run, g


def torch_said(message: str) -> None:
    """PyTorch's own message, quoted as it wrote it (in English), under the sentence that says what it means."""
    st.caption(T("torch_said"))
    st.code(message, language=None)
