"""Part 3 of the speculative-decoding page: the generation coloured token by token, its counts against the
autoregressive baseline, and its speed timed in interleaved rounds in the background."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from engine import recorded
from engine.specdec import DecodeSettings, Generation, Models, generate_with
from engine.specdec import plots as P
from engine.specdec.generate import encode
from engine.specdec.stats import Decoded, timed_with
from ui import jobs
from ui.cache import shared_results

ROUNDS = 3  # interleaved rounds per method wherever the page shows a wall-clock speed


def compare_settings(s: DecodeSettings) -> dict:
    """The settings a recording of all methods side by side was measured with, as the bench writes them."""
    return {"prompt": s.prompt, "temperature": s.temperature, "max_new_tokens": s.max_new_tokens, "gamma": s.gamma,
            "seed": s.seed, "top_k": s.top_k, "top_p": s.top_p, "drafter": s.drafter, "rounds": ROUNDS}


def run(models: Models, s: DecodeSettings, *methods: str) -> list[Generation]:
    """Generations with the page's settings, one per method, cached and computed side by side when missing. The
    autoregressive baseline's settings leave out γ and the drafter: switching method or γ reuses it."""
    keys = {m: ("gen", s.using(m)) for m in methods}
    done = shared_results({keys[m]: (lambda m=m: generate_with(models, s.using(m))) for m in methods})
    return [done[keys[m]] for m in methods]


def live(T: Callable[..., str], PL: Mapping[str, str], models: Models, s: DecodeSettings) -> Decoded:
    """The run and its baseline, its counts first (on a laptop screen the first thing under the controls), then
    its text coloured by each token's fate."""
    if s.method == "autoregressive":
        g = base = run(models, s, s.method)[0]
    else:
        g, base = run(models, s, s.method, "autoregressive")
    d = Decoded(s, g, base)
    st.header(T("view"))
    m = d.summary
    c = st.columns(5)
    with c[0]:
        speed(T, models, s)
    c[1].metric(T("m.calls"), m.target_calls, f"{m.target_calls - base.stats.target_calls:+d}",
                delta_color="inverse")
    c[2].metric(T("m.alpha"), "—" if m.acceptance_rate is None else f"{m.acceptance_rate:.2f}")
    c[3].metric(T("m.per_call"), f"{m.tokens_per_target_call:.2f}")
    c[4].metric(T("m.accepted"), f"{m.mean_accepted:.2f}")
    st.markdown(P.legend_html(PL), unsafe_allow_html=True)
    st.markdown(P.acceptance_html(g, encode(s.prompt), PL), unsafe_allow_html=True)
    if (same := d.greedy_matches) is not None:
        (st.success if same else st.error)(T("greedy_same" if same else "greedy_differs"))
    elif s.method == "medusa":
        st.info(T("medusa_typical"))
    return d


def speed(T: Callable[..., str], models: Models, s: DecodeSettings) -> None:
    """Tokens per second of the method, timed against the autoregressive baseline in interleaved rounds in the
    background (a single wall-clock run on a shared machine is mostly noise); the arrow is coloured only when
    every round of one beat every round of the other."""
    methods = list(dict.fromkeys([s.method, "autoregressive"]))
    key = ("specdec-timed", s, ROUNDS)
    pace = recorded.load("specdec", "compare")  # the bench's run of every method: its pace gives the estimate
    unit_s = pace and pace.seconds / (len(pace.rows) * pace.settings["rounds"]) \
        * s.max_new_tokens / pace.settings["max_new_tokens"]
    timed = jobs.background(key, lambda tick: timed_with(
        models, s, methods, ROUNDS, lambda d, _n: tick(d, f"{d}/{len(methods) * ROUNDS}")),
        total=len(methods) * ROUNDS, auto=True, wait_s=0.0, delay_s=1.0, slot="specdec-speed", unit_s=unit_s)
    if timed is None:
        rec = recorded.matching("specdec", ["compare"], compare_settings(s))
        row = rec and next((r for r in rec.rows if r["method"] == s.method), None)
        if row is None:
            st.metric(T("m.tokens_s"), "…")
            return
        # a first visit at the recorded settings: the bench's measurement at once, labelled, until the live one
        delta = None if s.method == "autoregressive" else \
            f"{row['speedup']:.2f}× ({row['speedup_lo']:.2f}–{row['speedup_hi']:.2f}) {T('m.vs_base')}"
        st.metric(T("m.tokens_s"), f"{row['tokens_per_s']:.0f}", delta,
                  delta_color="normal" if row["speedup_clear"] else "off")
        jobs.recorded_caption(rec)
        return
    t = timed[s.method]
    delta, colour = None, "off"
    if s.method != "autoregressive":
        ratio, lo, hi, clear = t.speedup(timed["autoregressive"])
        delta = f"{ratio:.2f}× ({lo:.2f}–{hi:.2f}) {T('m.vs_base')}"
        colour = "normal" if clear else "off"
    st.metric(T("m.tokens_s"), f"{t.tokens_per_s:.0f}", delta, delta_color=colour,
              help=T("m.tokens_s.help", rounds=ROUNDS, lo=f"{t.timing.lo_s * 1e3:.0f}",
                     hi=f"{t.timing.hi_s * 1e3:.0f}"))
    if t.timing.busy:
        st.caption(T("busy"))
