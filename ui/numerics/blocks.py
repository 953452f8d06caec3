"""The numerics page's views below FP8: block scaling on a real tensor, one injected outlier, and the simulated
low-precision training. Kept apart from pages/numerics.py so that page stays short; the page calls one
function per view, and every number drawn here was returned by `engine.numerics`."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from engine import recorded
from engine.numerics import blockplots as BP
from engine.numerics import plots as P
from engine.numerics.blocks import SCHEMES, BlockQuant, QuantError, quantize_scheme
from engine.numerics.blockstudy import (
    KINDS,
    OUTLIER_SCHEMES,
    STUDY_SCHEMES,
    captured,
    compare_schemes,
    error_study,
    outlier_study,
)
from engine.numerics.gradients import GradientCapture, capture_gradients
from engine.numerics.lowbit import PART_NAMES, RECIPES, Parts, parts_of
from engine.numerics.summary import RecipeSpread, mean_curves, recipe_spreads
from engine.numerics.training import (
    RECORDED_LOWBIT,
    LowbitSettings,
    RunResult,
    compare_recipes_over_seeds,
    recipe_runs,
)
from engine.scheduler import Tick
from ui import jobs, page
from ui.cache import in_child, shared_result
from ui.i18n import plot_labels, say, translator
from ui.state import choice, int_in, items_of, number_in, progress_callback, publish
from ui.text.numerics import TEXT

T = translator(TEXT)
GRAD_STEPS = 300  # the fp32 run whose tensors every view studies (the gradients view's run)
LAYERS = ["blocks.0.qkv", "blocks.0.proj", "blocks.0.fc", "blocks.0.out", "blocks.1.qkv", "blocks.1.proj",
          "blocks.1.fc", "blocks.1.out", "head"]
SIZES = [0, 4, 8, 16, 32, 64, 128, 256]  # 0: the scheme's own block
FACTORS = [10, 100, 1000, 10_000, 100_000]
LOWBIT = LowbitSettings()
LRS = [1e-3, 3e-3, 1e-2, 2e-2]
SEEDS = [1, 2, 3]
ABSENT = ("fp8_tensor", "fp8_deepseek", "mxfp4", "nvfp4", "fp4_tensor")  # recipes whose published form does more
PARAMS = [("tlayer", "blocks.0.fc", choice(LAYERS)), ("tkind", "activation", choice(list(KINDS))),
          ("scheme", "mxfp4", choice(list(SCHEMES))), ("bsize", 0, number_in(SIZES)),
          ("factor", 1000, number_in(FACTORS)), ("oscheme", "fp4_tensor", choice(list(OUTLIER_SCHEMES))),
          ("recipes", list(RECIPES), items_of(list(RECIPES))), ("lsteps", LOWBIT.steps, int_in(20, 400)),
          ("llr", LOWBIT.lr, number_in(LRS)), ("lseeds", LOWBIT.seeds, number_in(SEEDS)),
          ("lparts", [], items_of(list(PART_NAMES)))]


def _pl() -> dict[str, str]:
    """The numerics plots' labels in the language of this run (this module is imported once per server)."""
    return plot_labels(TEXT, P.LABELS)


def _bl() -> dict[str, str]:
    """The block-scaling plots' labels in the language of this run."""
    return plot_labels(TEXT, BP.LABELS)


def capture() -> GradientCapture:
    """The live fp32 run's gradients and tensors, trained once per server (with progress the first time)."""
    bar = st.empty()
    update = progress_callback(bar.progress(0.0), T("grad.training"))

    def work(tick: Tick) -> GradientCapture:  # in a child: the loss travels as the progress's text
        return capture_gradients(steps=GRAD_STEPS, progress=lambda step, _steps, loss: tick(step, repr(loss)))

    def tick(done: float, what: str = "") -> None:
        if what:  # between reports the child's last progress comes again; before the first there is no loss yet
            update(int(done), GRAD_STEPS, float(what))

    cap = shared_result(("gradients", GRAD_STEPS), lambda: in_child(work, tick))
    bar.empty()
    return cap


def _tensor_picker(cap: GradientCapture):
    """Layer and kind of the captured tensor to study; returns (layer, kind, values)."""
    c1, c2 = st.columns([2, 3])
    layer = c1.selectbox(T("blocks.layer"), LAYERS, key="tlayer")
    kind = c2.segmented_control(T("blocks.kind"), list(KINDS), format_func=page.formatter(T, "kind", KINDS),
                                key="tkind") or "activation"
    publish("tlayer", "tkind")
    return layer, kind, captured(cap, layer, kind)


def block_scaling(cap: GradientCapture) -> None:
    """A real tensor split into blocks: its values, each block's scale, the error; every scheme beside it."""
    st.markdown(T("blocks.intro"))
    layer, kind, x = _tensor_picker(cap)
    c1, c2 = st.columns([2, 3])
    scheme = c1.selectbox(T("blocks.scheme"), list(SCHEMES), key="scheme",
                          format_func=page.formatter(T, "scheme", list(SCHEMES)))
    own = SCHEMES[scheme].block_for(kind)
    size = c2.select_slider(T("blocks.size"), SIZES, key="bsize", disabled=own is None,
                            format_func=lambda b: T("blocks.size_default") if b == 0 else str(b))
    publish("scheme", "bsize")
    try:
        q = quantize_scheme(x, scheme, kind, size=size or None)
    except QuantError as e:  # every control is bounded, so this is a defect: say what the engine said
        st.warning(say(e))
        return
    quantized(q, own is not None)
    st.subheader(T("blocks.every", layer=layer, kind=T(f"kind.{kind}")))
    rows = compare_schemes(x, kind, layer=layer)
    st.plotly_chart(BP.sqnr_by_bits(rows, scheme, labels=_bl()), width="stretch")
    study_table(rows)
    st.caption(T("blocks.rules"))
    st.subheader(T("blocks.pooled"))
    pooled = [r for r in shared_result(("block-study", GRAD_STEPS), lambda: error_study(cap)) if r.layer == "all"]
    table = pd.DataFrame({T("col.scheme"): list(STUDY_SCHEMES)} | {
        T(f"kind.{k}"): [round(next(r.sqnr_db for r in pooled if r.kind == k and r.scheme == s), 2)
                         for s in STUDY_SCHEMES] for k in KINDS})
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(T("blocks.pooled_caption"))
    page.csv_download(T("blocks.csv"), [dataclasses.asdict(r) for r in pooled], "block_scaling_sqnr.csv")


def quantized(q: BlockQuant, blocked: bool) -> None:
    """One quantisation's metrics (SQNR, bits, block, saturated, flushed), its counts and its heatmaps."""
    cols = st.columns(5)
    shape = "×".join(map(str, q.block_shape)) if blocked else T("blocks.whole")
    for col, (key, value) in zip(cols, [("sqnr", f"{q.sqnr_db:.2f} dB"), ("bits", f"{q.bits_per_value:.3f}"),
                                        ("block", shape), ("saturated", f"{q.saturated:,}"),
                                        ("flushed", f"{q.flushed:,}")], strict=True):
        col.metric(T(f"blocks.m.{key}"), value)
    rows, cols_ = q.original.shape[-2:]
    st.caption(T("blocks.count", values=f"{q.original.numel():,}", rows=rows, cols=cols_,
                 blocks=f"{q.scales.numel():,}", scale=q.scale or "—", element=q.element))
    st.plotly_chart(BP.block_heatmaps(q, labels=_bl()), width="stretch")
    st.caption(T("blocks.heat_caption", rows=min(64, rows)))


def study_table(rows: list) -> None:
    """Every scheme's format (element, block, scale) and what it did to the tensor: SQNR, bits, saturated, flushed."""
    schemes = [SCHEMES[r.scheme] for r in rows]
    st.dataframe(pd.DataFrame({
        T("col.scheme"): [r.scheme for r in rows], T("col.element"): [s.element for s in schemes],
        T("col.block"): [_block(s.block_for(r.kind)) for s, r in zip(schemes, rows, strict=True)],
        T("col.scale_fmt"): [(s.scale or "—") + (" + fp32" if s.tensor_scale else "") for s in schemes],
        T("col.sqnr"): [round(r.sqnr_db, 2) for r in rows],
        T("col.rel"): [f"{r.rel_error:.3%}" for r in rows], T("col.bpv"): [round(r.bits_per_value, 3) for r in rows],
        T("col.saturated"): [r.saturated for r in rows], T("col.flushed"): [r.flushed for r in rows],
    }), hide_index=True, width="stretch")


def _block(b) -> str:
    return T("blocks.whole") if b is None else "×".join(map(str, b)) if isinstance(b, tuple) else str(b)


def outlier(cap: GradientCapture) -> None:
    """One value replaced by a large multiple of the tensor's max: who pays, per-tensor or per-block scaling."""
    st.markdown(T("outlier.intro"))
    layer, kind, x = _tensor_picker(cap)
    factor = st.select_slider(T("outlier.factor"), FACTORS, key="factor", format_func=lambda f: f"{f:,}×")
    publish("factor")
    study = shared_result(("outlier", GRAD_STEPS, layer, kind, factor), lambda: outlier_study(x, kind, factor))
    st.caption(T("outlier.where", row=study.position[0], col=study.position[1], value=f"{study.value:.4g}"))
    st.plotly_chart(BP.outlier_bars(study, labels=_bl()), width="stretch")
    st.dataframe(pd.DataFrame({
        T("col.scheme"): [c.scheme for c in study.cases], T("outlier.clean"): [round(c.sqnr_clean_db, 2)
                                                                             for c in study.cases],
        T("outlier.spiked"): [round(c.sqnr_spiked_db, 2) for c in study.cases],
        T("outlier.hurt"): [f"{c.blocks_hurt:,} / {c.blocks:,}" for c in study.cases],
        T("outlier.own"): [f"{c.outlier_rel_error:.2%}" for c in study.cases],
    }), hide_index=True, width="stretch")
    shown = st.segmented_control(T("outlier.show"), list(OUTLIER_SCHEMES), key="oscheme",
                                 format_func=page.formatter(T, "scheme", list(OUTLIER_SCHEMES))) or "fp4_tensor"
    publish("oscheme")
    case = next(c for c in study.cases if c.scheme == shown)
    st.plotly_chart(BP.block_heatmaps(case.spiked, labels=_bl()), width="stretch")
    st.caption(T("outlier.caption"))


def _per_seed(rows: list) -> list[dict[str, RunResult]]:
    """A recorded comparison's runs: one row per seed, one run per recipe."""
    return [{m: RunResult.from_dict(d) for m, d in row.items()} for row in rows]


def _recipe(m: str) -> str:
    if m.endswith("+"):  # the recipe run again with the chosen parts of the published recipes
        return T("lowbit.with_parts", recipe=_recipe(m[:-1]))
    return T(f"scheme.{m}") if m != "fp32" else "fp32"


def findings(spreads: list[RecipeSpread], seeds: int, steps: int) -> str:
    """What the comparison shows, worded from its numbers: the order of the mean final losses and, per recipe,
    whether every seed puts it behind or ahead of fp32 or the seeds disagree (the gap lies within the spread)."""
    order = ", ".join(f"{r.recipe} {r.mean:.4f}" for r in spreads)
    if not any(r.gaps is not None for r in spreads):
        return T("lowbit.findings_no_base", seeds=seeds, steps=steps, order=order)
    if seeds < 2:
        return T("lowbit.findings_one", steps=steps, order=order)
    groups = {v: ", ".join(f"{r.recipe} ({r.gap:+.4f})" for r in spreads if r.verdict == v) or T("lowbit.none")
              for v in ("behind", "within", "ahead")}
    return T("lowbit.findings", seeds=seeds, steps=steps, order=order, **groups)


def recorded_findings() -> str:
    """`findings` of the shipped recording (the walkthrough's step), or "none" when none is shipped."""
    rec = recorded.load("numerics", next(iter(RECORDED_LOWBIT)))
    if rec is None:
        return T("lowbit.none")
    return findings(recipe_spreads(_per_seed(rec.rows)), len(rec.rows), rec.settings["steps"])


def lowbit() -> None:
    """fp32, bf16, per-tensor and tiled FP8, MXFP4 and NVFP4 trained side by side over seeds, fake-quantised."""
    st.markdown(T("lowbit.intro"))
    chosen = st.multiselect(T("lowbit.recipes"), list(RECIPES), key="recipes") or ["fp32"]
    c1, c2, c3 = st.columns(3)
    steps = c1.slider(T("train.steps"), 20, 400, step=10, key="lsteps")
    lr = c2.select_slider(T("train.lr"), LRS, key="llr")
    seeds = c3.select_slider(T("lowbit.seeds"), SEEDS, key="lseeds")
    chosen_parts = st.pills(T("lowbit.parts"), list(PART_NAMES), selection_mode="multi", key="lparts",
                            format_func=page.formatter(T, "lpart", PART_NAMES), help=T("lowbit.parts_help")) or []
    publish("recipes", "lsteps", "llr", "lseeds", "lparts")
    cfg = LowbitSettings(steps, float(lr), int(seeds))
    recipes = tuple(r for r in RECIPES if r in chosen)
    parts = parts_of(chosen_parts)
    shipped = recorded.load("numerics", next(iter(RECORDED_LOWBIT)))
    rec = (shipped if shipped and shipped.settings == dataclasses.asdict(cfg) and recipes == RECIPES
           and parts == Parts() else None)
    # the recording's seconds per recipe-step give the pace (quantised recipes cost about the same each)
    unit_s = shipped.seconds / (len(RECIPES) * shipped.settings["steps"] * len(shipped.rows)) if shipped else None
    total = len(recipe_runs(recipes, parts)) * steps * cfg.seeds
    go = st.button(T("lowbit.run"), type="primary", key="lowbit_run")
    jobs.estimate_caption(unit_s and unit_s * total)
    per_seed = jobs.live_or_recorded(("lowbit", cfg, recipes, parts), lambda tick: compare_recipes_over_seeds(
        recipes, progress=lambda i, _n, loss: tick(i + 1, f"loss {loss:.3f}"), parts=parts, **cfg.kwargs()),
        total=total, start_now=go, unit_s=unit_s, rec=rec, from_rows=_per_seed)
    if per_seed is None:
        return
    st.plotly_chart(P.loss_curves(mean_curves(per_seed), labels=_pl()), width="stretch")
    st.caption(T("lowbit.curves", seeds=len(per_seed)))
    spreads = recipe_spreads(per_seed)

    def span(values: list[float] | None) -> str:
        return "—" if values is None else f"{min(values):.4f} – {max(values):.4f}"

    st.dataframe(pd.DataFrame({
        T("lowbit.col.recipe"): [_recipe(r.recipe) for r in spreads],
        T("lowbit.col.mean"): [round(r.mean, 4) for r in spreads],
        T("lowbit.col.std"): [round(r.std, 4) for r in spreads],
        T("lowbit.col.range"): [span(r.finals) for r in spreads],
        T("lowbit.col.gap"): [None if r.gap is None else round(r.gap, 4) for r in spreads],
        T("lowbit.col.gap_range"): [span(r.gaps) for r in spreads],
        T("lowbit.col.verdict"): ["—" if r.verdict is None else T(f"lowbit.v.{r.verdict}") for r in spreads],
    }), hide_index=True, width="stretch")
    st.markdown(findings(spreads, len(per_seed), steps))
    st.caption(T("lowbit.caption"))
    st.subheader(T("lowbit.absent"))
    st.dataframe(pd.DataFrame({T("lowbit.col.recipe"): [_recipe(m) for m in ABSENT],
                               T("lowbit.absent.col"): [T(f"lowbit.absent.{m}") for m in ABSENT]}),
                 hide_index=True, width="stretch")
    curves = pd.DataFrame({f"{m}/seed{s}": r.losses for s, runs in enumerate(per_seed) for m, r in runs.items()})
    st.download_button(T("train.csv"), curves.rename_axis("step").to_csv(), "lowbit_loss_curves.csv", "text/csv",
                       key="lowbit_csv")
