"""Speculative decoding: a draft proposes, the target verifies in one pass, the output keeps its distribution."""

import re

import streamlit as st

from engine.specdec import METHODS, Models, load_models
from engine.specdec import plots as P
from engine.specdec.exactness import RULES
from ui import page
from ui.cache import shared_resource
from ui.chrome import ensure_navigation
from ui.i18n import plot_labels, translator
from ui.specdec import yours
from ui.specdec.controls import DRAFTERS, controls
from ui.specdec.exactness import SAMPLES, exactness
from ui.specdec.live import live
from ui.specdec.measured import measured
from ui.specdec.peer import peer
from ui.specdec.steps import step_through
from ui.state import bind, bind_all, choice, int_in, number_in, publish, walkthrough
from ui.text.specdec import TEXT

ensure_navigation()
T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)
PARAMS = [("method", "speculative", choice(list(METHODS))), ("gamma", 4, int_in(1, 8)),
          ("temp", 100, int_in(0, 150)), ("new", 200, int_in(10, 200)), ("seed", 0, int_in(0, 9999)),
          ("topk", 0, int_in(0, 256)), ("topp", 100, int_in(1, 100)), ("drafter", "draft", choice(DRAFTERS)),
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


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(T, *(re.sub(r"@(\w+)", lambda w: T(f"f.{w[1]}"), f) for f in FORMULAS))
    models = load()
    bind_all(PARAMS)
    bind("prompt", "ROMEO:\n")
    s = controls(T, models)
    if s is None:
        return
    d = live(T, PL, models, s)
    step_through(T, PL, d, models)
    measured(T, PL, models, d)
    exactness(T, PL, models, s)
    st.header(T("yours"))  # part 8: nothing is read or computed until switched on
    if st.toggle(T("yours.show"), key="yours"):
        yours.view(T, PL, d.generation, s.method, s.gamma)
    peer(T)
    walk(models)
    publish(*(p[0] for p in PARAMS), "prompt")


def load() -> Models:
    """The shipped models, loaded once per server (never evicted by cached results)."""
    try:
        return shared_resource("specdec-models", load_models)
    except (FileNotFoundError, ValueError, RuntimeError) as e:
        st.error(T("no_models", error=type(e).__name__))
        st.stop()


def walk(models: Models) -> None:
    """Part 6: the numbered presets; step 3 quotes the shipped draft's held-out acceptance at temperature 1 and
    under greedy from its training report."""
    st.header(T("walk"))
    report = {"alpha": f"{models.report.get('draft_alpha', float('nan')):.0%}",
              "greedy": f"{models.report.get('draft_greedy', float('nan')):.0%}"}
    walkthrough(lambda key, **kw: T(key, **(report if key == "walk.3" else {}), **kw), PRESETS,
                base={"gamma": 4, "new": 200, "seed": 0, "topk": 0, "topp": 100, "drafter": "draft"},
                forget=("specdec_checked",))


main()
