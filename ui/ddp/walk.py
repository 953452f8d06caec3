"""The DDP page's walkthrough text, with the steps that quote a result formatted from that result."""

from __future__ import annotations

from collections.abc import Callable

from ui.ddp import equivalence, yours
from ui.ddp.world import World
from ui.i18n import translator
from ui.text.ddp import TEXT

T = translator(TEXT)


def walk_text(w: World, compute: bool = True) -> Callable[..., str]:
    """The walkthrough's text: its float64 equivalence step formatted from that run (live, or the shipped recording
    while the processes start; without `compute`, only what is cached or shipped), the nccl-tests step from the
    bundled example, the bucket step from DDP's real bucket."""
    def text(key: str, **kw) -> str:
        if key == "walk.8":
            ex = yours.example_run()
            a, b = ex.fit()
            return T(key, n=ex.world_size, k=len(ex.rows), a=f"{a:.3g}", b=f"{b:.4g}", bad=len(ex.problems))
        if key == "walk.9":
            eq = equivalence.result(w, model="mlp", dtype="float32", wrong=None, allreduce="ring", compute=compute)
            if eq is None or not eq.buckets:
                return T("walk.9.pending")
            b = eq.buckets[0]
            return T(key, p=b.parameters, e=b.allreduce.size, n=eq.world_size, steps=2 * (eq.world_size - 1))
        if key != "walk.3":
            return T(key, **kw)
        eq = equivalence.result(w, dtype="float64", compute=compute)
        if eq is None:
            return T("walk.3.pending")
        ratio = max(d / q if q else 0.0 for d, q in zip(eq.per_step_grad_diff, eq.rounding, strict=True))
        return T("walk.3", gap=f"{max(eq.per_step_grad_diff):.1e}", ratio=f"{ratio:.1f}", n=eq.world_size,
                 steps=eq.steps)
    return text
