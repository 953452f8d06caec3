"""nn.Xxx vs nn.functional.xxx: the same computation twice, live, and what a Module carries that a function does not."""

import json
from dataclasses import dataclass

import pandas as pd
import streamlit as st
import torch

from engine.modules import BUGGY, batchnorm_steps, compare, inspect_module, overhead, state_dict_json, twin, twins
from engine.modules import plots as P
from ui import jobs, page
from ui.cache import shared_result
from ui.chrome import ensure_navigation
from ui.i18n import plot_labels, say, translator
from ui.modules import lint, persample
from ui.state import bind_all, choice, int_in, number_in, publish, walkthrough
from ui.text.modules import TEXT

ensure_navigation()
T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)
NAMES = [t.name for t in twins()]
MODES = ["train", "eval"]
MOMENTA = [0.01, 0.05, 0.1, 0.3, 0.5]
SCALES = [1, 16, 256, 4096]  # batch sizes the overhead is timed at (times the twin's own batch)
PARAMS = [("twin", "Linear", choice(NAMES)), ("mode", "train", choice(["train", "eval"])),
          ("naive", False, lambda s: s == "True"), ("bnstep", 20, int_in(1, 20)),
          ("momentum", 0.1, number_in(MOMENTA)), ("bug", "plain_list", choice(list(BUGGY))),
          ("psn", 32, number_in(persample.SIZES)), ("yours", False, lambda s: s == "True")]
PRESETS = {1: {"twin": "Linear", "mode": "train", "naive": False},
           2: {"twin": "Dropout", "mode": "eval", "naive": True},
           3: {"twin": "BatchNorm2d", "mode": "train", "naive": False}, 4: {"bug": "plain_list"},
           **{n: {"twin": name, "mode": "train", "naive": True} for n, name in ((5, "Softmax"), (6, "Flatten"),
                                                                                 (7, "GELU"))},
           8: {"psn": 32}, 9: {"yours": True}}
FORMULAS = (r"\mathrm{nn.Linear}(x) = \mathrm{F.linear}(x, W, b)",  # one short line each: none cut off on a phone
            r"\hat\mu \leftarrow (1-m)\,\hat\mu + m\,\mu_B",
            r"\hat\sigma^2 \leftarrow (1-m)\,\hat\sigma^2 + m\,\tfrac{n}{n-1}\sigma_B^2")


@dataclass(frozen=True)
class Settings:
    """The twin and how it runs, bound to the URL."""

    twin: str
    mode: str
    naive: bool


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(T, *FORMULAS)
    s = controls()
    live(s)
    step_through()
    inspector()
    measured(s)
    persample.section(T, st.session_state["psn"])
    lint.section(T)
    st.header(T("walk"))
    walkthrough(T, PRESETS)
    publish(*(p[0] for p in PARAMS))


def controls() -> Settings:
    """The twin, the mode and (for Dropout) the common wrong call, bound to the URL."""
    bind_all(PARAMS)
    with page.controls_box(T):
        c = st.columns([2, 1, 2])
        name = c[0].selectbox(T("twin"), NAMES, key="twin")
        mode = c[1].segmented_control(T("mode"), MODES, format_func=page.formatter(T, "mode", MODES),
                                      key="mode") or "train"
        has_naive = twin(name).naive is not None
        naive = c[2].toggle(T(f"naive.{name}" if has_naive else "naive"), key="naive", disabled=not has_naive)
    return Settings(name, mode, naive and twin(name).naive is not None)


def live(s: Settings) -> None:
    """Part 3: the module and its functional form on the same input, their outputs, the verdict and what each
    changed."""
    st.header(T("live"), anchor="live")
    r = shared_result(("modules-compare", s), lambda: compare(twin(s.twin), mode=s.mode, naive=s.naive))
    (st.success if r.bitwise_equal else st.warning if r.verdict.code == "modules.differs" else st.info)(say(r.verdict))
    c = st.columns(3)
    c[0].metric(T("bitwise"), T("yes") if r.bitwise_equal else T("no"))
    c[1].metric(T("diff"), f"{r.max_abs_diff:.3g}")
    c[2].metric(T("shapes"), " | ".join("×".join(map(str, o.shape)) for o in (r.module_out, r.functional_out)))
    head = lambda t: [round(float(v), 4) for v in t.flatten()[:8]]  # noqa: E731 - one expression, four uses
    st.caption(T("outputs"))
    rows = {T("col.module"): head(r.module_out), T("col.functional"): head(r.functional_out),
            T("col.fc_own"): head(r.bridge.own_out)}
    if r.bridge.swapped_out is not None:  # the dict, not the module, decides: every parameter × −1
        rows[T("col.fc_negated")] = head(r.bridge.swapped_out)
    st.dataframe(pd.DataFrame(rows).T, width="stretch")
    page.notes([*r.notes, *r.changed, r.functional_call, r.bridge.message()])


def step_through() -> None:
    """Part 4: BatchNorm's running mean and variance after each batch against the formula."""
    st.header(T("bn"))
    st.markdown(T("bn.intro"))
    c = st.columns(2)
    momentum = c[0].select_slider(T("bn.momentum"), MOMENTA, key="momentum")
    step = c[1].slider(T("bn.step"), 1, 20, key="bnstep")

    def steps():
        g = torch.Generator().manual_seed(0)
        return batchnorm_steps([torch.randn(8, 3, 4, 4, generator=g) * 2 + 1 for _ in range(20)], momentum)

    rows = shared_result(("modules-bn", momentum), steps)
    cur = rows[step - 1]
    table = [{T("bn.col.channel"): ch, T("bn.col.batch_mean"): round(cur.batch_mean[ch], 6),
              T("bn.col.running_mean"): round(cur.running_mean[ch], 6),
              T("bn.col.formula_mean"): round(cur.formula_mean[ch], 6),
              T("bn.col.batch_var"): round(cur.batch_var_unbiased[ch], 6),
              T("bn.col.running_var"): round(cur.running_var[ch], 6),
              T("bn.col.formula_var"): round(cur.formula_var[ch], 6)} for ch in range(len(cur.running_mean))]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    st.caption(T("bn.err", n=len(rows), err=f"{max(r.max_err for r in rows):.1e}"))
    page.csv_download(T("bn.csv"), [{"step": r.step, "channel": ch, "running_mean": r.running_mean[ch],
                                     "formula_mean": r.formula_mean[ch], "running_var": r.running_var[ch],
                                     "formula_var": r.formula_var[ch]}
                                    for r in rows for ch in range(len(r.running_mean))], "batchnorm_steps.csv")


def inspector() -> None:
    """What nn.Module registered for correct and deliberately buggy modules, and load_state_dict's report."""
    st.header(T("inspect"), anchor="inspect")
    bugs = list(BUGGY)
    name = st.selectbox(T("inspect.pick"), bugs, format_func=page.formatter(T, "bug", bugs), key="bug")
    info = inspect_module(name)
    st.info(say(info.explanation))
    c = st.columns(4)
    c[0].metric(T("inspect.params"), len(info.parameters))
    c[1].metric(T("inspect.buffers"), len(info.buffers))
    c[2].metric(T("inspect.keys"), len(info.state_dict))
    c[3].metric(T("inspect.optimizer"), info.optimizer_tensors)
    st.dataframe(pd.DataFrame([{T("inspect.col.name"): k, T("inspect.col.shape"): "×".join(map(str, sh)) or "()",
                                T("inspect.col.dtype"): dt} for k, sh, dt in info.state_dict]),
                 hide_index=True, width="stretch")
    none = T("inspect.none")
    st.caption(" · ".join([f"{T('inspect.missing')}: {', '.join(info.missing_keys) or none}",
                           f"{T('inspect.unexpected')}: {', '.join(info.unexpected_keys) or none}",
                           f"{T('inspect.eval')}: {T('yes') if info.eval_output_changes else T('no')}"]))
    st.markdown(f"**{T('inspect.to')}**")
    st.dataframe(pd.DataFrame([{T("inspect.col.name"): n, T("inspect.col.kind"): T(f"kind.{kind}"),
                                T("inspect.col.before"): b, T("inspect.col.after"): a}
                               for n, kind, b, a in info.to_float64]), hide_index=True, width="stretch")
    st.caption(say(info.to_message()))
    st.download_button(T("inspect.download"), json.dumps(state_dict_json(name), indent=1), f"{name}_state_dict.json",
                       "application/json")


def measured(s: Settings) -> None:
    """Part 5: per-call time of the module against the function over input sizes, in the background."""
    st.header(T("overhead"))
    st.markdown(T("overhead.intro"))
    rows = jobs.background(("modules-overhead", s.twin), lambda tick: _timed(s.twin, tick), total=len(SCALES),
                           auto=True, slot="modules-overhead")
    if rows is None:
        return
    st.plotly_chart(P.overhead_figure(rows, PL), width="stretch")
    table = [{T("overhead.col.elements"): r["elements"], T("overhead.col.module"): round(r["module_us"], 2),
              T("overhead.col.functional"): round(r["functional_us"], 2),
              T("overhead.col.ratio"): f"{r['ratio']:.2f} ({r['ratio_lo']:.2f}–{r['ratio_hi']:.2f})"} for r in rows]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    if any(r["busy"] for r in rows):
        st.caption(T("overhead.busy"))
    page.csv_download(T("overhead.csv"), rows, "module_overhead.csv")


def _timed(name: str, tick) -> list[dict]:
    rows = []
    for i, scale in enumerate(SCALES, start=1):
        rows += overhead(twin(name), [scale], rounds=5, calls=20)
        tick(i, f"{i}/{len(SCALES)}")
    return rows


main()
