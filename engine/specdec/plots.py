"""Plotly figures and HTML for the speculative-decoding page: pure functions of engine results (no streamlit)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from functools import partial

import numpy as np
import plotly.graph_objects as go

from engine.plotting import label, range_bars
from engine.specdec.exactness import ExactnessResult
from engine.specdec.generate import Generation, TreeTrace, expected_tokens_per_call, tree_mask

LABELS = {  # English defaults; pages pass their translations (keys: "plot.<key>" in the page's table)
    "position": "draft position", "rate": "acceptance rate", "verified": "times verified", "alpha": "α",
    "tokens_per_call": "tokens per target pass", "theory": "(1 − α^(γ+1)) / (1 − α), γ = {gamma}",
    "measured": "measured", "gamma": "γ (drafted tokens per step)", "speedup": "speedup over autoregressive",
    "speedup_theory": "theory at measured α, draft and verify cost",
    "speedup_theory_one_pass": "theory if verifying cost one pass (Leviathan et al.)", "cell": "first two tokens",
    "share": "share of samples",
    "exact": "exact target probability", "plain": "plain sampling", "speculative": "speculative sampling",
    "root": "root (last token)", "query": "query (tree node)", "key": "key (tree node)", "depth": "depth",
    "accepted": "accepted", "rejected": "rejected", "resampled": "target's token", "bonus": "bonus",
    "prompt": "prompt", "q": "q (drafter)", "p": "p (target)",
    "per_draft": "accepted per draft", "position0": "draft position (vLLM counts from 0)",
    "gamma_run": "γ (tokens drafted per step)", "speedup_formula": "(1 + Σ rate_i) / (1 + γ·c)",
    "rounds_title": "draft-and-verify steps up to step {step} of {steps}", "slot": "token of the step",
    "step": "step",
}
FATE_COLORS = {"accepted": "#bbf7d0", "rejected": "#fecaca", "resampled": "#fde68a", "bonus": "#bfdbfe",
               "prompt": "#e5e7eb"}
_lab = partial(label, LABELS)


def byte_text(token: int) -> str:
    """A byte token as visible plain text (for tables): newlines as ↵, other control or non-ASCII bytes as ⟨xx⟩."""
    if token == 10:
        return "↵"
    return chr(token) if 32 <= token < 127 else f"⟨{token:02x}⟩"


def _utf8_length(lead: int) -> int:
    """Bytes in the UTF-8 sequence that `lead` starts (1 for ASCII or a byte that starts none)."""
    return 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 1


def glyphs(tokens: list[int]) -> list[str]:
    """What to show for each byte token of a stream: a complete UTF-8 character on its first byte and "" on
    the bytes that continue it (罗 is three tokens and one character); any other byte as `byte_text`."""
    out = [byte_text(t) for t in tokens]
    i = 0
    while i < len(tokens):
        n = _utf8_length(tokens[i])
        if n > 1 and i + n <= len(tokens):
            try:
                ch = bytes(tokens[i:i + n]).decode("utf-8")
            except UnicodeDecodeError:
                ch = ""
            if ch.isprintable() and ch:
                out[i:i + n] = [ch] + [""] * (n - 1)
                i += n
                continue
        i += 1
    return out


def text_of(tokens: list[int]) -> str:
    """A token stream as plain text: characters where its bytes form them, ⟨xx⟩ for a byte that does not."""
    return "".join(glyphs(tokens))


def node_label(token: int) -> str:
    """A single byte as a tree node's label: like `byte_text`, with a space shown as ␣ (blank would vanish)."""
    return "␣" if token == 32 else byte_text(token)


def show_byte(token: int) -> str:
    """`byte_text`, HTML-escaped (for the acceptance view's markup)."""
    return html.escape(byte_text(token))


def acceptance_html(g: Generation, prompt_tokens: list[int], labels: Mapping[str, str] | None = None) -> str:
    """The prompt, then every step's tokens coloured by fate; a rejected draft is struck through before the
    token the target put in its place; hovering shows q and p (all text HTML-escaped)."""
    def span(token: int, fate: str, tip: str, text: str, strike: bool = False) -> str:
        style = f"background:{FATE_COLORS[fate]};border-radius:3px;padding:0 1px;margin:0 0.5px;"
        if strike:
            style += "text-decoration:line-through;color:#991b1b;"
        if not text:  # a byte that continues the character drawn on its first byte: a sliver in its own colour
            style += "display:inline-block;min-width:3px;"
        br = "<br>" if token == 10 and not strike else ""
        return (f'<span class="tok tok-{fate}" style="{style}" title="{html.escape(tip)}">{html.escape(text)}'
                f'</span>{br}')

    entries = [(t, "prompt", _lab(labels, "prompt"), False) for t in prompt_tokens]
    for n, step in enumerate(g.trace, start=1):
        di = 0
        for fate in step.fates:
            if fate in ("accepted", "rejected"):
                tok, q, p = step.drafted[di], step.q[di], step.p[di]
                u = f", u = {step.uniforms[di]:.3f}" if di < len(step.uniforms) else ""
                tip = f"step {n}: {_lab(labels, fate)} · q = {q:.3f}, p = {p:.3f}{u}"
                entries.append((tok, fate, tip, fate == "rejected"))
                di += 1
            else:
                entries.append((step.emitted[-1], fate, f"step {n}: {_lab(labels, fate)}", False))
    # characters are drawn over the text as it stands (prompt and kept tokens); a struck-out draft is one byte
    kept = [i for i, e in enumerate(entries) if not e[3]]
    shown = dict(zip(kept, glyphs([entries[i][0] for i in kept]), strict=True))
    parts = [span(tok, fate, tip, shown.get(i, byte_text(tok)), strike)
             for i, (tok, fate, tip, strike) in enumerate(entries)]
    return ('<div class="acceptance" style="font-family:ui-monospace,monospace;line-height:1.9;'
            'white-space:normal;word-break:break-all">' + "".join(parts) + "</div>")


def legend_html(labels: Mapping[str, str] | None = None) -> str:
    """The colour key of the acceptance view."""
    items = []
    for fate in ("accepted", "rejected", "resampled", "bonus", "prompt"):
        strike = "text-decoration:line-through;" if fate == "rejected" else ""
        items.append(f'<span style="background:{FATE_COLORS[fate]};{strike}padding:0 6px;border-radius:3px">'
                     f"{html.escape(_lab(labels, fate))}</span>")
    return " ".join(items)


def acceptance_by_position_fig(rows: list[dict], labels: Mapping[str, str] | None = None) -> go.Figure:
    """Bars: acceptance rate at each draft position (hover: how often that position was verified)."""
    fig = go.Figure(go.Bar(x=[r["position"] for r in rows], y=[r["rate"] for r in rows],
                           customdata=[r["verified"] for r in rows], marker_color="#16a34a",
                           hovertemplate="%{x}: %{y:.2f} (n = %{customdata})<extra></extra>"))
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=20, b=40), xaxis_title=_lab(labels, "position"),
                      yaxis_title=_lab(labels, "rate"), yaxis_range=[0, 1], xaxis=dict(dtick=1))
    return fig


def position_rates_fig(series: list[tuple[str, tuple[float, ...]]],
                       labels: Mapping[str, str] | None = None) -> go.Figure:
    """Grouped bars: for each (name, rates) the share of all drafts whose token at position i (0-based, as vLLM
    counts) was accepted."""
    fig = go.Figure()
    for (name, rates), color in zip(series, ("#2563eb", "#16a34a", "#a855f7"), strict=False):
        fig.add_trace(go.Bar(x=list(range(len(rates))), y=list(rates), name=name, marker_color=color,
                             hovertemplate="%{x}: %{y:.3f}<extra>" + html.escape(name) + "</extra>"))
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=20, b=40), barmode="group",
                      xaxis_title=_lab(labels, "position0"), yaxis_title=_lab(labels, "per_draft"),
                      yaxis_range=[0, 1], xaxis=dict(dtick=1), legend=dict(orientation="h", y=-0.25))
    return fig


def gamma_speedup_fig(series: list[tuple[str, list[float], int]], labels: Mapping[str, str] | None = None
                      ) -> go.Figure:
    """For each (name, speedup at γ = 0, 1, …, best γ) a line, its best γ ringed; 1.0 (no drafting) in red."""
    fig = go.Figure()
    for (name, speeds, best), color in zip(series, ("#2563eb", "#16a34a", "#a855f7"), strict=False):
        fig.add_trace(go.Scatter(x=list(range(len(speeds))), y=speeds, mode="lines+markers", name=name,
                                 line=dict(color=color)))
        fig.add_trace(go.Scatter(x=[best], y=[speeds[best]], mode="markers", showlegend=False, hoverinfo="skip",
                                 marker=dict(size=16, color="rgba(0,0,0,0)", line=dict(color=color, width=2))))
    fig.add_hline(y=1.0, line=dict(color="#ef4444", width=1))
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=20, b=40), xaxis_title=_lab(labels, "gamma_run"),
                      yaxis_title=_lab(labels, "speedup_formula"), xaxis=dict(dtick=1),
                      legend=dict(orientation="h", y=-0.25))
    return fig


def tokens_per_call_fig(gamma: int, measured: list[tuple[float, float, str]],
                        labels: Mapping[str, str] | None = None) -> go.Figure:
    """The theory curve over α for this γ, with measured (α, tokens per verification pass, name) points."""
    a = np.linspace(0, 0.999, 200)
    fig = go.Figure(go.Scatter(x=a, y=[expected_tokens_per_call(x, gamma) for x in a], mode="lines",
                               name=_lab(labels, "theory", gamma=gamma), line=dict(color="#64748b")))
    for alpha, tokens, name in measured:
        fig.add_trace(go.Scatter(x=[alpha], y=[tokens], mode="markers", name=name, marker=dict(size=12)))
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=20, b=40), xaxis_title=_lab(labels, "alpha"),
                      yaxis_title=_lab(labels, "tokens_per_call"), legend=dict(orientation="h", y=-0.25))
    return fig


def sweep_fig(rows: list[dict], labels: Mapping[str, str] | None = None) -> go.Figure:
    """Measured speedup over autoregressive for each γ beside the theory at the measured α, draft and verify cost,
    and (dotted, where the rows carry it) the theory that prices the verify pass as one pass."""
    g = [r["gamma"] for r in rows]
    fig = go.Figure()
    y = [r.get("speedup") for r in rows]
    bars = None
    if all("speedup_lo" in r for r in rows):  # the fastest and slowest of the interleaved rounds
        bars = range_bars(y, [r["speedup_lo"] for r in rows], [r["speedup_hi"] for r in rows], color="#93c5fd")
    fig.add_trace(go.Scatter(x=g, y=y, mode="lines+markers", error_y=bars,
                             name=_lab(labels, "measured"), line=dict(color="#2563eb")))
    fig.add_trace(go.Scatter(x=g, y=[r.get("speedup_theory") for r in rows], mode="lines+markers",
                             name=_lab(labels, "speedup_theory"), line=dict(color="#64748b", dash="dash")))
    if all("speedup_theory_one_pass" in r for r in rows):
        fig.add_trace(go.Scatter(x=g, y=[r["speedup_theory_one_pass"] for r in rows], mode="lines+markers",
                                 name=_lab(labels, "speedup_theory_one_pass"),
                                 line=dict(color="#cbd5e1", dash="dot")))
    fig.add_hline(y=1.0, line=dict(color="#ef4444", width=1))
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=20, b=40), xaxis_title=_lab(labels, "gamma"),
                      yaxis_title=_lab(labels, "speedup"), legend=dict(orientation="h", y=-0.25))
    return fig


def tree_fig(tree: TreeTrace, labels: Mapping[str, str] | None = None) -> go.Figure:
    """The candidate tree: the root, then each node (its byte and top-k rank) at its depth; the accepted path
    in green, other nodes grey, edges to parents."""
    depth_rows: dict[int, list[int]] = {}
    for j, d in enumerate(tree.depths):
        depth_rows.setdefault(d, []).append(j)
    y = {-1: 0.0}
    for nodes in depth_rows.values():
        for i, j in enumerate(nodes):
            y[j] = i - (len(nodes) - 1) / 2
    fig = go.Figure()
    for j, parent in enumerate(tree.parents):
        fig.add_trace(go.Scatter(x=[tree.depths[parent] if parent >= 0 else 0, tree.depths[j]], y=[y[parent], y[j]],
                                 mode="lines", line=dict(color="#cbd5e1"), hoverinfo="skip", showlegend=False))
    accepted = set(tree.accepted)
    xs, ys, text, colors, tips = [0], [0.0], ["●"], ["#2563eb"], [_lab(labels, "root")]
    for j, tok in enumerate(tree.tokens):
        xs.append(tree.depths[j])
        ys.append(y[j])
        text.append(html.escape(node_label(tok)))  # plotly reads its text as HTML
        colors.append("#16a34a" if j in accepted else "#94a3b8")
        tips.append(f"node {j}: {html.escape(node_label(tok))} · ranks {tree.ranks[j]}")
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers+text", text=text, textposition="middle right",
                             marker=dict(size=16, color=colors), hovertext=tips, hoverinfo="text", showlegend=False))
    fig.update_layout(height=max(260, 34 * max(len(v) for v in depth_rows.values()) + 60),
                      margin=dict(l=10, r=10, t=20, b=40), xaxis=dict(title=_lab(labels, "depth"), dtick=1),
                      yaxis=dict(visible=False))
    return fig


def tree_mask_fig(tree: TreeTrace, labels: Mapping[str, str] | None = None) -> go.Figure:
    """Heatmap of the tree attention mask: row = query node, column = key node (root first)."""
    mask = tree_mask(tree.parents).int().numpy()
    names = ["root"] + [f"{j}:{html.escape(node_label(t))}" for j, t in enumerate(tree.tokens)]
    fig = go.Figure(go.Heatmap(z=mask, x=names, y=names, colorscale=[[0, "#f8fafc"], [1, "#2563eb"]],
                               showscale=False, xgap=1, ygap=1,
                               hovertemplate="%{y} → %{x}: %{z}<extra></extra>"))
    fig.update_layout(height=60 + 22 * len(names), margin=dict(l=10, r=10, t=20, b=40),
                      xaxis_title=_lab(labels, "key"), yaxis=dict(title=_lab(labels, "query"), autorange="reversed"))
    return fig


def exactness_fig(r: ExactnessResult, top: int = 24, labels: Mapping[str, str] | None = None) -> go.Figure:
    """The most likely two-token continuations: exact probability against the plain and speculative shares."""
    n = min(top, len(r.pairs))
    names = [show_byte(a) + show_byte(b) for a, b in r.pairs[:n]]
    total_plain, total_spec = sum(r.plain), sum(r.speculative)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=names, y=[c / total_plain for c in r.plain[:n]], name=_lab(labels, "plain"),
                         marker_color="#94a3b8"))
    fig.add_trace(go.Bar(x=names, y=[c / total_spec for c in r.speculative[:n]], name=_lab(labels, "speculative"),
                         marker_color="#2563eb"))
    fig.add_trace(go.Scatter(x=names, y=r.expected[:n], mode="markers", name=_lab(labels, "exact"),
                             marker=dict(symbol="line-ew-open", size=22, color="#0f172a", line=dict(width=3))))
    fig.update_layout(barmode="group", height=340, margin=dict(l=10, r=10, t=20, b=40),
                      xaxis_title=_lab(labels, "cell"), yaxis_title=_lab(labels, "share"),
                      legend=dict(orientation="h", y=-0.3))
    return fig


def rounds_fig(g: Generation, upto: int, labels: Mapping[str, str] | None = None, window: int = 12) -> go.Figure:
    """The draft-and-verify steps up to step `upto` (1-based; the last `window` of them), one row per step: each
    drafted token coloured by its fate, then the target's own token (resampled or bonus), drawn as its byte."""
    first = max(1, upto - window + 1)
    fig = go.Figure()
    for n in range(first, upto + 1):
        step = g.trace[n - 1]
        tokens = [*step.drafted[:sum(f in ("accepted", "rejected") for f in step.fates)], step.emitted[-1]]
        for x, (tok, fate) in enumerate(zip(tokens, step.fates, strict=False)):
            fig.add_trace(go.Scatter(
                x=[x], y=[n], mode="markers+text", text=[html.escape(node_label(tok), quote=False)], showlegend=False,
                marker=dict(symbol="square", size=30, color=FATE_COLORS[fate], line=dict(color="#475569", width=1)),
                hovertext=[f"{_lab(labels, 'step')} {n}: {_lab(labels, fate)}"], hoverinfo="text"))
    for fate in ("accepted", "rejected", "resampled", "bonus"):  # the colour key, once
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=_lab(labels, fate),
                                 marker=dict(symbol="square", size=14, color=FATE_COLORS[fate])))
    fig.update_layout(
        title=_lab(labels, "rounds_title", step=upto, steps=len(g.trace)), height=140 + 36 * window,
        margin=dict(l=50, r=10, t=50, b=40), legend=dict(orientation="h", y=-0.12),
        xaxis=dict(title=_lab(labels, "slot"), dtick=1, range=[-0.6, max(len(t.fates) for t in g.trace) - 0.4]),
        yaxis=dict(title=_lab(labels, "step"), dtick=1, range=[first + window - 0.5, first - 0.5]))  # step 1 on top
    return fig
