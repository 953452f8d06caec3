"""`python -m engine.ddp.bench`: DDP and the all-reduces on real gloo processes, side by side in one run, as JSON.

For N = 2, 3, 4 ranks: DDP's gradients against one process (fp32 and fp64) and no_sync accumulation against
a large batch; every mistake caught; bytes each rank sent by our ring against 2(N−1)/N·S, the naive ring
against (N−1)·S and the parameter server; our ring's time against gloo's own all_reduce (the peer) at
4 MiB and more, interleaved; the α–β model's error on sizes it was not fitted on; whether the first gradient
bucket launched before backward ended; DDP through our ring (`ring_hook`) against one process; bytes measured on
the loopback interface around a 16 MiB all-reduce of every method beside the schedule, with algbw and busbw.
`--record` also ships the page's default sweeps, its bytes on the wire and its default view (engine.ddp.snapshot);
`--wire-only` and `--view-only` do just those.
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from engine import recorded
from engine.ddp import (
    MISTAKES,
    Cluster,
    bucket_timeline,
    ddp_vs_single,
    fit,
    naive_ring_allreduce,
    no_sync_accumulation,
    parameter_server_allreduce,
    ring_allreduce,
)
from engine.ddp.measure import measure_steps, measure_sweep, measure_wire, steps_settings, sweep_settings, wire_settings

WORLDS = (2, 3, 4)


def record_wire(cl: Cluster, n: int) -> list[dict]:
    """Measure the wire rows on `cl` and ship them as `wire_n{n}`."""
    t = time.perf_counter()
    rows = measure_wire(cl)
    recorded.save("ddp", f"wire_n{n}", rows, wire_settings(n), time.perf_counter() - t)
    return rows


def _one_world(cl: Cluster, n: int, record: bool) -> dict:
    out: dict = {}
    eq = {dt: cl.run(ddp_vs_single, model=m, steps=10, batch=64, dtype=dt)
          for dt in ("float32", "float64") for m in ("mlp",)}
    bn = cl.run(ddp_vs_single, model="bn", steps=10, batch=64, dtype="float32")
    ring = {dt: cl.run(ddp_vs_single, model="mlp", steps=10, batch=64, dtype=dt, allreduce="ring")
            for dt in ("float32", "float64")}
    acc = cl.run(no_sync_accumulation, micro=4, batch=32, dtype="float32")
    out["exact"] = {"fp32_max_grad_diff": max(eq["float32"].per_step_grad_diff),
                    "fp64_max_grad_diff": max(eq["float64"].per_step_grad_diff),
                    "fp32_bn_synced_max_grad_diff": max(bn.per_step_grad_diff),
                    "no_sync_fp32_grad_diff": acc.grad_diff,
                    "allreduces_no_sync_vs_every_step": [acc.allreduces_no_sync, acc.allreduces_every_step],
                    "within_bounds": all(e.equal for e in (*eq.values(), bn, *ring.values())) and acc.equal,
                    "ring_hook_fp32_max_grad_diff": max(ring["float32"].per_step_grad_diff),
                    "ring_hook_fp64_max_grad_diff": max(ring["float64"].per_step_grad_diff),
                    "ring_hook_buckets": [[b.parameters, b.allreduce.buffer_bytes, len(b.allreduce.events)]
                                          for b in ring["float64"].buckets]}
    out["mistakes_caught"] = {m: not cl.run(ddp_vs_single, model="mlp", steps=5, batch=64, mistake=m).equal
                              for m in MISTAKES}
    size = 1 << 20
    ring = cl.run(ring_allreduce, size=size)
    naive = cl.run(naive_ring_allreduce, size=size)
    ps = cl.run(parameter_server_allreduce, size=size)
    out["bytes"] = {"buffer_bytes": ring.buffer_bytes, "ring_per_rank": ring.bytes_sent_per_rank,
                    "ring_formula": ring.ideal_bytes_per_rank, "naive_per_rank": naive.bytes_sent_per_rank,
                    "naive_formula": naive.ideal_bytes_per_rank, "parameter_server_per_rank": ps.bytes_sent_per_rank,
                    "all_equal_to_gloo": all(r.result_equal_to_gloo for r in (ring, naive, ps)),
                    "ring_max_abs_err_vs_float64": ring.max_abs_err_vs_float64,
                    "gloo_max_abs_err_vs_float64": ring.gloo_err_vs_float64}
    if record:
        from engine.ddp import snapshot

        snapshot.record(cl, n)
    wires = record_wire(cl, n) if record else measure_wire(cl)
    out["wire"] = {w["method"]: {"scheduled_bytes": w["scheduled_bytes"], "measured_lo_bytes": w["measured_bytes"],
                                 "overhead": round(w["measured_bytes"] / w["scheduled_bytes"] - 1, 5)
                                 if w["measured_bytes"] else None, "ms": round(w["ms"], 2),
                                 "algbw_GBps": round(w["buffer_bytes"] / w["ms"] / 1e6, 4),
                                 "busbw_GBps": round(w["buffer_bytes"] / w["ms"] / 1e6 * 2 * (n - 1) / n, 4)}
                   for w in wires}
    t = time.perf_counter()
    rows = measure_sweep(cl)
    if record:
        recorded.save("ddp", f"allreduce_n{n}", rows, sweep_settings(n), time.perf_counter() - t)
    med = {(r["method"], r["bytes"]): r for r in rows}
    out["time_ring_over_gloo"] = {  # the median of per-round ratios, with the range over the rounds
        f"{b >> 20} MiB": {"ratio": round(med[("ring", b)]["over_gloo"], 3),
                           "range": [round(med[("ring", b)]["over_gloo_lo"], 3),
                                     round(med[("ring", b)]["over_gloo_hi"], 3)],
                           "ring_ms": round(med[("ring", b)]["median_ms"], 3),
                           "gloo_ms": round(med[("gloo", b)]["median_ms"], 3)}
        for (m, b) in med if m == "ring" and b >= 4 << 20}
    out["alpha_beta"] = {}
    for m in ("ring", "gloo", "naive_ring", "parameter_server"):
        ab = fit(rows, m)
        out["alpha_beta"][m] = {"alpha_ms": round(ab.alpha_ms, 4), "beta_ms_per_mib": round(ab.beta_ms_per_mib, 4),
                                "worst_held_out_rel_err": round(ab.worst_held_out, 3),
                                "held_out": [{k: round(v, 4) if isinstance(v, float) else v for k, v in h.items()}
                                             for h in ab.held_out]}
    out["overlap"] = {}
    for cap in (1.0, 4.0, 25.0):
        tl = cl.run(bucket_timeline, bucket_cap_mb=cap)
        out["overlap"][f"{cap:g} MB"] = {"buckets": len(tl.buckets),
                                         "first_launch_ms": round(tl.buckets[0].launch_ms, 2),
                                         "last_grad_ms": round(tl.last_grad_ms, 2),
                                         "backward_ms": round(tl.backward_ms, 2), "overlaps": tl.overlaps}
    t = time.perf_counter()
    steps = measure_steps(cl)
    if record:
        recorded.save("ddp", f"steps_n{n}", steps, steps_settings(n), time.perf_counter() - t)
    out["no_sync_step_ms"] = {f"{r['params_m']:g}M {r['mode']}": {"median_ms": round(r["median_ms"], 2),
                                                                   "allreduces": r["allreduces"]} for r in steps}
    return out


def main(argv: list[str] | None = None) -> None:
    """Measure every world size and print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worlds", type=int, nargs="+", default=list(WORLDS))
    ap.add_argument("--record", action="store_true", help="also ship the page's default sweeps")
    ap.add_argument("--wire-only", action="store_true", help="only measure (and with --record ship) the bytes on lo")
    ap.add_argument("--view-only", action="store_true", help="only record the page's default view (with --record)")
    args = ap.parse_args(argv)
    if args.view_only:
        from engine.ddp import snapshot

        for n in args.worlds:
            with Cluster(n) as cl:
                if args.record:
                    snapshot.record(cl, n)
        return
    if args.wire_only:
        for n in args.worlds:
            with Cluster(n) as cl:
                print(json.dumps({n: record_wire(cl, n) if args.record else measure_wire(cl)}, default=float))
        return
    out: dict = {"torch": torch.__version__, "machine": recorded.machine(), "peer": "gloo dist.all_reduce",
                 "worlds": {}}
    for n in args.worlds:
        with Cluster(n) as cl:
            out["worlds"][n] = {"start_s": round(cl.started_s, 2), **_one_world(cl, n, args.record)}
    print(json.dumps(out, indent=1, default=float))


if __name__ == "__main__":
    main()
