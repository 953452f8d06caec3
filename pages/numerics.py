"""Number formats and mixed precision: formats, a bit explorer, range plots, real gradients, loss scaling."""

import dataclasses

import streamlit as st

from engine.numerics.training import RECORDED
from ui import page, present
from ui.chrome import device_label, ensure_navigation
from ui.i18n import translator
from ui.numerics import blocks as below_fp8
from ui.numerics import doctor, explorer, formats, gradients, published, training, yours
from ui.numerics import rounding as rounding_view
from ui.state import bind_all, choice, publish, walkthrough
from ui.text.numerics import TEXT

ensure_navigation()
T = translator(TEXT)
VIEWS = ["formats", "explorer", "range", "gradients", "training", "blocks", "outlier", "lowbit", "stochastic",
         "yours", "walkthrough"]
PRESETS = {  # walkthrough step -> widget state it sets
    1: {"view": "explorer", "fmt": "fp16", "x": "0.1"},
    2: {"view": "explorer", "fmt": "fp16", "x": "65520"},
    3: {"view": "explorer", "fmt": "fp16", "x": "1e-7"},
    4: {"view": "gradients", "layer": "activation", "gfmt": "fp16", "scale": 0},
    5: {"view": "gradients", "layer": "activation", "gfmt": "fp16", "scale": 16},
    6: {"view": "gradients", "layer": "activation", "gfmt": "bf16", "scale": 0},
    7: {"view": "gradients", "layer": "activation", "gfmt": "fp8_e4m3", "scale": 0},
    8: {"view": "training", "init": RECORDED["training-scale-28"].init_log2, "interval": 50},
    9: {"view": "training", **dict(zip(("steps", "tlr", "init", "interval", "opt", "weights"),
                                       dataclasses.astuple(RECORDED["training-sgd-low"]), strict=True))},
    10: {"view": "explorer", "fmt": "fp4_e2m1", "x": "5"},
    11: {"view": "blocks", "tlayer": "blocks.0.out", "tkind": "activation", "scheme": "fp4_tensor", "bsize": 0},
    12: {"view": "blocks", "tlayer": "blocks.0.out", "tkind": "activation", "scheme": "mxfp4", "bsize": 0},
    13: {"view": "blocks", "tlayer": "blocks.0.fc", "tkind": "gradient", "scheme": "mxfp8", "bsize": 0},
    14: {"view": "outlier", "tlayer": "blocks.0.fc", "tkind": "activation", "factor": 1000, "oscheme": "fp4_tensor"},
    15: {"view": "lowbit", "recipes": list(below_fp8.RECIPES), "lsteps": below_fp8.LOWBIT.steps,
         "llr": below_fp8.LOWBIT.lr, "lseeds": below_fp8.LOWBIT.seeds},
    16: {"view": "stochastic", "srfmt": rounding_view.WALK_SUM[0], "srstep": rounding_view.WALK_SUM[1]},
    17: {"view": "stochastic", "hblock": rounding_view.HBLOCKS[0], "hseed": 0},
}


def formulas() -> tuple[str, ...]:
    """The key formulas, one line each (a phone), their words in the visitor's language."""
    bias, scaling = T("formula.bias"), T("formula.loss_scaling")
    return (r"x = (-1)^{s}\cdot 2^{\,e-\text{" + bias + r"}}\cdot\Bigl(1+\frac{m}{2^{M}}\Bigr)",
            r"\text{" + scaling + r": } \nabla(sL) = s\,\nabla L",
            r"\text{MX: } s_b = 2^{\lfloor \log_2 \max_b |x| \rfloor - e_{\max}}")


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(T, *formulas())
    st.caption(T("device", device=device_label()))
    view = controls()
    match view:
        case "formats":
            formats.table()
        case "explorer":
            explorer.view()
        case "range":
            formats.ranges()
        case "gradients":
            gradients.view()
        case "training":
            training.view()
        case "blocks":
            below_fp8.block_scaling(below_fp8.capture())
        case "outlier":
            below_fp8.outlier(below_fp8.capture())
        case "lowbit":
            below_fp8.lowbit()
            published.view()
        case "stochastic":
            rounding_view.view()
        case "yours":
            yours.view()
        case _:
            st.markdown(T("walk.intro"))
            walkthrough(walk_text, PRESETS, forget=("trained",))
    if present.active() and view != "walkthrough":  # presenter mode: the step's own view, its slide on the stage
        walkthrough(walk_text, PRESETS, forget=("trained",))
    publish("view", "rfmts")


def walk_text(key: str, **fmt: object) -> str:
    """The walkthrough's texts; step 15's findings are formatted from the shipped FP8 / FP4 recording."""
    if key == "walk.15":
        fmt |= {"findings": below_fp8.recorded_findings()}
    if key in ("walk.16", "walk.17"):
        fmt |= rounding_view.walk_facts(int(key[5:]))
    return T(key, **fmt)


def controls() -> str:
    """Every view's state bound to the URL, and the view tabs; returns the view."""
    bind_all([("view", "formats", choice(VIEWS)), *explorer.PARAMS, *gradients.PARAMS, *training.PARAMS,
              *formats.PARAMS, *below_fp8.PARAMS, *rounding_view.PARAMS, *yours.PARAMS, *doctor.PARAMS])
    return page.view_switch(T, VIEWS)


main()
