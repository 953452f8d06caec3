"""The numerics page's "yours" view (issue #33): the visitor's own tensors (.npy, .npz, .safetensors), read as data
by engine.numerics.tensors, then every block-scaling scheme on the one picked, drawn with the block-scaling view's
own metrics, heatmaps and table. The file and its results live in this session only (never in a shared cache)."""

from __future__ import annotations

import dataclasses
import hashlib
from functools import cache

import streamlit as st

from engine.numerics import blockplots as BP
from engine.numerics.blocks import SCHEMES, quantize_scheme
from engine.numerics.blockstudy import KINDS, compare_schemes
from engine.numerics.examples.make_weights import EXAMPLE, OUTLIER_COLUMNS, OUTLIER_GAIN, SHAPE
from engine.numerics.formats import get_format
from engine.numerics.tensors import MAX_STUDY, PICKLES, READABLE, TENSOR_LIMIT, as_matrix, read_tensors, tensor_problems
from ui import page
from ui.artifacts import bring, read_or_explain, source_caption
from ui.i18n import say
from ui.numerics.blocks import T, _bl, quantized, study_table
from ui.state import choice, publish

SCHEME_NAMES = list(SCHEMES)
PARAMS = [("ykind", "weight", choice(list(KINDS))), ("yscheme", "nvfp4", choice(SCHEME_NAMES))]


@cache
def example_bytes() -> bytes:
    """The bundled example, written by engine/numerics/examples/make_weights.py."""
    return EXAMPLE.read_bytes()


def _study(key: tuple, x, kind: str) -> list:
    """Every scheme on `x`, kept in this session (keyed by the file's digest, tensor and kind), not across visitors."""
    store = st.session_state.setdefault("_num_yours", {})
    if key not in store:
        store.clear()  # one study at a time: a visitor's next file replaces the last
        store[key] = compare_schemes(x, kind, tuple(SCHEME_NAMES))
    return store[key]


def view() -> None:
    """Upload (or the example), pick a tensor and how it is used, then every scheme on it."""
    st.markdown(T("yours.intro", limit=TENSOR_LIMIT >> 20, values=f"{MAX_STUDY:,}"))
    b = bring("num_yours", example_bytes(), EXAMPLE.name, [e[1:] for e in READABLE + PICKLES], paste=False)
    source_caption(b)
    if b.source == "example":
        st.caption(T("yours.example", rows=SHAPE[0], cols=SHAPE[1], columns=", ".join(map(str, OUTLIER_COLUMNS)),
                     gain=f"{OUTLIER_GAIN:g}"))
    tensors = read_or_explain(T, lambda data: read_tensors(data, b.name), b)
    if tensors is None:
        return
    c1, c2, c3 = st.columns([2, 2, 3])
    names = sorted(tensors, key=lambda k: -tensors[k].numel())  # the largest first: a layer's weight, not its bias
    name = c1.selectbox(T("yours.tensor"), names, key="ytensor") if len(names) > 1 else names[0]
    kind = c2.segmented_control(T("blocks.kind"), list(KINDS), format_func=page.formatter(T, "kind", KINDS),
                                key="ykind") or "weight"
    scheme = c3.selectbox(T("blocks.scheme"), SCHEME_NAMES, key="yscheme",
                          format_func=page.formatter(T, "scheme", SCHEME_NAMES))
    publish("ykind", "yscheme")
    t = tensors[name]
    x, notes = as_matrix(name, t)
    st.caption(T("yours.shape", name=page.md(name), shape=" × ".join(f"{s:,}" for s in t.shape) or "1",
                 dtype=str(t.dtype).removeprefix("torch."), rows=f"{x.shape[0]:,}", cols=f"{x.shape[1]:,}",
                 n=len(names)))
    for m in tensor_problems(name, t) + notes:
        st.warning(say(m))
    quantized(quantize_scheme(x, scheme, kind), SCHEMES[scheme].block_for(kind) is not None)
    digest = hashlib.sha256(b.data if isinstance(b.data, bytes) else b.data.encode()).hexdigest()
    rows = _study((digest, name, kind), x, kind)
    st.subheader(T("yours.every", name=page.md(name), kind=T(f"kind.{kind}")))
    st.plotly_chart(BP.sqnr_by_bits(rows, scheme, labels=_bl()), width="stretch")
    study_table(rows)
    best = max((r for r in rows if get_format(SCHEMES[r.scheme].element).bits <= 8), key=lambda r: r.sqnr_db)
    fp4 = [r for r in rows if SCHEMES[r.scheme].element == "fp4_e2m1"]
    top4 = max(fp4, key=lambda r: r.sqnr_db)
    low4 = min(fp4, key=lambda r: r.sqnr_db)
    st.markdown(T("yours.verdict", best=best.scheme, best_db=f"{best.sqnr_db:.2f}", bits=f"{best.bits_per_value:.3f}",
                  top4=top4.scheme, top4_db=f"{top4.sqnr_db:.2f}", low4=low4.scheme, low4_db=f"{low4.sqnr_db:.2f}",
                  flushed=f"{low4.flushed:,}", values=f"{low4.values:,}"))
    page.csv_download(T("yours.csv"), [dataclasses.asdict(r) | {"layer": name} for r in rows],
                      "your_tensor_block_scaling.csv", key="yours_csv")
