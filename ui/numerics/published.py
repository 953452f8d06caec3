"""The published FP8 / FP4 recipes, whole and stripped of their parts, on the wider GPT (issue #35): the bench's
recording (engine.numerics.published), drawn under the FP8 / FP4 training view. Every sentence is worded from it."""

from __future__ import annotations

import statistics

import pandas as pd
import streamlit as st

from engine import recorded
from engine.numerics import plots as P
from engine.numerics.blocks import SCHEMES
from engine.numerics.published import RECORDED_PUBLISHED, VARIANTS, WIDE
from engine.numerics.summary import mean_curves, recipe_spreads
from engine.numerics.training import RunResult
from ui.jobs import recorded_caption
from ui.numerics.blocks import T, _pl, findings

WHOLE = {"mxfp4_published": "mxfp4", "nvfp4_published": "nvfp4"}  # the whole recipe -> the same scheme stripped


def load() -> list[dict[str, RunResult]] | None:
    """The shipped recording: one dict of runs per seed, or None when none was shipped."""
    rec = recorded.load("numerics", RECORDED_PUBLISHED)
    return None if rec is None else [{m: RunResult.from_dict(d) for m, d in row.items()} for row in rec.rows]


def ablation(per_seed: list[dict[str, RunResult]]) -> str:
    """What the published parts changed: each whole recipe's final loss minus the stripped one's, per seed."""
    parts = []
    for whole, plain in WHOLE.items():
        d = [runs[whole].final_loss - runs[plain].final_loss for runs in per_seed]
        verdict = "lower" if max(d) < 0 else "higher" if min(d) > 0 else "mixed"
        parts.append(T(f"pub.ablation.{verdict}", whole=T(f"pub.{whole}"), mean=f"{statistics.mean(d):+.4f}",
                       lo=f"{min(d):+.4f}", hi=f"{max(d):+.4f}"))
    return " ".join(parts)


def view() -> None:
    """The recording's curves, its table over seeds and what it says; nothing when none was shipped."""
    rec = recorded.load("numerics", RECORDED_PUBLISHED)
    per_seed = load()
    if rec is None or per_seed is None:
        return
    st.subheader(T("pub.title", width=WIDE.width))
    st.markdown(T("pub.intro", width=WIDE.width, layers=WIDE.layers, context=WIDE.context,
                  batch=rec.settings["batch"], steps=rec.settings["steps"], seeds=len(per_seed)))
    recorded_caption(rec)
    st.plotly_chart(P.loss_curves(mean_curves(per_seed), labels=_pl()), width="stretch")
    spreads = recipe_spreads(per_seed)
    st.dataframe(pd.DataFrame({
        T("lowbit.col.recipe"): [T(f"pub.{r.recipe}") for r in spreads],
        T("lowbit.col.mean"): [round(r.mean, 4) for r in spreads],
        T("lowbit.col.std"): [round(r.std, 4) for r in spreads],
        T("lowbit.col.gap"): [None if r.gap is None else round(r.gap, 4) for r in spreads],
        T("lowbit.col.gap_range"): ["—" if r.gaps is None else f"{min(r.gaps):.4f} – {max(r.gaps):.4f}"
                                    for r in spreads],
        T("lowbit.col.verdict"): ["—" if r.verdict is None else T(f"lowbit.v.{r.verdict}") for r in spreads],
    }), hide_index=True, width="stretch")
    st.markdown(findings(spreads, len(per_seed), rec.settings["steps"]))
    st.markdown(ablation(per_seed))
    side = SCHEMES["nvfp4"].block_for("weight")
    st.caption(T("pub.caption", variants=len(VARIANTS), tile=f"{side}×{side}"))
