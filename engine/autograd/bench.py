"""`python -m engine.autograd.bench`: the autograd engine against its peers, side by side in one run, as JSON.

For every test program (engine.autograd.examples.PROGRAMS): graph_of's nodes and edges against
torchviz.make_dot (when installed), backward order and gradients against torch.autograd.grad, our scalar
engine's gradients against torch's (float64), gradcheck; then 5,000 random strings through parse (all must be
ExprError, each timed), the time from a new program to a drawn graph (parse, build, graph_of, to_dot), and the
scalar engine's time against torch's.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time

import numpy as np
import torch

from engine import recorded
from engine.autograd import ExprError, backward_trace, build, graph_of, parse, scalar_grads, to_dot
from engine.autograd.build import Ops, evaluate
from engine.autograd.examples import GRAD, INPUTS, PROGRAMS
from engine.timing import interleaved


def _torchviz(t: torch.Tensor) -> tuple[set[str], set[tuple[str, str]]] | None:
    try:
        import torchviz  # an optional peer, installed for the tests
    except ImportError:
        return None
    dot = torchviz.make_dot(t)
    nodes = {m.group(1) for line in dot.body if (m := re.match(r"\s*(\d+) \[", line))}
    edges = {(m.group(1), m.group(2)) for line in dot.body if (m := re.match(r"\s*(\d+) -> (\d+)", line))}
    return nodes, edges


def _fuzz(n: int) -> dict:
    rng = random.Random(0)
    alphabet = "abcxyz0123456789 +-*/@().,;=[]:_\n'\"#!%&^~<>{}?\\|`$e中"
    worst, total, refused, other = 0.0, 0.0, 0, 0
    for _ in range(n):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        t = time.perf_counter()
        try:
            parse(s)
        except ExprError:
            refused += 1
        except Exception:  # counted: the goal is that none happens
            other += 1
        dt = time.perf_counter() - t
        worst, total = max(worst, dt), total + dt
    return {"strings": n, "expr_errors": refused, "other_exceptions": other, "max_ms": round(worst * 1e3, 3),
            "mean_ms": round(total / n * 1e3, 4)}


def main(argv: list[str] | None = None) -> None:
    """Compare and print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fuzz", type=int, default=5000)
    args = ap.parse_args(argv)
    same_nodes = same_edges = peer = gradcheck_ok = 0
    failed: list[str] = []
    worst_scalar = worst_trace = 0.0
    for src in PROGRAMS:
        run = build(src, INPUTS, GRAD, seed=1)
        g = graph_of(run.output)
        tv = _torchviz(run.output)
        if tv is not None:
            peer += 1
            same_nodes += {n.id for n in g.nodes} == tv[0]
            same_edges += set(g.edges) == tv[1]
        trace = backward_trace(run)
        for n, t in run.inputs.items():
            if t.grad is not None:
                worst_trace = max(worst_trace, float(np.max(np.abs(np.array(trace.leaf_grads[n]) -
                                                                   t.grad.flatten().numpy()))))
        _, grads = scalar_grads(run)
        for n, gr in grads.items():
            want = run.inputs[n].grad
            if want is not None:
                worst_scalar = max(worst_scalar, float(np.max(np.abs(gr - want.numpy()))))
        leaves = [t.detach().clone().requires_grad_() for t in run.inputs.values() if t.requires_grad]
        names = [n for n, t in run.inputs.items() if t.requires_grad]
        fixed = {n: t.detach() for n, t in run.inputs.items() if not t.requires_grad}

        def f(*xs, run=run, names=names, fixed=fixed):  # gradcheck's calling convention
            return evaluate(run.expr, {**fixed, **dict(zip(names, xs, strict=True))}, Ops())[run.expr.output]

        ok = bool(torch.autograd.gradcheck(f, leaves, eps=1e-6, atol=1e-5, raise_exception=False))
        gradcheck_ok += ok
        if not ok:
            failed.append(src)
    default = "y = x + 2; z = y*y*3; out = z.mean()"
    program = "h = relu(w @ x); out = (h * h).mean()"

    def drawn() -> None:
        to_dot(graph_of(build(parse(default), {"x": "ones(2, 2)"}, {"x"})))

    def ours() -> None:
        scalar_grads(build(program, INPUTS, GRAD, seed=0))

    def torchs() -> None:
        r = build(program, INPUTS, GRAD, seed=0)
        r.output.backward()

    times = interleaved({"new_program_to_dot": drawn, "scalar_engine": ours, "torch": torchs}, rounds=15)
    out = {"torch": torch.__version__, "machine": recorded.machine(), "peers": ["torchviz.make_dot", "torch.autograd"],
           "programs": len(PROGRAMS), "torchviz_compared": peer, "same_nodes_as_torchviz": same_nodes,
           "same_edges_as_torchviz": same_edges, "max_abs_diff_scalar_vs_torch_float64": worst_scalar,
           "max_abs_diff_trace_vs_torch": worst_trace, "gradcheck_passed": gradcheck_ok,
           "gradcheck_failed_where_detach_cuts_a_path": failed, "fuzz": _fuzz(args.fuzz),
           "new_program_to_drawn_graph_ms": round(times["new_program_to_dot"].median_s * 1e3, 3),
           "scalar_engine_ms": round(times["scalar_engine"].median_s * 1e3, 3),
           "torch_build_and_backward_ms": round(times["torch"].median_s * 1e3, 3),
           "scalar_over_torch": round(times["scalar_engine"].median_s / times["torch"].median_s, 2)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
