"""Helpers for the AppTest page tests: open a page as a browser visit would, check it is clean, read its text."""

from __future__ import annotations

import json
import re

from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT
from ui.registry import HOME


def open_page(page: str, lang: str = "en", **params: str) -> AppTest:
    """Run app.py with `lang` (and `params`) in the URL and switch to `page`, as a browser visit would."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(params, lang=lang)
    at.run()
    if page != HOME:
        at.switch_page(page)
        at.run()
    return at


def settle(at: AppTest, timeout_s: float = 600) -> AppTest:
    """Let every background job the page started end, then run the page again, as its progress fragment
    would in a browser once the job is done."""
    from ui import jobs

    jobs.wait_all(timeout_s)
    at.run(timeout=timeout_s)
    return at


def assert_clean(at: AppTest) -> None:
    """No exception and no st.error element on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# proto fields that hold text a person reads (code blocks and formulas are not prose)
_TEXT_FIELDS = {"body", "label", "help", "placeholder", "options", "value", "default", "caption", "text",
                "title", "delta", "description"}
_SKIP_TYPES = {"code", "latex", "Code"}


def _strings(obj: object, key: str = "") -> list[str]:
    if isinstance(obj, str):
        return [obj] if key in _TEXT_FIELDS else []
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in _strings(v, k)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v, key)]
    return []


def _plotly_strings(spec: str) -> list[str]:
    """Titles, axis titles, trace names, hover templates and bar texts of a plotly figure."""
    fig = json.loads(spec)
    out: list[str] = []

    def title(t: object) -> None:
        if isinstance(t, dict):
            t = t.get("text")
        if isinstance(t, str):
            out.append(t)

    layout = fig.get("layout", {})
    title(layout.get("title"))
    for k, v in layout.items():
        if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict):
            title(v.get("title"))
    for a in layout.get("annotations", []):
        out.append(str(a.get("text", "")))
    for tr in fig.get("data", []):
        for k in ("name", "hovertemplate"):
            if isinstance(tr.get(k), str):
                out.append(tr[k])
        if isinstance(tr.get("text"), list):
            out.extend(t for t in tr["text"] if isinstance(t, str))
    return [re.sub(r"%\{[^}]*\}|<[^>]+>", " ", s) for s in out]


def visible_text(at: AppTest, data_columns: tuple[str, ...] = (), data_markdown: tuple[str, ...] = ()) -> list[str]:
    """Every piece of text the page shows: markdown (HTML tags removed), labels, options, alerts, table headers
    and cells, metric labels, plotly titles, axis titles, legends and hover texts. Code blocks and LaTeX are left
    out, and so is data the page displays rather than says: the cells of `data_columns` (by header) and markdown
    holding any of `data_markdown` (e.g. a model's generated text)."""
    out: list[str] = []

    def walk(node) -> None:
        kids = getattr(node, "children", None)
        if kids:
            for k in kids.values() if isinstance(kids, dict) else kids:
                walk(k)
            return
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if proto is None or kind in _SKIP_TYPES or type(proto).__name__ in _SKIP_TYPES:
            return
        if type(proto).__name__ == "Markdown" and getattr(proto, "element_type", 0) == 2:  # st.latex
            return
        if kind == "dataframe":
            frame = node.value
            out.extend(str(c) for c in frame.columns)
            out.extend(v for col in frame.columns if col not in data_columns
                       for v in frame[col].tolist() if isinstance(v, str))
            return
        if type(proto).__name__ == "PlotlyChart":
            out.extend(_plotly_strings(proto.spec))
            return
        fields = MessageToDict(proto, preserving_proto_field_name=True)
        if kind in ("text_input", "text_area"):  # what the user typed is theirs, not the page's
            fields = {k: v for k, v in fields.items() if k not in ("value", "default")}
        texts = _strings(fields)
        if type(proto).__name__ == "Markdown":
            if any(marker in t for t in texts for marker in data_markdown):
                return
            texts = [re.sub(r"<[^>]+>", " ", t) for t in texts]
        out.extend(texts)

    walk(at._tree)
    return [s for s in out if s.strip()]
