"""API export decorators: one function, several public names, and the public tree generated from them, on a demo
package and against the tree Keras 3 ships."""

import importlib
import sys
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from engine import recorded
from engine.apiexport import (
    ExportError,
    compare,
    parse_decorator,
    redecorate,
    registry,
    render_tree,
    scan_imports,
    scan_source,
    tree_of,
)
from engine.apiexport.bench import DEMO, keras_rows, keras_settings, names_by_origin
from engine.apiexport.demo import config, layers, math_ops  # noqa: F401 - importing them registers their exports
from engine.apiexport.demo._api import API
from engine.apiexport.keras import KERAS, ORIGINS
from engine.apiexport.scan import MODES
from ui import apiexport_imports, apiexport_rules, apiexport_versions, apiexport_yours, jobs, page
from ui.cache import shared_result
from ui.chrome import ensure_navigation
from ui.i18n import say, translator
from ui.state import bind_all, choice, publish, walkthrough
from ui.text.api_export import TEXT

ensure_navigation()
T = translator(TEXT)
ROOT = "demo"
SYMBOLS = {"add": "engine.apiexport.demo.math_ops:add", "multiply": "engine.apiexport.demo.math_ops:multiply",
           "reduce_sum": "engine.apiexport.demo.math_ops:reduce_sum", "relu": "engine.apiexport.demo.layers:relu",
           "Dense": "engine.apiexport.demo.layers:Dense", "_helper": "engine.apiexport.demo.math_ops:_helper"}
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


@dataclass(frozen=True)
class Settings:
    """The symbol, the decorator typed for it, the generated module shown, eager, lazy or stub; bound to the URL."""

    symbol: str
    decorator: str
    module: str
    mode: str


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(T, *FORMULAS)
    s = controls()
    tree = live(s)
    if tree is not None:
        generated(s, tree)
    generators()
    apiexport_imports.view(T)
    clash()
    apiexport_rules.view(T)
    keras()
    yours()
    st.header(T("walk"))
    walkthrough(_with(T, **{"walk.8": _walk_yours, "walk.9": apiexport_imports.walk}), PRESETS)
    publish(*(p[0] for p in PARAMS))


def controls() -> Settings:
    """Which demo symbol to decorate and the decorator line, read as data (never run)."""
    bind_all(PARAMS)
    with st.container(border=True):
        st.subheader(T("controls"))
        c = st.columns([1, 3])
        c[0].selectbox(T("symbol"), list(SYMBOLS), key="symbol")
        c[1].text_input(T("decorator"), key="decorator", help=T("decorator.help"), max_chars=400)  # the engine's limit
    return Settings(st.session_state["symbol"], st.session_state["decorator"], st.session_state["module"],
                    st.session_state["mode"] or "eager")


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
    apiexport_yours.download_files(T, files, s.mode, "tree_zip")
    st.caption(T(f"{s.mode}.note", file="__init__.pyi" if s.mode == "stub" else "__init__.py"))


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
    apiexport_versions.view(T)


def yours() -> None:
    """Part 8: the visitor's own package archive, shown only when asked for (nothing is read before)."""
    st.header(T("yours"))
    if st.toggle(T("yours.show"), key="yours"):
        apiexport_yours.view(T)


def _with(tr, **fill):
    """`tr`, with the text of each key in `fill` formatted from what that function returns (computed when shown)."""
    return lambda key, **kw: tr(key, **(kw | fill[key]())) if key in fill else tr(key, **kw)


def _walk_yours() -> dict:
    new, old = apiexport_yours.example_trees()
    return apiexport_yours.diff_counts(apiexport_yours.diff_rows(old, new))


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


main()
