"""The API-export page's measured part (part 5): Keras 3's public API regenerated from its decorators against what
its wheel ships, and where the regenerated names come from."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine import recorded
from engine.apiexport.keras import KERAS, ORIGINS
from engine.apiexport.measure import keras_rows, keras_settings, names_by_origin
from ui import jobs, page
from ui.api_export import versions
from ui.i18n import translator
from ui.text.api_export import TEXT

T = translator(TEXT)


def keras() -> None:
    """Part 5: Keras 3's public API regenerated from its decorators against what its wheel ships."""
    st.header(T("keras"))
    st.markdown(T("keras.intro", spec=KERAS))
    go = st.button(T("keras.run"), key="keras_run")
    rec = recorded.matching("apiexport", ["keras"], keras_settings())
    rows = jobs.live_or_recorded(("apiexport-keras", KERAS), lambda tick: keras_rows(KERAS, lambda m: tick(0, m)),
                                 total=1, start_now=go, rec=rec)
    if not rows:
        return
    agree = sum(r["equal"] for r in rows)
    c = st.columns(3)
    c[0].metric(T("keras.modules"), f"{agree} / {len(rows)}")
    c[1].metric(T("keras.names"), f"{sum(r['found'] for r in rows)} / {sum(r['expected'] for r in rows)}")
    c[2].metric(T("keras.diffs"), len(rows) - agree)
    table = [{T("col.module"): r["module"], T("col.expected"): r["expected"], T("col.found"): r["found"],
              T("col.missing"): r["missing"], T("col.extra"): r["extra"]} for r in rows]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    st.caption(T("keras.rules"))
    origins(rows)
    page.csv_download(T("csv.keras"), rows, "keras_api_check.csv")
    versions.view(T)


def origins(rows: list[dict]) -> None:
    """How many of the regenerated names the decorators placed, and how many each generator rule added."""
    split = names_by_origin(rows)
    found = sum(split.values())
    st.dataframe(pd.DataFrame([{T("col.origin"): T(f"origin.{o}"), T("col.names"): f"{split[o]:,}",
                                T("col.share"): f"{split[o] / found:.1%}"} for o in ORIGINS]),
                 hide_index=True, width="stretch")
    rules = found - split["decorator"]
    st.caption(T("keras.split", found=f"{found:,}", decorator=f"{split['decorator']:,}",
                 dpct=f"{split['decorator'] / found:.0%}", rules=f"{rules:,}", rpct=f"{rules / found:.0%}", spec=KERAS))
