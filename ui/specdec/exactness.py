"""The speculative-decoding page's exactness check: a live χ² test that the sampler keeps the target's
distribution, and two wrong rules it catches."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from engine.specdec import DecodeSettings, Models, with_drafter
from engine.specdec import plots as P
from engine.specdec.exactness import RULES, exactness_check
from ui.cache import shared_result

SAMPLES = [1000, 2000, 4000, 8000, 16000]


def exactness(T: Callable[..., str], PL: Mapping[str, str], models: Models, s: DecodeSettings) -> None:
    """The samples and the rule to test, run on request (the button's settings are remembered, not re-run)."""
    st.header(T("exact"))
    st.markdown(T("exact.intro"))
    c = st.columns([2, 4, 1.2])  # the rule's three labels need the room: a third of the row cut the last one off
    samples = c[0].select_slider(T("exact.samples"), SAMPLES, key="samples")
    rule = c[1].segmented_control(T("exact.rule"), list(RULES), key="rule",
                                  format_func=lambda r: T(f"rule.{r}")) or "exact"
    exact_temp = s.temperature if s.temperature > 0 else 1.0  # greedy has nothing to sample
    exact_key = ("exact", s.prompt, samples, rule, s.drafter, exact_temp, s.gamma, s.top_k, s.top_p)
    if c[2].button(T("exact.run")):
        st.session_state["specdec_checked"] = exact_key
    if st.session_state.get("specdec_checked") != exact_key:
        return
    if s.temperature <= 0:
        st.caption(T("exact.temp"))
    with st.spinner(T("exact.running")):
        res = shared_result(exact_key, lambda: exactness_check(
            models.target, with_drafter(models, s.drafter).draft, s.prompt, samples, s.gamma, exact_temp, 0, rule,
            top_k=s.top_k, top_p=s.top_p))
    ok = res.consistent
    (st.success if ok else st.error)(T("exact.result", p=f"{res.p_value:.3g}", chi2=f"{res.chi2:.1f}", dof=res.dof,
                                       plain=f"{res.plain_p_value:.3g}", verdict=T("exact.ok" if ok else "exact.bad")))
    st.plotly_chart(P.exactness_fig(res, labels=PL), width="stretch")
