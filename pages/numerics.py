"""Number formats and mixed precision: formats, a bit explorer, range plots, real gradients, loss scaling."""

import dataclasses
import html

import numpy as np
import pandas as pd
import streamlit as st

from engine import recorded
from engine.device import pick_device
from engine.numerics import FORMATS, decode_encoding, encode
from engine.numerics import plots as P
from engine.numerics.gradients import GradientCapture, loss_fractions, lost_update_fraction
from engine.numerics.parse import MAX_INPUT_CHARS, ParseError, parse_input
from engine.numerics.rounding import rounding_decision
from engine.numerics.summary import autocast_placement, scaling_effect
from engine.numerics.training import (
    MODES,
    OPTIMIZERS,
    RECORDED,
    WEIGHTS,
    RunResult,
    TrainingSettings,
    compare_precisions,
)
from ui import jobs, page, present
from ui import numerics_blocks as below_fp8
from ui import numerics_doctor as doctor
from ui import numerics_published as published
from ui import numerics_rounding as rounding_view
from ui import numerics_yours as yours
from ui.cache import shared_result
from ui.chrome import device_label, ensure_navigation
from ui.i18n import plot_labels, say, translator
from ui.state import bind_all, choice, int_in, items_of, number_in, publish, walkthrough
from ui.text.numerics import TEXT

ensure_navigation()
T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)
NAMES = list(FORMATS)
ELEMENTS = [n for n in NAMES if FORMATS[n].role == "element"]  # formats that hold values (not E8M0, a scale)
VIEWS = ["formats", "explorer", "range", "gradients", "training", "blocks", "outlier", "lowbit", "stochastic",
         "yours", "walkthrough"]
TRAIN = TrainingSettings()
LRS = [1e-3, 3e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.3, 1.0]
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")  # bit labels must be unique: value, then position
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
            formats_table()
        case "explorer":
            explorer()
        case "range":
            ranges()
        case "gradients":
            gradients()
        case "training":
            training()
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
    bind_all([("view", "formats", choice(VIEWS)), ("fmt", "fp16", choice(NAMES)),
              ("x", "0.1", str), ("layer", "activation", str), ("gfmt", "fp16", choice(ELEMENTS)),
              ("scale", 0, int_in(0, 40)), ("steps", TRAIN.steps, int_in(20, 400)),
              ("init", TRAIN.init_log2, int_in(0, 40)),
              ("interval", TRAIN.growth_interval, int_in(1, 2000)),
              ("opt", TRAIN.optimizer, choice(list(OPTIMIZERS))),
              ("weights", TRAIN.weights, choice(list(WEIGHTS))),
              ("tlr", TRAIN.lr, number_in(LRS)), ("rfmts", NAMES, items_of(NAMES)), *below_fp8.PARAMS,
              *rounding_view.PARAMS, *yours.PARAMS, *doctor.PARAMS])
    return page.view_switch(T, VIEWS)


def formats_table() -> None:
    """Every format's widths, bias, limits and precision, computed from its spec."""
    st.caption(T("formats.caption"))
    rows = P.format_table()

    def cell(r: dict, k: str) -> object:
        if k == "note":
            return T(f"note.{r['format']}")
        return (r[k] or T("ref.bits")) if k == "reference" else r[k]

    shown = [{T(f"fcol.{k}"): cell(r, k) for k in r} for r in rows]
    st.dataframe(pd.DataFrame(shown), hide_index=True, width="stretch")
    page.csv_download(T("formats.csv"), rows, "formats.csv")


def ranges() -> None:
    """Where each format's normal, subnormal and overflow zones lie, and its relative spacing (ulp / |x|)."""
    chosen = st.multiselect(T("range.formats"), NAMES, key="rfmts")
    st.subheader(T("range.line"))
    st.plotly_chart(P.number_line(chosen or NAMES, labels=PL), width="stretch")
    st.caption(T("range.line_caption"))
    st.subheader(T("range.ulp"))
    st.plotly_chart(P.ulp_curves([n for n in (chosen or NAMES) if n != "fp64"] or ["fp16"], labels=PL), width="stretch")
    st.caption(T("range.ulp_caption"))


def explorer() -> None:
    """Type a value or pattern, flip bits, see it in every format."""
    def on_format_change() -> None:  # a pattern belongs to the old format: carry its value over instead
        old = st.session_state.get("fmt_prev", "fp16")
        try:
            p = parse_input(st.session_state["x"], old)
            if p.bits is not None:
                st.session_state["x"] = repr(decode_encoding(p.bits, old).value)
        except ValueError:
            pass

    c1, c2 = st.columns([1, 3])
    fmt = c1.selectbox(T("explorer.format"), NAMES, key="fmt", on_change=on_format_change)
    st.session_state["fmt_prev"] = fmt
    text = c2.text_input(T("explorer.input"), key="x", help=T("explorer.help"), max_chars=MAX_INPUT_CHARS)
    try:
        parsed = parse_input(text, fmt)
    except ParseError as e:
        st.warning(T("explorer.error_bad", msg=say(e)))
        return
    if parsed.note:
        st.info(say(parsed.note))
    enc = decode_encoding(parsed.bits, fmt) if parsed.bits is not None else encode(parsed.value, fmt)
    x = enc.value if parsed.bits is not None else parsed.value
    spec = FORMATS[fmt]

    def flip(group: str, positions: list[int]) -> None:
        chosen = set(st.session_state[f"bits_{group}_{enc.bits}_{fmt}"] or [])
        bits = enc.bits & ~sum(1 << p for p in positions) | sum(1 << p for p in chosen)
        st.session_state["x"] = f"0x{bits:0{(spec.bits + 3) // 4}X}"

    st.caption(T("explorer.bits"))
    top = spec.man_bits + spec.exp_bits
    groups = [(g, p) for g, p in [("sign", [top] if spec.signed else []), ("exponent", list(range(top - 1,
              spec.man_bits - 1, -1))), ("mantissa", list(range(spec.man_bits - 1, -1, -1)))] if p]
    cols = st.columns([max(len(p), 1 if g == "sign" else 2) for g, p in groups])

    def label(p: int) -> str:
        return f"{enc.bits >> p & 1}{str(p).translate(SUBSCRIPT)}"

    for col, (group, positions) in zip(cols, groups if enc.bits is not None else [], strict=False):
        col.pills(T(f"explorer.{group}"), positions, selection_mode="multi", format_func=label,
                  default=[p for p in positions if enc.bits >> p & 1],
                  key=f"bits_{group}_{enc.bits}_{fmt}", on_change=flip, args=(group, positions))
    cls = T(f"class.{enc.cls}")
    st.markdown(f"**{T('explorer.stored', fmt=fmt)}**: `{html.escape(enc.exact)}` · {cls} · `{enc.hex}`")
    st.caption(T("explorer.formula"))
    if parsed.bits is None:
        rounding(parsed.value, fmt, enc)
    st.subheader(T("explorer.every"))
    # the edited format's row is the encoding of what was typed (its error against the typed value), not the
    # stored value decoded again, whose error would always be 0
    rows = [enc if n == fmt else encode(x, n) for n in NAMES]
    st.dataframe(pd.DataFrame({
        T("col.format"): [r.format for r in rows], T("col.bits"): [r.bit_string for r in rows],
        T("col.hex"): [r.hex for r in rows], T("col.class"): [T(f"class.{r.cls}") for r in rows],
        T("col.value"): [r.exact for r in rows], T("col.error"): [_error(r, r.error) for r in rows],
        T("col.rel"): [_error(r, r.rel_error) for r in rows],
    }), hide_index=True, width="stretch")
    st.caption(T("explorer.torch_note"))
    publish("fmt", "x")


def rounding(x: float, fmt: str, enc) -> None:
    """How the typed value was rounded into the format: its two neighbours, the ulp between them, the error
    and the rule that chose (nearest, ties to even, overflow, saturation)."""
    d = rounding_decision(x, fmt)
    st.subheader(T("explorer.rounding", fmt=fmt))
    c = st.columns(4)
    c[0].metric(T("explorer.below"), _g(d.below))
    c[1].metric(T("explorer.above"), _g(d.above))
    c[2].metric(T("explorer.ulp"), _g(d.ulp))
    rel = f"{enc.rel_error:.3%}" if enc.error_kind == "finite" else _error(enc, enc.rel_error)
    c[3].metric(T("explorer.error"), _error(enc, enc.error), T("explorer.rel", rel=rel), delta_color="off")
    if d.via is not None:
        st.caption(say(d.via))
    st.info(say(d.reason))


def _g(v: float) -> str:
    return f"{v:.10g}"


def _error(enc, value: float) -> str:
    """An error as a number, or why there is none: 65520 in fp16 overflows to inf, an error the engine does not
    make a NaN of."""
    kind = enc.error_kind
    if kind == "finite":
        return f"{value:.3e}"
    return T(f"err.{kind}", value=enc.exact if kind == "overflow" else enc.input)


def gradients() -> None:
    """The live gradient histogram with the chosen format's zones and a loss-scale slider."""
    cap: GradientCapture = below_fp8.capture()
    n_params = sum(v.size for v in cap.weights.values())
    st.markdown(T("grad.intro", params=f"{n_params:,}", steps=cap.step))
    layer_names = ["activation", "weight"] + [g.name for g in cap.layers]
    if st.session_state.get("layer") not in layer_names:
        st.session_state["layer"] = "activation"
    c1, c2, c3 = st.columns([2, 1, 2])
    labels = {"activation": T("grad.all_act"), "weight": T("grad.all_weight")}
    labels |= {g.name: f"{g.name} ({T(f'kind.{g.kind}')})" for g in cap.layers}
    layer = c1.selectbox(T("grad.layer"), layer_names, key="layer", format_func=labels.__getitem__)
    fmt = c2.selectbox(T("grad.format"), ELEMENTS, key="gfmt")
    log2_scale = c3.slider(T("grad.scale"), 0, 40, key="scale")
    values = cap.values(kind=layer) if layer in ("activation", "weight") else cap.values(name=layer)
    fr = loss_fractions(values, fmt, 2.0**log2_scale)
    cols = st.columns(4)
    for col, key in zip(cols, ["overflow", "underflow", "subnormal", "normal"], strict=True):
        col.metric(T(f"grad.{key}"), f"{getattr(fr, key):.4%}")
    st.caption(T("grad.count", count=f"{fr.count:,}", zeros=f"{fr.exact_zeros:,}", loss=cap.loss))
    st.plotly_chart(P.gradient_histogram(values, fmt, 2.0**log2_scale, labels=PL), width="stretch")
    st.subheader(T("grad.sweep"))
    sweep = np.arange(0, 41, 2)
    fractions = [loss_fractions(values, fmt, 2.0**s) for s in sweep]
    st.plotly_chart(P.fractions_by_scale(values, fmt, sweep, fractions, labels=PL), width="stretch")
    page.csv_download(T("grad.csv"), [{"log2_scale": s, **f.__dict__} for s, f in zip(sweep, fractions, strict=True)],
                      "lost_fractions.csv")
    st.subheader(T("grad.update"))
    st.markdown(T("grad.update_body"))
    lr = st.select_slider(T("grad.lr"), [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1], value=1e-2, key="lr")
    w = np.concatenate([cap.weights[g.name] for g in cap.layers if g.kind == "weight"])
    g = cap.values(kind="weight")
    st.dataframe(pd.DataFrame({T("col.format"): ELEMENTS, T("grad.lost_updates"):
                               [f"{lost_update_fraction(w, -lr * g, n):.2%}" for n in ELEMENTS]}), hide_index=True)
    publish("layer", "gfmt", "scale")


def training() -> None:
    """Train fp32 / fp16 / fp16+scaler / bf16 side by side; loss curves and the scaler's timeline. The run
    recorded on this machine kind is shown at once where one matches; a live run goes to the background."""
    st.markdown(T("train.intro"))
    c = st.columns(3)
    steps = c[0].slider(T("train.steps"), 20, 400, step=10, key="steps")
    init = c[1].slider(T("train.init_scale"), 0, 40, key="init")
    interval = c[2].number_input(T("train.interval"), 1, 2000, key="interval")
    c = st.columns(3)
    opt = c[0].segmented_control(T("train.optimizer"), list(OPTIMIZERS), key="opt") or TRAIN.optimizer
    weights = c[1].segmented_control(T("train.weights"), list(WEIGHTS), format_func=lambda w: T(f"train.w.{w}"),
                                     key="weights") or TRAIN.weights
    lr = c[2].select_slider(T("train.lr"), LRS, key="tlr")
    publish("steps", "init", "interval", "opt", "weights", "tlr")
    cfg = TrainingSettings(steps, float(lr), init, int(interval), opt, weights)
    shipped = [r for r in map(lambda n: recorded.load("numerics", n), RECORDED) if r is not None]
    rec = next((r for r in shipped if r.settings == dataclasses.asdict(cfg)), None)
    # any recording's seconds per step give the pace: every one trains the same model on the same machine kind
    unit_s = shipped[0].seconds / (len(MODES) * shipped[0].settings["steps"]) if shipped else None
    go = st.button(T("train.run"), type="primary")
    jobs.estimate_caption(unit_s and unit_s * len(MODES) * steps)
    here = T("train.this_server", device=device_label())  # where a live run trains (the job has no page to ask)
    ran = jobs.live_or_recorded(("training", cfg), lambda tick: (compare_precisions(
        MODES, progress=lambda i, _n, loss: tick(i + 1, f"loss {loss:.3f}"), **cfg.kwargs()), here),
        total=len(MODES) * steps, start_now=go, unit_s=unit_s, rec=rec,
        from_rows=lambda rows: (_runs(rows), rec.machine["cpu"]))
    if ran is None:
        return
    results, machine = ran
    st.subheader(T("train.loss"))
    st.plotly_chart(P.loss_curves(results, labels=PL), width="stretch")
    st.subheader(T("train.scale"))
    st.plotly_chart(P.scale_timeline(results["fp16_scaled"].scale_history, labels=PL), width="stretch")
    st.subheader(T("train.summary"))
    st.dataframe(pd.DataFrame({
        T("train.col.mode"): list(results), T("train.col.final"): [round(r.final_loss, 4) for r in results.values()],
        T("train.col.skipped"): [len(r.skipped) for r in results.values()],
        T("train.col.zeros"): [f"{np.mean(r.zero_grad_fraction):.3%}" for r in results.values()],
        T("train.col.stuck"): [f"{np.mean(r.stuck_fraction):.3%}" for r in results.values()],
        T("train.col.seconds"): [round(r.seconds, 2) for r in results.values()],
    }), hide_index=True)
    base = results["fp32"].seconds
    st.caption(T("train.seconds_note", machine=machine, r16=results["fp16"].seconds / base,
                 rbf=results["bf16"].seconds / base))
    effect = scaling_effect(results)
    gains = [scaling_effect(_runs(r.rows)).gain for r in shipped]
    if gains:
        st.caption(T("train.scaling", fp16=effect.fp16, scaled=effect.scaled, gain=effect.gain, fp32=effect.fp32,
                     zeros16=effect.zeros_fp16, zeros32=effect.zeros_fp32, n=len(gains), best=max(gains)))
    st.caption(T("train.why_adamw"))
    placement = {m: shared_result(("autocast", m, pick_device().type), lambda m=m: autocast_placement(m))
                 for m in ("fp16", "bf16")}
    st.caption(T("train.autocast", parts="; ".join(
        f"{m}: " + ", ".join(f"{T(f'part.{p}')} {d}" for p, d in parts.items()) for m, parts in placement.items())))
    curves = pd.DataFrame({m: r.losses for m, r in results.items()}).rename_axis("step")
    st.download_button(T("train.csv"), curves.to_csv(), "loss_curves.csv", "text/csv")
    doctor.view()

def _runs(rows: list) -> dict[str, RunResult]:
    """A recorded comparison's runs (its first row: the training comparisons have one seed)."""
    return {m: RunResult.from_dict(d) for m, d in rows[0].items()}


main()
