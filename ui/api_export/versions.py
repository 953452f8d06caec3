"""The API-export page's second Keras version (issue #35): the same generator code, no edits, run on another
wheel, and the golden API diff between the two versions, read from the shipped recordings and re-run on request."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from engine import recorded
from engine.apiexport.keras import KERAS, KERAS_OLD, version_diff
from engine.apiexport.measure import keras_rows, keras_settings, versions_settings
from ui import jobs, page


def view(T: Callable[..., str]) -> None:
    """Metrics of the old version through the same code, then the diff table."""
    st.subheader(T("versions", old=KERAS_OLD, new=KERAS))
    go = st.button(T("versions.run"), key="versions_run")
    old = jobs.live_or_recorded(("apiexport-keras", KERAS_OLD), lambda tick: keras_rows(
        KERAS_OLD, lambda m: tick(0, m)), total=1, start_now=go,
        rec=recorded.matching("apiexport", ["keras_old"], keras_settings(KERAS_OLD)))
    diff = jobs.live_or_recorded(("apiexport-keras-diff", KERAS_OLD, KERAS), lambda tick: version_diff(
        progress=lambda m: tick(0, m)), total=1, start_now=go,
        rec=recorded.matching("apiexport", ["keras_diff"], versions_settings()))
    if not old or diff is None:
        return
    agree = sum(r["equal"] for r in old)
    c = st.columns(3)
    c[0].metric(T("keras.modules"), f"{agree} / {len(old)}")
    c[1].metric(T("keras.names"), f"{sum(r['found'] for r in old):,} / {sum(r['expected'] for r in old):,}")
    c[2].metric(T("versions.changed"), len(diff))
    added = sum(len(r["added"].split()) for r in diff)
    removed = sum(len(r["removed"].split()) for r in diff)
    moved = sum(len(r["moved"].split()) for r in diff)
    agreeing = sum(r["regenerated_agrees"] for r in diff)
    st.caption(T("versions.caption", old=KERAS_OLD, new=KERAS, agree=agree, modules=len(old), added=added,
                 removed=removed, moved=moved, changed=len(diff), agreeing=agreeing))
    if diff:
        st.dataframe(pd.DataFrame([{T("col.module"): r["module"], T("col.added"): r["added"],
                                    T("col.removed"): r["removed"], T("col.moved"): r["moved"],
                                    T("versions.col.regenerated"): T("yes") if r["regenerated_agrees"] else T("no")}
                                   for r in diff]), hide_index=True, width="stretch")
        page.csv_download(T("versions.csv"), diff, "keras_api_diff.csv", key="versions_csv")
