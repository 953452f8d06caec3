"""`python -m engine.specdec.bench`: every decoding method beside the autoregressive baseline, as JSON.

For each temperature (1.0 and greedy), fixed prompts and rounds run every method in turn, interleaved
with the baseline on the same prompt and seed, so a noisy machine slows them alike. Per method: the
median speedup in tokens/s over the baseline, target calls, the acceptance rate α pooled over the positions
actually verified and at each draft position, tokens per verification pass against (1 − α^(γ+1))/(1 − α)
where that formula applies (a fixed γ of linear drafts), and the cost of a draft and of a verify pass in
one-token target steps (the theory's c and v). Then a γ sweep of speculative sampling.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict

import torch

from engine import recorded
from engine.device import describe_device
from engine.specdec.generate import METHODS, Generation, Models, expected_tokens_per_call, generate
from engine.specdec.stats import (
    COMPARE_DEFAULTS,
    MAX_ROUND_SPREAD,
    SWEEP_DEFAULTS,
    acceptance_by_position,
    gamma_sweep,
    method_rows,
    round_spread,
    summary,
    timed_runs,
)

PROMPTS = ("ROMEO:\n", "First Citizen:\nBefore we proceed any further, hear me speak.\n", "KING HENRY V.\n")
DEFAULTS = {"gamma": 4, "max_new_tokens": 200}  # the page's defaults


def _pool(runs: list[Generation], bases: list[Generation], method: str) -> dict:
    def total(key: str) -> int:
        return sum(g.stats[key] for g in runs)

    verified, verifies = total("verified"), total("verify_steps")
    alpha = total("accepted") / verified if verified else None
    tokens, calls = total("new_tokens"), total("target_calls")
    out = {"speedup_median": statistics.median(g.stats["tokens_per_s"] / b.stats["tokens_per_s"]
                                               for g, b in zip(runs, bases, strict=True)),
           "tokens_per_s_median": statistics.median(g.stats["tokens_per_s"] for g in runs),
           "baseline_tokens_per_s_median": statistics.median(b.stats["tokens_per_s"] for b in bases),
           "target_calls": calls, "baseline_target_calls": sum(b.stats["target_calls"] for b in bases),
           "tokens": tokens, "alpha": alpha, "tokens_per_target_call": tokens / calls,
           "tokens_per_verify": total("verify_tokens") / verifies if verifies else None}
    if method in ("speculative", "mtp") and alpha is not None:  # a fixed number of linear drafts per pass
        g_eff = runs[0].stats["gamma"]  # MTP drafts at most its depth
        formula = expected_tokens_per_call(alpha, g_eff)
        out |= {"formula_gamma": g_eff, "formula_tokens_per_verify": formula,
                "formula_gap": out["tokens_per_verify"] / formula - 1}
    details = [summary(g, b) for g, b in zip(runs, bases, strict=True)]
    for key in ("draft_cost", "verify_cost"):  # in one-token target steps: the theory's c and v
        costs = [d[key] for d in details if d.get(key) is not None]
        if costs:
            out[f"{key}_median"] = statistics.median(costs)
    # per draft position (1-based): accepted of the times it was verified, and accepted per drafting step (vLLM's)
    rows: list[dict] = []
    for g in runs:
        for r in acceptance_by_position(g):
            while len(rows) < r["position"]:
                rows.append({"position": len(rows) + 1, "verified": 0, "accepted": 0})
            rows[r["position"] - 1]["verified"] += r["verified"]
            rows[r["position"] - 1]["accepted"] += r["accepted"]
    if verifies and rows:
        out["acceptance_by_position"] = [r["accepted"] / r["verified"] for r in rows]
        out["accepted_per_draft_by_position"] = [r["accepted"] / verifies for r in rows]
    return out


def _line(label: str, method: str, r: dict) -> str:
    """One line per method for the log: speed, tokens per pass, acceptance by position, draft and verify cost."""
    by_pos = " ".join(f"{a:.2f}" for a in r.get("acceptance_by_position", []))
    costs = " ".join(f"{k[0]}={r[f'{k}_cost_median']:.3f}" for k in ("draft", "verify") if f"{k}_cost_median" in r)
    return (f"{label} {method}: {r['speedup_median']:.2f}x, {r['tokens_per_target_call']:.2f} tokens/pass, "
            f"α by position [{by_pos}], cost in target steps {costs}")


def run(models: Models, prompts: tuple[str, ...] = PROMPTS, rounds: int = 3, temperatures=(1.0, 0.0),
        gamma: int = DEFAULTS["gamma"], max_new_tokens: int = DEFAULTS["max_new_tokens"],
        sweep: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 8), log=None) -> dict:
    """The benchmark as a dict (see the module docstring)."""
    methods = [m for m in METHODS if m != "autoregressive"]
    result: dict = {"device": asdict(describe_device(torch.device("cpu"))),
                    "target_params": models.target.n_params(),
                    "draft_params": models.draft.n_params() if models.draft else None,
                    "medusa_params": sum(p.numel() for p in models.medusa.parameters()) if models.medusa else None,
                    "mtp_params": sum(p.numel() for p in models.mtp.parameters()) if models.mtp else None,
                    "mtp_depth": models.mtp.depth if models.mtp else None, "medusa_tree_nodes": len(models.tree),
                    "gamma": gamma, "max_new_tokens": max_new_tokens, "prompts": list(prompts), "rounds": rounds,
                    "training_report": models.report, "temperatures": {}}
    for temperature in temperatures:
        runs: dict[str, list[Generation]] = {m: [] for m in methods}
        bases: dict[str, list[Generation]] = {m: [] for m in methods}
        for r in range(rounds):
            for prompt in prompts:
                for m in methods:
                    base = generate(models, prompt, "autoregressive", max_new_tokens, temperature, seed=r)
                    g = generate(models, prompt, m, max_new_tokens, temperature, gamma=gamma, seed=r)
                    if temperature <= 0 and g.tokens != base.tokens:
                        raise AssertionError(f"{m} diverged from greedy decoding on {prompt!r}")
                    runs[m].append(g)
                    bases[m].append(base)
                    if log:
                        log(f"T={temperature} round {r + 1} {m}: {g.stats['tokens_per_s']:.1f} tok/s vs "
                            f"{base.stats['tokens_per_s']:.1f}")
        label = "greedy" if temperature <= 0 else f"t{temperature:g}"
        result["temperatures"][label] = {m: _pool(runs[m], bases[m], m) for m in methods}
        if log:
            for m in methods:
                log(_line(label, m, result["temperatures"][label][m]))
        if temperature <= 0:
            result["temperatures"][label]["greedy_outputs_identical"] = True
    result["gamma_sweep_t1"] = [
        {k: row.get(k) for k in ("gamma", "acceptance_rate", "tokens_per_verify", "expected_tokens_per_verify",
                                 "speedup", "speedup_theory", "speedup_theory_one_pass", "draft_cost", "verify_cost")}
        for row in gamma_sweep(models, prompts[0], list(sweep), "speculative", 1.0, 160, seed=0)]
    return result


def steady(measure: Callable[[], list[dict]], what: str, tries: int = 4) -> tuple[list[dict], float]:
    """`measure()` and its seconds, measured again while the rounds of a row disagree by more than
    MAX_ROUND_SPREAD (another process's burst of load), at most `tries` times; SystemExit when they never agree,
    so that no recording of a busy machine is written."""
    for attempt in range(1, tries + 1):
        t = time.perf_counter()
        rows = measure()
        seconds = time.perf_counter() - t
        worst = max(round_spread(r) for r in rows)
        if worst <= MAX_ROUND_SPREAD:
            return rows, seconds
        print(f"{what}: rounds disagree by {worst:.2f}× (try {attempt} of {tries}): the machine is busy, measuring "
              "again", file=sys.stderr, flush=True)
    raise SystemExit(f"{what}: the rounds never agreed within {MAX_ROUND_SPREAD}×; nothing recorded")


def record(models: Models) -> dict:
    """Time the page's default comparison and γ sweep and ship them under engine/specdec/recorded/ (each point
    measured again while its rounds disagree: see `steady`)."""
    c = COMPARE_DEFAULTS
    rows, seconds = steady(lambda: method_rows(timed_runs(
        models, c["prompt"], list(METHODS), c["rounds"], max_new_tokens=c["max_new_tokens"],
        temperature=c["temperature"], gamma=c["gamma"], seed=c["seed"])), "compare")
    w = SWEEP_DEFAULTS
    sweep, total = [], 0.0
    for gamma in w["gammas"]:
        row, seconds_g = steady(lambda gamma=gamma: gamma_sweep(
            models, w["prompt"], [gamma], "speculative", w["temperature"], w["max_new_tokens"], w["seed"],
            rounds=w["rounds"]), f"sweep γ = {gamma}")
        sweep += row
        total += seconds_g
    # save both only once both were measured well: a half-updated pair would mix two days' machines
    recorded.save("specdec", "compare", rows, c, seconds)
    recorded.save("specdec", "sweep", sweep, w, total)
    return {"compare": rows, "sweep": sweep}


def main(argv: list[str] | None = None) -> None:
    """Command line: print the benchmark JSON (progress on stderr)."""
    from engine.specdec.loading import load_models

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tokens", type=int, default=DEFAULTS["max_new_tokens"])
    ap.add_argument("--gamma", type=int, default=DEFAULTS["gamma"])
    ap.add_argument("--record", action="store_true", help="record the page's default comparison and sweep")
    args = ap.parse_args(argv)
    models = load_models()
    if args.record:
        print(json.dumps(record(models), indent=2, default=float))
        return
    out = run(models, rounds=args.rounds, gamma=args.gamma, max_new_tokens=args.tokens,
              log=lambda s: print(s, file=sys.stderr, flush=True))
    print(json.dumps(out, indent=2, default=float))


if __name__ == "__main__":
    main()
