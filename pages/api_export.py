"""API export decorators: one function, several public names, and the public tree generated from them, on a demo
package and against the tree Keras 3 ships."""

import streamlit as st

from engine.apiexport.scan import MODES
from ui import page
from ui.api_export import imports, rules
from ui.api_export import yours as yours_view
from ui.api_export.generators import clash, generators
from ui.api_export.keras import keras
from ui.api_export.live import generated, live
from ui.api_export.settings import SYMBOLS, Settings
from ui.chrome import ensure_navigation
from ui.i18n import translator
from ui.state import bind_all, choice, publish, walkthrough
from ui.text.api_export import TEXT

ensure_navigation()
T = translator(TEXT)
DEFAULT_DECORATOR = '@demo_export("math.add", "add", v1=["math.add", "add"])'
PARAMS = [("symbol", "add", choice(list(SYMBOLS))), ("decorator", DEFAULT_DECORATOR, lambda s: s[:400]),
          ("module", "demo.math", lambda s: s[:100]), ("mode", "eager", choice(list(MODES))),
          ("yours", False, lambda s: s == "True"), ("ydeco", "demo_export", lambda s: s[:200]),
          ("yroot", "demo", lambda s: s[:100])]
PRESETS = {1: {"symbol": "add", "decorator": DEFAULT_DECORATOR, "module": "demo.math"},
           2: {"symbol": "add", "decorator": '@demo_export("math.plus", "plus", "ops.add")', "module": "demo.ops"},
           3: {"symbol": "_helper", "decorator": '@demo_export("math.helper")', "module": "demo.math"},
           4: {"symbol": "relu", "decorator": '@demo_export("math.add")', "module": "demo.math"},
           5: {"module": "demo.math", "mode": "lazy"},
           6: {"module": "demo.math", "mode": "stub"},
           7: {"symbol": "add", "decorator": DEFAULT_DECORATOR, "module": "demo.nn", "mode": "eager"},
           8: {"yours": True, "ydeco": "demo_export", "yroot": "demo"},
           9: {"module": "demo", "mode": "lazy"}}
FORMULAS = (r"\texttt{tf\_export} = \mathrm{partial}(\texttt{api\_export})",  # one short line each: phones
            r"\texttt{@tf\_export('math.add')}",
            r"\Rightarrow\ \texttt{tf.math.add}")


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(T, *FORMULAS)
    s = controls()
    tree = live(s)
    if tree is not None:
        generated(s, tree)
    generators()
    imports.view(T)
    clash()
    rules.view(T)
    keras()
    yours()
    st.header(T("walk"))
    walkthrough(_with(T, **{"walk.8": _walk_yours, "walk.9": imports.walk}), PRESETS)
    publish(*(p[0] for p in PARAMS))


def controls() -> Settings:
    """Which demo symbol to decorate and the decorator line, read as data (never run)."""
    bind_all(PARAMS)
    with page.controls_box(T):
        c = st.columns([1, 3])
        c[0].selectbox(T("symbol"), list(SYMBOLS), key="symbol")
        c[1].text_input(T("decorator"), key="decorator", help=T("decorator.help"), max_chars=400)  # the engine's limit
    return Settings(st.session_state["symbol"], st.session_state["decorator"], st.session_state["module"],
                    st.session_state["mode"] or "eager")


def yours() -> None:
    """Part 8: the visitor's own package archive, shown only when asked for (nothing is read before)."""
    st.header(T("yours"))
    if st.toggle(T("yours.show"), key="yours"):
        yours_view.view(T)


def _with(tr, **fill):
    """`tr`, with the text of each key in `fill` formatted from what that function returns (computed when shown)."""
    return lambda key, **kw: tr(key, **(kw | fill[key]())) if key in fill else tr(key, **kw)


def _walk_yours() -> dict:
    new, old = yours_view.example_trees()
    return yours_view.diff_counts(yours_view.diff_rows(old, new))


main()
