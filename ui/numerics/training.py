"""The numerics page's loss-scaling view: fp32 / fp16 / fp16+scaler / bf16 trained side by side, their loss curves,
the scaler's timeline and what autocast placed where, then the loss-scale doctor. Every number drawn was returned
by engine.numerics (a live run, or the recording shipped for this machine kind)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import streamlit as st

from engine import recorded
from engine.device import pick_device
from engine.numerics import plots as P
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
from ui import jobs
from ui.cache import shared_result
from ui.chrome import device_label
from ui.i18n import translator
from ui.numerics import doctor
from ui.numerics.blocks import _pl
from ui.state import choice, int_in, number_in, publish
from ui.text.numerics import TEXT

T = translator(TEXT)
TRAIN = TrainingSettings()
LRS = [1e-3, 3e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.3, 1.0]
PARAMS = [("steps", TRAIN.steps, int_in(20, 400)), ("init", TRAIN.init_log2, int_in(0, 40)),
          ("interval", TRAIN.growth_interval, int_in(1, 2000)), ("opt", TRAIN.optimizer, choice(list(OPTIMIZERS))),
          ("weights", TRAIN.weights, choice(list(WEIGHTS))), ("tlr", TRAIN.lr, number_in(LRS))]


def view() -> None:
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
    pl = _pl()
    st.subheader(T("train.loss"))
    st.plotly_chart(P.loss_curves(results, labels=pl), width="stretch")
    st.subheader(T("train.scale"))
    st.plotly_chart(P.scale_timeline(results["fp16_scaled"].scale_history, labels=pl), width="stretch")
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
