"""The autograd page's second order (issue #34): the Hessian of the visitor's program, by a backward through the
backward (create_graph=True), checked live against torch.autograd.functional.hessian."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.autograd import plots as P
from engine.autograd import to_dot
from engine.autograd.second import MAX_HESSIAN, gradient_graph, hessian_of, max_difference, torch_hessian
from ui import page
from ui.i18n import plot_labels
from ui.text.autograd import TEXT


def section(T, run) -> None:
    """The Hessian of `run`'s output over its requires-grad inputs, with the check beside it."""
    st.header(T("hess"))
    st.markdown(T("hess.intro"))
    # two short lines, not one long one: a phone shows each whole
    st.latex(r"H_{ij} = \frac{\partial}{\partial \theta_j}\Big(\frac{\partial\,\mathrm{out}}{\partial \theta_i}\Big)")
    st.latex(r"g = \mathrm{grad}(\mathrm{out}, \theta,\ \mathrm{create\_graph})")
    n = sum(run.inputs[k].numel() for k in run.requires_grad if k in run.inputs)
    if n > MAX_HESSIAN:
        st.caption(T("hess.too_big", n=n, limit=MAX_HESSIAN))
        return
    h = hessian_of(run)
    if not h.inputs:
        st.caption(T("ours.none"))
        return
    ref = torch_hessian(run)
    diff = max_difference(h.matrix, ref)
    (st.success if diff <= 1e-10 else st.warning)(T("hess.check", n=len(h.labels), diff=f"{diff:.1e}",
                                                    asym=f"{h.asymmetry:.1e}", dtype=run.dtype))
    c = st.columns(3)
    c[0].metric(T("hess.size"), f"{len(h.labels)}×{len(h.labels)}")
    c[1].metric(T("hess.nodes"), h.second_graph_nodes)
    c[2].metric(T("hess.nonzero"), int((h.matrix != 0).sum()))
    if h.summed:
        st.caption(T("hess.summed", name=run.expr.output))
    st.caption(T("hess.order", order=", ".join(h.inputs)))
    st.plotly_chart(P.hessian_figure(h.matrix, h.labels, plot_labels(TEXT, P.LABELS)), width="stretch")
    if h.second_graph_nodes == 0:
        st.info(T("hess.constant"))
    else:
        with st.expander(T("hess.graph", n=h.second_graph_nodes), key="hess_graph"):
            st.caption(T("hess.graph.caption"))
            st.graphviz_chart(to_dot(gradient_graph(run), {"saved": T("dot.saved"), "grad": T("dot.grad")}),
                              width="content")
    rows = [{"row": a, "column": b, "hessian": float(h.matrix[i, j]), "torch_functional": float(ref[i, j])}
            for i, a in enumerate(h.labels) for j, b in enumerate(h.labels)]
    with st.expander(T("hess.table"), key="hess_table"):
        st.dataframe(pd.DataFrame(h.matrix.tolist(), index=h.labels, columns=h.labels), width="stretch")
    page.csv_download(T("hess.csv"), rows, "hessian.csv")
