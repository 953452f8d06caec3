"""`python -m engine.modules.bench`: per-call time of every nn module against its functional form, interleaved,
at three input sizes, as JSON (module / function ratios with the range of the rounds), plus the verdicts; and
per-sample gradients, vmap(grad(functional_call)) against a loop of one backward per example, at three batch
sizes (with their largest difference, float64)."""

from __future__ import annotations

import argparse
import json

import torch

from engine.device import describe_device
from engine.modules import compare, overhead, twins
from engine.modules.persample import batch, classifier, per_sample_grads, per_sample_loop, per_sample_timing


def main(argv: list[str] | None = None) -> None:
    """Time every twin and print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 64, 4096], help="batch scales of each twin's input")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--calls", type=int, default=50)
    ap.add_argument("--batches", type=int, nargs="+", default=[8, 64, 256], help="per-sample gradient batch sizes")
    args = ap.parse_args(argv)
    out: dict = {"device": describe_device().label(), "torch": torch.__version__, "twins": {}}
    for t in twins():
        rows = overhead(t, args.scales, args.rounds, args.calls)
        out["twins"][t.name] = {
            "verdict_train": compare(t, mode="train").verdict.code,
            "verdict_eval": compare(t, mode="eval").verdict.code,
            "sizes": [{"elements": r["elements"], "module_us": round(r["module_us"], 2),
                       "functional_us": round(r["functional_us"], 2), "module_over_functional": round(r["ratio"], 3),
                       "range": [round(r["ratio_lo"], 3), round(r["ratio_hi"], 3)], "busy": r["busy"]} for r in rows]}
    out["per_sample"] = []
    for n in args.batches:
        m, (x, y) = classifier(), batch(n)
        diff = max(float((a - b).abs().max()) for a, b in zip(per_sample_grads(m, x, y).values(),
                                                                per_sample_loop(m, x, y).values(), strict=True))
        t = per_sample_timing(n, args.rounds)
        vm, lp = t["vmap"], t["loop"]
        out["per_sample"].append({"batch": n, "vmap_ms": round(vm.median_s * 1e3, 3),
                                  "loop_ms": round(lp.median_s * 1e3, 3),
                                  "loop_over_vmap": round(lp.median_s / vm.median_s, 2),
                                  "range": [round(lp.lo_s / vm.hi_s, 2), round(lp.hi_s / vm.lo_s, 2)],
                                  "max_abs_diff": diff, "busy": vm.busy or lp.busy})
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
