"""Per-call time of a module against its functional form, interleaved (engine.timing), over input sizes: the
module's Python dispatch (hooks, __call__, attribute look-ups) is a fixed cost that shows on tiny inputs and
vanishes behind the arithmetic on large ones."""

from __future__ import annotations

import torch

from engine.modules.twins import Twin, example_input
from engine.timing import interleaved


def overhead(t: Twin, scales: list[int], rounds: int = 7, calls: int = 50) -> list[dict]:
    """For each batch scale: median seconds per call of the module and of the function (each timing `calls`
    calls, `rounds` interleaved rounds), their ratio and range, and the input's element count."""
    m = t.make().eval()
    rows = []
    for scale in scales:
        x = example_input(t, 0, scale)

        def run_module(x=x) -> None:
            for _ in range(calls):
                m(x)

        def run_function(x=x) -> None:
            for _ in range(calls):
                t.functional(m, x)

        with torch.no_grad():
            times = interleaved({"module": run_module, "functional": run_function}, rounds)
        mod, fn = times["module"], times["functional"]
        rows.append({"twin": t.name, "scale": scale, "elements": int(x.numel()),
                     "module_us": mod.median_s / calls * 1e6, "functional_us": fn.median_s / calls * 1e6,
                     "ratio": mod.median_s / fn.median_s, "ratio_lo": mod.lo_s / fn.hi_s,
                     "ratio_hi": mod.hi_s / fn.lo_s, "busy": mod.busy or fn.busy})
    return rows
