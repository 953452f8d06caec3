"""`python -m engine.specdec.profile`: what a verify pass over γ + 1 tokens costs against a one-token step.

Both paths of the shipped target, interleaved in one process: the plain one (`engine.transformer`'s blocks over
a growing `KVCache`) and the decoding fast path (`engine.specdec.kvslab`); γ is the new tokens − 1. Times are
each thread's CPU time, median of many interleaved passes after a prompt of `past` cached tokens, so other
processes on a shared machine change them far less than wall-clock time; `--ops` adds torch.profiler's table
of the operators behind each pass, and `--generate N` times N interleaved rounds of whole generations
(speculative against autoregressive, in process CPU time) on each path. Run it with OMP_NUM_THREADS=1: CPU time
then counts the one thread that does the work, not other threads' spinning.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import torch

from engine.transformer import KVCache


@torch.inference_mode()
def verify_cost(model, gammas=(1, 2, 4, 8), past: int = 100, reps: int = 200) -> dict:
    """Median CPU µs of a pass over 1 and γ + 1 new tokens, plain and fast path, and their ratios. Every
    repetition runs each (path, size) once in turn, so a burst of load hits every cell alike."""
    paths = {"plain": lambda: KVCache(model.config.layers), "fast": model.new_cache}
    sizes = [1, *(g + 1 for g in gammas)]
    gen = torch.Generator().manual_seed(0)
    prompt = torch.randint(0, model.config.vocab, (1, past), generator=gen)
    cells = {}
    for p, make in paths.items():
        for n in sizes:
            cache = make()
            model(prompt, cache)
            cells[p, n] = (cache, torch.randint(0, model.config.vocab, (1, n), generator=gen), [])
    for _ in range(reps):
        for cache, new, times in cells.values():
            cache.truncate(past)
            t = time.thread_time_ns()
            model(new, cache)
            times.append((time.thread_time_ns() - t) / 1e3)
    med = {k: statistics.median(v[2]) for k, v in cells.items()}
    return {"past": past, "threads": torch.get_num_threads(), "reps": reps,
            "step_us": {p: round(med[p, 1]) for p in paths},
            "pass_us": {p: {str(n - 1): round(med[p, n]) for n in sizes[1:]} for p in paths},
            "verify_cost": {p: {str(n - 1): round(med[p, n] / med[p, 1], 3) for n in sizes[1:]} for p in paths},
            "fast_over_plain_step": round(med["fast", 1] / med["plain", 1], 3)}


@torch.inference_mode()
def op_table(model, tokens: int, fast: bool, past: int = 100, reps: int = 30, rows: int = 10) -> str:
    """torch.profiler's operators of `reps` passes over `tokens` new tokens (self CPU time, top `rows`)."""
    from torch.profiler import ProfilerActivity, profile

    cache = model.new_cache() if fast else KVCache(model.config.layers)
    model(torch.zeros(1, past, dtype=torch.long), cache)
    new = torch.zeros(1, tokens, dtype=torch.long)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(reps):
            cache.truncate(past)
            model(new, cache)
    return prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=rows)


def generation_cpu(models, prompt: str = "ROMEO:\n", rounds: int = 3, gamma: int = 4, tokens: int = 200,
                   temperature: float = 1.0) -> dict:
    """Speculative sampling against autoregressive decoding, both on the plain and on the fast path, interleaved
    round by round: each generation's process CPU time, and the median per-round speedup of each path."""
    from engine.specdec.generate import generate

    def timed(method: str, seed: int):
        t = time.process_time()
        g = generate(models, prompt, method, tokens, temperature, gamma=gamma, seed=seed)
        return g, time.process_time() - t

    plain = [m for m in (models.target, models.draft) if m is not None]
    out: dict[str, list] = {"plain": [], "fast": []}
    for r in range(rounds):
        for path in out:
            for m in plain:  # the plain path: the model's cache is engine.transformer's growing KVCache
                if path == "plain":
                    m.new_cache = lambda m=m: KVCache(m.config.layers)
                else:
                    m.__dict__.pop("new_cache", None)
            try:
                base, tb = timed("autoregressive", r)
                g, tg = timed("speculative", r)
            finally:
                for m in plain:
                    m.__dict__.pop("new_cache", None)
            if temperature <= 0 and g.tokens != base.tokens:
                raise AssertionError("speculative decoding diverged from greedy decoding")
            out[path].append({"autoregressive_s": tb, "speculative_s": tg, "speedup": tb / tg,
                              "tokens_per_target_call": g.stats["tokens_per_target_call"]})
    return {"prompt": prompt, "gamma": gamma, "tokens": tokens, "temperature": temperature, "rounds": rounds,
            "threads": torch.get_num_threads(),
            **{f"{p}_speedup_median": round(statistics.median(r["speedup"] for r in rows), 3)
               for p, rows in out.items()},
            **{f"{p}_autoregressive_s_median": round(statistics.median(r["autoregressive_s"] for r in rows), 3)
               for p, rows in out.items()},
            "per_round": out}


def main(argv: list[str] | None = None) -> None:
    """Command line: print the verify-cost JSON (and, with --ops, the operator tables)."""
    from engine.specdec.loading import load_models

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--past", type=int, default=100)
    ap.add_argument("--ops", action="store_true", help="print torch.profiler's operator tables too")
    ap.add_argument("--generate", type=int, default=0, metavar="ROUNDS",
                    help="also time whole generations on both paths (process CPU time), this many rounds")
    args = ap.parse_args(argv)
    models = load_models()
    target = models.target
    print(json.dumps(verify_cost(target, past=args.past), indent=2))
    if args.generate:
        for temperature in (1.0, 0.0):
            print(json.dumps(generation_cpu(models, rounds=args.generate, temperature=temperature), indent=2))
    if args.ops:
        for fast in (False, True):
            for tokens in (1, 5):
                print(f"\n{'fast' if fast else 'plain'} path, {tokens} new token(s):")
                print(op_table(target, tokens, fast, args.past))


if __name__ == "__main__":
    main()
