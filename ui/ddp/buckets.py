"""The DDP page's bucket timeline: when each gradient bucket's all-reduce ran against backward."""

from __future__ import annotations

import streamlit as st

from engine.ddp import bucket_timeline
from engine.ddp import plots as P
from ui import page
from ui.ddp.settings import CAPS, Settings
from ui.ddp.world import World
from ui.i18n import plot_labels, translator
from ui.text.ddp import TEXT

T = translator(TEXT)


def buckets(s: Settings, w: World) -> None:
    """When each gradient bucket's all-reduce ran against backward, for a chosen bucket_cap_mb."""
    st.header(T("buckets"))
    st.markdown(T("buckets.intro"))
    cap = st.select_slider(T("cap"), CAPS, key="cap", format_func=lambda v: f"{v:g} MB")
    tl = w.run(("timeline", cap), bucket_timeline, bucket_cap_mb=cap)
    if tl is None:
        return
    st.plotly_chart(P.timeline_figure(tl, plot_labels(TEXT, P.LABELS)), width="stretch")
    st.caption(T("overlap.yes" if tl.overlaps else "overlap.no", k=len(tl.buckets),
                 first=f"{tl.buckets[0].launch_ms:.1f}", last=f"{tl.last_grad_ms:.1f}",
                 p=f"{tl.parameters / 1e6:.1f}", mb=f"{tl.gradient_bytes / 2**20:.0f}"))
    page.csv_download(T("csv.buckets"), [b.__dict__ for b in tl.buckets], "bucket_timeline.csv")
