"""The API-export page's two generators side by side on the untouched demo package, and its deliberate clash."""

from __future__ import annotations

import importlib
import sys

import pandas as pd
import streamlit as st

from engine.apiexport import ExportError, compare, scan_imports, scan_source
from engine.apiexport.demo._api import API
from engine.apiexport.measure import DEMO
from ui.api_export.settings import ROOT
from ui.cache import shared_result
from ui.i18n import say, translator
from ui.text.api_export import TEXT

T = translator(TEXT)


def generators() -> None:
    """The two generators side by side on the untouched package: importing it, and reading its source."""
    st.header(T("generators"))
    by_import = shared_result(("apiexport-import",), lambda: scan_imports("engine.apiexport.demo", API, ROOT))
    by_source = shared_result(("apiexport-source",), lambda: scan_source(DEMO, {"demo_export"}, root=ROOT,
                                                                          base=DEMO.parents[2]))
    same = all(d.equal for d in compare(by_import, by_source))
    (st.success if same else st.error)(T("same" if same else "differ", m=len(by_import),
                                         n=sum(len(v) for v in by_import.values())))
    rows = [{T("col.module"): m, T("col.import"): len(by_import.get(m, {})), T("col.ast"): len(by_source.get(m, {}))}
            for m in sorted(set(by_import) | set(by_source))]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.markdown(T("ide"))


def clash() -> None:
    """The deliberate clash, imported for real: the error a developer would see."""
    st.header(T("clash"))
    sys.modules.pop("engine.apiexport.demo_clash", None)  # a failed import is not cached; make sure of it
    try:
        importlib.import_module("engine.apiexport.demo_clash")
        st.warning(T("clash.none"))
    except ExportError as e:
        st.code(f"ExportError: {e.message}", language=None)
        st.caption(T("clash.note", msg=say(e)))
