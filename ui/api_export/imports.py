"""The API-export page's measured part (issue #35): `import demo` eager against lazy in fresh processes, shipped
as a recording (engine/apiexport/recorded/imports.json) and measured again on request."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from engine import recorded
from engine.apiexport.measure import import_rows, import_settings
from ui import jobs


def walk() -> dict:
    """The numbers the walkthrough's import step quotes: the shipped recording's module counts."""
    rec = recorded.matching("apiexport", ["imports"], import_settings())
    by = {r["mode"]: r for r in rec.rows} if rec else {}
    return {m: by[m]["modules"] if by else "?" for m in ("eager", "lazy")} | {
        "after": by["lazy"]["modules_after_use"] if by else "?"}


def view(T: Callable[..., str]) -> None:
    """The table, modules loaded beside the time (a count load cannot change), and what it says."""
    st.header(T("imports"))
    st.markdown(T("imports.intro"))
    go = st.button(T("imports.run"), key="imports_run")
    s = import_settings()
    rec = recorded.matching("apiexport", ["imports"], s)
    rows = jobs.live_or_recorded(("apiexport-imports",), lambda tick: import_rows(
        s["rounds"], lambda i, n: tick(i, f"{i}/{n}")), total=2 * s["rounds"], start_now=go, rec=rec)
    if not rows:
        return
    by = {r["mode"]: r for r in rows}
    st.dataframe(pd.DataFrame([{
        T("col.mode"): T(f"mode.{r['mode']}"), T("col.import_ms"): f"{r['import_ms']:.1f} ({r['import_ms_min']:.1f}–"
                                                                     f"{r['import_ms_max']:.1f})",
        T("col.modules"): r["modules"], T("col.after_use"): r["modules_after_use"],
        T("col.use_ms"): f"{r['use_ms']:.1f}"} for r in rows]), hide_index=True, width="stretch")
    e, lz = by["eager"], by["lazy"]
    st.caption(T("imports.caption", root=s["root"], use=s["use"], eager=e["modules"], lazy=lz["modules"],
                 after=lz["modules_after_use"], ratio=f"{e['import_ms'] / lz['import_ms']:.0f}",
                 rounds=s["rounds"]))
