"""Autograd: type a program, see the graph PyTorch recorded while running it, replay backward node by node, check
it with a scalar engine of our own, and try autograd's rules in the lab."""

import streamlit as st

from engine.autograd import MAX_ELEMENTS, MAX_INPUTS_CHARS, ExprError, parse
from engine.autograd.build import MAX_DIMS
from engine.autograd.examples import EXAMPLES, HOOKED
from engine.autograd.parse import MAX_CHARS
from ui import page
from ui.autograd import custom, hessian, hooks, inplace
from ui.autograd.lab import lab
from ui.autograd.live import live
from ui.autograd.measured import measured
from ui.autograd.ours import ours
from ui.autograd.settings import Settings
from ui.autograd.step import step_through
from ui.chrome import ensure_navigation
from ui.i18n import translator
from ui.state import bind_all, choice, int_in, number_in, publish, walkthrough
from ui.text.autograd import TEXT

ensure_navigation()
T = translator(TEXT)
DEFAULT = EXAMPLES["notes"]


def _names(raw: str) -> list[str]:
    return [x for x in raw.split(",") if x.isidentifier()]


def _text(raw: str) -> str:
    return raw[:MAX_INPUTS_CHARS + 1]  # one past the limit: a longer link is refused with the engine's message


PARAMS = [("src", DEFAULT[0], _text), ("vals", "; ".join(f"{k} = {v}" for k, v in DEFAULT[1].items()), _text),
          ("grad", DEFAULT[2], _names), ("dtype", "float64", choice(["float64", "float32"])),
          ("seed", 0, int_in(0, 10_000)), ("node", 0, int_in(0, 200)), ("calls", 3, int_in(1, 6)),
          ("hook", "", lambda s: s if s.isidentifier() else ""), ("hscale", 2.0, number_in(hooks.SCALES))]
PRESETS = {i: {"src": src, "vals": "; ".join(f"{k} = {v}" for k, v in vals.items()), "grad": grad, "node": 0}
           | HOOKED.get(name, {}) for i, (name, (src, vals, grad)) in enumerate(EXAMPLES.items(), start=1)}
FORMULAS = (r"\bar v_i = \textstyle\sum_{j} \bar v_j\, \partial v_j / \partial v_i",  # one short line each
            r"x.\mathrm{grad} \mathrel{+}= \partial\,\mathrm{out} / \partial x")


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(T, *FORMULAS)
    s = controls()
    found = live(s)
    if found is not None and not inplace.refused(T, found[0]):
        run, graph = found
        trace = step_through(run, graph)
        ours(run, trace)
        hessian.section(T, run)
        hooks.section(T, run)
        lab(run)
        measured(s, run)
    custom.section(T)
    st.header(T("walk"))
    walkthrough(T, PRESETS)
    publish(*(p[0] for p in PARAMS))


def controls() -> Settings:
    """The program, its inputs and requires_grad, the dtype and the seed of the random inputs."""
    bind_all(PARAMS)
    with page.controls_box(T):
        st.text_area(T("src"), key="src", height=100, help=T("src.help", chars=MAX_CHARS))
        c = st.columns([3, 2])
        c[0].text_input(T("vals"), key="vals", help=T("vals.help", n=MAX_ELEMENTS, dims=MAX_DIMS,
                                                           chars=MAX_INPUTS_CHARS))
        try:
            names = parse(st.session_state["src"]).inputs
        except ExprError:
            names = []
        if st.session_state.get("_grad_for", st.session_state["src"]) != st.session_state["src"] \
                and names and not set(st.session_state["grad"]) & set(names):
            st.session_state["grad"] = names  # a new program: its inputs require grad until the visitor says not
        st.session_state["_grad_for"] = st.session_state["src"]
        options = list(dict.fromkeys([*names, *st.session_state["grad"]]))
        c[1].multiselect(T("grad"), options, key="grad")
        c = st.columns(2)
        c[0].segmented_control(T("dtype"), ["float64", "float32"], key="dtype")
        c[1].number_input(T("seed"), 0, 10_000, key="seed")
    return Settings(st.session_state["src"], st.session_state["vals"], tuple(st.session_state["grad"]),
                    st.session_state["dtype"] or "float64", int(st.session_state["seed"]))


main()
