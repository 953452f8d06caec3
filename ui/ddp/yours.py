"""The DDP page's "yours" view (issue #33): a visitor's nccl-tests `*_perf` output, read and recomputed by
engine.ddp.nccltests, fitted, and drawn on the same axes as our ring and gloo on this server."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

import pandas as pd
import streamlit as st

from engine import recorded
from engine.ddp import nccltests
from engine.ddp import plots as P
from engine.ddp.measure import sweep_settings
from ui.artifacts import bring, read_or_explain, source_caption
from ui.cache import cached_result
from ui.i18n import say
from ui.jobs import recorded_caption
from ui.page import csv_download, md

EXAMPLE = Path(nccltests.__file__).parent / "examples" / "all_reduce_perf_example.txt"


@cache
def example_text() -> str:
    """The bundled example, written by Glassbox in nccl-tests' format (labelled so in its first line)."""
    return EXAMPLE.read_text()


@cache
def example_run() -> nccltests.NcclRun:
    """The bundled example, read (what the walkthrough quotes)."""
    return nccltests.read(example_text())


def _ours(n: int) -> list[dict]:
    """Our all-reduce sweep on `n` processes: the live one when this server measured it, else the shipped recording
    (captioned with where and when)."""
    found, rows = cached_result(("ddp-sweep", n))
    if found and rows:
        return rows
    rec = recorded.matching("ddp", [f"allreduce_n{n}"], sweep_settings(n))
    if rec is None:
        return []
    recorded_caption(rec)
    return rec.rows


def view(T: Callable[..., str], labels: Mapping[str, str], n: int) -> None:
    """Paste or upload (or the example), then the run's facts, what does not add up, its rows and the figure."""
    st.markdown(T("yours.intro"))
    b = bring("ddp_yours", example_text(), EXAMPLE.name, ["txt", "log", "out"])
    source_caption(b)
    run = read_or_explain(T, nccltests.read, b)
    if run is None:
        return
    alpha, bus = run.fit() if len({r.size for r in run.rows}) > 1 else (None, None)
    c = st.columns(5)
    c[0].metric(T("yours.collective"), run.collective)
    c[1].metric(T("yours.ranks"), run.world_size)
    c[2].metric(T("yours.rows"), len(run.rows))
    c[3].metric(T("yours.alpha"), f"{alpha:.3g} µs" if alpha is not None else "–")
    c[4].metric(T("yours.busbw"), f"{bus:.4g} GB/s" if bus is not None else "–")
    devices = sorted({f"{r.name} × {sum(x.name == r.name for x in run.ranks)}" for r in run.ranks if r.name})
    if devices:
        st.caption(T("yours.devices", devices="; ".join(devices)))
    checked = sum(2 if r.in_place else 1 for r in run.rows) * 2
    if run.problems:
        st.warning(T("yours.problems", k=len(run.problems)))
        for p in run.problems[:50]:
            st.markdown(f"- {md(say(p))}")
    else:
        st.success(T("yours.clean", k=checked, factor=f"{run.factor:.4g}", n=run.world_size))
    ours = _ours(n)
    st.plotly_chart(P.nccl_figure(run, ours, n, labels), width="stretch")
    if ours:
        st.caption(T("yours.ours", n=n))
    frame = pd.DataFrame([{
        T("yours.col.size"): r.size, T("yours.col.count"): r.count, T("yours.col.type"): r.type,
        T("yours.col.redop"): r.redop, T("yours.col.time"): r.out_of_place.time_us,
        T("yours.col.algbw"): r.out_of_place.algbw,
        T("yours.col.recomputed"): round(r.size / (t * 1e3), 3) if (t := r.out_of_place.time_us) else None,
        T("yours.col.busbw"): r.out_of_place.busbw,
        T("yours.col.time_in"): r.in_place.time_us if r.in_place else None,
        T("yours.col.wrong"): r.out_of_place.wrong} for r in run.rows])
    st.dataframe(frame, hide_index=True, width="stretch")
    csv_download(T("yours.csv"), frame, f"{run.collective}_recomputed.csv")
