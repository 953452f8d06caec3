"""Plotly figures for the search page: explanations, posting strips, the trace, the scan-vs-index race."""

from __future__ import annotations

import plotly.graph_objects as go

from engine.search.inspect import PostingStats
from engine.search.searcher import SearchResult

_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=40))


def contributions(hits: list) -> go.Figure:
    """Every hit's score as stacked per-term BM25 contributions (hover: idf × tf-norm, tf, dl)."""
    labels = [f"{i + 1}. {h.doc.title or h.doc_id}"[:30] for i, h in enumerate(hits)]
    terms = list(dict.fromkeys(d.description.split("text:")[1].split(")")[0] for h in hits
                               for d in (h.explanation.details if h.explanation else [])))
    fig = go.Figure()
    for term in terms:
        xs, data = [], []
        for h in hits:
            d = next((d for d in h.explanation.details if d.description == f"weight(text:{term}) = idf × tf-norm"),
                     None) if h.explanation else None
            xs.append(d.value if d else 0.0)
            data.append([d.details[0].value, d.details[1].value, d.details[1].details[0].value,
                         d.details[1].details[3].value] if d else [0, 0, 0, 0])
        fig.add_trace(go.Bar(x=xs, y=labels, name=term, orientation="h", customdata=data,
                             hovertemplate=term + ": %{x:.4f} = idf %{customdata[0]:.4f} × tf-norm "
                                                  "%{customdata[1]:.4f}<br>tf %{customdata[2]:.0f}, "
                                                  "dl %{customdata[3]:.0f}<extra></extra>"))
    fig.update_layout(barmode="stack", title="BM25 score of each hit, split by query term", height=120 + 28 * len(hits),
                      xaxis_title="score", yaxis=dict(autorange="reversed"), **_LAYOUT)
    return fig


def trace_steps(result: SearchResult, upto: int) -> go.Figure:
    """Result-set size after each step of the trace (log scale), steps after `upto` faded."""
    steps = result.trace
    colors = ["#2563eb" if i <= upto else "#cbd5e1" for i in range(len(steps))]
    fig = go.Figure(go.Bar(x=[f"{i}. {s.op}: {s.label}"[:40] for i, s in enumerate(steps)],
                           y=[max(s.size, 0.9) for s in steps], marker_color=colors,
                           customdata=[round(s.ms, 4) for s in steps],
                           hovertemplate="%{x}<br>%{y} documents, %{customdata} ms<extra></extra>"))
    fig.update_layout(title="documents after each step", yaxis=dict(type="log", title="set size"), height=360,
                      **_LAYOUT)
    return fig


def posting_strip(doc_space: int, docnums: list[int], label: str) -> go.Figure:
    """A posting list drawn as ticks over the doc-number space."""
    fig = go.Figure(go.Scatter(x=docnums, y=[0] * len(docnums), mode="markers",
                               marker=dict(symbol="line-ns-open", size=18, color="#2563eb"),
                               hovertemplate="doc %{x}<extra></extra>"))
    fig.update_layout(title=f"{label}: {len(docnums)} of {doc_space} documents", height=140,
                      xaxis=dict(range=[-1, max(doc_space, 1)], title="doc number"),
                      yaxis=dict(visible=False), **_LAYOUT)
    return fig


def race_figure(rows: list[dict]) -> go.Figure:
    """Median time of a one-term query: scanning every document vs the inverted index, against corpus size."""
    x = [r["docs"] for r in rows]
    fig = go.Figure([go.Scatter(x=x, y=[r["scan_ms"] for r in rows], name="scan the forward index",
                                mode="lines+markers", line_color="#ef4444"),
                     go.Scatter(x=x, y=[r["inverted_ms"] for r in rows], name="inverted index lookup",
                                mode="lines+markers", line_color="#2563eb")])
    fig.update_layout(xaxis=dict(type="log", title="documents"), yaxis=dict(type="log", title="ms per query"),
                      height=360, **_LAYOUT)
    return fig


def containers_figure(stats: PostingStats) -> go.Figure:
    """Roaring's containers for one posting list, and its bytes against a plain int32 array."""
    fig = go.Figure([go.Bar(x=["array", "bitmap", "run"], y=[stats.array_containers, stats.bitmap_containers,
                                                             stats.run_containers], name="containers",
                            marker_color="#2563eb"),
                     go.Bar(x=["roaring bytes", "int32 bytes"], y=[stats.roaring_bytes, stats.int32_bytes],
                            name="bytes", marker_color="#16a34a", yaxis="y2")])
    fig.update_layout(title=f"“{stats.term}”: {stats.cardinality} documents", height=320,
                      yaxis=dict(title="containers"), yaxis2=dict(title="bytes", overlaying="y", side="right"),
                      **_LAYOUT)
    return fig
