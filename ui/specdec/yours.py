"""The speculative-decoding page's "yours" view (issue #33): a vLLM server's /metrics, read by
engine.specdec.vllm, checked, and drawn beside the page's own run counted the way vLLM counts."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from engine.specdec import plots as P
from engine.specdec.stats import vllm_counts
from engine.specdec.vllm import EXAMPLE, SpecMetrics, example_text, read_metrics
from ui.artifacts import bring, read_or_explain, source_caption
from ui.i18n import say


def view(T: Callable[..., str], PL: Mapping[str, str], g, method: str, gamma: int) -> None:
    """Part 8, shown only when switched on: read what the visitor brought and draw it beside generation `g`."""
    st.markdown(T("yours.intro"))
    brought = bring("specdec.yours", example_text(), EXAMPLE.name, ["prom", "txt"], help_text=T("yours.help"))
    source_caption(brought)
    m: SpecMetrics | None = read_or_explain(T, read_metrics, brought)
    if m is None:
        return
    c = st.columns(4)
    c[0].metric(T("yours.drafts"), f"{m.drafts:,}")
    c[1].metric(T("yours.alpha"), f"{m.acceptance_rate:.3f}")
    c[2].metric(T("yours.length"), f"{m.mean_acceptance_length:.2f}")
    c[3].metric(T("yours.sets"), m.label_sets)
    if m.problems:
        st.warning(T("yours.problems", n=len(m.problems)) + "\n" + "\n".join(f"- {say(p)}" for p in m.problems))
    else:
        st.success(T("yours.ok"))
    cost = st.slider(T("yours.cost"), 0, 100, key="ycost", format="%d%%", help=T("yours.cost.help")) / 100
    ours = vllm_counts(g)
    series = [(T("yours.theirs"), m)]
    if ours is None:
        st.caption(T("yours.no_ours", method=T(f"method.{method}")))
    else:
        series.append((T("yours.ours", method=T(f"method.{method}"), gamma=len(ours.per_position)), ours))
        if ours.problems:
            st.warning(T("yours.ours_problems", msg=say(ours.problems[0])))
    left, right = st.columns(2)
    with left:
        st.subheader(T("yours.rates"))
        st.plotly_chart(P.position_rates_fig([(name, s.position_rates) for name, s in series], PL), width="stretch")
        st.caption(T("yours.rates.caption"))
    with right:
        st.subheader(T("yours.speed"))
        curves = [(name, [s.speedup(cost, k) for k in range(len(s.per_position) + 1)], s.best_gamma(cost))
                  for name, s in series]
        st.plotly_chart(P.gamma_speedup_fig(curves, PL), width="stretch")
        k, best = len(m.per_position), m.best_gamma(cost)
        st.caption(T("yours.best", cost=f"{cost:.2f}", best=best, speed=f"{m.speedup(cost, best):.2f}",
                     speed_k=f"{m.speedup(cost, k):.2f}", k=k))
