"""The DDP page's equivalence panel: DDP on N shards against one process on the whole batch, per step, with the
mistake selector, and no_sync accumulation against a large batch."""

from __future__ import annotations

import streamlit as st

from engine.ddp import ddp_vs_single, is_warm, no_sync_accumulation
from engine.ddp import plots as P
from engine.ddp.equivalence import ALLREDUCES
from engine.ddp.models import MODELS
from ui import page
from ui.cache import cached_result
from ui.ddp.settings import MISTAKE_CHOICES, Settings
from ui.ddp.world import World
from ui.i18n import plot_labels, say, translator
from ui.text.ddp import TEXT

T = translator(TEXT)


def _choice() -> tuple[str, str, str | None, str]:
    """The equivalence panel's model, dtype, mistake and all-reduce, as its controls (bound to the URL) hold them."""
    ss = st.session_state
    mistake = ss.get("mistake") or "none"
    return (ss.get("model") or "mlp", ss.get("dtype") or "float32", None if mistake == "none" else mistake,
            ss.get("allreduce") or "ring")


def result(w: World, dtype: str | None = None, compute: bool = True, **fixed):
    """DDP against one process with the panel's settings (or another dtype, mistake-free, for the walkthrough, or
    `fixed` model, dtype, wrong, allreduce); without `compute`, only a cached or shipped result (else None)."""
    model, dt, wrong, allreduce = _choice()
    if dtype is not None:
        dt, wrong = dtype, None
    model, dt = fixed.get("model", model), fixed.get("dtype", dt)
    wrong, allreduce = fixed.get("wrong", wrong), fixed.get("allreduce", allreduce)
    key = ("eq", model, dt, wrong, allreduce)
    if not compute and is_warm(w.n):
        found, value = cached_result(("ddp", w.n, key))
        return value if found else None
    return w.run(key, ddp_vs_single, model=model, steps=10, batch=64, dtype=dt, mistake=wrong, allreduce=allreduce)


def equivalence(s: Settings, w: World) -> None:
    """DDP on N shards against one process on the whole batch, per step, and the mistake selector."""
    st.header(T("eq"))
    c = st.columns([1, 1, 2, 2])
    c[0].segmented_control(T("model"), list(MODELS), format_func=page.formatter(T, "model", MODELS), key="model")
    dtype = c[1].segmented_control(T("dtype"), ["float32", "float64"], key="dtype") or "float32"
    mistake = c[2].selectbox(T("mistake"), MISTAKE_CHOICES, format_func=page.formatter(T, "mistake", MISTAKE_CHOICES),
                           key="mistake")
    c[3].segmented_control(T("allreduce"), list(ALLREDUCES), format_func=page.formatter(T, "allreduce", ALLREDUCES),
                           key="allreduce")
    wrong = None if mistake == "none" else mistake
    eq = result(w)
    if eq is None:
        return
    if wrong is None:
        (st.success if eq.equal else st.error)(say(eq.explanation))
    elif eq.equal:
        st.warning(say(eq.explanation))
    else:
        st.error(say(eq.explanation))
    page.notes(eq.notes)
    if eq.buckets:
        st.caption(T("eq.ring", k=len(eq.buckets), b=sum(b.allreduce.buffer_bytes for b in eq.buckets),
                     ok=T("yes") if all(b.allreduce.result_equal_to_gloo for b in eq.buckets) else T("no")))
    st.plotly_chart(P.gap_figure(eq, plot_labels(TEXT, P.LABELS)), width="stretch")
    st.caption(T("eq.after", after=f"{eq.param_diff_after:.1e}", replicas=f"{eq.replicas_max_diff:.1e}",
                 shards=" + ".join(map(str, eq.shard_sizes)), batch=eq.batch, steps=eq.steps))
    page.csv_download(T("csv.eq"), [{"step": i + 1, "max_grad_diff": d, "rounding": q, "loss": loss}
                                    for i, (d, q, loss) in enumerate(zip(eq.per_step_grad_diff, eq.rounding,
                                                                         eq.losses, strict=True))], "ddp_vs_single.csv")
    acc = w.run(("acc", dtype), no_sync_accumulation, micro=4, batch=32, dtype=dtype)
    if acc is not None:
        (st.success if acc.equal else st.error)(say(acc.explanation))
