"""Part 5 of the speculative-decoding page: acceptance by draft position, tokens per pass against the formula,
all five methods side by side and the γ sweep, each recorded for the default settings and measured on request."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from engine import recorded
from engine.specdec import METHODS, DecodeSettings, Models, with_drafter
from engine.specdec import plots as P
from engine.specdec.stats import (
    SWEEP_GAMMAS,
    SWEEP_TOKENS,
    Decoded,
    acceptance_by_position,
    gamma_sweep,
    method_rows,
    timed_with,
)
from ui import jobs, page
from ui.specdec.live import ROUNDS, compare_settings


def measured(T: Callable[..., str], PL: Mapping[str, str], models: Models, d: Decoded) -> None:
    """Acceptance by position and the theory beside the run, then the comparison and the sweep."""
    s, m = d.settings, d.summary
    c = st.columns(2)
    with c[0]:
        st.subheader(T("by_position"))
        rows = acceptance_by_position(d.generation)
        if rows:
            st.plotly_chart(P.acceptance_by_position_fig(rows, PL), width="stretch")
        else:
            st.caption(T("no_drafts"))
    with c[1]:
        st.subheader(T("theory"))
        points = []
        if m.acceptance_rate is not None and m.tokens_per_verify and s.method in ("speculative", "mtp"):
            points.append((m.acceptance_rate, m.tokens_per_verify, T("measured_point", method=s.method)))
        st.plotly_chart(P.tokens_per_call_fig(m.gamma or s.gamma, points, PL), width="stretch")
        if points:
            st.caption(T("theory.caption", measured=f"{m.tokens_per_verify:.2f}",
                         formula=f"{d.expected_tokens_per_call:.2f}"))
        else:
            st.caption(T("theory.not_linear"))
    compare(T, models, s)
    sweep(T, PL, models, s)


def compare(T: Callable[..., str], models: Models, s: DecodeSettings) -> None:
    """All five methods on the same prompt and seed, timed in interleaved rounds: counts that load cannot change
    (target passes, tokens per pass) beside the measured speed and its range. The recorded run for the default
    settings is shown at once; a live run goes to the background."""
    st.header(T("compare"))
    st.markdown(T("compare.intro"))
    rec = recorded.matching("specdec", ["compare"], compare_settings(s))
    go = st.button(T("compare.run"), type="primary")
    rows = jobs.live_or_recorded(("specdec-compare", s, ROUNDS), lambda tick: method_rows(timed_with(
        models, s, list(METHODS), ROUNDS, lambda d, n: tick(d, f"{d}/{n}"))),
        total=len(METHODS) * ROUNDS, start_now=go, rec=rec)
    if rows is None:
        return
    table = [{T("col.method"): T(f"method.{r['method']}"), T("m.calls"): r["target_calls"],
              T("m.per_call"): round(r["tokens_per_target_call"], 2),
              T("m.alpha"): "—" if r["acceptance_rate"] is None else f"{r['acceptance_rate']:.3f}",
              T("m.tokens_s"): round(r["tokens_per_s"], 1),
              T("col.speedup"): f"{r['speedup']:.2f}× ({r['speedup_lo']:.2f}–{r['speedup_hi']:.2f})",
              T("col.clear"): T("yes") if r["speedup_clear"] else T("no"), T("col.text"): r["text"]}
             for r in rows]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    st.caption(T("compare.caption", rounds=ROUNDS))
    page.csv_download(T("compare.csv"), table, "specdec_methods.csv")


def sweep(T: Callable[..., str], PL: Mapping[str, str], models: Models, s: DecodeSettings) -> None:
    """Speculative sampling at each γ beside the baseline: α, tokens per pass, formula, draft cost, speedup;
    recorded for the default settings, measured live in the background on request."""
    st.header(T("sweep"))
    st.markdown(T("sweep.intro"))
    rec = recorded.matching("specdec", ["sweep"], {
        "prompt": s.prompt, "temperature": s.temperature, "seed": s.seed, "drafter": s.drafter, "rounds": ROUNDS,
        "gammas": SWEEP_GAMMAS, "max_new_tokens": SWEEP_TOKENS})
    go = st.button(T("sweep.run"), type="primary")
    if rec is not None:
        jobs.estimate_caption(rec.seconds)
    key = ("specdec-sweep", s.prompt, s.temperature, s.seed, s.drafter, ROUNDS)
    rows = jobs.live_or_recorded(key, lambda tick: gamma_sweep(
        with_drafter(models, s.drafter), s.prompt, SWEEP_GAMMAS, "speculative", s.temperature, SWEEP_TOKENS, s.seed,
        lambda d, n: tick(d, f"{d}/{n}"), ROUNDS), total=2 * ROUNDS * len(SWEEP_GAMMAS), start_now=go,
        unit_s=rec and rec.seconds / (2 * ROUNDS * len(SWEEP_GAMMAS)), rec=rec)
    if rows is None:
        return
    st.plotly_chart(P.sweep_fig(rows, PL), width="stretch")
    table = [{T("gamma"): r["gamma"], T("m.alpha"): round(r["acceptance_rate"] or 0, 3),
              T("m.per_call"): round(r["tokens_per_verify"] or 0, 2),
              T("col.formula"): round(r["expected_tokens_per_verify"] or 0, 2),
              T("col.cost"): round(r.get("draft_cost") or 0, 3), T("col.verify"): round(r.get("verify_cost") or 0, 2),
              T("col.speedup"): f"{r['speedup']:.2f}× ({r['speedup_lo']:.2f}–{r['speedup_hi']:.2f})",
              T("col.theory"): round(r.get("speedup_theory") or 0, 2),
              T("col.theory_one_pass"): round(r.get("speedup_theory_one_pass") or 0, 2)} for r in rows]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    page.csv_download(T("sweep.csv"), table, "specdec_gamma_sweep.csv")
