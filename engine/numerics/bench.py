"""`python -m engine.numerics.bench`: this engine beside torch, in one run, as JSON.

- rounding: our float64 rounding against torch's casts on the same random float32 bit patterns
  (agreement and time ratio; NaN compared as a class, since payloads are unspecified);
- scaler: LossScaler against torch.amp.GradScaler on one random overflow sequence;
- gradients: what fp16 / bf16 / fp8 lose of the live model's gradients, unscaled and scaled;
- training (with --train N): the four-precision comparison's final losses, skipped steps and times;
- small_formats: FP6 / FP4 / E8M0 against ml_dtypes (every pattern and random float32 inputs), when installed;
- block_scaling: SQNR of every scheme on every kind of the live model's captured tensors, one injected
  outlier under each scheme, and (with --lowbit N, default 120) the simulated low-precision training over
  LowbitSettings.seeds seeds: each recipe's final loss (mean, std, min–max) and its paired gap to fp32 after
  N steps.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time

import numpy as np
import torch

from engine import recorded
from engine.device import describe_device
from engine.numerics.blockstudy import OUTLIER_SCHEMES, captured, error_study, outlier_study
from engine.numerics.formats import FORMATS
from engine.numerics.gradients import capture_gradients, loss_fractions, lost_update_fraction
from engine.numerics.published import RECORDED_PUBLISHED, WIDE, PublishedSettings, compare_published
from engine.numerics.rounding import round_array
from engine.numerics.scaler import LossScaler
from engine.numerics.summary import recipe_spreads
from engine.numerics.training import (
    RECORDED,
    RECORDED_LOWBIT,
    LowbitSettings,
    compare_precisions,
    compare_recipes_over_seeds,
)


def _best_of(fn, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bench_rounding(n: int = 1_000_000, seed: int = 0) -> dict:
    """Agreement with torch's casts and our time over torch's, per format."""
    rng = np.random.default_rng(seed)
    with np.errstate(invalid="ignore"):
        x = rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32).view(np.float32).astype(np.float64)
    tx = torch.from_numpy(x)
    out = {}
    for name, f in FORMATS.items():
        if not f.torch_dtype:
            continue
        dtype = getattr(torch, f.torch_dtype)
        ours = round_array(x, name)
        theirs = tx.to(dtype).to(torch.float64).numpy()
        same = (ours == theirs) | (np.isnan(ours) & np.isnan(theirs))
        t_ours = _best_of(lambda name=name: round_array(x, name))
        t_torch = _best_of(lambda dtype=dtype: tx.to(dtype).to(torch.float64))
        out[name] = {"agreement": float(same.mean()), "ours_s": round(t_ours, 4), "torch_s": round(t_torch, 4),
                     "time_ratio_ours_over_torch": round(t_ours / t_torch, 2)}
    return out


def bench_scaler(steps: int = 3000, seed: int = 0) -> dict:
    """LossScaler and GradScaler on the same overflow pattern: do their scales agree at every step?"""
    rng = np.random.default_rng(seed)
    pattern = (rng.random(steps) < 0.005).tolist()
    ours = LossScaler(growth_interval=50)
    p = torch.nn.Parameter(torch.ones(1))
    opt = torch.optim.SGD([p], lr=0.0)
    gs = torch.amp.GradScaler("cpu", growth_interval=50)
    agree = 0
    for overflow in pattern:
        opt.zero_grad()
        gs.scale(p.sum()).backward()
        if overflow:
            p.grad.fill_(float("inf"))
        gs.step(opt)
        gs.update()
        ours.update(overflow)
        agree += ours.scale == gs.get_scale()
    return {"steps": steps, "overflow_steps": int(sum(pattern)), "scale_agreement": agree / steps,
            "final_scale": ours.scale, "gradscaler_final_scale": gs.get_scale()}


GRAD_STEPS_DEFAULT = 300


def bench_gradients(steps: int = GRAD_STEPS_DEFAULT) -> dict:
    """Fractions of the live model's gradients lost per format and loss scale."""
    cap = capture_gradients(steps=steps)
    out: dict = {"train_steps": steps, "final_loss": round(cap.loss, 4)}
    for kind in ("activation", "weight"):
        g = cap.values(kind)
        out[kind] = {f"{fmt}@2^{s}": {k: round(float(v), 6) for k, v in loss_fractions(g, fmt, 2.0**s).__dict__.items()
                                      if k in ("overflow", "underflow", "subnormal")}
                     for fmt in ("fp16", "bf16", "fp8_e4m3", "fp8_e5m2") for s in (0, 8, 16)}
    w = np.concatenate([cap.weights[g.name] for g in cap.layers if g.kind == "weight"])
    g = cap.values("weight")
    out["sgd_updates_lost"] = {f"{fmt}@lr={lr}": round(lost_update_fraction(w, -lr * g, fmt), 4)
                               for fmt in ("fp32", "bf16", "fp16") for lr in (1e-2, 1e-3)}
    return out


def bench_training(steps: int) -> dict:
    """The four-precision comparison: final loss, skipped steps, seconds, and time over fp32."""
    res = compare_precisions(steps=steps)
    base = res["fp32"].seconds
    return {m: {"final_loss": round(r.final_loss, 4), "skipped": len(r.skipped), "seconds": round(r.seconds, 2),
                "time_over_fp32": round(r.seconds / base, 2)} for m, r in res.items()}


def bench_small_formats(n: int = 400_000, seed: int = 0) -> dict:
    """Agreement with ml_dtypes on every pattern and on `n` random float32 patterns (NaN inputs apart)."""
    try:
        import ml_dtypes
    except ImportError:
        return {"skipped": "ml_dtypes is not installed (it is a test-only requirement)"}
    from engine.numerics.rounding import decode
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32).view(np.float32)
    out = {"ml_dtypes": ml_dtypes.__version__}
    for name, f in FORMATS.items():
        if not f.ml_dtype:
            continue
        t = getattr(ml_dtypes, f.ml_dtype)
        pats = np.arange(2**f.bits, dtype=np.uint8)
        theirs, ours = pats.view(t).astype(np.float64), np.array([decode(int(b), name) for b in pats])
        with np.errstate(invalid="ignore", over="ignore"):
            cast = x.astype(t).astype(np.float64)
        rounded = round_array(x, name)
        keep = ~np.isnan(x)
        same = [(a == b) & (np.signbit(a) == np.signbit(b)) | (np.isnan(a) & np.isnan(b))
                for a, b in ((ours, theirs), (rounded[keep], cast[keep]))]
        out[name] = {"patterns": int(pats.size), "pattern_agreement": float(same[0].mean()),
                     "random_float32": int(keep.sum()), "rounding_agreement": float(same[1].mean())}
    return out


def lowbit_summary(per_seed: list[dict]) -> dict:
    """Each recipe's final loss over the seeds (mean, std, min–max) and its paired gap to fp32, with the verdict."""
    out = {}
    for r in recipe_spreads(per_seed):
        out[r.recipe] = {"final_loss_mean": round(r.mean, 4), "final_loss_std": round(r.std, 4),
                         "final_loss_min_max": [round(min(r.finals), 4), round(max(r.finals), 4)],
                         "per_seed": [round(v, 4) for v in r.finals]}
        if r.gaps is not None:
            out[r.recipe] |= {"gap_to_fp32_mean": round(r.gap, 4),
                              "gap_min_max": [round(min(r.gaps), 4), round(max(r.gaps), 4)], "verdict": r.verdict}
    return out


def bench_block_scaling(steps: int = GRAD_STEPS_DEFAULT, lowbit_steps: int = 120) -> dict:
    """SQNR per scheme and tensor kind on the live model, the outlier study, and the simulated training."""
    cap = capture_gradients(steps=steps)
    t = time.perf_counter()
    rows = error_study(cap)
    out: dict = {"train_steps": steps, "study_seconds": round(time.perf_counter() - t, 2), "sqnr_db": {}}
    for r in rows:
        if r.layer == "all":
            out["sqnr_db"].setdefault(r.kind, {})[r.scheme] = {
                "sqnr_db": round(r.sqnr_db, 2), "bits_per_value": round(r.bits_per_value, 3),
                "saturated": r.saturated, "flushed_to_zero": r.flushed, "values": r.values}
    x = captured(cap, "blocks.0.fc", "activation")
    out["outlier"] = {"tensor": "blocks.0.fc activation", "shape": list(x.shape)}
    for factor in (100, 1000):
        s = outlier_study(x, "activation", factor, schemes=OUTLIER_SCHEMES)
        out["outlier"][f"x{factor}"] = {c.scheme: {"sqnr_clean_db": round(c.sqnr_clean_db, 2),
                                                   "sqnr_with_outlier_db": round(c.sqnr_spiked_db, 2),
                                                   "blocks_hurt": c.blocks_hurt, "blocks": c.blocks}
                                        for c in s.cases}
    if lowbit_steps:
        cfg = LowbitSettings(steps=lowbit_steps)
        out["lowbit_training"] = {"steps": lowbit_steps, "seeds": cfg.seeds,
                                  "simulated": "fake quantisation, float32 GEMMs",
                                  **lowbit_summary(compare_recipes_over_seeds(**cfg.kwargs()))}
    return out


def record() -> dict:
    """Run each comparison the page shows at once (training.RECORDED, RECORDED_LOWBIT) and ship it under
    engine/numerics/recorded/."""
    out = {}
    for table, compare in ((RECORDED, lambda **kw: [compare_precisions(**kw)]),
                           (RECORDED_LOWBIT, compare_recipes_over_seeds)):
        for name, cfg in table.items():
            t = time.perf_counter()
            per_seed = compare(**cfg.kwargs())  # one row per seed
            seconds = time.perf_counter() - t
            recorded.save("numerics", name, [{m: r.as_dict() for m, r in res.items()} for res in per_seed],
                          dataclasses.asdict(cfg), seconds)
            out[name] = {"seconds": round(seconds, 1), **lowbit_summary(per_seed)}
    return out


def bench_recipe_parts(seed: int = 0) -> dict:
    """Stochastic rounding's bias against nearest's, the fast Hadamard transform against scipy's matrix, 16×16
    tiles on W and Wᵀ, and E5M2 against E4M3 on a wide-ranged gradient, each with its reference."""
    import scipy.linalg

    from engine.numerics.blocks import quantize_blocks, quantize_scheme, random_hadamard
    from engine.numerics.hadamard import signs
    from engine.numerics.stochastic import rounding_bias

    out: dict = {"stochastic_rounding": {}}
    for fmt, x in (("fp4_e2m1", 0.3), ("fp8_e4m3", 0.1), ("bf16", 1.001)):
        b = rounding_bias(x, fmt, 100_000, seed)
        out["stochastic_rounding"][f"{fmt} x={x}"] = {
            "nearest_bias": b.nearest_bias, "stochastic_bias": b.stochastic_bias, "standard_error": b.std_error,
            "up_fraction": b.up_fraction, "p_up": b.p_up}
    x = torch.randn(4096, 256, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    h = torch.from_numpy(scipy.linalg.hadamard(16)).double() / 4
    ref = lambda: ((x.reshape(4096, 16, 16) * signs(16, seed)) @ h.T).reshape(4096, 256)  # noqa: E731
    ours = lambda: random_hadamard(x, 16, seed)[0]  # noqa: E731
    out["hadamard_vs_scipy"] = {"shape": [4096, 256], "block": 16, "max_abs_diff": float((ours() - ref()).abs().max()),
                                "fwht_seconds": _best_of(ours), "scipy_matrix_seconds": _best_of(ref)}
    w = x[:256]
    kw = dict(element="fp4_e2m1", scale="e4m3", tensor_scale=True)
    tiles, rows = quantize_blocks(w, block=(16, 16), **kw), quantize_blocks(w, block=16, **kw)
    out["nvfp4_16x16"] = {
        "w_and_wT_identical_16x16": bool(torch.equal(tiles.dequantized.T, quantize_blocks(w.T, block=(16, 16),
                                                                                          **kw).dequantized)),
        "w_and_wT_identical_1x16": bool(torch.equal(rows.dequantized.T, quantize_blocks(w.T, block=16,
                                                                                        **kw).dequantized)),
        "sqnr_db_16x16": tiles.sqnr_db, "sqnr_db_1x16": rows.sqnr_db}
    rng = np.random.default_rng(seed)
    g = torch.from_numpy(rng.lognormal(-12, 3, (256, 256)) * rng.choice([-1, 1], (256, 256)))
    out["fp8_gradients"] = {s: {"element": q.element, "sqnr_db": q.sqnr_db, "flushed": q.flushed}
                            for s in ("fp8_tensor", "fp8_hybrid") for q in [quantize_scheme(g, s, "gradient")]}
    return out


def record_published() -> dict:
    """Train the published recipes, whole and stripped, on the wider GPT over seeds, and ship the recording."""
    cfg = PublishedSettings()
    t = time.perf_counter()
    per_seed = compare_published(cfg, progress=lambda i, n, loss: print(f"{i + 1}/{n} loss {loss:.3f}",
                                                                         file=sys.stderr, flush=True))
    seconds = time.perf_counter() - t
    recorded.save("numerics", RECORDED_PUBLISHED, [{m: r.as_dict() for m, r in res.items()} for res in per_seed],
                  dataclasses.asdict(cfg), seconds)
    return {RECORDED_PUBLISHED: {"seconds": round(seconds, 1), "model": dataclasses.asdict(WIDE),
                                 **lowbit_summary(per_seed)}}


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="random float32 patterns for the rounding check")
    ap.add_argument("--train", type=int, default=0, help="also run the training comparison for this many steps")
    ap.add_argument("--lowbit", type=int, default=120, help="steps of the simulated low-precision training (0: skip)")
    ap.add_argument("--record", action="store_true", help="record the page's training comparisons and ship them")
    ap.add_argument("--record-published", action="store_true",
                    help="record the published recipes on the wider GPT (published.py) and ship it")
    args = ap.parse_args(argv)
    if args.record_published:
        print(json.dumps(record_published(), indent=2))
        return
    if args.record:
        print(json.dumps(record(), indent=2))
        return
    report = {"device": describe_device().label(), "torch": torch.__version__,
              "rounding_vs_torch": bench_rounding(args.n), "scaler_vs_gradscaler": bench_scaler(),
              "gradients": bench_gradients(), "small_formats": bench_small_formats(),
              "block_scaling": bench_block_scaling(lowbit_steps=args.lowbit), "recipe_parts": bench_recipe_parts()}
    if args.train:
        report["training"] = bench_training(args.train)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
