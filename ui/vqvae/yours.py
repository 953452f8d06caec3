"""The VQ-VAE page's "yours" view (issue #33): code indices from the visitor's own tokenizer (.npy), counted by
engine.vqvae.usage and drawn beside the page's three codebook rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

import pandas as pd
import streamlit as st

from engine.vqvae import plots as P
from engine.vqvae.examples.make_codes import EXAMPLE, RULE
from engine.vqvae.train import CodebookStats
from engine.vqvae.usage import NPY_LIMIT, Usage, read_codes, usage_report
from ui.artifacts import bring, read_or_explain, source_caption
from ui.i18n import say
from ui.state import publish


@cache
def example_bytes() -> bytes:
    """The bundled example, written by engine/vqvae/examples/make_codes.py."""
    return EXAMPLE.read_bytes()


def example_usage(k: int = 64) -> Usage:
    """The example's usage (what the walkthrough step quotes)."""
    return usage_report(read_codes(example_bytes()), k)


def walk(T: Callable[..., str]) -> dict:
    """The numbers the walkthrough's "yours" step quotes, from the bundled example."""
    u = example_usage()
    return {"rule": T(f"rule.{RULE}"), "used": u.used, "k": u.codebook_size, "ppl": f"{u.perplexity:.1f}"}


def view(T: Callable[..., str], labels: Mapping[str, str], rules: Callable[[], Mapping[str, CodebookStats]]) -> None:
    """Paste-free: an upload of a .npy (or the example), the codebook size, then the usage beside the rules."""
    st.markdown(T("yours.intro", limit=f"{NPY_LIMIT >> 20}"))
    b = bring("vq_yours", example_bytes(), EXAMPLE.name, ["npy"], paste=False)
    k = int(st.number_input(T("yours.k"), 2, 1 << 20, key="yk", help=T("yours.k.help")))
    publish("yk")
    source_caption(b)
    if b.source == "example":
        st.caption(T("yours.example", rule=T(f"rule.{RULE}")))
    usage = read_or_explain(T, lambda data: usage_report(read_codes(data), k), b)
    if usage is None:
        return
    for p in usage.problems:
        st.warning(say(p))
    stats = rules()
    rows = [(T("yours.col.yours"), usage.used, usage.codebook_size, usage.perplexity, usage.dead, usage.tokens)]
    rows += [(T(f"rule.{u}"), s.codes_used, len(s.usage), s.perplexity, s.dead_codes, s.tokens)
             for u, s in stats.items()]
    st.dataframe(pd.DataFrame({
        T("col.rule"): [r[0] for r in rows], T("col.used"): [f"{r[1]:,} / {r[2]:,}" for r in rows],
        T("col.perplexity"): [f"{r[3]:,.1f}" for r in rows], T("yours.col.ppl_k"): [f"{r[3] / r[2]:.1%}" for r in rows],
        T("col.dead"): [f"{r[4]:,}" for r in rows], T("yours.col.tokens"): [f"{r[5]:,}" for r in rows],
    }), hide_index=True, width="stretch")
    st.plotly_chart(P.usage_beside(usage, stats, labels=labels), width="stretch")
    shape = " × ".join(f"{s:,}" for s in usage.shape) or "1"
    st.caption(T("yours.summary", shape=shape, tokens=f"{usage.tokens:,}", used=f"{usage.used:,}",
                 k=f"{usage.codebook_size:,}", ppl=f"{usage.perplexity:,.1f}", bits=f"{usage.entropy_bits:.2f}",
                 dead=f"{usage.dead:,}"))
