"""The numerics page's format views: every format's widths, bias, limits and precision computed from its spec, and
where each format's zones lie on the number line with its relative spacing. Also the format lists the other views
choose from."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.numerics import FORMATS
from engine.numerics import plots as P
from ui import page
from ui.i18n import translator
from ui.numerics.blocks import _pl
from ui.state import items_of
from ui.text.numerics import TEXT

T = translator(TEXT)
NAMES = list(FORMATS)
ELEMENTS = [n for n in NAMES if FORMATS[n].role == "element"]  # formats that hold values (not E8M0, a scale)
PARAMS = [("rfmts", NAMES, items_of(NAMES))]


def table() -> None:
    """Every format's widths, bias, limits and precision, computed from its spec."""
    st.caption(T("formats.caption"))
    rows = P.format_table()

    def cell(r: dict, k: str) -> object:
        if k == "note":
            return T(f"note.{r['format']}")
        return (r[k] or T("ref.bits")) if k == "reference" else r[k]

    shown = [{T(f"fcol.{k}"): cell(r, k) for k in r} for r in rows]
    st.dataframe(pd.DataFrame(shown), hide_index=True, width="stretch")
    page.csv_download(T("formats.csv"), rows, "formats.csv")


def ranges() -> None:
    """Where each format's normal, subnormal and overflow zones lie, and its relative spacing (ulp / |x|)."""
    pl = _pl()
    chosen = st.multiselect(T("range.formats"), NAMES, key="rfmts")
    st.subheader(T("range.line"))
    st.plotly_chart(P.number_line(chosen or NAMES, labels=pl), width="stretch")
    st.caption(T("range.line_caption"))
    st.subheader(T("range.ulp"))
    st.plotly_chart(P.ulp_curves([n for n in (chosen or NAMES) if n != "fp64"] or ["fp16"], labels=pl), width="stretch")
    st.caption(T("range.ulp_caption"))
