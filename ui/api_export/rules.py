"""The API-export page's section on TensorFlow's two rules for export records (issue #35): a symbol is exported
once per API, and a subclass inherits no names. Both are run live on the demo package."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from engine.apiexport import EXPORT_ATTR, ExportError, names_of, scan_imports
from engine.apiexport.demo import layers, math_ops
from engine.apiexport.demo._api import API, demo_export
from ui.cache import shared_result
from ui.i18n import say


def reexport_attempt() -> ExportError | None:
    """Decorate demo's `add` a second time in its API, as a developer adding an alias by a second decorator would;
    the error (nothing is recorded when it is raised), or None if it were let through."""
    try:
        demo_export("math.plus")(math_ops.add)
    except ExportError as e:
        return e
    return None


def subclass_rows(root: str = "demo") -> list[dict]:
    """Dense (exported) and Linear (its unexported subclass): each one's own names, what getattr would hand it,
    and where the import scan puts it."""
    tree = shared_result(("apiexport-import",), lambda: scan_imports("engine.apiexport.demo", API, root))
    out = []
    for cls in (layers.Dense, layers.Linear):
        source = f"{cls.__module__}:{cls.__qualname__}"
        own, inherited = names_of(cls, API), getattr(cls, EXPORT_ATTR, {}).get(API, {})
        out.append({"symbol": cls.__qualname__, "base": cls.__base__.__qualname__,
                    "own": ", ".join(own["v2"] + own["v1"]),
                    "getattr": ", ".join(inherited.get("v2", []) + inherited.get("v1", [])),
                    "in_tree": sorted(f"{m}.{n}" for m, v in tree.items() for n, s in v.items() if s == source)})
    return out


def view(T: Callable[..., str]) -> None:
    """Part: the two rules, each shown by running it."""
    st.header(T("rules"))
    e = reexport_attempt()
    if e is None:
        st.error(T("rules.reexport_none"))
    else:
        st.code(f"ExportError: {e.message}", language=None)
        st.caption(T("rules.reexport", msg=say(e)))
    rows = subclass_rows()
    st.dataframe(pd.DataFrame([{T("col.symbol"): r["symbol"], T("col.base"): r["base"],
                                T("col.own"): r["own"] or "—", T("col.getattr"): r["getattr"] or "—",
                                T("col.in_tree"): ", ".join(r["in_tree"]) or "—"} for r in rows]),
                 hide_index=True, width="stretch")
    child = rows[1]
    st.caption(T("rules.subclass", child=child["symbol"], base=child["base"], names=child["getattr"] or "—",
                 n=len(child["in_tree"])))
