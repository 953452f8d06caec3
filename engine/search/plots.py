"""Plotly figures for the search page: explanations, posting strips, the trace, the scan-vs-index race."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import partial

import plotly.graph_objects as go

from engine.plotting import label, log_axis
from engine.search.inspect import PostingStats
from engine.search.results import SearchResult

_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=40))
LABELS = {  # English defaults; pages pass their translations (keys: "plot.<key>" in the page's table)
    "contrib_title": "BM25 score of each hit, split by query term", "score": "score",
    "steps_title": "documents after each step", "set_size": "set size",
    "strip_title": "{label}: {n} of {total} documents", "doc_number": "doc number",
    "scan": "scan the forward index", "inverted": "inverted index lookup", "documents": "documents",
    "ms_per_query": "ms per query", "containers_title": "“{term}”: {n} documents", "array": "array",
    "bitmap": "bitmap", "run": "run", "containers": "containers", "roaring_bytes": "roaring bytes",
    "int32_bytes": "int32 bytes", "bytes": "bytes",
    **{f"op_{op}": op for op in ("parse", "term", "and", "or", "not", "phrase", "prefix", "field", "score", "top-k")},
}
Labels = Mapping[str, str] | None


_lab = partial(label, LABELS)  # _lab(labels, key, **fmt): the page's label or the English default


def contributions(hits: list, labels: Labels = None) -> go.Figure:
    """Every hit's score as stacked per-term BM25 contributions (hover: idf × tf-norm, tf, dl)."""
    names = [f"{i + 1}. {h.doc.title or h.doc_id}"[:30] for i, h in enumerate(hits)]
    weights = [{d.params["term"]: d for d in h.explanation.details} if h.explanation else {} for h in hits]
    terms = list(dict.fromkeys(t for w in weights for t in w))
    fig = go.Figure()
    for term in terms:
        xs, data = [], []
        for w in weights:
            d = w.get(term)
            xs.append(d.value if d else 0.0)
            idf_part, tf_part = (d.part("expl.idf"), d.part("expl.tf_norm")) if d else (None, None)
            data.append([idf_part.value, tf_part.value, tf_part.part("expl.tf").value, tf_part.part("expl.dl").value]
                        if d else [0, 0, 0, 0])
        fig.add_trace(go.Bar(x=xs, y=names, name=term, orientation="h", customdata=data,
                             hovertemplate=term + ": %{x:.4f} = idf %{customdata[0]:.4f} × tf-norm "
                                                  "%{customdata[1]:.4f}<br>tf %{customdata[2]:.0f}, "
                                                  "dl %{customdata[3]:.0f}<extra></extra>"))
    fig.update_layout(barmode="stack", title=_lab(labels, "contrib_title"), height=120 + 28 * len(hits),
                      xaxis_title=_lab(labels, "score"), yaxis=dict(autorange="reversed"), **_LAYOUT)
    return fig


def trace_steps(result: SearchResult, upto: int, labels: Labels = None) -> go.Figure:
    """Result-set size after each step of the trace (log scale, each bar labelled with its count), steps after
    `upto` faded. The parse step makes no set: it has a place on the axis but no bar. An empty set keeps a
    stub bar (a log axis has no zero) so that "nothing left" stays visible."""
    steps = result.trace
    colors = ["#2563eb" if i <= upto else "#cbd5e1" for i in range(len(steps))]
    bars = [(max(s.size, 0.7), f"{s.size:,}") if s.op != "parse" else (None, "") for s in steps]  # (height, label)
    top = max([s.size for s in steps if s.op != "parse"] or [1])
    fig = go.Figure(go.Bar(x=[f"{i}. {_lab(labels, 'op_' + s.op)}: {s.label}"[:40] for i, s in enumerate(steps)],
                           y=[h for h, _ in bars], text=[t for _, t in bars], textposition="outside",
                           marker_color=colors,
                           customdata=[[s.size, round(s.ms, 4)] for s in steps],
                           hovertemplate="%{x}<br>%{customdata[0]} " + _lab(labels, "documents")
                                         + ", %{customdata[1]} ms<extra></extra>"))
    fig.update_layout(title=_lab(labels, "steps_title"),
                      yaxis=log_axis(_lab(labels, "set_size"), range=[-0.3, math.log10(top) + 0.5]),
                      height=360, **_LAYOUT)
    return fig


def posting_strip(doc_space: int, docnums: list[int], label: str, labels: Labels = None) -> go.Figure:
    """A posting list drawn as ticks over the doc-number space."""
    fig = go.Figure(go.Scatter(x=docnums, y=[0] * len(docnums), mode="markers",
                               marker=dict(symbol="line-ns-open", size=18, color="#2563eb"),
                               hovertemplate=_lab(labels, "doc_number") + " %{x}<extra></extra>"))
    fig.update_layout(title=_lab(labels, "strip_title", label=label, n=len(docnums), total=doc_space), height=140,
                      xaxis=dict(range=[-1, max(doc_space, 1)], title=_lab(labels, "doc_number")),
                      yaxis=dict(visible=False), **_LAYOUT)
    return fig


def race_figure(rows: list[dict], labels: Labels = None) -> go.Figure:
    """Time per one-term query, scanning every document vs the inverted index, against corpus size: the median
    of the interleaved rounds, with the fastest and slowest round as error bars (when the rows carry them)."""
    x = [r["docs"] for r in rows]

    def line(key: str, color: str) -> go.Scatter:
        y = [r[f"{key}_ms"] for r in rows]
        bars = None
        if all(f"{key}_lo_ms" in r for r in rows):
            pairs = list(zip(rows, y, strict=True))
            bars = dict(type="data", symmetric=False, array=[r[f"{key}_hi_ms"] - m for r, m in pairs],
                        arrayminus=[m - r[f"{key}_lo_ms"] for r, m in pairs])
        return go.Scatter(x=x, y=y, name=_lab(labels, "scan" if key == "scan" else "inverted"), error_y=bars,
                          mode="lines+markers", line_color=color)

    fig = go.Figure([line("scan", "#ef4444"), line("inverted", "#2563eb")])
    fig.update_layout(xaxis=log_axis(_lab(labels, "documents")),
                      yaxis=log_axis(_lab(labels, "ms_per_query")),
                      height=360, **_LAYOUT)
    return fig


def containers_figure(stats: PostingStats, labels: Labels = None) -> go.Figure:
    """Roaring's containers for one posting list, and its bytes against a plain int32 array."""
    kinds = [_lab(labels, k) for k in ("array", "bitmap", "run")]
    fig = go.Figure([go.Bar(x=kinds, y=[stats.array_containers, stats.bitmap_containers, stats.run_containers],
                            name=_lab(labels, "containers"), marker_color="#2563eb"),
                     go.Bar(x=[_lab(labels, "roaring_bytes"), _lab(labels, "int32_bytes")],
                            y=[stats.roaring_bytes, stats.int32_bytes], name=_lab(labels, "bytes"),
                            marker_color="#16a34a", yaxis="y2")])
    fig.update_layout(title=_lab(labels, "containers_title", term=stats.term, n=stats.cardinality), height=320,
                      yaxis=dict(title=_lab(labels, "containers")),
                      yaxis2=dict(title=_lab(labels, "bytes"), overlaying="y", side="right"), **_LAYOUT)
    return fig
