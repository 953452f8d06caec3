"""The autograd page's step-through (part 4): backward node by node, replayed from the hooks' record."""

import pandas as pd
import streamlit as st

from engine.autograd import backward_trace, to_dot
from engine.autograd import plots as P
from ui import export, page
from ui.i18n import plot_labels, translator
from ui.text.autograd import TEXT

T = translator(TEXT)


def step_through(run, g):
    """Part 4: backward node by node, replayed from the hooks' record: the node that fired, the gradient it
    received and what it sent along each edge."""
    st.header(T("backward"))
    trace = backward_trace(run)
    if not trace.fired:
        return trace
    k = page.step_slider(T("node"), len(trace.fired), key="node")
    labels = plot_labels(TEXT, P.LABELS)
    # the view's GIF: backward in firing order, drawn with plotly (the DOT graph above has no static renderer here)
    export.animate(("autograd", tuple(n.made_by or n.name for n in g.nodes), tuple(f.name for f in trace.fired)),
                   len(trace.fired) + 1, lambda i: P.backward_figure(g, trace, i, labels))
    fired = trace.fired[:k]
    grads = {f.node: f.grad_in for f in fired}
    grads |= {n.id: trace.leaf_grads[n.name] for n in g.nodes if n.kind == "leaf" and n.name in trace.leaf_grads
              and any(f.name == "AccumulateGrad" and (n.id, f.node) in g.edges for f in fired)}
    st.graphviz_chart(to_dot(g, {"saved": T("dot.saved"), "grad": T("dot.grad")}, {f.node for f in fired},
                             fired[-1].node if fired else None, grads), width="content")
    if fired:
        f = fired[-1]
        st.markdown(T("fired", k=k, n=len(trace.fired), name=f.name, grad=nums(f.grad_in)))
        st.caption(T("fired.sent" if f.sent else "fired.acc"))
        if f.sent:
            st.dataframe(pd.DataFrame([{T("col.to"): g.node(dst).name, T("col.sent"): nums(v)} for dst, v in f.sent]),
                         hide_index=True, width="stretch")
    else:
        st.caption(T("before"))
    rows = [{"node": n.id, "kind": n.kind, "name": n.name, "made_by": n.made_by, "shape": "×".join(map(str, n.shape)),
             "value": nums(n.value), "saved_bytes": sum(s.bytes for s in n.saved),
             "fired": next((f.order for f in trace.fired if f.node == n.id), ""),
             "grad": nums(next((f.grad_in for f in trace.fired if f.node == n.id), ()))} for n in g.nodes]
    page.csv_download(T("csv"), rows, "autograd_nodes.csv")
    return trace


def nums(v) -> str:
    """A vector's numbers as "[1, 2.5]", six significant digits each (the step-through, ours and the lab)."""
    return "[" + ", ".join(f"{x:.6g}" for x in v) + "]"
