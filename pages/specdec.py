"""Speculative decoding: a draft proposes, the target verifies in one pass, the output keeps its distribution."""

import re
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from engine import recorded
from engine.specdec import METHODS, generate, load_models
from engine.specdec import plots as P
from engine.specdec.exactness import RULES, exactness_check
from engine.specdec.generate import encode
from engine.specdec.stats import (
    SWEEP_GAMMAS,
    SWEEP_TOKENS,
    acceptance_by_position,
    gamma_sweep,
    method_rows,
    summary,
    timed_runs,
)
from ui import jobs, page, specdec_yours
from ui.cache import shared_resource, shared_result, shared_results
from ui.chrome import device_label, ensure_navigation
from ui.i18n import plot_labels, translator
from ui.state import bind, bind_all, choice, int_in, number_in, publish, walkthrough
from ui.text.specdec import TEXT

ensure_navigation()
T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)
SAMPLES = [1000, 2000, 4000, 8000, 16000]
ROUNDS = 3  # interleaved rounds per method wherever a page shows a wall-clock speed
PARAMS = [("method", "speculative", choice(list(METHODS))), ("gamma", 4, int_in(1, 8)),
          ("temp", 100, int_in(0, 150)), ("new", 200, int_in(10, 200)), ("seed", 0, int_in(0, 9999)),
          ("topk", 0, int_in(0, 256)), ("topp", 100, int_in(1, 100)), ("drafter", "draft",
                                                                        choice(["draft", "draft_text_only"])),
          ("mstep", 1, int_in(1, 200)), ("samples", 4000, number_in(SAMPLES)),
          ("rule", "exact", choice(list(RULES))), ("yours", False, lambda v: v == "True"),
          ("ycost", 10, int_in(0, 100))]
PRESETS = {1: {"method": "autoregressive", "temp": 100}, 2: {"method": "speculative", "temp": 100},
           3: {"method": "speculative", "temp": 0}, 4: {"method": "medusa", "temp": 0},
           5: {"method": "mtp", "temp": 100, "gamma": 2}, 6: {"method": "lookup", "temp": 0}}

# one short line each, so that no formula is cut off on a phone; @word is the word f.word in the page's language
FORMULAS = (r"x_i \sim q_i,\quad P(\text{@accept } x_i) = \min\!\Big(1, \frac{p_i(x_i)}{q_i(x_i)}\Big)",
            r"\text{@else } x \sim \frac{\max(0,\ p_i - q_i)}{\sum_x \max(0,\ p_i - q_i)}",
            r"\mathbb{E}[\text{@tokens}] = \frac{1-\alpha^{\gamma+1}}{1-\alpha}",
            r"\text{@speedup} = \frac{1-\alpha^{\gamma+1}}{(1-\alpha)\,\big(\gamma c + T(\gamma+1)/T(1)\big)}")
HF_CODE = '''from transformers import AutoModelForCausalLM, AutoTokenizer

tok = AutoTokenizer.from_pretrained("big-model")
target = AutoModelForCausalLM.from_pretrained("big-model")
draft = AutoModelForCausalLM.from_pretrained("small-model")   # same tokenizer
inputs = tok("ROMEO:", return_tensors="pt")

# speculative sampling with a draft model ("assisted generation")
out = target.generate(**inputs, assistant_model=draft, do_sample=True, temperature=1.0, max_new_tokens=200)
# prompt lookup: drafts copied from the context, no second model
out = target.generate(**inputs, prompt_lookup_num_tokens=10, max_new_tokens=200)'''


@dataclass(frozen=True)
class Settings:
    """What to generate and how, bound to the URL."""

    prompt: str
    method: str
    gamma: int
    temp: float
    new: int
    seed: int
    top_k: int | None
    top_p: float | None
    drafter: str


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(T, *(re.sub(r"@(\w+)", lambda w: T(f"f.{w[1]}"), f) for f in FORMULAS))
    models = load()
    s = controls(models)
    if s is None:
        return
    active = models if s.drafter == "draft" else replace(models, draft=models.others[s.drafter])
    g, base = live(active, s)
    step_through(g, models, s)
    measured(active, s, g, base)
    st.header(T("yours"))  # part 8: nothing is read or computed until switched on
    if st.toggle(T("yours.show"), key="yours"):
        specdec_yours.view(T, PL, g, s.method, s.gamma)
    st.header(T("hf"))
    st.markdown(T("hf.intro"))
    st.code(HF_CODE, language="python")
    st.header(T("walk"))
    # step 3 quotes the shipped draft's held-out acceptance at temperature 1 and greedy from its training report
    report = {"alpha": f"{models.report.get('draft_alpha', float('nan')):.0%}",
              "greedy": f"{models.report.get('draft_greedy', float('nan')):.0%}"}
    walkthrough(lambda key, **kw: T(key, **(report if key == "walk.3" else {}), **kw), PRESETS,
                base={"gamma": 4, "new": 200, "seed": 0, "topk": 0, "topp": 100, "drafter": "draft"},
                forget=("specdec_checked",))
    publish(*(p[0] for p in PARAMS), "prompt")


def load():
    """The shipped models, loaded once per server (never evicted by cached results)."""
    try:
        return shared_resource("specdec-models", load_models)
    except (FileNotFoundError, ValueError, RuntimeError) as e:
        st.error(T("no_models", error=type(e).__name__))
        st.stop()


def controls(models) -> Settings | None:
    """The prompt, the method and its knobs, bound to the URL; None (with a message) for a prompt it cannot run."""
    max_prompt = models.target.config.context - 16  # bytes: leave the context room to generate
    bind_all(PARAMS)
    bind("prompt", "ROMEO:\n")
    with st.container(border=True):
        st.subheader(T("controls"))
        prompt = st.text_area(T("prompt"), key="prompt", height=80, max_chars=max_prompt)
        method = st.segmented_control(T("method"), list(METHODS), key="method",
                                      format_func=lambda m: T(f"method.{m}")) or "speculative"
        c = st.columns(3)
        gamma = c[0].slider(T("gamma"), 1, 8, key="gamma", disabled=method in ("autoregressive", "medusa"))
        temp = c[1].slider(T("temperature"), 0, 150, key="temp", format="%d%%", help=T("temperature.help")) / 100
        new = c[2].slider(T("new_tokens"), 10, 200, key="new")
        with st.expander(T("advanced")):
            c = st.columns(4)
            seed = c[0].number_input(T("seed"), 0, 9999, key="seed")
            top_k = c[1].number_input(T("top_k"), 0, 256, key="topk", help=T("top_k.help")) or None
            top_p = c[2].slider(T("top_p"), 1, 100, key="topp", format="%d%%") / 100
            drafter = c[3].segmented_control(T("drafter"), ["draft", "draft_text_only"], key="drafter",
                                             format_func=lambda d: T(f"drafter.{d}")) or "draft"
    st.caption(T("device", device=device_label(), target=f"{models.target.n_params() / 1e6:.1f}",
                 draft=f"{models.draft.n_params() / 1e6:.2f}"))
    if method == "mtp" and gamma > models.mtp.depth:
        st.caption(T("mtp_depth", depth=models.mtp.depth))
    if not prompt.strip():
        st.warning(T("empty_prompt"))
        return None
    if len(encode(prompt)) > max_prompt:
        st.warning(T("long_prompt", n=len(encode(prompt)), limit=max_prompt))
        return None
    return Settings(prompt, method, gamma, temp, new, int(seed), top_k, None if top_p >= 1 else top_p, drafter)


def run(models, s: Settings, *methods: str) -> list:
    """Generations with the page's settings, one per method, cached and computed side by side when missing. The
    autoregressive baseline ignores γ and the drafter, so its key leaves them out: switching method or γ
    reuses it."""
    def key(m: str) -> tuple:
        drafted = () if m == "autoregressive" else (s.gamma, s.drafter)
        return ("gen", m, s.prompt, s.temp, s.new, s.seed, s.top_k, s.top_p, *drafted)

    def job(m: str):
        return lambda: generate(models, s.prompt, m, s.new, s.temp, gamma=s.gamma, seed=s.seed, top_k=s.top_k,
                                top_p=s.top_p)

    done = shared_results({key(m): job(m) for m in methods})
    return [done[key(m)] for m in methods]


def live(models, s: Settings):
    """Part 3: the generation coloured token by token, and its counts against the autoregressive baseline."""
    if s.method == "autoregressive":
        g = base = run(models, s, s.method)[0]
    else:
        g, base = run(models, s, s.method, "autoregressive")
    st.header(T("view"))
    m = summary(g, base)  # the counts first: on a laptop screen they are the first thing under the controls
    c = st.columns(5)
    with c[0]:
        speed(models, s)
    c[1].metric(T("m.calls"), m["target_calls"], f"{m['target_calls'] - base.stats['target_calls']:+d}",
                delta_color="inverse")
    c[2].metric(T("m.alpha"), "—" if m["acceptance_rate"] is None else f"{m['acceptance_rate']:.2f}")
    c[3].metric(T("m.per_call"), f"{m['tokens_per_target_call']:.2f}")
    c[4].metric(T("m.accepted"), f"{m['mean_accepted']:.2f}")
    st.markdown(P.legend_html(PL), unsafe_allow_html=True)
    st.markdown(P.acceptance_html(g, encode(s.prompt), PL), unsafe_allow_html=True)
    if s.temp <= 0 and s.method != "autoregressive":
        same = g.tokens == base.tokens
        (st.success if same else st.error)(T("greedy_same" if same else "greedy_differs"))
    elif s.method == "medusa":
        st.info(T("medusa_typical"))
    return g, base


def speed(models, s: Settings) -> None:
    """Tokens per second of the method, timed against the autoregressive baseline in interleaved rounds in the
    background (a single wall-clock run on a shared machine is mostly noise); the arrow is coloured only when
    every round of one beat every round of the other."""
    methods = list(dict.fromkeys([s.method, "autoregressive"]))
    key = ("specdec-timed", s, ROUNDS)
    timed = jobs.background(key, lambda tick: timed_runs(
        models, s.prompt, methods, ROUNDS, lambda d, _n: tick(d, f"{d}/{len(methods) * ROUNDS}"), max_new_tokens=s.new,
        temperature=s.temp, gamma=s.gamma, seed=s.seed, top_k=s.top_k, top_p=s.top_p),
        total=len(methods) * ROUNDS, auto=True, wait_s=0.0, delay_s=1.0, slot="specdec-speed")
    if timed is None:
        st.metric(T("m.tokens_s"), "…")
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


def step_through(g, models, s: Settings) -> None:
    """Part 4: every draft-and-verify step with its q, p, draws and fates; Medusa's tree step by step."""
    with st.expander(T("steps"), expanded=False):
        rows = [{T("col.step"): i, T("col.drafted"): P.text_of(st_.drafted),
                 T("col.q"): " ".join(f"{x:.2f}" for x in st_.q), T("col.p"): " ".join(f"{x:.2f}" for x in st_.p),
                 T("col.u"): " ".join(f"{x:.2f}" for x in st_.uniforms),
                 T("col.fates"): " ".join(PL[f] for f in st_.fates),
                 T("col.emitted"): P.text_of(st_.emitted),
                 T("col.draft_ms"): round(st_.draft_ms, 2), T("col.target_ms"): round(st_.target_ms, 2)}
                for i, st_ in enumerate(g.trace, start=1)]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        page.csv_download(T("steps.csv"), rows, "specdec_steps.csv")
    st.header(T("medusa"))
    st.markdown(T("medusa.intro", heads=models.medusa.n, nodes=len(models.tree)))
    trees = [(i, t.tree) for i, t in enumerate(g.trace, start=1) if t.tree is not None]
    if s.method != "medusa":
        st.info(T("medusa.pick"))
    elif trees:
        # the slider's values are the step numbers themselves, so the caption and the step table agree
        numbers = [i for i, _ in trees]
        if st.session_state.get("mstep") not in numbers:
            st.session_state["mstep"] = numbers[0]
        i = st.select_slider(T("medusa.step"), numbers, key="mstep") if len(numbers) > 1 else numbers[0]
        tree = dict(trees)[i]
        c = st.columns(2)
        c[0].plotly_chart(P.tree_fig(tree, PL), width="stretch")
        c[1].plotly_chart(P.tree_mask_fig(tree, PL), width="stretch")
        st.caption(T("medusa.caption", step=i, accepted=len(tree.accepted),
                     emitted=page.md(P.text_of(g.trace[i - 1].emitted))))


def measured(models, s: Settings, g, base) -> None:
    """Part 5: acceptance by position, tokens per pass against the formula, all methods, the γ sweep, exactness."""
    m = summary(g, base)
    c = st.columns(2)
    with c[0]:
        st.subheader(T("by_position"))
        rows = acceptance_by_position(g)
        if rows:
            st.plotly_chart(P.acceptance_by_position_fig(rows, PL), width="stretch")
        else:
            st.caption(T("no_drafts"))
    with c[1]:
        st.subheader(T("theory"))
        points = []
        if m["acceptance_rate"] is not None and m["tokens_per_verify"] and s.method in ("speculative", "mtp"):
            points.append((m["acceptance_rate"], m["tokens_per_verify"], T("measured_point", method=s.method)))
        st.plotly_chart(P.tokens_per_call_fig(m.get("gamma") or s.gamma, points, PL), width="stretch")
        if points:
            st.caption(T("theory.caption", measured=f"{m['tokens_per_verify']:.2f}",
                         formula=f"{m['expected_tokens_per_verify']:.2f}"))
        else:
            st.caption(T("theory.not_linear"))
    compare(models, s, base)
    sweep(models, s)
    exactness(models, s)


def compare(models, s: Settings, base) -> None:
    """All five methods on the same prompt and seed, timed in interleaved rounds: counts that load cannot change
    (target passes, tokens per pass) beside the measured speed and its range. The recorded run for the default
    settings is shown at once; a live run goes to the background."""
    st.header(T("compare"))
    st.markdown(T("compare.intro"))
    rec = recorded.matching("specdec", ["compare"], {
        "prompt": s.prompt, "temperature": s.temp, "max_new_tokens": s.new, "gamma": s.gamma, "seed": s.seed,
        "top_k": s.top_k, "top_p": s.top_p, "drafter": s.drafter, "rounds": ROUNDS})
    go = st.button(T("compare.run"), type="primary")
    rows = jobs.live_or_recorded(("specdec-compare", s, ROUNDS), lambda tick: method_rows(timed_runs(
        models, s.prompt, list(METHODS), ROUNDS, lambda d, n: tick(d, f"{d}/{n}"), max_new_tokens=s.new,
        temperature=s.temp, gamma=s.gamma, seed=s.seed, top_k=s.top_k, top_p=s.top_p)),
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


def sweep(models, s: Settings) -> None:
    """Speculative sampling at each γ beside the baseline: α, tokens per pass, formula, draft cost, speedup;
    recorded for the default settings, measured live in the background on request."""
    st.header(T("sweep"))
    st.markdown(T("sweep.intro"))
    rec = recorded.matching("specdec", ["sweep"], {
        "prompt": s.prompt, "temperature": s.temp, "seed": s.seed, "drafter": s.drafter, "rounds": ROUNDS,
        "gammas": SWEEP_GAMMAS, "max_new_tokens": SWEEP_TOKENS})
    go = st.button(T("sweep.run"), type="primary")
    if rec is not None:
        jobs.estimate_caption(rec.seconds)
    key = ("specdec-sweep", s.prompt, s.temp, s.seed, s.drafter, ROUNDS)
    rows = jobs.live_or_recorded(key, lambda tick: gamma_sweep(
        models, s.prompt, SWEEP_GAMMAS, "speculative", s.temp, SWEEP_TOKENS, s.seed, lambda d, n: tick(d, f"{d}/{n}"),
        ROUNDS), total=2 * ROUNDS * len(SWEEP_GAMMAS), start_now=go,
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


def exactness(models, s: Settings) -> None:
    """A live χ² test that the sampler keeps the target's distribution, and two wrong rules it catches."""
    st.header(T("exact"))
    st.markdown(T("exact.intro"))
    c = st.columns([2, 4, 1.2])  # the rule's three labels need the room: a third of the row cut the last one off
    samples = c[0].select_slider(T("exact.samples"), SAMPLES, key="samples")
    rule = c[1].segmented_control(T("exact.rule"), list(RULES), key="rule",
                                  format_func=lambda r: T(f"rule.{r}")) or "exact"
    exact_temp = s.temp if s.temp > 0 else 1.0  # greedy has nothing to sample
    exact_key = ("exact", s.prompt, samples, rule, s.drafter, exact_temp, s.gamma, s.top_k, s.top_p)
    if c[2].button(T("exact.run")):
        st.session_state["specdec_checked"] = exact_key
    if st.session_state.get("specdec_checked") != exact_key:
        return
    if s.temp <= 0:
        st.caption(T("exact.temp"))
    with st.spinner(T("exact.running")):
        res = shared_result(exact_key, lambda: exactness_check(
            models.target, models.draft, s.prompt, samples, s.gamma, exact_temp, 0, rule, top_k=s.top_k,
            top_p=s.top_p))
    ok = res.p_value > 1e-4
    (st.success if ok else st.error)(T("exact.result", p=f"{res.p_value:.3g}", chi2=f"{res.chi2:.1f}", dof=res.dof,
                                       plain=f"{res.plain_p_value:.3g}", verdict=T("exact.ok" if ok else "exact.bad")))
    st.plotly_chart(P.exactness_fig(res, labels=PL), width="stretch")


main()
