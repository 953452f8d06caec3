"""The VQ-VAE page's FSQ and rotation-trick view (issue #35): both alternatives computed live by
engine.vqvae.quantizers in two dimensions, with every number in the text read from the result."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from engine.vqvae import plots as P
from engine.vqvae.alternatives import load_study
from engine.vqvae.quantizer_demo import fsq_demo, rotation_demo
from ui.cache import shared_result
from ui.state import publish

LEVELS = list(range(3, 17))
SPREADS = [0.1, 0.25, 0.5, 1.0, 2.0, 4.0]
PARAMS = [("fl1", 5), ("fl2", 5), ("fspread", 1.0), ("rangle", 60), ("rratio", 1.5), ("rg", 200)]


def walk_fsq(p: dict) -> dict:
    """The numbers walkthrough step `p` (an FSQ preset) quotes, computed from the preset."""
    u = fsq_demo((p["fl1"], p["fl2"]), p["fspread"]).usage
    return {"used": u.used, "k": u.codebook_size, "spread": f"{p['fspread']:g}", "n": f"{u.tokens:,}",
            "l1": p["fl1"], "l2": p["fl2"]}


def walk_rotation(p: dict) -> dict:
    """The numbers walkthrough step `p` (a rotation preset) quotes, computed from the preset."""
    r = rotation_demo(p["rangle"], p["rratio"], p["rg"])
    return {"turn": f"{r.gradient_turn_deg:.0f}", "scale": f"{r.scale:.3g}", "angle": p["rangle"],
            "ratio": f"{p['rratio']:g}"}


def walk_study() -> dict:
    """The numbers the walkthrough's study step quotes: mean held-out codes used per rule over the shipped seeds."""
    table = load_study()
    if table is None:
        return {"seeds": "–", "loss": "?", "rotation": "?", "fsq": "?", "k": "?"}
    rows = table["rows"]

    def used(rule: str) -> str:
        return f"{statistics.fmean(r['codes_used'] for r in rows if r['rule'] == rule):.1f}"

    return {"seeds": ", ".join(map(str, table["seeds"])), "loss": used("loss"), "rotation": used("rotation"),
            "fsq": used("fsq"), "k": rows[0]["of"]}


def view(T: Callable[..., str], labels: Mapping[str, str]) -> None:
    """FSQ on a plane of points, then one vector through both gradient estimators."""
    st.markdown(T("fsq.intro"))
    c = st.columns(3)
    l1 = c[0].select_slider(T("fsq.l1"), LEVELS, key="fl1")
    l2 = c[1].select_slider(T("fsq.l2"), LEVELS, key="fl2")
    spread = c[2].select_slider(T("fsq.spread"), SPREADS, key="fspread")
    demo = shared_result(("vq-fsq", l1, l2, spread), lambda: fsq_demo((l1, l2), spread))
    u = demo.usage
    m = st.columns(3)
    m[0].metric(T("fsq.used"), f"{u.used} / {u.codebook_size}")
    m[1].metric(T("col.perplexity"), f"{u.perplexity:.1f}")
    m[2].metric(T("fsq.points"), f"{u.tokens:,}")
    st.plotly_chart(P.fsq_plane(demo, labels=labels), width="stretch")
    st.caption(T("fsq.caption", n=f"{u.tokens:,}", spread=f"{spread:g}", used=u.used, k=u.codebook_size,
                 l1=l1, l2=l2, ppl=f"{u.perplexity:.1f}"))
    st.subheader(T("rot.title"))
    st.markdown(T("rot.intro"))
    c = st.columns(3)
    angle = c[0].slider(T("rot.angle"), -180, 180, step=5, key="rangle")
    ratio = c[1].select_slider(T("rot.ratio"), [0.25, 0.5, 1.0, 1.5, 2.0, 4.0], key="rratio")
    g_deg = c[2].slider(T("rot.g"), 0, 355, step=5, key="rg")
    publish("fl1", "fl2", "fspread", "rangle", "rratio", "rg")
    r = rotation_demo(angle, ratio, g_deg)
    m = st.columns(3)
    m[0].metric(T("rot.turn"), f"{r.turn_deg:.1f}°")
    m[1].metric(T("rot.gturn"), f"{r.gradient_turn_deg:.1f}°")
    m[2].metric(T("rot.scale"), f"{r.scale:.3f}")
    st.plotly_chart(P.rotation_plane(r, labels=labels), width="stretch")
    st.caption(T("rot.caption", straight=f"({r.straight[0]:.3f}, {r.straight[1]:.3f})",
                 rotated=f"({r.rotated[0]:.3f}, {r.rotated[1]:.3f})", turn=f"{r.gradient_turn_deg:.1f}",
                 scale=f"{r.scale:.3f}"))
    study(T, labels)


def study(T: Callable[..., str], labels: Mapping[str, str]) -> None:
    """FSQ and the rotation trick trained beside the three rules (the shipped study): held-out codes used,
    perplexity and MSE over seeds, and each rule's gap ‖z_q − z_e‖ over training."""
    st.subheader(T("study.title"))
    table = load_study()
    if table is None:
        st.info(T("study.missing"))
        return
    rows, seeds = table["rows"], table["seeds"]
    rules = list(dict.fromkeys(r["rule"] for r in rows))

    def cell(rule: str, key: str, fmt: str) -> str:
        v = [r[key][-1] if key == "gap" else r[key] for r in rows if r["rule"] == rule]
        return f"{statistics.fmean(v):{fmt}} ({min(v):{fmt}}–{max(v):{fmt}})"

    st.dataframe(pd.DataFrame({
        T("col.rule"): [T(f"rule.{u}") for u in rules],
        T("col.used"): [cell(u, "codes_used", ".1f") + f" / {next(r['of'] for r in rows if r['rule'] == u)}"
                        for u in rules],
        T("col.perplexity"): [cell(u, "perplexity", ".1f") for u in rules],
        T("col.mse"): [cell(u, "mse", ".4f") for u in rules],
        T("study.col.gap"): [cell(u, "gap", ".3f") for u in rules],
    }), hide_index=True, width="stretch")
    names = {u: T(f"rule.{u}") for u in rules}
    st.plotly_chart(P.gap_curves(rows, table["settings"]["every"], names, labels=labels), width="stretch")
    st.caption(T("study.caption", seeds=", ".join(map(str, seeds)), steps=f"{table['settings']['steps']:,}",
                 levels="×".join(map(str, table["settings"]["fsq_levels"])), date=table["date"],
                 cpu=table["machine"]["cpu"], command=table["command"]))
