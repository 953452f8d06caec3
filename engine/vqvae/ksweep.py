"""The K-scaling sweep: how many codes a codebook of K uses on the held-out digits, and the reconstruction MSE it
reaches, as K grows, each rule trained at the shipped settings but K. `python -m engine.vqvae.bench --k-sweep
--record` measures it and writes `engine/vqvae/recorded/ksweep.json`; the page shows that recording."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from engine import recorded
from engine.vqvae.data import load_digits
from engine.vqvae.train import SHIPPED, codebook_stats, run

K_SWEEP = (16, 32, 64, 128, 256)
K_RULES = ("ema", "ema_restart")  # the codebook loss collapses at the shipped seed already at K = 64
RECORDING = "ksweep"


def ksweep_settings(ks: tuple[int, ...] = K_SWEEP, rules: tuple[str, ...] = K_RULES, steps: int = SHIPPED.steps,
                    seed: int = SHIPPED.seed) -> dict:
    """What a sweep is measured with (the recording's settings; a recording of other settings is not shown)."""
    return {"ks": list(ks), "rules": list(rules), "steps": steps, "seed": seed, "code_dim": SHIPPED.code_dim,
            "grid": list(SHIPPED.grid), "beta": SHIPPED.beta, "ema_decay": SHIPPED.ema_decay}


def ksweep_rows(ks: tuple[int, ...] = K_SWEEP, rules: tuple[str, ...] = K_RULES, steps: int = SHIPPED.steps,
                seed: int = SHIPPED.seed, progress: Callable[[str], None] | None = None) -> list[dict]:
    """One row per (K, rule): held-out codes used, perplexity, MSE, restarts and training seconds."""
    x = load_digits()
    rows = []
    for k in ks:
        settings = dataclasses.replace(SHIPPED, codebook_size=k, steps=steps, seed=seed, updates=tuple(rules))
        start = time.perf_counter()
        for u, (m, h) in run(settings, x).items():
            st = codebook_stats(m, x)
            rows.append({"k": k, "rule": u, "codes_used": st.codes_used, "perplexity": round(st.perplexity, 2),
                         "mse": round(st.mse, 6), "restarts": sum(h.restarts), "seconds": round(h.seconds, 1)})
            if progress:
                progress(f"K = {k}, {u}: {st.codes_used}/{k} codes, MSE {st.mse:.4f} "
                         f"({time.perf_counter() - start:.0f} s)")
    return rows


def load_ksweep() -> recorded.Recorded | None:
    """The shipped sweep, if it was measured with today's settings."""
    return recorded.matching("vqvae", [RECORDING], ksweep_settings())
