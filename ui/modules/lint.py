"""The modules page's "yours" view (issue #33): the linter on the visitor's own module source (pasted or
uploaded, or the bundled example), each finding linked to the part of the page that shows its consequence live.
Nothing is computed unless the view is switched on; the source is read with `ast`, never run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from engine.modules.linter import CODES, LIMIT, lint_report, super_init_consequence
from ui import artifacts, page
from ui.cache import shared_result
from ui.i18n import say

EXAMPLE = Path(__file__).parents[2] / "engine" / "modules" / "examples" / "classifier.py"
# where each mistake's consequence runs live on this page: the widget values that show it, and the section
LINKS = {"functional_dropout_training": ({"twin": "Dropout", "mode": "eval", "naive": True}, "live"),
         "softmax_no_dim": ({"twin": "Softmax", "mode": "train", "naive": True}, "live"),
         "plain_list_of_modules": ({"bug": "plain_list"}, "inspect"),
         "tensor_attribute": ({"bug": "tensor_attr"}, "inspect")}


def _show(values: dict) -> None:
    st.session_state.update(values)


def section(T) -> None:
    """The linter's view, behind a toggle bound to the URL (the URL never holds the source)."""
    st.header(T("lint"), anchor="yours")
    st.markdown(T("lint.intro", limit=f"{LIMIT:,}"))
    if not st.toggle(T("lint.show"), key="yours"):
        return
    brought = artifacts.bring("modules-lint", EXAMPLE.read_text(), EXAMPLE.name, ["py", "txt"],
                              help_text=T("lint.help"))
    artifacts.source_caption(brought)
    if brought.source == "example":
        report = shared_result(("modules-lint-example",), lambda: lint_report(brought.data))
    else:  # the visitor's own text: read for this session only, never cached across visitors
        report = artifacts.read_or_explain(T, lint_report, brought)
    if report is None:
        return
    c = st.columns(3)
    c[0].metric(T("lint.findings"), report.total)
    c[1].metric(T("lint.classes"), len(report.classes))
    c[2].metric(T("lint.calls"), report.calls)
    page.notes(report.notes)
    if report.findings:
        st.dataframe(pd.DataFrame([{T("lint.col.line"): f.line, T("lint.col.column"): f.column,
                                    T("lint.col.code"): f.code, T("lint.col.message"): say(f.message, False)}
                                   for f in report.findings]), hide_index=True, width="stretch")
    for code in CODES:
        if not any(f.code == code for f in report.findings):
            continue
        lines = ", ".join(str(f.line) for f in report.findings if f.code == code)
        with st.container(border=True):
            st.markdown(f"**{T(f'lint.code.{code}')}** · {T('lint.lines', lines=lines)}")
            st.markdown(T(f"lint.why.{code}"))
            if code in LINKS:
                values, where = LINKS[code]
                st.button(T("lint.go", where=T(where)), key=f"lint_go_{code}", on_click=_show, args=(values,))
            else:  # missing super().__init__(): PyTorch's own error, from a class of ours run now
                st.caption(T("lint.super_live"))
                st.code(shared_result(("modules-super-init",), super_init_consequence), language=None)
    if brought.source != "example" and isinstance(brought.data, str):
        with st.expander(T("lint.source"), key="lint_source"):
            st.code(brought.data, language="python", line_numbers=True)
