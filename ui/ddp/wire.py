"""The DDP page's bytes-on-the-wire section (issue #34): one large all-reduce per method with the loopback
interface's counters read around it, measured beside scheduled bytes, with nccl-tests' algbw and busbw. Shows the
shipped recording at once and measures live in the background when asked (engine.ddp.wire)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from engine import recorded
from engine.ddp import warm_cluster
from engine.ddp.measure import measure_wire, wire_settings
from engine.ddp.wire import Wire
from ui import jobs, page


def section(T: Callable[..., str], n: int, go: bool) -> None:
    """Measured against scheduled bytes for every method on `n` processes; `go` measures again now."""
    st.subheader(T("wire"))
    st.markdown(T("wire.intro"))
    rows = jobs.live_or_recorded(("ddp-wire", n), lambda tick: measure_wire(warm_cluster(n), _ticks(tick)),
                                 total=4, start_now=go, isolate=False,  # the server's warm world
                                 rec=recorded.matching("ddp", [f"wire_n{n}"], wire_settings(n)))
    if not rows:
        return
    wires = [Wire(**r) for r in rows]
    table = [{T("col.method"): T(f"m.{w.method}"), T("wire.col.scheduled"): f"{w.scheduled_bytes / 2**20:,.2f}",
              T("wire.col.measured"): f"{w.measured_bytes / 2**20:,.2f}" if w.measured_bytes is not None else "–",
              T("wire.col.overhead"): f"{w.overhead:+.2%}" if w.overhead is not None else "–",
              T("wire.col.ms"): f"{w.ms:,.1f}", T("wire.col.algbw"): f"{w.algbw_gbps:.3f}",
              T("wire.col.busbw"): f"{w.busbw_gbps:.3f}"} for w in wires]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    ring = next((w for w in wires if w.method == "ring"), wires[0])
    if ring.measured_bytes is None:
        st.caption(T("wire.no_lo"))
    else:
        st.caption(T("wire.note", n=n, s=f"{ring.buffer_bytes / 2**20:g}", ring=f"{ring.scheduled_bytes / 2**20:g}",
                     over=f"{ring.overhead:.2%}"))
    page.csv_download(T("csv.wire"), rows, f"wire_bytes_n{n}.csv")


def _ticks(tick):
    return lambda done, total: tick(done, f"{done}/{total}")
