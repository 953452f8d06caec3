"""The API-export page's live result and step-through (parts 3 and 4): the registry after re-decorating the chosen
symbol, and the public tree generated from it, module by module."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.apiexport import ExportError, parse_decorator, redecorate, registry, render_tree, tree_of
from engine.apiexport.demo import config, layers, math_ops  # noqa: F401 - importing them registers their exports
from engine.apiexport.demo._api import API
from engine.apiexport.scan import MODES
from ui import page
from ui.api_export import yours
from ui.api_export.settings import ROOT, SYMBOLS, Settings
from ui.i18n import say, translator
from ui.text.api_export import TEXT

T = translator(TEXT)


def live(s: Settings):
    """Part 3: the registry after re-decorating the chosen symbol (on a copy: the live package is untouched)."""
    st.header(T("live"))
    try:
        _, names, v1 = parse_decorator(s.decorator)
        reg = redecorate(registry(API), SYMBOLS[s.symbol], names, v1)
    except ExportError as e:
        (st.error if e.code == "apiexport.clash" else st.warning)(T("refused", msg=say(e)))
        return None
    rows = [{T("col.version"): e.version, T("col.name"): f"{ROOT}.{'compat.v1.' if e.version == 'v1' else ''}{e.name}",
             T("col.source"): e.source, T("col.kind"): T(f"kind.{e.kind}"),
             T("col.canonical"): T("yes") if e.canonical else T("no")} for e in reg.rows()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(T("live.note", n=len(rows), symbol=s.symbol))
    page.csv_download(T("csv.registry"), rows, "registry.csv")
    return tree_of(reg, ROOT)


def generated(s: Settings, tree) -> None:
    """Part 4: the generated __init__.py of each public module (eager or lazy), or the .pyi stub beside it."""
    st.header(T("tree"))
    files = render_tree(tree, s.mode)
    modules = list(files)
    if st.session_state.get("module") not in modules:
        st.session_state["module"] = modules[0]
    c = st.columns([3, 2])
    module = c[0].selectbox(T("module"), modules, key="module")
    c[1].segmented_control(T("mode"), list(MODES), format_func=page.formatter(T, "mode", MODES), key="mode")
    st.code(files[module], language="python")
    yours.download_files(T, files, s.mode, "tree_zip")
    st.caption(T(f"{s.mode}.note", file="__init__.pyi" if s.mode == "stub" else "__init__.py"))
